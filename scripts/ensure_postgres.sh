#!/usr/bin/env bash
# Makes sure the tests have a PostgreSQL server: 127.0.0.1:5432 with trust authentication on loopback
# and a database "test" (or the server named by PGI_TEST_POSTGRES_URL, which is then left alone).
#
# It changes a server's configuration (pg_hba.conf: trust on loopback) only where it installed
# PostgreSQL itself, or on CI (CI=true). On any other machine — a production host above all — it never
# opens the database: it stops and says how to point the tests at a server.
set -euo pipefail

if [ -n "${PGI_TEST_POSTGRES_URL:-}" ]; then
  exit 0  # the tests use that server as it is
fi

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if command -v pg_isready >/dev/null 2>&1 && ready; then
  exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
PG_ETC=${PGI_PG_ETC:-/etc/postgresql}  # another folder only for this script's own tests
MARK=${PGI_PG_MARK:-/var/lib/postgresql/.installed-by-pgi-ensure_postgres}

if ! ls "$PG_ETC"/*/main >/dev/null 2>&1; then
  echo "PostgreSQL is not installed: installing it from Debian's packages" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
  as_root mkdir -p "$(dirname "$MARK")"
  as_root touch "$MARK"
fi

if [ "${CI:-}" != "true" ] && ! [ -e "$MARK" ]; then
  cat >&2 <<'MSG'
PostgreSQL is installed on this machine but does not answer on 127.0.0.1:5432, and this script did
not install it: it will not change that server's configuration (it would set trust authentication).
Either start it yourself with a database the tests may use, or point the tests at a server:
    export PGI_TEST_POSTGRES_URL=postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE
(the user must be allowed to create and drop databases; every test makes its own and drops it).
MSG
  exit 1
fi

version=$(ls "$PG_ETC" | sort -V | tail -n 1)
conf=$PG_ETC/$version/main
# trust authentication on loopback, as on the development and CI machines
if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$conf/pg_hba.conf"; then
  as_root sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(host\s+all\s+all\s+::1\/128\s+)\S+/\1trust/; s/^(local\s+all\s+all\s+)\S+/\1trust/' "$conf/pg_hba.conf"
fi
as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || as_root pg_ctlcluster "$version" main restart
for _ in $(seq 1 30); do ready && break; sleep 1; done
ready || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname='test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc "create database test"
fi
