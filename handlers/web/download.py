"""One-time download links (/web/download/<token>): the report for Zalo, which cannot send files.

The link is the credential: it works once, within 24 hours, and names a file under the data directory
(never a path given by the request)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.app.links import photo_allowed
from storage import web as web_store

MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".png": "image/png"}


def routes(console) -> list[Route]:
    services = console.services

    def use(token: str):
        with services.db.session() as s:
            return web_store.use_token(s, token, web_store.DOWNLOAD, now=services.conversation.now())

    async def download(request: Request) -> Response:
        token = request.path_params["token"]
        if len(token) > 100:
            return PlainTextResponse("Not found", status_code=404)
        used = await asyncio.to_thread(use, token)
        root = Path(services.settings.data_dir).resolve()
        path = (root / used.payload).resolve() if used and used.payload else None
        if path is None or root not in path.parents or not path.is_file():
            return PlainTextResponse("This link has expired or was already used; ask the bot for a new one (/baocao).",
                                     status_code=404)
        return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"), filename=path.name)

    def allowed(name: str, expires: str, signature: str) -> bool:
        with services.db.session() as s:
            return photo_allowed(s, name, expires, signature, services.conversation.now())

    async def photo(request: Request) -> Response:
        """A chart sent as a photo (Zalo's sendPhoto takes a URL): signed, expiring, only under reports/."""
        p = request.path_params
        if not await asyncio.to_thread(allowed, p["name"], p["expires"], p["signature"][:64]):
            return PlainTextResponse("Not found", status_code=404)
        path = Path(services.settings.data_dir).resolve() / "reports" / p["name"]
        if not path.is_file():
            return PlainTextResponse("Not found", status_code=404)
        return FileResponse(path, media_type="image/png")

    return [Route("/download/{token}", download, methods=["GET"]),
            Route("/photo/{expires}/{signature}/{name}", photo, methods=["GET"])]
