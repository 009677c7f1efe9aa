"""A bot process for the e-mail crash test: sends what the delivery ledger holds by e-mail, then
exits.

    python -m tests.support.email_child

Reads its settings from the environment (DATABASE_URL, PGI_DATA_DIR, SMTP_*, PGI_DELIVERY_LEASE)
like the real bot, and prints one line when done.
"""

from __future__ import annotations

import asyncio
import json
import sys

from bot.app.config import Settings
from bot.app.services import build_services
from bot.delivery.tick import make_dispatcher
from handlers.email_channel import EmailSender


async def main() -> int:
    services = build_services(Settings.from_env())
    dispatcher = make_dispatcher(
        services, {"email": EmailSender(services.settings, services.db, services.translations)}
    )
    stats = await dispatcher.drain()
    services.close()
    print(
        json.dumps({"sent": stats.sent, "failed": stats.failed, "retried": stats.retried}),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
