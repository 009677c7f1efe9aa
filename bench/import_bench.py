"""Time and peak memory of `kb import` for each kind of source.

    python bench/import_bench.py

Each import runs in a fresh process (`python -m bot kb import … --out TMP`); the figures are its
wall time and its peak resident memory (VmHWM), with Tesseract's processes measured apart (their
resident memory polled every 50 ms, the largest). Sources: seed 002 as text, seed 003 (OCR
text), a Word table made from the shipped plan 18, seed 002 laid out as a PDF with a text layer
(matplotlib), and seed 002 drawn as A4 page images read by Tesseract. Each imported folder is
checked like `kb check` and compared with the shipped plan 18 (cells right: each indicator's
name, leads and coordinators; and how many indicators with a wrong cell the report does not flag).
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.loader import DATA_DIR, read_sources, validate  # noqa: E402
from tests.support.kb_import import (  # noqa: E402
    SEEDS,
    compare,
    flagged,
    make_docx,
    make_pdf,
    render_pages,
    shipped,
)

CHILD = r"""
import os, sys, threading, time
from bot.app.cli import main

def status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

peak_child = 0
stop = False

def watch():  # Tesseract runs as a child process per page: its resident memory, polled
    global peak_child
    me = str(os.getpid())
    while not stop:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    ppid = f.read().rsplit(")", 1)[1].split()[1]
            except OSError:
                continue
            if ppid == me:
                peak_child = max(peak_child, status(pid, "VmRSS:"))
        time.sleep(0.05)

threading.Thread(target=watch, daemon=True).start()
t = time.perf_counter()
rc = main(sys.argv[1:])
wall = time.perf_counter() - t
stop = True
print("@@", wall, status("self", "VmHWM:"), peak_child, rc, file=sys.stderr)
"""


def measure(name: str, sources: list[Path], tmp: Path) -> dict:
    cmd = [
        sys.executable,
        "-c",
        CHILD,
        "kb",
        "import",
        *map(str, sources),
        "--out",
        str(tmp / name),
        "--report",
        str(tmp / f"{name}.json"),
        "--kb",
        str(DATA_DIR),  # the shipped folder, not whatever version a local database holds
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=1200)
    line = next(ln for ln in done.stderr.splitlines() if ln.startswith("@@"))
    _, wall, me, kids, rc = line.split()
    flags = len(json.loads((tmp / f"{name}.json").read_text(encoding="utf-8")))
    kb, problems = validate(read_sources(tmp / name))
    right, total, wrong = compare(kb, shipped()) if kb else (0, 0, set())
    return {
        "kb_check": "OK" if kb and not problems else f"{len(problems)} problems",
        "cells_right": f"{right}/{total}",
        "wrong_unflagged": len(wrong - flagged(tmp / f"{name}.json")),
        "source": name,
        "files": len(sources),
        "seconds": round(float(wall), 2),
        "peak_mb": round(int(me) / 1024, 1),
        "tesseract_peak_mb": round(int(kids) / 1024, 1),
        "flags": flags,
        "exit": int(rc),
    }


def main() -> None:
    print(
        f"machine: {platform.machine()}, {platform.processor() or '?'}, "
        f"Python {platform.python_version()}, {len(__import__('os').sched_getaffinity(0))} cores"
    )
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        docx = tmp / "plan18.docx"
        make_docx(shipped(), docx)
        pdf = tmp / "seed002.pdf"
        make_pdf((SEEDS / "002_4f274e872ed19d67.txt").read_text(encoding="utf-8"), pdf)
        pages = tmp / "pages"
        pages.mkdir()
        images = render_pages(
            (SEEDS / "002_4f274e872ed19d67.txt").read_text(encoding="utf-8"), pages
        )
        runs = [
            ("seed-002-text", [SEEDS / "002_4f274e872ed19d67.txt"]),
            ("seed-003-ocr-text", [SEEDS / "003_93a68b6a1a57bde4.txt"]),
            ("docx-table", [docx]),
            ("pdf-text-layer", [pdf]),
            ("seed-002-page-images", images),
        ]
        for name, sources in runs:
            r = measure(name, sources, tmp)
            print(
                f"{r['source']:<22} {r['files']:>2} file(s)  {r['seconds']:>7.2f} s  "
                f"peak {r['peak_mb']:>6.1f} MB  (tesseract {r['tesseract_peak_mb']:.1f} MB)  "
                f"{r['flags']} flags  exit {r['exit']}  kb check {r['kb_check']}  "
                f"cells right {r['cells_right']} ({r['wrong_unflagged']} wrong unflagged)"
            )


if __name__ == "__main__":
    main()
