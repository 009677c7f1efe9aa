"""E-mail around the channel: the SMTP settings, addresses in agencies.yaml, a person's /email (and its
erasure), STARTTLS with a login against a real server, and the SMTP password kept out of every output."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from bot.app.config import ConfigError, Settings
from bot.app.i18n import Translations
from bot.app.redact import Redactor
from bot.core.messages import Choice, Incoming
from handlers.email_channel import EmailSender
from kb.email_address import BadAddress, parse_email
from kb.loader import validate
from storage import erasure, ledger, people
from tests.support.process import ROOT
from tests.support.smtp_server import SmtpServer, free_port

PASSWORD = "Sm7p-Passw0rd-Xy"
VI = Translations().get("vi")


def T(msgid: str, **fields) -> str:
    return VI.gettext(msgid).format(**fields) if fields else VI.gettext(msgid)


# --- settings ------------------------------------------------------------------------------

BASE = {"SMTP_HOST": "smtp.langson.gov.vn", "SMTP_FROM": "pgi-bot@snnmt.langson.gov.vn"}


@pytest.mark.parametrize(("env", "expected"), [
    ({}, (587, "starttls")),
    ({"SMTP_PORT": "465"}, (465, "tls")),
    ({"SMTP_SECURITY": "tls"}, (465, "tls")),
    ({"SMTP_SECURITY": "none"}, (25, "none")),
    ({"SMTP_PORT": "2525", "SMTP_SECURITY": "STARTTLS"}, (2525, "starttls")),
])
def test_the_port_and_the_security_default_to_each_other(env, expected):
    """587 is STARTTLS and 465 is TLS (RFC 8314); plain SMTP only when asked for."""
    settings = Settings.from_env({**BASE, **env})
    assert expected == (settings.smtp_port, settings.smtp_security)


@pytest.mark.parametrize(("env", "words"), [
    ({"SMTP_SECURITY": "ssl"}, "SMTP_SECURITY: 'ssl' must be starttls, tls or none"),
    ({"SMTP_PORT": "smtp"}, "SMTP_PORT: 'smtp' is not a port number"),
    ({"SMTP_PORT": "70000"}, "SMTP_PORT: 70000 is not a port number"),
    ({"SMTP_FROM": ""}, "SMTP_FROM: the sender address is missing"),
    ({"SMTP_FROM": "PGI bot"}, "SMTP_FROM: 'PGI bot' is not an e-mail address"),
    ({"SMTP_USER": "bot"}, "SMTP_USER and SMTP_PASSWORD go together"),
    ({"SMTP_USER": "bot", "SMTP_PASSWORD": PASSWORD, "SMTP_SECURITY": "none"}, "would cross the network in clear"),
    ({"SMTP_HOST": "smtp host"}, "SMTP_HOST: 'smtp host' is not a host name"),
    ({"SMTP_RATE": "0"}, "SMTP_RATE: 0 must be between 0 and 50"),
])
def test_a_bad_smtp_setting_is_refused_with_what_to_do(env, words):
    """Each wrong SMTP setting stops the start with a message naming it; the password is never in it."""
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

@pytest.mark.parametrize(("typed", "code"), [
    ("", "empty"), ("vanthu", "at"), ("a@b@langson.gov.vn", "at"), ("văn.thư@langson.gov.vn", "local"),
    (".a@langson.gov.vn", "local"), ("a@langson", "domain"), ("a@-x.gov.vn", "domain"), ("a@langson.gov.vn1", "domain"),
    ("a" * 60 + "@langson.gov.vn", "long"),
])
def test_a_bad_address_says_what_is_wrong(typed, code):
    with pytest.raises(BadAddress) as caught:
        parse_email(typed)
    assert code == caught.value.code


def test_an_address_is_kept_with_its_domain_in_lower_case():
    assert "VanThu.SXD@langson.gov.vn" == parse_email("  VanThu.SXD@LangSon.Gov.VN ")


def test_an_address_in_agencies_yaml_is_validated_with_file_and_line(shipped_sources):
    """A wrong ``email`` of an agency is one problem naming agencies.yaml, the agency's path and the line."""
    src = dict(shipped_sources)
    src["agencies.yaml"] = src["agencies.yaml"].replace("  - id: so-xay-dung\n",
                                                        '  - id: so-xay-dung\n    email: "vanthu.sxd@langson"\n', 1)
    kb, problems = validate(src)
    assert kb is None
    [problem] = problems
    line = src["agencies.yaml"].splitlines().index('    email: "vanthu.sxd@langson"') + 1
    assert ("agencies.yaml", line) == (problem.file, problem.line)
    assert problem.path.endswith(".email")
    assert "is not an e-mail address" in problem.message and "vanthu.snnmt@langson.gov.vn" in problem.message


def test_an_address_in_agencies_yaml_is_loaded(shipped_sources):
    src = dict(shipped_sources)
    src["agencies.yaml"] = src["agencies.yaml"].replace("  - id: so-xay-dung\n",
                                                        '  - id: so-xay-dung\n    email: "VanThu.SXD@LangSon.gov.vn"\n', 1)
    kb, problems = validate(src)
    assert ([], "VanThu.SXD@langson.gov.vn") == (problems, kb.agencies["so-xay-dung"].email)


# --- /email in chat ------------------------------------------------------------------------

def say(services, text: str, user: str = "6001", chat_type: str = "private"):
    return services.conversation.handle(Incoming(text, channel="telegram", chat_id=user if chat_type == "private" else "-5",
                                                 user_id=user, user_name="Lan", chat_type=chat_type))


def test_a_person_sets_and_removes_their_address_in_chat(services):
    """/email name@domain keeps it; /email shows it; /email xoa removes it."""
    say(services, "/start")
    saved = say(services, "/email Lan.SXD@LangSon.gov.vn")
    shown = say(services, "/email")
    removed = say(services, "/email xoa")
    with services.db.session() as s:
        user = people.find_identity(s, "telegram", "6001")
        left = people.email_of(s, user.id)
    assert T("Saved: when no chat with you can be reached, messages go to {address}.",
             address="Lan.SXD@langson.gov.vn") == saved.text
    assert shown.text.startswith(T("Your e-mail address: {address}.", address="Lan.SXD@langson.gov.vn"))
    assert (T("Your e-mail address was removed."), None) == (removed.text, left)


def test_a_bad_address_in_chat_is_refused_with_what_is_wrong(services):
    say(services, "/start")
    reply = say(services, "/email lan@langson")
    assert T("This is not an e-mail address: {why}. Write it as name@domain, e.g. vanthu.snnmt@langson.gov.vn.",
             why=T("the part after “@” must be a domain such as langson.gov.vn")) == reply.text


def test_another_persons_address_is_refused(services):
    say(services, "/start", "6001")
    say(services, "/start", "6002")
    say(services, "/email lan@langson.gov.vn", "6001")
    reply = say(services, "/email lan@langson.gov.vn", "6002")
    assert T("{address} is another person's address here; give your own, or ask an admin.",
             address="lan@langson.gov.vn") == reply.text


def test_an_address_is_given_only_in_a_private_chat(services):
    say(services, "/start", chat_type="group")  # past the first-contact notice
    reply = say(services, "/email lan@langson.gov.vn", chat_type="group")
    assert T("Give your e-mail address in a private chat with the bot, from your own account.") == reply.text


def test_erasure_removes_the_address_and_masks_it_on_sent_rows(services):
    """The address is personal data: erasing the person removes it, and sent ledger rows no longer show it."""
    say(services, "/start")
    say(services, "/email lan@langson.gov.vn")
    with services.db.session() as s:
        uid = people.find_identity(s, "telegram", "6001").id
        ledger.enqueue(s, key="n:1", kind="notice", channel="email", chat_id="lan@langson.gov.vn", text="x", user_id=uid)
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
    """STARTTLS to a server whose certificate the test trusts, a login, one message; at DEBUG, no log line and
    no outcome carries the password. A wrong password is a retry whose reason does not carry it either."""
    caplog.set_level(logging.DEBUG)
    with SmtpServer(tls_dir=tmp_path, login=("pgi-bot", PASSWORD)) as smtp:
        settings = replace(Settings.from_env({"SMTP_HOST": "localhost", "SMTP_PORT": str(smtp.port),
                                              "SMTP_FROM": "pgi-bot@snnmt.langson.gov.vn", "SMTP_USER": "pgi-bot",
                                              "SMTP_PASSWORD": PASSWORD}),
                           test_smtp_ssl_context=smtp.client_context)
        sent = await EmailSender(settings).send("vanthu.sxd@langson.gov.vn", "Nhắc hạn", [Choice("Đã nhận", "x")], _noop)
        wrong = replace(settings, smtp_password="Wrong-" + PASSWORD)
        refused = await EmailSender(wrong).send("vanthu.sxd@langson.gov.vn", "Nhắc hạn", [], _noop)
    assert ("sent", 1) == (sent.kind, len(smtp.received("vanthu.sxd@langson.gov.vn")))
    assert ("PLAIN", "ok") == smtp.logins[0]
    assert {"refused"} == {result for _mechanism, result in smtp.logins[1:]}  # smtplib tries each mechanism
    assert "retry" == refused.kind
    assert PASSWORD not in caplog.text and PASSWORD not in refused.reason and PASSWORD not in sent.reason


async def test_an_untrusted_certificate_is_not_sent_to(tmp_path):
    """With the system's trust (no test context), the self-signed certificate is refused: nothing is sent."""
    with SmtpServer(tls_dir=tmp_path) as smtp:
        settings = Settings.from_env({"SMTP_HOST": "localhost", "SMTP_PORT": str(smtp.port),
                                      "SMTP_FROM": "pgi-bot@snnmt.langson.gov.vn"})
        outcome = await EmailSender(settings).send("vanthu.sxd@langson.gov.vn", "Nhắc hạn", [], _noop)
    assert ("retry", []) == (outcome.kind, smtp.messages)


def test_a_refused_login_stops_the_start_without_printing_the_password(tmp_path):
    """`python -m bot run` with only e-mail configured, a server that refuses the login: one line, exit 2, and the
    password nowhere in what it printed at LOG_LEVEL=DEBUG."""
    with SmtpServer(tls_dir=tmp_path, login=("pgi-bot", "another-password")) as smtp:
        env = {**os.environ, "PGI_DATA_DIR": str(tmp_path / "data"), "SMTP_HOST": "localhost", "SMTP_PORT": str(smtp.port),
               "SMTP_FROM": "pgi-bot@snnmt.langson.gov.vn", "SMTP_USER": "pgi-bot", "SMTP_PASSWORD": PASSWORD,
               "SSL_CERT_FILE": str(tmp_path / "smtp-cert.pem"), "LOG_LEVEL": "DEBUG", "PORT": str(free_port())}
        for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "DATABASE_URL"):
            env.pop(name, None)
        done = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=60)
    output = done.stdout + done.stderr
    assert 2 == done.returncode, output[-2000:]
    assert done.stderr.strip().splitlines()[-1].startswith("the SMTP server refused the login of SMTP_USER (535)")
    assert PASSWORD not in output and "Traceback" not in output
