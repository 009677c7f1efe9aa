"""Import of a new plan's appendix on the knowledge-base page: a Word file, a PDF, page images or
text, read in the background; the draft shown beside the source text, flagged cells highlighted
and editable; then the knowledge-base page's own path (difference, activate, roll back).

Uploads are read in a thread (an OCR of several pages takes seconds to minutes); the page of the
job refreshes itself and shows how far it is. A job belongs to the person who started it.
"""

from __future__ import annotations

import copy
import logging
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.i18n import N_
from handlers.web.auth import STAFF
from handlers.web.console import PREFIX, BadForm, Console, TooLarge, guarded
from kb.importer import KINDS, ImportError_, ImportResult, import_onto, recompose
from kb.normalize import normalize

log = logging.getLogger(__name__)
MAX_UPLOAD = 40 * 1024 * 1024  # a scan of a dozen pages at 300 dpi
MAX_FILES = 40
KEEP_JOBS = 20
SEP = " | "  # "Agency | scope" in an editable cell


@dataclass
class Job:
    id: str
    owner: int | None
    names: list[str]
    stage: str = "queued"
    done: float = 0.0
    result: ImportResult | None = None
    error: str | None = None
    created: float = field(default_factory=time.monotonic)

    @property
    def finished(self) -> bool:
        return self.result is not None or self.error is not None


class Jobs:
    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()

    def start(
        self, owner: int | None, files: list[tuple[str, bytes]], base: dict[str, str]
    ) -> Job:
        job = Job(secrets.token_urlsafe(12), owner, [n for n, _ in files])
        with self.lock:
            for old in sorted(self.jobs.values(), key=lambda j: j.created)[: -KEEP_JOBS + 1]:
                if old.finished:
                    del self.jobs[old.id]
            self.jobs[job.id] = job
        threading.Thread(
            target=_run, args=(job, files, base), daemon=True, name="kb-import"
        ).start()
        return job

    def get(self, job_id: str, owner: int | None) -> Job | None:
        job = self.jobs.get(job_id)
        return job if job is not None and job.owner == owner else None


def _run(job: Job, files: list[tuple[str, bytes]], base: dict[str, str]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="pgi-import-"))
    try:
        paths = []
        for k, (name, data) in enumerate(files):
            path = folder / f"{k:03d}-{_safe(name)}"
            path.write_bytes(data)
            paths.append(path)

        def progress(stage: str, done: float) -> None:
            job.stage, job.done = stage, done

        job.result = import_onto(paths, base, progress)
        job.stage, job.done = "done", 1.0
    except ImportError_ as exc:
        job.error = str(exc)
    except Exception:  # noqa: BLE001 - a broken upload must not kill the thread silently
        log.exception("import of %s failed", job.names)
        job.error = "the file could not be read as an appendix"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _safe(name: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in base)[-80:] or "upload"


async def _read_upload(request: Request) -> None:
    """Parses the multipart form with the import's own limits (several images, larger files),
    before the usual guard checks the session, the role and the CSRF token on it."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > MAX_UPLOAD:
        raise TooLarge()
    try:
        request.scope["pgi_form"] = await request.form(max_files=MAX_FILES, max_fields=20)
    except (HTTPException, MultiPartException, ValueError) as exc:  # a body that cannot be parsed
        raise BadForm() from exc


class Pages:
    """The import's endpoints, sharing the jobs of one console."""

    def __init__(self) -> None:
        self.jobs = Jobs()

    async def upload(self, console: Console, request: Request) -> Response:
        me = request.scope["pgi_principal"]
        tr = console.translator(request)
        files = []
        for item in request.scope["pgi_form"].getlist("files"):
            if isinstance(item, UploadFile) and item.filename:
                files.append((item.filename, await item.read()))
        if not files:
            return _refuse_upload(console, request, tr.gettext("Choose the appendix to import."))
        bad = [n for n, _ in files if PurePosixPath(n).suffix.lower() not in KINDS]
        if bad:
            msg = tr.gettext("{names}: not a file that can be imported; give {kinds}.")
            text = msg.format(names=", ".join(bad)[:200], kinds=", ".join(KINDS))
            return _refuse_upload(console, request, text)
        base = dict(console.services.knowledge.current.version.files)
        job = self.jobs.start(me.user_id, files, base)
        console.audit(me, "kb.import.start", job.id, ", ".join(n for n, _ in files)[:200])
        return RedirectResponse(f"{PREFIX}/kb/import/{job.id}", status_code=303)

    async def job_page(self, console: Console, request: Request) -> Response:
        me = request.scope["pgi_principal"]
        job = self.jobs.get(request.path_params["job_id"], me.user_id)
        if job is None:
            return console.refuse(request, 404, N_("There is no such import."))
        return console.render(request, "kb_import.html", job=job, **_view(job))

    async def stage(self, console: Console, request: Request) -> Response:
        me = request.scope["pgi_principal"]
        job = self.jobs.get(request.path_params["job_id"], me.user_id)
        if job is None or job.result is None:
            return console.refuse(request, 404, N_("There is no such import."))
        form = {k: str(v) for k, v in request.scope["pgi_form"].items()}
        base = dict(console.services.knowledge.current.version.files)
        result = edited(job.result, form, _known_names(console), base)
        source = f"web import: {', '.join(job.names)}"[:200]
        knowledge = console.services.knowledge
        staged = await run_in_threadpool(
            knowledge.stage, result.files, source, me.label, me.user_id
        )
        if not staged.ok:
            problems = sorted(staged.problems, key=lambda p: (p.file, p.line or 0))
            return console.render(
                request,
                "kb_import.html",
                status_code=422,
                job=job,
                problems=problems,
                **_view(job, result),
            )
        assert staged.version is not None
        job.result = result
        if staged.unchanged:
            return console.render(request, "kb_import.html", job=job, unchanged=True, **_view(job))
        console.audit(me, "kb.import", f"version {staged.version.id}", source)
        return RedirectResponse(f"{PREFIX}/kb/versions/{staged.version.id}", status_code=303)


def routes(console: Console) -> list[Route]:
    pages = Pages()
    guarded_upload = guarded(console, STAFF, pages.upload)

    async def upload_route(request: Request) -> Response:
        if request.method == "POST" and console.session_of(request) is not None:
            try:
                await _read_upload(request)
            except TooLarge:
                return console.refuse(request, 413, N_("The upload is too large."))
            except BadForm:
                msg = N_("The form could not be read; reload the page and try again.")
                return console.refuse(request, 400, msg)
        return await guarded_upload(request)

    return [
        Route("/kb/import", upload_route, methods=["POST"]),
        Route("/kb/import/{job_id:str}", guarded(console, STAFF, pages.job_page), methods=["GET"]),
        Route(
            "/kb/import/{job_id:str}/stage", guarded(console, STAFF, pages.stage), methods=["POST"]
        ),
    ]


def _refuse_upload(console: Console, request: Request, message: str) -> Response:
    return console.render(request, "refused.html", status_code=400, message=message)


def _known_names(console: Console) -> set[str]:
    kb = console.services.knowledge.current.kb
    return {normalize(n) for a in kb.agencies.values() for n in (a.name, *a.aliases)}


def cell_text(assignments: list[dict[str, str]]) -> str:
    return "\n".join(
        a["agency"] + (SEP + a["scope"] if a.get("scope") else "") for a in assignments
    )


def parse_cell_text(text: str) -> list[dict[str, str]]:
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        agency, _, scope = line.partition(SEP.strip())
        agency, scope = " ".join(agency.split()), " ".join(scope.split())
        if agency:
            out.append({"agency": agency, **({"scope": scope} if scope else {})})
    return out


def edited(
    result: ImportResult, form: dict[str, str], known: set[str], base: dict[str, str]
) -> ImportResult:
    """The draft with the admin's edits of names and cells, composed on the active files again."""
    draft = copy.deepcopy(result.draft)
    for comp in draft.plan["components"]:
        for ind in comp["indicators"]:
            code = ind["code"]
            name = " ".join(form.get(f"name-{code}", ind["name"]).split())
            ind["name"] = name or ind["name"]
            for role in ("lead", "coordinate"):
                if f"{role}-{code}" in form:
                    ind[role] = parse_cell_text(form[f"{role}-{code}"])
    names = [
        a["agency"]
        for c in draft.plan["components"]
        for i in c["indicators"]
        for role in ("lead", "coordinate")
        for a in i[role]
    ]
    draft.unknown = list(dict.fromkeys(n for n in names if normalize(n) not in known))
    return recompose(draft, base)


def _view(job: Job, result: ImportResult | None = None) -> dict[str, Any]:
    result = result or job.result
    if result is None:
        return {"rows": [], "flags": []}
    flags = result.flags
    by_cell: dict[tuple[str, str], list[str]] = {}
    for f in flags:
        by_cell.setdefault((f.indicator, f.field), []).append(f.why)
    rows = []
    for comp in result.draft.plan["components"]:
        for ind in comp["indicators"]:
            code = ind["code"]
            scope = by_cell.get((code, "scope"), [])
            rows.append(
                {
                    "code": code,
                    "name": ind["name"],
                    "lead": cell_text(ind["lead"]),
                    "coordinate": cell_text(ind["coordinate"]),
                    "why": {
                        fld: by_cell.get((code, fld), []) + (scope if fld != "name" else [])
                        for fld in ("name", "lead", "coordinate")
                    },
                }
            )
    deadlines = [f for f in flags if f.field == "deadline"]
    header = [f for f in flags if f.indicator == "document"]
    return {
        "rows": rows,
        "flags": flags,
        "deadlines": deadlines,
        "header_flags": header,
        "doc": result.draft.plan["document"],
        "text": result.draft.text,
    }
