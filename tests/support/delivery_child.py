"""A bot process for the exactly-once tests: sends what the delivery ledger holds, then exits.

    python -m tests.support.delivery_child

Reads its settings from the environment (DATABASE_URL, PGI_DATA_DIR, TELEGRAM_BOT_TOKEN,
TELEGRAM_API_BASE_URL, PGI_DELIVERY_LEASE) like the real bot, and prints one line when done.
"""

from __future__ import annotations

import asyncio
import json
import sys

from bot.app.config import Settings
from bot.app.services import build_services
from handlers.telegram.app import build_application


async def main() -> int:
    services = build_services(Settings.from_env())
    app = build_application(services, tick=None)
    async with app:
        stats = await app.bot_data.dispatcher.drain()
    services.close()
    print(
        json.dumps({"sent": stats.sent, "failed": stats.failed, "retried": stats.retried}),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
