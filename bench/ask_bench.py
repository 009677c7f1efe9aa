"""Question-answering latency and knowledge-base load time (a benchmark, not a test).

    python bench/ask_bench.py [--repeat 50]

Answers the dev questions (../shared/eval/dev_questions.jsonl) in-process, repeated, on the
shipped knowledge base and on a synthetic one ten times larger (agencies, aliases, indicators),
and prints p50/p99 per question (engine + rendering) and the load time (parse, validate, index).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

try:
    import resource
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app.i18n import Translations  # noqa: E402
from bot.core.render import render  # noqa: E402
from kb.ask.engine import Engine  # noqa: E402
from kb.index import KbIndex  # noqa: E402
from kb.loader import load, read_sources  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"
FALLBACK_QUESTIONS = [
    {"q": "Sở Xây dựng chủ trì chỉ số nào"},
    {"q": "ai chủ trì chỉ số 1.5"},
    {"q": "hạn báo cáo khi nào"},
    {"q": "CSTP 1 năm 2023 bao nhiêu điểm"},
    {"q": "cong an tinh phoi hop chi so nao"},
    {"q": "giá vàng hôm nay"},
]


class _NoAliases(yaml.SafeDumper):
    """Values written out in full: the loader refuses YAML anchors and aliases (a shared row
    would be one)."""

    def ignore_aliases(self, data):
        return True


def questions() -> list[dict]:
    if DEV.exists():
        return [
            json.loads(line)
            for line in DEV.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    return FALLBACK_QUESTIONS


def synthetic_sources(factor: int = 10) -> dict[str, str]:
    """The shipped KB grown ``factor`` times: agencies (with aliases) and current-plan
    indicators."""
    rng = random.Random(7)
    src = read_sources()
    registry = yaml.safe_load(src["agencies.yaml"])
    plan = yaml.safe_load(src["plan_18_kh_ubnd_2026.yaml"])
    base = [a for a in registry["agencies"] if a["type"] != "group" and not a.get("succeeded_by")]
    extra = []
    for k in range(2, factor + 1):
        for a in registry["agencies"]:
            if a["type"] == "group":
                continue
            copy = dict(
                a,
                id=f"{a['id']}-k{k}",
                name=f"{a['name']} khu vực {k}",
                aliases=[f"{al} khu vực {k}" for al in a.get("aliases", [])],
            )
            if copy.get("succeeded_by"):
                copy["succeeded_by"] = f"{copy['succeeded_by']}-k{k}"
            extra.append(copy)
    registry["agencies"].extend(extra)
    names = [a["name"] for a in base] + [a["name"] for a in extra if not a.get("succeeded_by")]
    for comp in plan["components"]:
        originals = list(comp["indicators"])
        item = len(originals)
        for k in range(2, factor + 1):
            for ind in originals:
                item += 1
                new = dict(
                    ind, code=f"{comp['code']}.{item}", name=f"{ind['name']} — phân nhóm {k}"
                )
                new["lead"] = [{"agency": rng.choice(names)}] + list(ind["lead"])[:1]
                new["coordinate"] = [{"agency": n} for n in rng.sample(names, 4)] + list(
                    ind.get("coordinate", [])
                )
                comp["indicators"].append(new)
    src = dict(src)
    src["agencies.yaml"] = yaml.dump(
        registry, Dumper=_NoAliases, allow_unicode=True, sort_keys=False
    )
    src["plan_18_kh_ubnd_2026.yaml"] = yaml.dump(
        plan, Dumper=_NoAliases, allow_unicode=True, sort_keys=False
    )
    return src


INDEX_BUILD: list[
    float
] = []  # index + engine (topic and BM25 text indexes) per load, once per KB version


def timed_load(sources: dict[str, str], rounds: int = 5) -> tuple[float, Engine, dict]:
    best = float("inf")
    engine = None
    kb = None
    INDEX_BUILD.clear()
    for _ in range(rounds):
        t0 = time.perf_counter()
        kb = load(sources)
        t1 = time.perf_counter()
        engine = Engine(KbIndex(kb))
        INDEX_BUILD.append(time.perf_counter() - t1)
        best = min(best, time.perf_counter() - t0)
    assert engine is not None and kb is not None
    return best, engine, dict(kb.agencies)


class GcWatch:
    """Garbage collections (per generation) and their pauses while the questions are answered."""

    def __init__(self) -> None:
        self.count = [0, 0, 0]
        self.pauses: list[float] = []
        self._t0 = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
        else:
            self.count[info["generation"]] += 1
            self.pauses.append(time.perf_counter() - self._t0)

    def __enter__(self) -> GcWatch:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self)


def _preemptions() -> int:
    """Involuntary context switches of this thread so far (Linux; 0 where unknown)."""
    who = getattr(resource, "RUSAGE_THREAD", None) if resource is not None else None
    return resource.getrusage(who).ru_nivcsw if who is not None else 0


def latency(
    engine: Engine,
    agencies: dict,
    rows: list[dict],
    repeat: int,
    cpu: list[float] | None = None,
    preempted: list[bool] | None = None,
) -> list[float]:
    """Wall-clock time per question (what the targets are about). ``cpu`` gets this thread's CPU
    time per question too, which excludes the time the process waited for a CPU on a busy
    machine, and ``preempted`` whether the scheduler took the CPU away during the question."""
    tr = Translations()
    out = []
    for _ in range(repeat):
        for row in rows:
            today = date.fromisoformat(row["now"]) if row.get("now") else date(2026, 11, 22)
            n0 = _preemptions() if preempted is not None else 0
            c0 = time.thread_time()
            t0 = time.perf_counter()
            ans = engine.answer(row["q"], as_agency=row.get("as"), today=today)
            render(ans, tr.get(row.get("lang")), agencies)
            out.append(time.perf_counter() - t0)
            if cpu is not None:
                cpu.append(time.thread_time() - c0)
            if preempted is not None:
                preempted.append(_preemptions() > n0)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    rows = questions()
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python"
        f" {platform.python_version()}"
    )
    for label, sources in (
        ("shipped KB", read_sources()),
        ("synthetic KB x10", synthetic_sources()),
    ):
        load_s, engine, agencies = timed_load(sources)
        kb_counts = engine.index.kb.counts()
        cold = latency(
            engine, agencies, rows, 1
        )  # first pass: per-agency role tables not yet cached
        cpu: list[float] = []
        preempted: list[bool] = []
        load_before = os.getloadavg()[0]
        with GcWatch() as gcw:
            lat = latency(engine, agencies, rows, args.repeat, cpu, preempted)
        slow = [p for t, p in zip(lat, preempted, strict=True) if t > 0.002]
        print(
            f"{label}: {kb_counts['agencies']} agencies, {len(engine.index.alias_keys)} aliases, "
            f"{kb_counts['indicators']} indicators"
        )
        print(
            f"  load (parse + validate + index), best of 5: {load_s * 1000:.1f} ms; of which the"
            " indexes (aliases, topics, BM25 text index), best of 5:"
            f" {min(INDEX_BUILD) * 1000:.1f} ms"
        )
        print(
            f"  first pass (cold), {len(cold)} questions: p50 {pct(cold, 50) * 1000:.2f} ms, p99"
            f" {pct(cold, 99) * 1000:.2f} ms"
        )
        print(
            f"  answer + render, {len(lat)} questions: p50 {pct(lat, 50) * 1000:.2f} ms, p99"
            f" {pct(lat, 99) * 1000:.2f} ms, max {max(lat) * 1000:.2f} ms, mean"
            f" {statistics.mean(lat) * 1000:.2f} ms"
        )
        print(
            f"    same questions, CPU time of this thread: p50 {pct(cpu, 50) * 1000:.2f} ms, p99"
            f" {pct(cpu, 99) * 1000:.2f} ms, max {max(cpu) * 1000:.2f} ms (wall time above it is"
            " time spent waiting for a CPU)"
        )
        print(
            f"    preempted by the scheduler during {sum(preempted)} of {len(lat)} questions; of"
            f" the {len(slow)} over 2 ms, {sum(slow)} were preempted"
        )
        print(
            f"    gc during those questions: {gcw.count[0]}/{gcw.count[1]}/{gcw.count[2]}"
            f" collections (gen 0/1/2), longest pause {max(gcw.pauses, default=0) * 1000:.2f} ms;"
            f" load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after,"
            f" {os.cpu_count()} CPUs"
        )


if __name__ == "__main__":
    main()
