"""The web console's shared parts: sessions, the page frame and navigation, rendering, and the
guard that every route goes through (signed in, role allowed, CSRF token on every POST)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.app.i18n import N_, Translator, pick_language
from bot.core.messages import clean_text
from handlers.web import labels
from handlers.web.auth import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    Principal,
    Sessions,
    principal,
    same_token,
)
from handlers.web.keys import KeyRing
from storage import web as web_store

if TYPE_CHECKING:
    from bot.app.services import Services

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates"
LANG_COOKIE = "pgi_lang"
PREFIX = "/web"


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    roles: tuple[str, ...]


class Console:
    """What every page needs: the services, sessions, templates, the clock."""

    def __init__(self, services: Services):
        self.services = services
        self.keys = KeyRing(services.settings, services.db, timedelta(seconds=SESSION_SECONDS))
        self.keys.keys()  # at start: the key file is made (or seeded from an old database key) now
        self.sessions = Sessions(self.keys.keys)
        self.templates = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.tz = ZoneInfo(services.settings.timezone)
        self.secure_cookies = (services.settings.public_url or "").startswith("https://")
        # the sections in the order their routes are added (build_web): Board, Deadlines,
        # Broadcast, Knowledge base, Reports, Audit; a section is listed once its page exists
        self.nav: list[NavItem] = []

    def nav_item(self, path: str, label: str, roles: tuple[str, ...]) -> None:
        self.nav.append(NavItem(path, label, roles))

    def nav_for(self, me: Principal | None) -> list[NavItem]:
        return [n for n in self.nav if me is not None and me.role in n.roles]

    # --- language and rendering -------------------------------------------------------------

    def translator(self, request: Request) -> Translator:
        return self.services.translations.get(
            pick_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
        )

    def render(
        self, request: Request, template: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        tr = self.translator(request)
        me: Principal | None = request.scope.get("pgi_principal")
        session = request.scope.get("pgi_session") or {}
        nav = self.nav_for(me)
        html = self.templates.get_template(template).render(
            _=tr.gettext,
            ngettext=tr.ngettext,
            tr=tr,
            lang=tr.lang,
            me=me,
            nav=nav,
            csrf=session.get("c", ""),
            path=request.url.path,
            when=lambda dt: self.when(dt, tr),
            loaded_by=functools.partial(labels.loaded_by, tr),
            channel_label=functools.partial(labels.channel, tr),
            delivery=functools.partial(labels.delivery, tr),
            kb_counts=functools.partial(labels.kb_counts, tr),
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def when(self, value: datetime | None, tr: Translator) -> str:
        if value is None:
            return ""
        pattern = "dd/MM/yyyy HH:mm" if tr.lang == "vi" else "d MMM yyyy HH:mm"
        return format_datetime(value, pattern, tzinfo=self.tz, locale=tr.lang)

    def refuse(self, request: Request, status_code: int, message: str) -> HTMLResponse:
        return self.render(request, "refused.html", status_code=status_code, message=message)

    def cookie_secure(self, request: Request) -> bool:
        return self.secure_cookies or request.url.scheme == "https"

    # --- sessions ----------------------------------------------------------------------------

    def session_of(self, request: Request) -> dict[str, Any] | None:
        """The request's session: a cookie signed by one of our keys, naming a session that is open
        on the server (not signed out, not expired). Reads the database: call it off the event
        loop.
        """
        data = self.sessions.load(request.cookies.get(SESSION_COOKIE))
        if data is None:
            return None
        with self.services.db.session() as s:
            alive = web_store.session_alive(
                s,
                data["s"],
                user_id=data.get("u"),
                server_admin=bool(data.get("sa")),
                now=self.services.conversation.now(),
            )
        return data if alive else None

    def signed_in(self, request: Request) -> tuple[dict[str, Any] | None, Principal | None]:
        """(session, who) of the request, or (None, None); reads the database."""
        session = self.session_of(request)
        if session is None:
            return None, None
        return session, principal(self.services, session.get("u"))

    def open_session(self, user_id: int | None, server_admin: bool) -> tuple[str, dict[str, Any]]:
        """A new session on the server and its signed cookie."""
        with self.services.db.session() as s:
            sid = web_store.open_session(
                s,
                user_id=user_id,
                server_admin=server_admin,
                ttl=timedelta(seconds=self.sessions.max_age),
                now=self.services.conversation.now(),
            )
        return self.sessions.dump(user_id, server_admin, sid)

    def audit(
        self, me: Principal, action: str, target: str = "", detail: str = "", session: Any = None
    ) -> None:
        """Records who did what; pass the change's session so the record commits with the
        change."""
        if session is not None:
            web_store.audit(
                session,
                user_id=me.user_id,
                actor=me.label,
                action=action,
                target=target,
                detail=detail,
            )
            return
        with self.services.db.session() as s:
            web_store.audit(
                s, user_id=me.user_id, actor=me.label, action=action, target=target, detail=detail
            )


Endpoint = Callable[[Console, Request], Awaitable[Response]]


def guarded(
    console: Console, roles: tuple[str, ...], endpoint: Endpoint
) -> Callable[[Request], Awaitable[Response]]:
    """Wraps an endpoint: a session is required, the principal's role must be in ``roles``, and a
    POST must carry the session's CSRF token (its form is parsed here, once, and kept for the
    endpoint).
    """

    @functools.wraps(endpoint)
    async def wrapper(request: Request) -> Response:
        session, me = await run_in_threadpool(console.signed_in, request)
        if session is None or me is None:
            if request.method == "GET":
                return RedirectResponse(f"{PREFIX}/", status_code=303)
            return console.refuse(
                request, 401, N_("You are not signed in, or your session has expired.")
            )
        request.scope["pgi_session"], request.scope["pgi_principal"] = session, me
        if me.role not in roles:
            return console.refuse(request, 403, N_("Your role does not allow this page."))
        if any(isinstance(v, int) and not 0 <= v <= MAX_ID for v in request.path_params.values()):
            return console.refuse(request, 404, N_("There is no such page."))
        if request.method == "POST":
            try:
                form = await read_form(request)
            except TooLarge:
                return console.refuse(request, 413, N_("The upload is too large."))
            except BadForm:
                return console.refuse(
                    request, 400, N_("The form could not be read; reload the page and try again.")
                )
            if not same_token(session.get("c"), form.get("csrf")):  # type: ignore[arg-type]
                return console.refuse(
                    request,
                    403,
                    N_(
                        "The form has expired or did not come from this site; "
                        "reload the page and try again."
                    ),
                )
            request.scope["pgi_form"] = form
        return await endpoint(console, request)

    return wrapper


MAX_FORM_BYTES = (
    6 * 1024 * 1024
)  # the largest request body accepted (a zipped knowledge base is far smaller)
MAX_ID = 2**63 - 1  # the largest id a database column holds: a larger one in a path is no page


class TooLarge(Exception):
    pass


class BadForm(Exception):
    """The body is not a form the parser can read (a broken multipart body, a bad boundary…)."""


async def read_form(request: Request) -> FormData:
    """The request's form, refusing a body larger than MAX_FORM_BYTES before parsing it."""
    if "pgi_form" in request.scope:
        return request.scope["pgi_form"]
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > MAX_FORM_BYTES:
        raise TooLarge()
    try:
        form = await request.form(max_files=2, max_fields=20)
    except HTTPException as exc:  # Starlette's answer to a multipart body it cannot parse
        raise BadForm() from exc
    except (
        MultiPartException,
        ValueError,
    ) as exc:  # python-multipart on a broken header or boundary
        raise BadForm() from exc
    # what a form brings in is cleaned as a chat message is (no control characters)
    return FormData(
        [(k, clean_text(v) if isinstance(v, str) else v) for k, v in form.multi_items()]
    )
