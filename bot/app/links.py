"""One-time links served by the bot's own HTTP server: sign-in to the web console, and file
downloads."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.app.config import Settings
from storage import web as web_store
from storage.db import Session

LOGIN_TTL = timedelta(minutes=15)
DOWNLOAD_TTL = timedelta(hours=24)
PHOTO_TTL = timedelta(hours=1)  # a chart sent as a photo: the platform fetches it within moments
_PHOTO_NAME = re.compile(r"[A-Za-z0-9_.-]{1,120}\.png")


def base_url(settings: Settings) -> str:
    return settings.public_url or f"http://127.0.0.1:{settings.port}"


def login_link(s: Session, settings: Settings, user_id: int | None, now: datetime) -> str:
    """Valid 15 minutes, used once; ``user_id`` None: the server admin (the person at the
    server's terminal)."""
    token = web_store.issue_token(
        s,
        purpose=web_store.LOGIN,
        user_id=user_id,
        server_admin=user_id is None,
        ttl=LOGIN_TTL,
        now=now,
    )
    return f"{base_url(settings)}/web/login/{token}"


def download_link(
    s: Session, settings: Settings, rel_path: str, user_id: int | None, now: datetime
) -> str:
    """A file under the data directory, valid 24 hours, downloaded once."""
    token = web_store.issue_token(
        s,
        purpose=web_store.DOWNLOAD,
        user_id=user_id,
        server_admin=user_id is None,
        ttl=DOWNLOAD_TTL,
        now=now,
        payload=rel_path,
    )
    return f"{base_url(settings)}/web/download/{token}"


def photo_link(s: Session, settings: Settings, rel_path: str, now: datetime) -> str | None:
    """A chart under ``reports/`` at an unguessable URL that expires, for a channel that sends
    photos by URL (Zalo's sendPhoto fetches it, maybe more than once, so it is not one-time).
    Only the token's hash is stored. None unless PGI_PUBLIC_URL is HTTPS."""
    name = rel_path.split("/", 1)[1] if rel_path.startswith("reports/") else ""
    if not (settings.public_url or "").startswith("https://") or not _PHOTO_NAME.fullmatch(name):
        return None
    token = web_store.issue_token(
        s,
        purpose=web_store.PHOTO,
        user_id=None,
        server_admin=True,
        ttl=PHOTO_TTL,
        now=now,
        payload=rel_path,
    )
    return f"{settings.public_url}/web/photo/{token}/{name}"


def photo_allowed(s: Session, token: str, name: str, now: datetime) -> bool:
    """Whether a photo URL is one the bot issued for this file and it has not expired."""
    if not _PHOTO_NAME.fullmatch(name) or len(token) > 100:
        return False
    return web_store.token_payload(s, token, web_store.PHOTO, now) == f"reports/{name}"
