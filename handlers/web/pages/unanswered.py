"""Questions the bot did not understand: the most frequent of the last 90 days, and the two fixes
an admin makes from them — an alias for an agency (agencies.yaml) or everyday words for an
indicator (lexicon.yaml). Either fix becomes a new knowledge-base version through the usual path:
validated, stored without being activated, its difference shown, activated by the Activate button.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.i18n import N_
from handlers.web.auth import STAFF
from handlers.web.console import PREFIX, Console, guarded
from kb.kb_edit import add_alias, add_phrase
from storage.knowledge import unanswered as store

LIMIT = 50
REGISTRY, LEXICON = "agencies.yaml", "lexicon.yaml"
ERRORS = {
    "empty": N_("Write the alias or the words to add."),
    "too_long": N_("That is too long (at most 200 characters)."),
    "unknown_agency": N_("Choose an agency of the registry."),
    "no_aliases": N_(
        "That agency's entry in agencies.yaml has no aliases list; edit the file and upload it."
    ),
    "unknown_code": N_("Choose an indicator or component of the current plan."),
    "no_file": N_("The active version has no such file; upload it first."),
}


def _choices(console: Console) -> tuple[list, list]:
    kb = console.services.knowledge.current.kb
    agencies = sorted(
        (a for a in kb.agencies.values() if not a.succeeded_by and a.type != "group"),
        key=lambda a: a.name,
    )
    plan = next((d.id for d in kb.documents.values() if d.current), None)
    codes = [(c.code, c.name) for c in kb.components if c.plan_id == plan]
    codes += [(i.code, i.name) for i in kb.indicators if i.plan_id == plan]
    return agencies, codes


def _page(console: Console, request: Request, status_code: int = 200, **context) -> Response:
    with console.services.db.session() as s:
        rows = store.frequent(s, console.services.conversation.now(), limit=LIMIT)
    agencies, codes = _choices(console)
    return console.render(
        request,
        "unanswered.html",
        status_code=status_code,
        rows=rows,
        agencies=agencies,
        codes=codes,
        days=store.RETENTION_DAYS,
        **context,
    )


async def unanswered_page(console: Console, request: Request) -> Response:
    return await run_in_threadpool(_page, console, request)


async def _stage(console: Console, request: Request, file: str, edit, source: str) -> Response:
    me = request.scope["pgi_principal"]
    tr = console.translator(request)
    files = dict(console.services.knowledge.current.version.files)
    try:
        if file not in files:
            raise ValueError("no_file")
        files[file] = edit(files[file])
    except ValueError as exc:
        message = tr.gettext(ERRORS.get(str(exc), ERRORS["empty"]))
        return await run_in_threadpool(_page, console, request, 400, error=message)
    result = await run_in_threadpool(
        console.services.knowledge.stage, files, f"web: {source}", me.label, me.user_id
    )
    if not result.ok:
        problems = "; ".join(p.located(tr.gettext) for p in result.problems[:3])
        return await run_in_threadpool(_page, console, request, 422, error=problems)
    if result.unchanged or result.version is None:
        return await run_in_threadpool(
            _page, console, request, 200, error=tr.gettext(N_("That is already known."))
        )
    console.audit(me, "kb.upload", f"version {result.version.id}", source[:200])
    return RedirectResponse(f"{PREFIX}/kb/versions/{result.version.id}", status_code=303)


async def alias(console: Console, request: Request) -> Response:
    form = request.scope["pgi_form"]
    agency_id, text = str(form.get("agency") or ""), str(form.get("alias") or "")
    return await _stage(
        console,
        request,
        REGISTRY,
        lambda t: add_alias(t, agency_id, text),
        f"alias “{text[:80]}” for {agency_id}",
    )


async def phrase(console: Console, request: Request) -> Response:
    form = request.scope["pgi_form"]
    code, text = str(form.get("code") or ""), str(form.get("phrase") or "")
    return await _stage(
        console,
        request,
        LEXICON,
        lambda t: add_phrase(t, code, text),
        f"lexicon {code}: “{text[:80]}”",
    )


def routes(console: Console) -> list[Route]:
    console.nav_item(f"{PREFIX}/unanswered", N_("Not understood"), STAFF)
    return [
        Route("/unanswered", guarded(console, STAFF, unanswered_page), methods=["GET"]),
        Route("/unanswered/alias", guarded(console, STAFF, alias), methods=["POST"]),
        Route("/unanswered/phrase", guarded(console, STAFF, phrase), methods=["POST"]),
    ]
