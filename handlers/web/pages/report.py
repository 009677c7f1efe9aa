"""The consolidated report: generate the official document, the workbook and the chart (the
chat's /baocao), show the summary, download the files of earlier reports. Files are served by
name from the reports folder only, after the role check."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from bot.app.i18n import N_
from bot.flows.review import actions as review_actions
from handlers.web.auth import STAFF, Principal
from handlers.web.console import PREFIX, Console, guarded
from handlers.web.download import MEDIA

SHOWN = 20
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


def folder(console: Console) -> Path:
    return Path(console.services.settings.data_dir) / "reports"


def _files(console: Console) -> list[Path]:
    root = folder(console)
    if not root.is_dir():
        return []
    found = [
        p for p in root.iterdir() if p.is_file() and p.suffix in MEDIA and _NAME.match(p.name)
    ]
    return sorted(found, key=lambda p: p.name, reverse=True)[:SHOWN]


def _page(console: Console, request: Request, **context) -> Response:
    return console.render(request, "reports.html", files=_files(console), **context)


async def reports_page(console: Console, request: Request) -> Response:
    return await run_in_threadpool(_page, console, request)


async def generate(console: Console, request: Request) -> Response:
    me: Principal = request.scope["pgi_principal"]
    tr = console.translator(request)
    services = console.services
    conv = services.conversation

    def work() -> review_actions.WrittenReport:
        with services.db.session() as s:
            made = review_actions.write_report(
                s, conv, services.knowledge.current, tr, conv.today(), folder(console)
            )
            console.audit(me, "report.generate", made.docx.name, session=s)
        return made

    made = await run_in_threadpool(work)
    return await run_in_threadpool(
        _page,
        console,
        request,
        made=(made.xlsx.name, made.png.name, made.docx.name),
        summary=made.summary,
    )


async def report_file(console: Console, request: Request) -> Response:
    name = request.path_params["name"]
    root = folder(console).resolve()
    path = (root / name).resolve() if _NAME.match(name) else None
    if path is None or path.parent != root or path.suffix not in MEDIA or not path.is_file():
        return console.refuse(request, 404, N_("There is no such file."))
    inline = request.query_params.get("inline") == "1" and path.suffix == ".png"
    return FileResponse(
        path,
        media_type=MEDIA[path.suffix],
        filename=path.name,
        content_disposition_type="inline" if inline else "attachment",
    )


def routes(console: Console) -> list[Route]:
    console.nav_item(f"{PREFIX}/reports", N_("Reports"), STAFF)
    return [
        Route("/reports", guarded(console, STAFF, reports_page), methods=["GET"]),
        Route("/reports", guarded(console, STAFF, generate), methods=["POST"]),
        Route("/reports/files/{name}", guarded(console, STAFF, report_file), methods=["GET"]),
    ]
