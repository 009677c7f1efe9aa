"""The knowledge-base page: upload one YAML file or a zipped folder, see every problem with its
file and line, review the difference from the active version, activate it, or roll back to any
earlier one.

Nothing is activated while there is a problem: a valid upload is stored as a version that waits,
and only the Activate button (after the difference is shown) makes it the one the bot answers from.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.i18n import N_
from handlers.web.auth import STAFF
from handlers.web.console import PREFIX, Console, guarded
from handlers.web.upload import UploadError, yaml_file, zip_files
from kb.check.problems import Problem
from kb.diff import KbDiff
from storage.knowledge import kb_versions

HISTORY = 30

# (label, KbDiff field) in the order the difference is shown
DIFF_SECTIONS = (
    (N_("Documents added"), "documents_added"),
    (N_("Documents removed"), "documents_removed"),
    (N_("Agencies added"), "agencies_added"),
    (N_("Agencies removed"), "agencies_removed"),
    (N_("Agencies changed"), "agencies_changed"),
    (N_("Indicators added"), "indicators_added"),
    (N_("Indicators removed"), "indicators_removed"),
    (N_("Indicators changed"), "indicators_changed"),
    (N_("Assignments added"), "assignments_added"),
    (N_("Assignments removed"), "assignments_removed"),
    (N_("Deadlines added"), "deadlines_added"),
    (N_("Deadlines changed"), "deadlines_changed"),
    (N_("Deadlines removed"), "deadlines_removed"),
    (N_("Everyday words added"), "lexicon_added"),
    (N_("Everyday words removed"), "lexicon_removed"),
)


def diff_sections(changes: KbDiff) -> list[tuple[str, list[str]]]:
    return [
        (label, getattr(changes, name)) for label, name in DIFF_SECTIONS if getattr(changes, name)
    ]


def _summary(changes: KbDiff) -> str:
    return "; ".join(
        f"{name} {len(getattr(changes, name))}"
        for _, name in DIFF_SECTIONS
        if getattr(changes, name)
    )


def _page(console: Console, request: Request, status_code: int = 200, **context) -> Response:
    with console.services.db.session() as s:
        history = kb_versions.history(s, limit=HISTORY)
    active = console.services.knowledge.current.version
    return console.render(
        request, "kb.html", status_code=status_code, active=active, history=history, **context
    )


async def kb_page(console: Console, request: Request) -> Response:
    done = request.query_params.get("activated")
    return await run_in_threadpool(
        _page, console, request, activated=int(done) if done and done.isdigit() else None
    )


async def upload(console: Console, request: Request) -> Response:
    me = request.scope["pgi_principal"]
    tr = console.translator(request)
    upload_file = request.scope["pgi_form"].get("file")
    if not isinstance(upload_file, UploadFile) or not upload_file.filename:
        return await run_in_threadpool(
            _page, console, request, 400, upload_error=tr.gettext("Choose a file to upload.")
        )
    name = upload_file.filename
    data = await upload_file.read()
    services = console.services
    try:  # unpacking and validating run in a worker thread: chats are answered meanwhile
        if name.lower().endswith(".zip"):
            files, source = await run_in_threadpool(zip_files, data), name
        else:
            file_name, text = await run_in_threadpool(yaml_file, name, data)
            files = dict(services.knowledge.current.version.files)
            files[file_name] = text
            source = file_name
    except UploadError as exc:
        console.audit(me, "kb.upload.refused", name[:200], exc.message.format(**exc.values))
        return await run_in_threadpool(
            _page, console, request, 400, upload_error=tr.gettext(exc.message).format(**exc.values)
        )
    result = await run_in_threadpool(
        services.knowledge.stage, files, f"web: {source}", me.label, me.user_id
    )
    if not result.ok:
        console.audit(me, "kb.upload.refused", source[:200], f"{len(result.problems)} problem(s)")
        problems = sorted(result.problems, key=lambda p: (p.file, p.line or 0))
        return await run_in_threadpool(
            _page, console, request, 422, problems=problems, uploaded=source
        )
    assert result.version is not None
    if result.unchanged:
        return await run_in_threadpool(
            _page, console, request, 200, unchanged=True, uploaded=source
        )
    console.audit(
        me,
        "kb.upload",
        f"version {result.version.id}",
        f"{source}: {_summary(result.changes or KbDiff())}",
    )
    return RedirectResponse(f"{PREFIX}/kb/versions/{result.version.id}", status_code=303)


async def version_page(console: Console, request: Request) -> Response:
    version_id = request.path_params["version_id"]
    found = await run_in_threadpool(console.services.knowledge.changes_of, version_id)
    if found is None:
        return console.refuse(request, 404, N_("There is no such knowledge-base version."))
    version, changes = found
    active = console.services.knowledge.current.version
    return console.render(
        request,
        "kb_version.html",
        version=version,
        active=active,
        sections=diff_sections(changes),
        rollback=version.id < active.id,
    )


async def activate(console: Console, request: Request) -> Response:
    me = request.scope["pgi_principal"]
    version_id = request.path_params["version_id"]
    before = console.services.knowledge.current.version
    result = await run_in_threadpool(
        console.services.knowledge.activate_version, version_id, me.label
    )
    if not result.ok:
        problems: list[Problem] = result.problems
        return await run_in_threadpool(
            _page, console, request, 422, problems=problems, uploaded=f"#{version_id}"
        )
    action = "kb.rollback" if version_id < before.id else "kb.activate"
    console.audit(
        me,
        action,
        f"version {version_id}",
        f"was version {before.id}; {_summary(result.changes or KbDiff())}",
    )
    return RedirectResponse(f"{PREFIX}/kb?activated={version_id}", status_code=303)


def routes(console: Console) -> list[Route]:
    console.nav_item(f"{PREFIX}/kb", N_("Knowledge base"), STAFF)
    return [
        Route("/kb", guarded(console, STAFF, kb_page), methods=["GET"]),
        Route("/kb/upload", guarded(console, STAFF, upload), methods=["POST"]),
        Route(
            "/kb/versions/{version_id:int}", guarded(console, STAFF, version_page), methods=["GET"]
        ),
        Route(
            "/kb/versions/{version_id:int}/activate",
            guarded(console, STAFF, activate),
            methods=["POST"],
        ),
    ]
