"""The shipped deployment files (deploy/, docs/deploy.md) name real commands, paths and settings,
and pass their own tools' checks where installed (systemd-analyze, nginx, nft, logrotate);
the PostgreSQL script makes a role and database the bot migrates."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from dotenv import dotenv_values

from bot.app.cli import parser
from bot.app.config import Settings
from handlers.web.console import PREFIX
from tests.support.tls import self_signed

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
GUIDE = ROOT / "docs" / "deploy.md"


def subcommands() -> set[str]:
    action = next(a for a in parser()._actions if a.dest == "command")
    return set(action.choices)


def env_template() -> dict[str, str]:
    return {k: v or "" for k, v in dotenv_values(DEPLOY / "pgi.env").items()}


def test_every_bot_command_in_the_units_and_the_guide_exists():
    text = "\n".join(
        p.read_text()
        for p in (DEPLOY / "pgi-assistant.service", DEPLOY / "pgi-backup.service", GUIDE)
    )
    used = set(re.findall(r"-m bot ([a-z][a-z-]*)", text))
    assert {"run", "backup", "restore", "db"} <= used
    assert used <= subcommands()
    assert "python -m bot db upgrade" in GUIDE.read_text()


def test_the_env_template_is_valid_and_every_name_is_a_documented_setting():
    example = (ROOT / ".env.example").read_text()
    values = env_template()
    assert [k for k in values if not re.search(rf"^{k}=", example, re.M)] == []
    filled = {**values, "ZALO_WEBHOOK_SECRET": "a" * 32, "METRICS_TOKEN": "b" * 32}
    settings = Settings.from_env(filled)
    assert settings.host == "127.0.0.1" and settings.log_format == "json"
    assert str(settings.data_dir) == "/var/lib/pgi-assistant"


def nginx_site(comments: bool = True) -> str:
    text = (DEPLOY / "nginx-pgi-assistant.conf").read_text()
    return text if comments else re.sub(r"#.*", "", text)


def test_nginx_forwards_the_webhook_paths_and_the_console_to_the_bot_and_nothing_else():
    site, env = nginx_site(comments=False), env_template()
    forwarded = set(
        re.findall(r"location (?:= )?(\S+) \{ proxy_pass http://127\.0\.0\.1:(\d+); \}", site)
    )
    ports = {port for _, port in forwarded}
    assert ports == {env["PORT"]}
    paths = {path for path, _ in forwarded}
    assert {
        urlsplit(env["ZALO_WEBHOOK_URL"]).path,
        urlsplit(env["TELEGRAM_WEBHOOK_URL"]).path,
        PREFIX + "/",
    } == paths
    assert not any(p in site for p in ("/metrics", "/readyz {", "/healthz {"))
    assert "client_max_body_size 25m" in site  # above the 20 MB evidence limit


def test_the_units_point_at_the_shipped_script_and_the_data_folder():
    unit = (DEPLOY / "pgi-assistant.service").read_text()
    assert "ExecStartPre=+/opt/pgi-assistant/deploy/allow-bot-apis.sh" in unit
    assert (DEPLOY / "allow-bot-apis.sh").stat().st_mode & 0o111
    assert (
        "StateDirectory=pgi-assistant" in unit
    )  # /var/lib/pgi-assistant = PGI_DATA_DIR of pgi.env
    assert "RestartPreventExitStatus=2" in unit  # the CLI's exit code for a wrong setting or token
    backup_unit = (DEPLOY / "pgi-backup.service").read_text()
    assert "ReadWritePaths=/var/backups/pgi-assistant" in backup_unit
    for name in (
        "pgi-assistant.service",
        "pgi-backup.service",
        "pgi-backup.timer",
        "nginx-pgi-assistant.conf",
        "postgres-setup.sql",
        "nftables-pgi-assistant.conf",
        "logrotate-pgi-assistant",
        "pgi.env",
    ):
        assert f"deploy/{name}" in GUIDE.read_text(), (
            f"docs/deploy.md does not mention deploy/{name}"
        )


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)
def test_systemd_units_verify(tmp_path):
    for name in ("pgi-assistant.service", "pgi-backup.service", "pgi-backup.timer"):
        shutil.copy(DEPLOY / name, tmp_path / name)
    done = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            *(str(tmp_path / n) for n in sorted(p.name for p in tmp_path.iterdir())),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # the installed paths do not exist on this machine; anything else is a mistake in the units
    problems = [
        line
        for line in done.stderr.splitlines()
        if line.strip() and "/opt/pgi-assistant/" not in line
    ]
    assert problems == []


@pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed (Debian: apt-get install nginx)",
)
def test_nginx_accepts_the_site(tmp_path):
    cert, key = self_signed(tmp_path, "pgi.example.vn")
    site = (
        nginx_site()
        .replace("/etc/ssl/pgi-assistant/fullchain.pem", str(cert))
        .replace("/etc/ssl/pgi-assistant/privkey.pem", str(key))
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp_path}/body;\n"
        f" proxy_temp_path {tmp_path}/proxy;\n"
        f" include {tmp_path}/site.conf;\n}}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


@pytest.mark.skipif(
    shutil.which("nft") is None and not Path("/usr/sbin/nft").exists(),
    reason="nftables is not installed (Debian: apt-get install nftables)",
)
def test_the_firewall_rules_parse():
    nft = shutil.which("nft") or "/usr/sbin/nft"
    done = subprocess.run(
        [nft, "-c", "-f", str(DEPLOY / "nftables-pgi-assistant.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0 and "Operation not permitted" in done.stderr:
        pytest.skip("nft -c needs CAP_NET_ADMIN here")
    assert done.returncode == 0, done.stderr
    text = (DEPLOY / "nftables-pgi-assistant.conf").read_text()
    assert (
        "tcp dport { 80, 443 } accept" in text
        and "ip daddr @bot_apis tcp dport 443 accept" in text
    )
    hosts = (DEPLOY / "allow-bot-apis.sh").read_text()
    assert "api.telegram.org" in hosts and urlsplit(Settings().zalo_api_base_url).hostname in hosts


@pytest.mark.skipif(
    shutil.which("logrotate") is None and not Path("/usr/sbin/logrotate").exists(),
    reason="logrotate is not installed",
)
def test_logrotate_reads_the_rules(tmp_path):
    conf = tmp_path / "pgi"
    conf.write_text(
        (DEPLOY / "logrotate-pgi-assistant")
        .read_text()
        .replace("su pgi pgi", "su root root")
        .replace("/var/log/pgi-assistant/", f"{tmp_path}/")
    )
    (tmp_path / "pgi.log").write_text("x\n")
    done = subprocess.run(
        [
            shutil.which("logrotate") or "/usr/sbin/logrotate",
            "-d",
            "-s",
            str(tmp_path / "state"),
            str(conf),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "error:" not in done.stderr + done.stdout
    assert "Handling 1 logs" in done.stderr + done.stdout


@pytest.mark.postgres
def test_postgres_setup_makes_a_role_and_database_the_bot_migrates(postgres_server, tmp_path):
    from sqlalchemy import create_engine, text

    name = f"pgi_deploy_{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    admin = urlsplit(postgres_server.replace("postgresql+psycopg", "postgresql"))
    psql = [
        "psql",
        "-h",
        admin.hostname or "127.0.0.1",
        "-p",
        str(admin.port or 5432),
        "-U",
        admin.username or "postgres",
        "-d",
        admin.path.lstrip("/") or "postgres",
        "-v",
        "ON_ERROR_STOP=1",
        "-v",
        f"role={name}",
        "-v",
        f"db={name}",
        "-v",
        f"password={password}",
        "-q",
        "-f",
        str(DEPLOY / "postgres-setup.sql"),
    ]
    engine = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    try:
        done = subprocess.run(psql, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        url = f"postgresql://{name}:{password}@{admin.hostname}:{admin.port or 5432}/{name}"
        migrated = subprocess.run(
            [sys.executable, "-m", "bot", "db", "upgrade"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "PGI_DATA_DIR": str(tmp_path)},
        )
        assert migrated.returncode == 0, migrated.stderr
        with engine.connect() as conn:
            superuser, createdb = conn.execute(
                text("select rolsuper, rolcreatedb from pg_roles where rolname = :n"), {"n": name}
            ).one()
        assert (superuser, createdb) == (False, False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        engine.dispose()


def test_a_non_editable_install_carries_the_catalogs_data_and_migrations(tmp_path):
    """`pip install .` (no checkout beside it): the installed bot finds its Vietnamese and
    English catalogs, the knowledge base files and the migrations, and answers in Vietnamese."""
    # built from a copy of the tracked files: no build/ or egg-info/ left in the checkout, and
    # nothing untracked in the wheel
    source = tmp_path / "source"
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z"], check=True, capture_output=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(wheels), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    wheel = next(wheels.glob("*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(env_dir / "bin" / "python"), "install",
         "--no-deps", "-q", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]  # the libraries, not the project
    probe = (
        "from bot.app.i18n import LOCALES_DIR, Translations\n"
        "from kb.loader import read_sources\n"
        "import storage, pathlib\n"
        "print(LOCALES_DIR)\n"
        "print(Translations().get('vi').gettext('Cancelled.'))\n"
        "print(len(read_sources()))\n"
        "print(len(list((pathlib.Path(storage.__file__).parent / 'migrations' / 'versions')"
        ".glob('*.py'))))\n"
    )
    out = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", probe],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join([str(site), *deps])},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    locales, cancelled, sources, migrations = out.stdout.splitlines()
    assert locales == str(env_dir / "share" / "pgi-assistant" / "locales")
    assert cancelled != "Cancelled."  # the Vietnamese catalog, not the source string
    assert int(sources) >= 5 and int(migrations) >= 1
