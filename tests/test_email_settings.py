"""E-mail around the channel: the SMTP settings, addresses in agencies.yaml, a person's /email (and
its erasure), STARTTLS with a login against a real server, and the SMTP password kept out of every
output.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from bot.app.config import Settings
from bot.app.i18n import Translations
from bot.app.redact import Redactor
from bot.app.setting_values import ConfigError
from bot.core.messages import Choice, Incoming
from handlers.email_channel import EmailSender
from kb.email_address import BadAddress, parse_email
from kb.loader import validate
from storage.delivery import ledger
from storage.directory import people
from storage.ops import erasure
from tests.support.process import ROOT
from tests.support.smtp_server import SmtpServer, free_port

PASSWORD = "Sm7p-Passw0rd-Xy"
VI = Translations().get("vi")


def T(msgid: str, **fields) -> str:
    return VI.gettext(msgid).format(**fields) if fields else VI.gettext(msgid)


# --- settings ------------------------------------------------------------------------------

BASE = {"SMTP_HOST": "smtp.langson.gov.vn", "SMTP_FROM": "pgi-bot@snnmt.langson.gov.vn"}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, (587, "starttls")),
        ({"SMTP_PORT": "465"}, (465, "tls")),
        ({"SMTP_SECURITY": "tls"}, (465, "tls")),
        ({"SMTP_SECURITY": "none"}, (25, "none")),
        ({"SMTP_PORT": "2525", "SMTP_SECURITY": "STARTTLS"}, (2525, "starttls")),
    ],
)
def test_the_port_and_the_security_default_to_each_other(env, expected):
    """587 is STARTTLS and 465 is TLS (RFC 8314); plain SMTP only when asked for."""
    settings = Settings.from_env({**BASE, **env})
    assert expected == (settings.smtp_port, settings.smtp_security)


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"SMTP_SECURITY": "ssl"}, "SMTP_SECURITY: 'ssl' must be starttls, tls or none"),
        ({"SMTP_PORT": "smtp"}, "SMTP_PORT: 'smtp' is not a port number"),
        ({"SMTP_PORT": "70000"}, "SMTP_PORT: 70000 is not a port number"),
        ({"SMTP_FROM": ""}, "SMTP_FROM: the sender address is missing"),
        ({"SMTP_FROM": "PGI bot"}, "SMTP_FROM: 'PGI bot' is not an e-mail address"),
        ({"SMTP_USER": "bot"}, "SMTP_USER and SMTP_PASSWORD go together"),
        (
            {"SMTP_USER": "bot", "SMTP_PASSWORD": PASSWORD, "SMTP_SECURITY": "none"},
            "would cross the network in clear",
        ),
        ({"SMTP_HOST": "smtp host"}, "SMTP_HOST: 'smtp host' is not a host name"),
        ({"SMTP_RATE": "0"}, "SMTP_RATE: 0 must be between 0 and 50"),
    ],
)
def test_a_bad_smtp_setting_is_refused_with_what_to_do(env, words):
    """Each wrong SMTP setting stops the start with a message naming it; the password is never
    in it."""
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**BASE, **env})
    assert words in str(caught.value)
    assert PASSWORD not in str(caught.value)


def test_the_smtp_password_is_a_secret():
    """SMTP_PASSWORD is among the secrets the logs mask, and not in the settings' repr."""
    settings = Settings.from_env({**BASE, "SMTP_USER": "bot", "SMTP_PASSWORD": PASSWORD})
    assert PASSWORD in settings.secrets()
    assert PASSWORD not in repr(settings)
    assert "login *** refused" == Redactor(settings.secrets())(f"login {PASSWORD} refused")


def test_without_smtp_host_there_is_no_email_channel():
    """No SMTP_HOST: the channel is not configured (the other settings are not asked for)."""
    from handlers.channels import configured

    assert "email" not in [spec.name for spec in configured(Settings.from_env({"SMTP_FROM": "x"}))]
    assert "email" in [spec.name for spec in configured(Settings.from_env(BASE))]


# --- addresses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("vanthu", "at"),
        ("a@b@langson.gov.vn", "at"),
        ("văn.thư@langson.gov.vn", "local"),
        (".a@langson.gov.vn", "local"),
        ("a@langson", "domain"),
        ("a@-x.gov.vn", "domain"),
        ("a@langson.gov.vn1", "domain"),
        ("a" * 60 + "@langson.gov.vn", "long"),
    ],
)
def test_a_bad_address_says_what_is_wrong(typed, code):
    with pytest.raises(BadAddress) as caught:
        parse_email(typed)
    assert code == caught.value.code


def test_an_address_is_kept_with_its_domain_in_lower_case():
    assert "VanThu.SXD@langson.gov.vn" == parse_email("  VanThu.SXD@LangSon.Gov.VN ")


def test_an_address_in_agencies_yaml_is_validated_with_file_and_line(shipped_sources):
    """A wrong ``email`` of an agency is one problem naming agencies.yaml, the agency's path and
    the line."""
    src = dict(shipped_sources)
    src["agencies.yaml"] = src["agencies.yaml"].replace(
        "  - id: so-xay-dung\n", '  - id: so-xay-dung\n    email: "vanthu.sxd@langson"\n', 1
    )
    kb, problems = validate(src)
    assert kb is None
    [problem] = problems
    line = src["agencies.yaml"].splitlines().index('    email: "vanthu.sxd@langson"') + 1
    assert ("agencies.yaml", line) == (problem.file, problem.line)
    assert problem.path.endswith(".email")
    assert (
        "is not an e-mail address" in problem.message
        and "vanthu.snnmt@langson.gov.vn" in problem.message
    )


def test_an_address_in_agencies_yaml_is_loaded(shipped_sources):
    src = dict(shipped_sources)
    src["agencies.yaml"] = src["agencies.yaml"].replace(
        "  - id: so-xay-dung\n", '  - id: so-xay-dung\n    email: "VanThu.SXD@LangSon.gov.vn"\n', 1
    )
    kb, problems = validate(src)
    assert ([], "VanThu.SXD@langson.gov.vn") == (problems, kb.agencies["so-xay-dung"].email)


# --- /email in chat ------------------------------------------------------------------------


def say(services, text: str, user: str = "6001", chat_type: str = "private"):
    return services.conversation.handle(
        Incoming(
            text,
            channel="telegram",
            chat_id=user if chat_type == "private" else "-5",
            user_id=user,
            user_name="Lan",
            chat_type=chat_type,
        )
    )


def test_a_person_sets_and_removes_their_address_in_chat(services):
    """/email name@domain keeps it; /email shows it; /email xoa removes it."""
    say(services, "/start")
    saved = say(services, "/email Lan.SXD@LangSon.gov.vn")
    shown = say(services, "/email")
    removed = say(services, "/email xoa")
    with services.db.session() as s:
        user = people.find_identity(s, "telegram", "6001")
        left = people.email_of(s, user.id)
    assert (
        T(
            "Saved: when no chat with you can be reached, messages go to {address}.",
            address="Lan.SXD@langson.gov.vn",
        )
        == saved.text
    )
    assert shown.text.startswith(
        T("Your e-mail address: {address}.", address="Lan.SXD@langson.gov.vn")
    )
    assert (T("Your e-mail address was removed."), None) == (removed.text, left)


def test_a_bad_address_in_chat_is_refused_with_what_is_wrong(services):
    say(services, "/start")
    reply = say(services, "/email lan@langson")
    assert (
        T(
            "This is not an e-mail address: {why}. Write it as name@domain, e.g."
            " vanthu.snnmt@langson.gov.vn.",
            why=T("the part after “@” must be a domain such as langson.gov.vn"),
        )
        == reply.text
    )


def test_another_persons_address_is_refused(services):
    say(services, "/start", "6001")
    say(services, "/start", "6002")
    say(services, "/email lan@langson.gov.vn", "6001")
    reply = say(services, "/email lan@langson.gov.vn", "6002")
    assert (
        T(
            "{address} is another person's address here; give your own, or ask an admin.",
            address="lan@langson.gov.vn",
        )
        == reply.text
    )


def test_an_address_is_given_only_in_a_private_chat(services):
    say(services, "/start", chat_type="group")  # past the first-contact notice
    reply = say(services, "/email lan@langson.gov.vn", chat_type="group")
    assert (
        T("Give your e-mail address in a private chat with the bot, from your own account.")
        == reply.text
    )


def test_erasure_removes_the_address_and_masks_it_on_sent_rows(services):
    """The address is personal data: erasing the person removes it, and sent ledger rows no
    longer show it."""
    say(services, "/start")
    say(services, "/email lan@langson.gov.vn")
    with services.db.session() as s:
        uid = people.find_identity(s, "telegram", "6001").id
        ledger.enqueue(
            s,
            key="n:1",
            kind="notice",
            channel="email",
            chat_id="lan@langson.gov.vn",
            text="x",
            user_id=uid,
        )
        row = ledger.by_key(s, "n:1")
        ledger.mark_sent(s, row.id, "m1", services.conversation.now())
    with services.db.session() as s:
        erasure.erase_person(s, uid)
    with services.db.session() as s:
        assert (None, erasure.ERASED) == (people.email_of(s, uid), ledger.by_key(s, "n:1").chat_id)
        assert people.find_identity(s, "email", "lan@langson.gov.vn") is None


# --- STARTTLS, login, and the password in no output ---------------------------------------


async def _noop() -> None:
    return None


async def test_starttls_with_a_login_delivers_and_logs_no_password(tmp_path, caplog):
    """STARTTLS to a server whose certificate the test trusts, a login, one message; at DEBUG, no
    log line and no outcome carries the password. A wrong password is a retry whose reason does not
    carry it either.
    """
    caplog.set_level(logging.DEBUG)
    with SmtpServer(tls_dir=tmp_path, login=("pgi-bot", PASSWORD)) as smtp:
        settings = replace(
            Settings.from_env(
                {
                    "SMTP_HOST": "localhost",
                    "SMTP_PORT": str(smtp.port),
                    "SMTP_FROM": "pgi-bot@snnmt.langson.gov.vn",
                    "SMTP_USER": "pgi-bot",
                    "SMTP_PASSWORD": PASSWORD,
                }
            ),
            test_smtp_ssl_context=smtp.client_context,
        )
        sent = await EmailSender(settings).send(
            "vanthu.sxd@langson.gov.vn", "Nhắc hạn", [Choice("Đã nhận", "x")], _noop
        )
        wrong = replace(settings, smtp_password="Wrong-" + PASSWORD)
        refused = await EmailSender(wrong).send("vanthu.sxd@langson.gov.vn", "Nhắc hạn", [], _noop)
    assert ("sent", 1) == (sent.kind, len(smtp.received("vanthu.sxd@langson.gov.vn")))
    assert ("PLAIN", "ok") == smtp.logins[0]
    assert {"refused"} == {
        result for _mechanism, result in smtp.logins[1:]
    }  # smtplib tries each mechanism
    assert "retry" == refused.kind
    assert (
        PASSWORD not in caplog.text
        and PASSWORD not in refused.reason
        and PASSWORD not in sent.reason
    )


async def test_an_untrusted_certificate_is_not_sent_to(tmp_path):
    """With the system's trust (no test context), the self-signed certificate is refused:
    nothing is sent."""
    with SmtpServer(tls_dir=tmp_path) as smtp:
        settings = Settings.from_env(
            {
                "SMTP_HOST": "localhost",
                "SMTP_PORT": str(smtp.port),
                "SMTP_FROM": "pgi-bot@snnmt.langson.gov.vn",
            }
        )
        outcome = await EmailSender(settings).send(
            "vanthu.sxd@langson.gov.vn", "Nhắc hạn", [], _noop
        )
    assert ("retry", []) == (outcome.kind, smtp.messages)


def test_a_refused_login_stops_the_start_without_printing_the_password(tmp_path):
    """`python -m bot run` with only e-mail configured, a server that refuses the login: one
    line, exit 2, and the password nowhere in what it printed at LOG_LEVEL=DEBUG."""
    with SmtpServer(tls_dir=tmp_path, login=("pgi-bot", "another-password")) as smtp:
        env = {
            **os.environ,
            "PGI_DATA_DIR": str(tmp_path / "data"),
            "SMTP_HOST": "localhost",
            "SMTP_PORT": str(smtp.port),
            "SMTP_FROM": "pgi-bot@snnmt.langson.gov.vn",
            "SMTP_USER": "pgi-bot",
            "SMTP_PASSWORD": PASSWORD,
            "SSL_CERT_FILE": str(tmp_path / "smtp-cert.pem"),
            "LOG_LEVEL": "DEBUG",
            "PORT": str(free_port()),
        }
        for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "DATABASE_URL"):
            env.pop(name, None)
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    output = done.stdout + done.stderr
    assert 2 == done.returncode, output[-2000:]
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .startswith("the SMTP server refused the login of SMTP_USER (535)")
    )
    assert PASSWORD not in output and "Traceback" not in output


# --- the console's forms -------------------------------------------------------------------


@pytest.fixture
def console(tmp_path, kb_dir):
    from datetime import datetime

    from tests.support.clock import Clock
    from tests.support.web import TZ, client_for, make_services

    services = make_services(tmp_path, kb_dir, Clock(datetime(2026, 11, 30, 9, 0, tzinfo=TZ)))
    with client_for(services) as client:
        yield services, client
    services.close()


def _audit(services) -> list[tuple[str, str, str]]:
    from storage import web as web_store

    with services.db.session() as s:
        return [(e.action, e.target, e.detail) for e in reversed(web_store.audit_log(s))]


def test_focal_sets_an_agencys_official_address_in_the_console(console):
    """The focal department saves Sở Y tế's address: stored, used instead of agencies.yaml's,
    shown, audited; "Use the knowledge base's address" forgets it again."""
    from bot.delivery.recipients import official_address
    from tests.support.web import FOCAL, sign_in

    services, client = console
    csrf = sign_in(client, services, FOCAL)
    saved = client.post(
        "/web/agencies/so-y-te/email",
        data={"csrf": csrf, "email": "VanThu.SYT@LangSon.gov.vn", "action": "save"},
    )
    page = client.get("/web/agencies/so-y-te")
    with services.db.session() as s:
        stored = official_address(s, services.knowledge.current, "so-y-te")
    reset = client.post("/web/agencies/so-y-te/email", data={"csrf": csrf, "action": "reset"})
    with services.db.session() as s:
        after = official_address(s, services.knowledge.current, "so-y-te")
    assert (303, "/web/agencies/so-y-te?done=email") == (
        saved.status_code,
        saved.headers["location"],
    )
    assert ("VanThu.SYT@langson.gov.vn", "console") == (stored.email, stored.source)
    assert "VanThu.SYT@langson.gov.vn" in page.text
    assert (303, "", "") == (reset.status_code, after.email, after.source)
    assert [
        ("agency.email", "so-y-te", "(agencies.yaml) → VanThu.SYT@langson.gov.vn"),
        ("agency.email", "so-y-te", "VanThu.SYT@langson.gov.vn → (agencies.yaml)"),
    ] == _audit(services)[-2:]


def test_a_bad_address_in_the_console_is_a_400_saying_what_is_wrong(console):
    from bot.delivery.recipients import official_address
    from tests.support.web import ADMIN, sign_in

    services, client = console
    csrf = sign_in(client, services, ADMIN)
    response = client.post(
        "/web/agencies/so-y-te/email", data={"csrf": csrf, "email": "vanthu@syt", "action": "save"}
    )
    with services.db.session() as s:
        stored = official_address(s, services.knowledge.current, "so-y-te")
    why = T("the part after “@” must be a domain such as langson.gov.vn")
    assert 400 == response.status_code
    assert (
        T(
            "This is not an e-mail address: {why}. Write it as name@domain, e.g."
            " vanthu.snnmt@langson.gov.vn.",
            why=why,
        )
        in response.text
    )
    assert 'value="vanthu@syt"' in response.text
    assert ("", []) == (stored.email, [a for a in _audit(services) if a[0] == "agency.email"])


def test_only_the_focal_department_and_admins_change_addresses(console):
    """A member of the agency is refused (403), and so is a form without the session's CSRF
    token."""
    from tests.support.web import FOCAL, MEMBER, sign_in

    services, client = console
    csrf = sign_in(client, services, MEMBER)
    member = client.post(
        "/web/agencies/so-xay-dung/email", data={"csrf": csrf, "email": "x@langson.gov.vn"}
    )
    client.cookies.clear()
    sign_in(client, services, FOCAL)
    forged = client.post(
        "/web/agencies/so-xay-dung/email", data={"csrf": "forged", "email": "x@langson.gov.vn"}
    )
    assert (403, 403) == (member.status_code, forged.status_code)
    assert [] == [a for a in _audit(services) if a[0] == "agency.email"]


def test_focal_sets_a_members_own_address_in_the_console(console):
    """A member's address set from the agency's page is theirs (an e-mail identity), audited;
    empty removes it."""
    from tests.support.web import FOCAL, MEMBER, sign_in

    services, client = console
    csrf = sign_in(client, services, FOCAL)
    path = f"/web/agencies/so-xay-dung/people/{MEMBER}/email"
    saved = client.post(path, data={"csrf": csrf, "email": "chi.sxd@langson.gov.vn"})
    with services.db.session() as s:
        kept = people.email_of(s, MEMBER)
    bad = client.post(path, data={"csrf": csrf, "email": "chi"})
    removed = client.post(path, data={"csrf": csrf, "email": ""})
    with services.db.session() as s:
        left = people.email_of(s, MEMBER)
    assert (303, "chi.sxd@langson.gov.vn", 400, 303, None) == (
        saved.status_code,
        kept,
        bad.status_code,
        removed.status_code,
        left,
    )
    assert [
        ("person.email", f"#{MEMBER}", "(none) → chi.sxd@langson.gov.vn"),
        ("person.email", f"#{MEMBER}", "chi.sxd@langson.gov.vn → (none)"),
    ] == _audit(services)[-2:]
    assert (
        404
        == client.post(
            f"/web/agencies/so-y-te/people/{MEMBER}/email", data={"csrf": csrf, "email": ""}
        ).status_code
    )


# --- the migration -------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def migration_url(request, tmp_path):
    from storage.db import database_url

    if request.param == "postgres":
        return request.getfixturevalue("postgres_url").replace(
            "postgresql://", "postgresql+psycopg://"
        )
    return database_url(None, tmp_path)


def test_migration_0011_keeps_the_rows_and_adds_agency_contacts(migration_url):
    """A database at 0010 with people and ledger rows upgrades to 0011: everything kept,
    agency_contacts usable."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from storage.db import Database, alembic_config
    from storage.directory import contacts

    def upgrade(target: str) -> None:
        engine = create_engine(migration_url)
        with engine.begin() as conn:
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
        engine.dispose()

    upgrade("0010")
    engine = create_engine(migration_url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (id, name, role, created_at, updated_at) VALUES (7, 'Lan',"
                " 'user', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            text(
                "INSERT INTO identities (channel, external_id, user_id, display_name, reachable,"
                " created_at, last_seen_at) VALUES ('zalo', 'z7', 7, 'Lan', true,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            text(
                "INSERT INTO deliveries (key, kind, channel, chat_id, text, buttons, status,"
                " attempts, created_at) VALUES ('n:1', 'notice', 'zalo', 'z7', 'x', '[]', 'sent',"
                " 1, CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()
    upgrade("head")
    db = Database(migration_url)
    with db.session() as s:
        contacts.set_email(s, "so-y-te", "vanthu.syt@langson.gov.vn", 7)
    with db.session() as s:
        kept = (people.find_identity(s, "zalo", "z7").name, ledger.by_key(s, "n:1").status)
        assert "set" == people.set_email(s, 7, "lan@langson.gov.vn")
        stored = contacts.get(s, "so-y-te").email
    db.dispose()
    assert (("Lan", "sent"), "vanthu.syt@langson.gov.vn") == (kept, stored)
