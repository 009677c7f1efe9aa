"""Signing in by a one-time link, signing out, the language switch and the console's front page.

The link's page asks for one press of a button before the link is used: chat apps open links to
draw previews, and a preview must not use up someone's sign-in.
"""

from __future__ import annotations

import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.i18n import LANGUAGES, N_
from handlers.web.auth import EVERYONE, NONE, SESSION_COOKIE, Principal, principal, same_token
from handlers.web.console import (
    LANG_COOKIE,
    PREFIX,
    BadForm,
    Console,
    TooLarge,
    guarded,
    read_form,
)
from storage import web as web_store

PRE_COOKIE = "pgi_signin"


def _first_page(console: Console, request: Request) -> str:
    allowed = console.nav_for(request.scope.get("pgi_principal"))
    return allowed[0].path if allowed else f"{PREFIX}/"


async def home(console: Console, request: Request) -> Response:
    """Signed in: the first section the role may see. Otherwise: how to get a sign-in link."""
    session, me = await run_in_threadpool(console.signed_in, request)
    if session is not None and me is not None:
        request.scope["pgi_session"], request.scope["pgi_principal"] = session, me
        if me.role != NONE:
            return RedirectResponse(_first_page(console, request), status_code=303)
    return console.render(request, "home.html")


async def login_page(console: Console, request: Request) -> Response:
    token = request.path_params["token"]
    with console.services.db.session() as s:
        valid = web_store.peek_token(
            s, token, web_store.LOGIN, now=console.services.conversation.now()
        )
    if not valid:
        return console.refuse(
            request,
            400,
            N_(
                "This sign-in link has expired or was already used. "
                "Send /web to the bot in a private chat for a new one."
            ),
        )
    nonce = secrets.token_urlsafe(16)
    response = console.render(request, "login.html", nonce=nonce, token=token)
    response.set_cookie(
        PRE_COOKIE,
        nonce,
        max_age=900,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=console.cookie_secure(request),
    )
    return response


async def login(console: Console, request: Request) -> Response:
    token = request.path_params["token"]
    try:
        form = await read_form(request)
    except TooLarge:
        return console.refuse(request, 413, N_("The upload is too large."))
    except BadForm:
        return console.refuse(
            request, 400, N_("The form could not be read; reload the page and try again.")
        )
    if not same_token(request.cookies.get(PRE_COOKIE), form.get("nonce")):  # type: ignore[arg-type]
        return console.refuse(
            request,
            403,
            N_(
                "The form has expired or did not come from this site; "
                "reload the page and try again."
            ),
        )
    services = console.services
    with services.db.session() as s:
        used = web_store.use_token(s, token, web_store.LOGIN, now=services.conversation.now())
    if used is None:
        return console.refuse(
            request,
            400,
            N_(
                "This sign-in link has expired or was already used. "
                "Send /web to the bot in a private chat for a new one."
            ),
        )
    me = await run_in_threadpool(principal, services, used.user_id)
    if me.role == NONE:
        return console.refuse(
            request,
            403,
            N_(
                "Only admins, the focal department and approved members of an agency "
                "can use the web console. Sign up in the chat with /start first."
            ),
        )
    cookie, data = await run_in_threadpool(console.open_session, used.user_id, used.server_admin)
    request.scope["pgi_session"], request.scope["pgi_principal"] = data, me
    console.audit(me, "sign-in")
    response = RedirectResponse(_first_page(console, request), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=console.sessions.max_age,
        path=PREFIX,
        httponly=True,
        samesite="lax",
        secure=console.cookie_secure(request),
    )
    response.delete_cookie(PRE_COOKIE, path=PREFIX)
    return response


async def logout(console: Console, request: Request) -> Response:
    """Ends this session on the server (a copy of the cookie stops working too); with
    ``everywhere``, every open session of the same person."""
    me: Principal = request.scope["pgi_principal"]
    session = request.scope["pgi_session"]
    everywhere = request.scope["pgi_form"].get("everywhere") == "1"
    services = console.services

    def work() -> None:
        with services.db.session() as s:
            now = services.conversation.now()
            if everywhere:
                ended = web_store.revoke_sessions_of(
                    s, user_id=me.user_id, server_admin=me.user_id is None, now=now
                )
                console.audit(me, "sign-out.everywhere", detail=f"{ended} session(s)", session=s)
            else:
                web_store.revoke_session(s, session["s"], now=now)

    await run_in_threadpool(work)
    response = RedirectResponse(f"{PREFIX}/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


async def language(console: Console, request: Request) -> Response:
    form = request.scope["pgi_form"]
    lang = form.get("lang")
    back = form.get("next") or f"{PREFIX}/"
    if not isinstance(back, str) or not back.startswith(f"{PREFIX}/") or back.startswith("//"):
        back = f"{PREFIX}/"  # never redirect off the console
    response = RedirectResponse(back, status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            str(lang),
            max_age=365 * 86400,
            path=PREFIX,
            samesite="lax",
            secure=console.cookie_secure(request),
        )
    return response


def routes(console: Console) -> list[Route]:
    async def _home(request: Request) -> Response:
        return await home(console, request)

    async def _login_page(request: Request) -> Response:
        return await login_page(console, request)

    async def _login(request: Request) -> Response:
        return await login(console, request)

    return [
        Route("/", _home, methods=["GET"]),
        Route("/login/{token}", _login_page, methods=["GET"]),
        Route("/login/{token}", _login, methods=["POST"]),
        Route("/logout", guarded(console, EVERYONE + (NONE,), logout), methods=["POST"]),
        Route("/lang", guarded(console, EVERYONE, language), methods=["POST"]),
    ]
