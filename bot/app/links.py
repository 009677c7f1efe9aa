"""One-time links served by the bot's own HTTP server: sign-in to the web console, and file downloads."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.app.config import Settings
from storage import web as web_store

LOGIN_TTL = timedelta(minutes=15)
DOWNLOAD_TTL = timedelta(hours=24)


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
