"""Answer-path benchmark: `python -m bench.answer` (part of `make bench`).

Loads the served index once and prints, for 200 varied questions (English and Spanish, from
the dev split), p50/p95 answer latency in-process, the embedding time of one query measured in
the same run, the crisis detector's own time, the cold start (a fresh process from start to
its first answer) and the peak RSS. Figures only: no pass/fail asserts, but each line says
whether the target is met.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from assistant.config import get_settings

TARGETS = {"p50_ratio": 2.5, "p95_ms": 100.0, "crisis_ms": 3.0, "cold_start_s": 15.0, "rss_mb": 1536.0}
EXTRA = [
    "narcan", "john", "pimp", "got arrested for hooking", "detox", "what is 988", "211",
    "is it legal to sell sex in ct", "can my record be erased", "thread city", "weather tomorrow",
]


def questions(limit: int = 200) -> list[tuple[str, str]]:
    """(question, page language) from the dev split, English and Spanish."""
    folder = get_settings().knowledge_dir / "eval" / "dev"
    items = [
        (str(q["q"]), str(q.get("language") or "en"))
        for name in ("golden.yaml", "fresh.yaml")
        for q in yaml.safe_load((folder / name).read_text("utf-8"))["questions"]
    ]
    pool = [(q, "en") for q in EXTRA] + items
    return (pool * (limit // len(pool) + 1))[:limit]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def first_answer() -> None:
    """Child process of the cold-start measure: load everything, answer one question."""
    from assistant.answering import Assistant

    Assistant(get_settings()).ask("Where can I get Narcan?")


def cold_start() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bench.answer", "--first-answer"], check=True, capture_output=True)
    return time.perf_counter() - start


def time_answers(assistant: Any, asked: list[tuple[str, str]]) -> tuple[float, list[float], list[float]]:
    """Median single-query embedding time (ms), the latency (ms) of each answer, and the crisis
    detector's time (ms) within each answer."""
    embed_times = []
    for _ in range(50):
        start = time.perf_counter()
        assistant.embed("where can i get narcan in willimantic")
        embed_times.append((time.perf_counter() - start) * 1000)
    latencies, crisis = [], []
    for question, language in asked:
        start = time.perf_counter()
        result = assistant.ask(question, hint=language)
        latencies.append((time.perf_counter() - start) * 1000)
        crisis.append(result.timings.get("crisis", 0.0))
    return statistics.median(embed_times), latencies, crisis


def measure(count: int) -> dict[str, float]:
    from assistant.answering import Assistant

    assistant = Assistant(get_settings())
    assistant.warm_up()
    embed_ms, latencies, crisis = time_answers(assistant, questions(count))
    p50 = statistics.median(latencies)
    return {
        "questions": count,
        "embed_ms": embed_ms,
        "p50_ms": p50,
        "p95_ms": percentile(latencies, 95),
        "p50_ratio": p50 / embed_ms,
        "crisis_ms": statistics.median(crisis),
        "rss_mb": peak_rss_mb(),
    }


def report(figures: dict[str, float]) -> str:
    def mark(ok: bool) -> str:
        return "meets target" if ok else "MISSES target"

    return "\n".join(
        [
            f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}",
            f"single-query embedding (median of 50): {figures['embed_ms']:.2f} ms",
            f"answer latency over {figures['questions']:.0f} questions: p50 {figures['p50_ms']:.2f} ms, "
            f"p95 {figures['p95_ms']:.2f} ms",
            f"p50 / embedding = {figures['p50_ratio']:.2f} (target <= {TARGETS['p50_ratio']}): "
            + mark(figures["p50_ratio"] <= TARGETS["p50_ratio"]),
            f"p95 {figures['p95_ms']:.1f} ms (target <= {TARGETS['p95_ms']:.0f} ms): "
            + mark(figures["p95_ms"] <= TARGETS["p95_ms"]),
            f"crisis detection p50 {figures['crisis_ms']:.2f} ms beyond the embedding "
            f"(target <= {TARGETS['crisis_ms']:.0f} ms): " + mark(figures["crisis_ms"] <= TARGETS["crisis_ms"]),
            f"cold start to first answer: {figures['cold_start_s']:.1f} s (target <= {TARGETS['cold_start_s']:.0f} s): "
            + mark(figures["cold_start_s"] <= TARGETS["cold_start_s"]),
            f"peak RSS: {figures['rss_mb']:.0f} MB (target <= {TARGETS['rss_mb']:.0f} MB): "
            + mark(figures["rss_mb"] <= TARGETS["rss_mb"]),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.answer", description=__doc__)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--first-answer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.first_answer:
        first_answer()
        return 0
    figures = {"cold_start_s": cold_start()}
    figures.update(measure(args.questions))
    sys.stdout.write(report(figures) + "\n")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
