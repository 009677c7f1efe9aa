"""An indicator's page: what the plan says (lead, coordinating agencies with their scopes, source),
each agency's updates with their evidence, the focal department's review (confirm, return with a
reason), requests for explanation, and the history. Evidence files are served by update id, after a
role check, and only from the evidence folder.

The actions are the chat's (:mod:`bot.flows.review_actions`): they record and tell the agency
through the delivery ledger, in the same transaction as the console's audit record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.app.i18n import N_, Translator
from bot.core.render.roles import _names
from bot.delivery.review_notices import PROGRESS_LABELS, history_text
from bot.flows import review_actions
from bot.reporting.status import PairStatus
from handlers.web.auth import EVERYONE, MEMBER, STAFF, Principal
from handlers.web.board_pages import load, may_see_agency, status_context
from handlers.web.console import PREFIX, Console, guarded
from handlers.web.deadline_pages import FormError, due_date
from kb.model import Agency
from storage import evidence, explanations, people, progress, review
from storage.explanations import ExplanationInfo
from storage.progress import ProgressInfo

MAX_REASON = 500  # as in chat (/tralai)
MAX_EXPLANATION = 1000  # as in chat (/giaitrinh)
EXPLANATION_DAYS = 7  # the chat's default time to answer
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
MEDIA = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
}
SERVER_ADMIN_ID = 0  # who the server admin (no user of the bot) is in records that need an id


@dataclass(frozen=True)
class AgencySection:
    agency: Agency
    pair: PairStatus | None
    updates: list[ProgressInfo]  # newest first
    requests: list[ExplanationInfo]
    history: list[str]


def actor_id(me: Principal) -> int:
    return me.user_id if me.user_id is not None else SERVER_ADMIN_ID


def is_image(u: ProgressInfo) -> bool:
    return u.file_kind == "photo" or Path(u.file_path or "").suffix.lower() in IMAGE_SUFFIXES


def _indicator(console: Console, code: str):
    active = console.services.knowledge.current
    plan = active.engine.plan_of(None)  # the current plan (a valid knowledge base has one)
    return active, plan, active.index.indicators.get(plan.id, {}).get(code)


def _page(console: Console, request: Request, status_code: int = 200, **context) -> Response:
    me: Principal = request.scope["pgi_principal"]
    tr: Translator = console.translator(request)
    code = request.path_params["code"]
    active, plan, ind = _indicator(console, code)
    if ind is None:
        return console.refuse(request, 404, N_("The current plan has no such indicator."))
    agencies = active.kb.agencies
    leads = frozenset(a.agency_id for a in ind.lead)
    component = next(
        (c for c in active.kb.components if c.plan_id == plan.id and c.code == ind.component), None
    )
    board = load(console)
    pairs = [p for p in board.pairs if p.indicator.code == code]
    chosen = request.query_params.get("agency") or None
    if me.role == MEMBER:
        chosen = me.agency_id
    if chosen is not None and not may_see_agency(me, chosen):
        return console.refuse(request, 403, N_("Your role does not allow this page."))
    shown = [p for p in pairs if chosen is None or p.agency.id == chosen]
    if chosen is not None and not shown:
        agency = next((a for a in board.agencies if a.id == chosen), None)
        shown_agencies: list[tuple[Agency, PairStatus | None]] = [(agency, None)] if agency else []
    else:
        shown_agencies = [
            (p.agency, p) for p in sorted(shown, key=lambda p: (p.role != "lead", p.agency.name))
        ]
    sections = []
    with console.services.db.session() as s:
        for agency, pair in shown_agencies:
            events = review.indicator_history(s, agency.id, plan.id, code)
            names = {SERVER_ADMIN_ID: tr.gettext("server admin")}
            for e in events:
                if e.by is not None and e.by not in names and e.by_name is None:
                    names[e.by] = people.display_name(s, e.by)
            updates = sorted(
                (e.update for e in events if e.kind == "update" and e.update is not None),
                key=lambda u: u.created_at,
                reverse=True,
            )
            sections.append(
                AgencySection(
                    agency,
                    pair,
                    updates,
                    explanations.for_indicator(s, agency.id, plan.id, code),
                    history_text(tr, events, console.tz, names),
                )
            )
    return console.render(
        request,
        "indicator.html",
        status_code=status_code,
        ind=ind,
        plan=plan,
        component=component,
        lead=_names(ind.lead, agencies, tr),
        coordinate=_names(ind.coordinate, agencies, tr, skip=leads),
        pairs=pairs,
        chosen=chosen,
        sections=sections,
        is_image=is_image,
        progress_labels=PROGRESS_LABELS,
        can_review=me.role in STAFF,
        today=console.services.conversation.today(),
        default_due=console.services.conversation.today() + timedelta(days=EXPLANATION_DAYS),
        done=request.query_params.get("done"),
        **status_context(),
        **context,
    )


async def indicator_page(console: Console, request: Request) -> Response:
    return await run_in_threadpool(_page, console, request)


def _back(code: str, agency_id: str | None, done: str) -> RedirectResponse:
    query = urlencode({"agency": agency_id, "done": done} if agency_id else {"done": done})
    return RedirectResponse(f"{PREFIX}/indicators/{code}?{query}", status_code=303)


async def decide(console: Console, request: Request, approve: bool) -> Response:
    """Confirm or return one update (the chat's /xacnhan and /tralai)."""
    me: Principal = request.scope["pgi_principal"]
    form = request.scope["pgi_form"]
    code, update_id = request.path_params["code"], request.path_params["update_id"]
    reason = str(form.get("reason") or "").strip()[:MAX_REASON]
    if not approve and not reason:
        return await run_in_threadpool(
            _page,
            console,
            request,
            400,
            error=console.translator(request).gettext(
                "Write why the update is returned; the agency will read it."
            ),
        )
    services = console.services
    conv = services.conversation

    def work() -> tuple[str, ProgressInfo | None]:
        with services.db.session() as s:
            found = progress.get(s, update_id)
            if found is None or found.indicator_code != code:
                return "not_found", None
            outcome, info = review_actions.decide_update(
                s,
                conv,
                services.knowledge.current,
                update_id,
                actor_id(me),
                conv.now(),
                approve,
                reason or None,
            )
            if outcome == "ok":
                console.audit(
                    me,
                    "update.confirm" if approve else "update.return",
                    f"#{update_id}",
                    f"{found.agency_name} — {code}" + ("" if approve else f" — {reason}"),
                    session=s,
                )
            return outcome, found

    outcome, found = await run_in_threadpool(work)
    if outcome == "not_found":
        return console.refuse(request, 404, N_("There is no such update on this indicator."))
    if outcome != "ok":
        messages = {
            "undone": N_("The update was withdrawn by its author."),
            "already_reviewed": N_("The update was already reviewed."),
        }
        return console.refuse(request, 409, messages.get(outcome, N_("Nothing was changed.")))
    return _back(code, found.agency_id if found else None, "confirmed" if approve else "returned")


async def confirm(console: Console, request: Request) -> Response:
    return await decide(console, request, True)


async def return_update(console: Console, request: Request) -> Response:
    return await decide(console, request, False)


async def ask_explanation(console: Console, request: Request) -> Response:
    """A request for explanation to one agency about this indicator (the chat's /giaitrinh)."""
    me: Principal = request.scope["pgi_principal"]
    form = request.scope["pgi_form"]
    tr = console.translator(request)
    code = request.path_params["code"]
    services = console.services
    conv = services.conversation
    active, plan, ind = _indicator(console, code)
    if ind is None:
        return console.refuse(request, 404, N_("The current plan has no such indicator."))
    agency_id = str(form.get("agency") or "")
    agency = next(
        (
            p.agency
            for p in load(console).pairs
            if p.indicator.code == code and p.agency.id == agency_id
        ),
        None,
    )
    if agency is None:
        return console.refuse(request, 404, N_("There is no such agency on this indicator."))
    text = str(form.get("text") or "").strip()[:MAX_EXPLANATION]
    try:
        if not text:
            raise FormError(tr.gettext("Write what the agency should explain."))
        due: date = due_date(tr, str(form.get("due") or ""), conv.today())
    except FormError as exc:
        return await run_in_threadpool(_page, console, request, 400, error=str(exc))

    def work() -> None:
        with services.db.session() as s:
            made = review_actions.request_explanation(
                s,
                conv,
                active,
                agency=agency,
                code=code,
                text=text,
                due=due,
                by=actor_id(me),
                now=conv.now(),
            )
            console.audit(
                me,
                "explanation.request",
                f"#{made.request.id}",
                f"{agency.name} — {code} — {due.isoformat()} — {text}",
                session=s,
            )

    await run_in_threadpool(work)
    return _back(code, agency.id, "asked")


async def evidence_file(console: Console, request: Request) -> Response:
    """The evidence of one update: for staff, or a member of the update's agency; never outside
    the evidence folder."""
    me: Principal = request.scope["pgi_principal"]
    data_dir = Path(console.services.settings.data_dir)

    def find() -> ProgressInfo | None:
        with console.services.db.session() as s:
            return progress.get(s, request.path_params["update_id"])

    found = await run_in_threadpool(find)
    if found is None or not found.file_path:
        return console.refuse(request, 404, N_("There is no such file."))
    if not may_see_agency(me, found.agency_id):
        return console.refuse(request, 403, N_("Your role does not allow this page."))
    path = evidence.path_of(data_dir, found.file_path)
    if path is None:
        return console.refuse(request, 404, N_("There is no such file."))
    name = found.file_name or path.name
    inline = request.query_params.get("inline") == "1" and is_image(found)
    return FileResponse(
        path,
        media_type=MEDIA.get(path.suffix.lower(), "application/octet-stream"),
        filename=name,
        content_disposition_type="inline" if inline else "attachment",
    )


def routes(console: Console) -> list[Route]:
    return [
        Route("/indicators/{code}", guarded(console, EVERYONE, indicator_page), methods=["GET"]),
        Route(
            "/indicators/{code}/updates/{update_id:int}/confirm",
            guarded(console, STAFF, confirm),
            methods=["POST"],
        ),
        Route(
            "/indicators/{code}/updates/{update_id:int}/return",
            guarded(console, STAFF, return_update),
            methods=["POST"],
        ),
        Route(
            "/indicators/{code}/explanations",
            guarded(console, STAFF, ask_explanation),
            methods=["POST"],
        ),
        Route(
            "/evidence/{update_id:int}", guarded(console, EVERYONE, evidence_file), methods=["GET"]
        ),
    ]
