"""Time and peak memory of the consolidated report (a benchmark, not a test).

    python bench/report_bench.py [--database-url URL] [--weeks 52]

Load: the shipped knowledge base, 65 communes and wards (../shared/data/lang_son_communes_2025.md)
and 40 agencies (the registry's 23 current ones and 17 more provincial departments added in
memory), each posting one update a week for a year on every indicator it leads or coordinates
(roles held only through catch-all groups left out, as on the board), mostly confirmed, some
returned or awaiting; and a few deadlines and requests for explanation. Measured: the report's data
(board, reminders, requests), the workbook and the chart, as `python -m bot report --xlsx --png`
makes them. Targets: under 3 s and 200 MB.
"""

from __future__ import annotations

import argparse
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app.i18n import Translations  # noqa: E402
from bot.core.audience import Audience  # noqa: E402
from bot.core.knowledge import ActiveKb  # noqa: E402
from bot.reporting.board import board_agencies  # noqa: E402
from bot.reporting.chart import write_chart  # noqa: E402
from bot.reporting.report import load_report, summary_text  # noqa: E402
from bot.reporting.status import StatusRules  # noqa: E402
from bot.reporting.workbook import write_workbook  # noqa: E402
from kb.ask.engine import Engine  # noqa: E402
from kb.index import KbIndex  # noqa: E402
from kb.loader import load, read_sources  # noqa: E402
from kb.model import Agency  # noqa: E402
from kb.normalize import fold  # noqa: E402
from storage.db import Database, database_url  # noqa: E402
from storage.knowledge.kb_versions import KbVersionInfo  # noqa: E402
from storage.models.progress import ProgressUpdate  # noqa: E402
from storage.schedule import deadlines as deadline_store  # noqa: E402
from storage.tracking import explanations  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNES = ROOT.parent / "shared" / "data" / "lang_son_communes_2025.md"
AS_OF = date(2026, 12, 15)


def communes() -> list[Agency]:
    text = COMMUNES.read_text(encoding="utf-8") if COMMUNES.exists() else ""
    out = []
    for kind, label in (("Wards", "phường"), ("Communes", "xã")):
        m = re.search(rf"## {kind} \(.*?\) — \d+\n(.*?)\n\n", text, re.S)
        names = [n.strip() for n in m.group(1).replace("\n", " ").split(",")] if m else []
        out += [
            Agency(
                id=f"commune:{'-'.join(fold(n).split())}", name=f"UBND {label} {n}", type="commune"
            )
            for n in names
        ]
    while len(out) < 65:  # without the shared list, made-up names of the same number
        out.append(
            Agency(id=f"commune:xa-{len(out)}", name=f"UBND xã Số {len(out)}", type="commune")
        )
    return out[:65]


def active_kb() -> ActiveKb:
    kb = load(read_sources())
    extra = {
        f"so-bench-{i}": Agency(id=f"so-bench-{i}", name=f"Sở Thử nghiệm {i}", type="department")
        for i in range(17)
    }
    kb = replace(kb, agencies=MappingProxyType({**kb.agencies, **extra}))
    index = KbIndex(kb)
    version = KbVersionInfo(
        1, datetime.now(UTC), "bench", "shipped + 17 departments", "0" * 64, kb.counts(), {}
    )
    return ActiveKb(version, kb, index, Engine(index))


def seed(db: Database, active: ActiveKb, weeks: int) -> tuple[int, int, int]:
    plan = active.index.current_plan
    agencies = [
        a for a in board_agencies(active, []) if not a.id.startswith("commune:")
    ] + communes()
    start = datetime.combine(
        AS_OF - timedelta(weeks=weeks), datetime.min.time(), tzinfo=UTC
    ) + timedelta(hours=2)
    rows, pairs, n_agencies = [], 0, 0
    for k, agency in enumerate(agencies):
        roles, _ = active.engine.roles_of(agency, plan.id)
        roles = [r for r in roles if not (r.via is not None and r.via.catch_all)]
        n_agencies += bool(roles)
        for j, r in enumerate(roles):
            pairs += 1
            for w in range(weeks):
                state = (
                    "returned"
                    if (w + k + j) % 17 == 0
                    else "awaiting"
                    if w >= weeks - 2 - (k + j) % 3
                    else "confirmed"
                )
                rows.append(
                    dict(
                        author_id=1000 + k,
                        author_name=f"Cán bộ {k}",
                        agency_id=agency.id,
                        agency_name=agency.name,
                        plan_id=plan.id,
                        indicator_code=r.indicator.code,
                        kb_version_id=1,
                        status="done" if w == weeks - 1 and (k + j) % 5 == 0 else "in_progress",
                        percent=min(100, 2 * w),
                        note=f"Tuần {w + 1}: đã thực hiện",
                        file_id=f"f{k}-{j}-{w}" if w % 4 == 0 else None,
                        file_name="bc.pdf" if w % 4 == 0 else None,
                        file_kind="document" if w % 4 == 0 else None,
                        created_at=start + timedelta(weeks=w),
                        review_state=state,
                    )
                )
    with db.session() as s:
        for i in range(0, len(rows), 5000):
            s.execute(insert(ProgressUpdate), rows[i : i + 5000])
        for code in ("1.5", "2.1", "3.1", "4.2"):
            deadline_store.add(
                s,
                f"Báo cáo chỉ số {code}",
                AS_OF - timedelta(days=5),
                Audience.role("lead", code).spec,
                1,
            )
        deadline_store.add(
            s, "Báo cáo năm 2026", AS_OF + timedelta(days=5), Audience.everyone().spec, 1
        )
        for k, agency in enumerate(agencies[:30]):
            explanations.create(
                s,
                agency_id=agency.id,
                agency_name=agency.name,
                plan_id=plan.id,
                indicator_code="1.1",
                text="Đề nghị giải trình",
                due_date=AS_OF + timedelta(days=k % 10 - 5),
                requested_by=1,
                now=start,
            )
    return len(rows), pairs, n_agencies


def run(db: Database, active: ActiveKb, out: Path) -> tuple[float, str]:
    tr = Translations().get("vi")
    t0 = time.perf_counter()
    with db.session() as s:
        data = load_report(s, active, StatusRules(), AS_OF, TZ)
    write_workbook(tr, data, out / "report.xlsx", TZ)
    write_chart(tr, data.board, out / "report.png")
    text = summary_text(tr, data.board)
    return time.perf_counter() - t0, text


def peak_rss_mib() -> float:
    """The process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over an
    exec from the parent that forked it, which here is the seeding process."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(url: str) -> int:
    """In a fresh process, as `python -m bot report` would be: time and memory of the report
    alone."""
    rss_start = peak_rss_mib()
    db = Database(url)
    active = active_kb()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cold, _ = run(db, active, out)  # first run: matplotlib's and Babel's first-use work
        warm = min(run(db, active, out)[0] for _ in range(3))
        rss = peak_rss_mib()
        tracemalloc.start()
        run(db, active, out)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sizes = (
            (out / "report.xlsx").stat().st_size // 1024,
            (out / "report.png").stat().st_size // 1024,
        )
    db.dispose()
    print(
        f"report (board + workbook + chart): first run {cold:.2f} s, best of 3 after {warm:.2f} s"
    )
    print(f"workbook {sizes[0]} KiB, chart {sizes[1]} KiB")
    print(
        f"peak memory: process peak RSS {rss:.0f} MiB ({rss_start:.0f} MiB after imports); "
        f"Python allocations during one report {peak / 2**20:.0f} MiB (tracemalloc)"
    )
    print("targets (< 3 s, < 200 MB):", "met" if cold < 3 and rss < 200 else "NOT met")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--database-url", help="a scratch database (default: SQLite in a temporary directory)"
    )
    ap.add_argument("--weeks", type=int, default=52)
    ap.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)  # the child process
    args = ap.parse_args()
    if args.measure:
        return measure(args.measure)
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url(args.database_url, Path(tmp))
        db = Database(url)
        db.migrate()
        t = time.perf_counter()
        updates, pairs, agencies = seed(db, active_kb(), args.weeks)
        seeded = time.perf_counter() - t
        db.dispose()
        print(
            f"machine: {platform.machine()}, Python {platform.python_version()}, database:"
            f" {db.engine.url.get_backend_name()}"
        )
        print(
            f"load: {agencies} agencies on the board, {pairs} (agency, indicator) pairs, {updates}"
            f" progress updates ({args.weeks} weeks), seeded in {seeded:.1f} s"
        )
        sys.stdout.flush()
        return subprocess.run([sys.executable, __file__, "--measure", url], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
