"""One-time links served by the bot's own HTTP server: sign-in to the web console, and file downloads."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta

from bot.app.config import Settings
from storage import web as web_store

LOGIN_TTL = timedelta(minutes=15)
DOWNLOAD_TTL = timedelta(hours=24)
PHOTO_TTL = timedelta(hours=1)  # a chart sent as a photo: the platform fetches it within moments
_PHOTO_NAME = re.compile(r"[A-Za-z0-9_.-]{1,120}\.png")


def base_url(settings: Settings) -> str:
    return settings.public_url or f"http://127.0.0.1:{settings.port}"


def login_link(s, settings: Settings, user_id: int | None, now: datetime) -> str:
    """Valid 15 minutes, used once; ``user_id`` None: the server admin (the person at the server's terminal)."""
    token = web_store.issue_token(s, purpose=web_store.LOGIN, user_id=user_id, server_admin=user_id is None, ttl=LOGIN_TTL,
                                  now=now)
    return f"{base_url(settings)}/web/login/{token}"


def download_link(s, settings: Settings, rel_path: str, user_id: int | None, now: datetime) -> str:
    """A file under the data directory, valid 24 hours, downloaded once."""
    token = web_store.issue_token(s, purpose=web_store.DOWNLOAD, user_id=user_id, server_admin=user_id is None,
                                  ttl=DOWNLOAD_TTL, now=now, payload=rel_path)
    return f"{base_url(settings)}/web/download/{token}"


def _photo_signature(key: str, name: str, expires: int) -> str:
    return hmac.new(key.encode(), f"{name}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def photo_link(s, settings: Settings, rel_path: str, now: datetime) -> str | None:
    """A chart under ``reports/`` as a signed URL that expires, for a channel that sends photos by URL (Zalo's
    sendPhoto fetches it, maybe more than once, so it is not one-time). None unless PGI_PUBLIC_URL is HTTPS."""
    name = rel_path.split("/", 1)[1] if rel_path.startswith("reports/") else ""
    if not (settings.public_url or "").startswith("https://") or not _PHOTO_NAME.fullmatch(name):
        return None
    expires = int((now + PHOTO_TTL).timestamp())
    signature = _photo_signature(web_store.secret(s, "photo"), name, expires)
    return f"{settings.public_url}/web/photo/{expires}/{signature}/{name}"


def photo_allowed(s, name: str, expires: str, signature: str, now: datetime) -> bool:
    """Whether a photo URL is one the bot signed and it has not expired."""
    if not _PHOTO_NAME.fullmatch(name) or not expires.isdigit() or len(expires) > 12:
        return False
    if int(expires) < now.timestamp():
        return False
    return hmac.compare_digest(_photo_signature(web_store.secret(s, "photo"), name, int(expires)), signature)
