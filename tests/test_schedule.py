"""The reminder job runs on python-telegram-bot's JobQueue (APScheduler) by itself, and secrets
stay out of logs."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app.services import RedactSecrets, build_services
from handlers.telegram.app import build_application
from storage.directory import groups
from storage.schedule import deadlines as deadline_store
from tests.support.fake_bot_api import FakeBotApi

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
GROUP = -1003000000001


async def test_job_queue_sends_a_due_reminder_without_being_asked(settings):
    """With the clock at 08:05 seven days before a deadline, the scheduled tick posts the 7-day
    reminder."""
    now = datetime(2026, 12, 8, 8, 5, tzinfo=TZ)  # Tuesday; the deadline is Tuesday 15/12/2026
    with FakeBotApi() as api:
        services = build_services(
            replace(settings, telegram_token="123456:JOB", api_base_url=api.base_url),
            clock=lambda: now,
        )
        with services.db.session() as s:
            b = groups.request_binding(
                s, "telegram", str(GROUP), "Nhóm Sở Xây dựng", "so-xay-dung", "Sở Xây dựng", 1
            )
            groups.decide_binding(s, b.id, True, 1)
            deadline_store.add(
                s, "Báo cáo kết quả PGI 2026", date(2026, 12, 15), {"kind": "all"}, 1
            )
        app = build_application(services, tick=timedelta(seconds=0.3))
        async with app:
            await app.start()
            try:
                call = await api.awaited(
                    lambda c: c.method == "sendMessage" and c.ok and c.params["chat_id"] == GROUP,
                    timeout=15,
                )
            finally:
                await app.stop()
        services.close()
    assert (
        "15/12/2026" in call.params["text"] and "Báo cáo kết quả PGI 2026" in call.params["text"]
    )
    assert 1 == len([c for c in api.calls("sendMessage") if c.ok and c.params["chat_id"] == GROUP])


def test_token_is_redacted_from_log_records(caplog):
    """Whatever a library logs, the bot token is replaced before it reaches a handler."""
    logger = logging.getLogger("tests.redact")
    handler = logging.Handler()
    seen: list[str] = []
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    handler.addFilter(RedactSecrets("123456:SECRET-TOKEN"))
    logger.addHandler(handler)
    try:
        logger.warning(
            "POST https://api.telegram.org/bot%s/sendMessage failed", "123456:SECRET-TOKEN"
        )
    finally:
        logger.removeHandler(handler)
    assert ["POST https://api.telegram.org/bot***/sendMessage failed"] == seen
