"""The bot as a real process: ``python -m bot`` from the project root, with a test environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TELEGRAM_TOKEN = (  # a token shaped like Telegram's, to look for in outputs
    "987654321:AAHsecretTOKENvalue-zz_09"
)


def run(
    args: list[str], tmp_path: Path, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PGI_DATA_DIR": str(tmp_path / "data"), **env}
    full_env.pop("DATABASE_URL", None)
    full_env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        timeout=120,
    )
