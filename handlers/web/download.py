"""One-time download links (/web/download/<token>): the report for Zalo, which cannot send files.

The link is the credential: it works once, within 24 hours, and names a file under the data
directory (never a path given by the request). Opening it (GET or HEAD, as a chat app does to draw
a preview) shows a page with a Download button and spends nothing; only the button's POST uses the
link.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from bot.app.i18n import N_
from bot.app.links import photo_allowed
from storage import web as web_store

MEDIA = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
}
MAX_TOKEN = 100
GONE = N_("This link has expired or was already used; ask the bot for a new one (/baocao).")


def routes(console) -> list[Route]:
    services = console.services
    root = Path(services.settings.data_dir).resolve()

    def file_of(payload: str | None) -> Path | None:
        path = (root / payload).resolve() if payload else None
        return path if path is not None and root in path.parents and path.is_file() else None

    def peek(token: str) -> bool:
        with services.db.session() as s:
            return web_store.peek_token(
                s, token, web_store.DOWNLOAD, now=services.conversation.now()
            )

    def use(token: str) -> web_store.TokenUse | None:
        with services.db.session() as s:
            return web_store.use_token(
                s, token, web_store.DOWNLOAD, now=services.conversation.now()
            )

    async def page(request: Request) -> Response:
        token = request.path_params["token"]
        if len(token) > MAX_TOKEN or not await asyncio.to_thread(peek, token):
            return console.refuse(request, 404, GONE)
        return console.render(request, "download.html", token=token)

    async def download(request: Request) -> Response:
        token = request.path_params["token"]
        used = await asyncio.to_thread(use, token) if len(token) <= MAX_TOKEN else None
        path = file_of(used.payload) if used else None
        if path is None:
            return console.refuse(request, 404, GONE)
        return FileResponse(
            path, media_type=MEDIA.get(path.suffix, "application/octet-stream"), filename=path.name
        )

    def allowed(token: str, name: str) -> bool:
        with services.db.session() as s:
            return photo_allowed(s, token, name, services.conversation.now())

    async def photo(request: Request) -> Response:
        """A chart sent as a photo (Zalo's sendPhoto takes a URL): issued, expiring, under
        reports/."""
        p = request.path_params
        if not await asyncio.to_thread(allowed, p["token"], p["name"]):
            return console.refuse(request, 404, GONE)
        path = root / "reports" / p["name"]
        if not path.is_file():
            return console.refuse(request, 404, GONE)
        return FileResponse(path, media_type="image/png")

    return [
        Route("/download/{token}", page, methods=["GET"]),
        Route("/download/{token}", download, methods=["POST"]),
        Route("/photo/{token}/{name}", photo, methods=["GET"]),
    ]
