-- The PGI assistant's role and database (docs/deploy.md). Run as the postgres superuser:
--   sudo -u postgres psql -v ON_ERROR_STOP=1 -v role=pgi -v db=pgi -v password="$PGI_DB_PASSWORD" -f deploy/postgres-setup.sql
-- The bot creates and migrates its tables itself (python -m bot db upgrade); the role owns the database
-- and nothing else: no superuser, no CREATEDB, no CREATEROLE.
CREATE ROLE :"role" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE :"db" OWNER :"role" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"role";
\connect :"db"
ALTER SCHEMA public OWNER TO :"role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
