"""Scale benchmark: `python -m bench.scale` (part of `make bench`).

Generates synthetic knowledge bases of 100, 1,000 and 10,000 documents on the fly (sentences
of the real documents, recombined; nothing is committed), and for each size, in a fresh
process: ingest time and chunks/s, the model's own embedding time in the same run (the
reference: everything beyond it is overhead), unchanged re-ingest time, query p50/p95, the
single-query embedding time, and peak RSS. Writes the table to reports/benchmarks-scale.md
(docs/benchmarks.md is the curated record, with notes on each run).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from assistant.config import ROOT, Settings, get_settings, load_settings
from bench.answer import peak_rss_mb, percentile, time_answers

SIZES = (100, 1000, 10000)
TARGETS = "ingest 1,000 docs < 120 s; ingest <= 1.25x embedding; query p50 <= 2x embed at 1,000, <= 3x at 10,000"


def real_sentences() -> list[str]:
    from assistant.chunking import chunk_document
    from assistant.directory import load_directory
    from assistant.schema import load_documents

    folder = get_settings().knowledge_dir
    docs, _ = load_documents(folder, load_directory(folder / "directory.yaml"))
    english = [d for d in docs if d.language == "en" and d.status == "verified"]
    return [s for d in english for c in chunk_document(d) for s in c.sentences if len(s) > 40]


def write_corpus(folder: Path, count: int, seed: int = 7) -> None:
    """`count` documents of 4-6 sections of 3-5 real sentences each (about 400 characters)."""
    pool = real_sentences()
    rng = random.Random(seed)
    source = get_settings().knowledge_dir
    folder.mkdir(parents=True)
    shutil.copy(source / "directory.yaml", folder / "directory.yaml")
    shutil.copy(source / "synonyms.yaml", folder / "synonyms.yaml")
    for number in range(count):
        sections = []
        for part in range(rng.randint(4, 6)):
            sentences = " ".join(rng.sample(pool, rng.randint(3, 5)))
            sections.append(f"## Question {part} of synthetic document {number}?\n\n{sentences}\n")
        front = {
            "id": f"synthetic-{number}",
            "title": f"Synthetic document {number}",
            "topics": ["synthetic"],
            "language": "en",
            "status": "verified",
            "sources": [{"title": "Synthetic", "url": "https://example.org/synthetic"}],
            "last_verified": "2026-01-01",
            "review_by": "2099-01-01",
        }
        text = f"---\n{yaml.safe_dump(front, sort_keys=False)}---\n\n# Synthetic document {number}\n\n"
        (folder / f"synthetic-{number}.md").write_text(text + "\n".join(sections), encoding="utf-8")


def ingest_phase(count: int, base: Path) -> dict[str, float]:
    """Make the corpus and ingest it (a fresh process: its peak RSS is the ingest's)."""
    from ingest import run_ingest

    write_corpus(base / "knowledge", count)
    settings = _settings(base)
    start = time.perf_counter()
    report = run_ingest(settings, show_progress=False)
    ingest_s = time.perf_counter() - start
    start = time.perf_counter()
    again = run_ingest(settings, show_progress=False)
    unchanged_s = time.perf_counter() - start
    assert again.unchanged
    return {
        "documents": count,
        "chunks": report.chunks,
        "ingest_s": ingest_s,
        "chunks_per_s": report.chunks / ingest_s,
        "embed_s": report.embed_seconds,
        "overhead_ratio": ingest_s / report.embed_seconds,
        "unchanged_s": unchanged_s,
        "ingest_rss_mb": peak_rss_mb(),
    }


def serve_phase(base: Path, questions: int) -> dict[str, float]:
    """Load the built index as the app does and answer questions (a fresh process)."""
    from assistant.answering import Assistant

    assistant = Assistant(_settings(base))
    assistant.warm_up()
    golden = yaml.safe_load((ROOT / "knowledge" / "eval" / "dev" / "golden.yaml").read_text("utf-8"))["questions"]
    asked = [(str(q["q"]), "en") for q in golden if q.get("language", "en") == "en"][:questions]
    embed_ms, latencies, _ = time_answers(assistant, asked)
    return {
        "embed_ms": embed_ms,
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 95),
        "serve_rss_mb": peak_rss_mb(),
    }


def _settings(base: Path) -> Settings:
    return dataclasses.replace(
        load_settings(), knowledge_dir=base / "knowledge", data_dir=base / "data", cache_dir=ROOT / ".cache"
    )


def _child(*args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "bench.scale", *args], capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(done.returncode)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def one_size(count: int, questions: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        row = _child("--phase", "ingest", "--size", str(count), "--dir", tmp)
        row.update(_child("--phase", "serve", "--dir", tmp, "--questions", str(questions)))
    return row


def table(rows: list[dict[str, float]]) -> str:
    head = (
        "| documents | chunks | ingest (s) | chunks/s | model embedding (s) | ingest / embedding "
        "| unchanged re-ingest (s) | query p50 (ms) | query p95 (ms) | 1-query embedding (ms) "
        "| p50 / embedding | peak RSS ingest (MB) | peak RSS serving (MB) |\n|" + "---|" * 13
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['documents']:,.0f} | {r['chunks']:,.0f} | {r['ingest_s']:.1f} | {r['chunks_per_s']:.1f} "
            f"| {r['embed_s']:.1f} | {r['overhead_ratio']:.2f} | {r['unchanged_s']:.2f} | {r['p50_ms']:.1f} "
            f"| {r['p95_ms']:.1f} | {r['embed_ms']:.1f} | {r['p50_ms'] / r['embed_ms']:.2f} "
            f"| {r['ingest_rss_mb']:.0f} | {r['serve_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


def write_markdown(rows: list[dict[str, float]], path: Path) -> None:
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    import os

    text = (
        "# Benchmarks\n\n"
        f"Measured {dt.date.today().isoformat()} by `make bench` (`python -m bench.scale`) on this "
        f"machine: {os.cpu_count()} CPU cores, no GPU, {machine}. Each size ran in a fresh process on a "
        "synthetic knowledge base made on the fly from the real documents' sentences.\n\n"
        f"Targets: {TARGETS}; RSS <= 1.5 GB at 10,000.\n\n{table(rows)}\n\n"
        "\"model embedding\" is the time spent inside the embedding model during that same ingest; "
        "\"ingest / embedding\" is the whole ingest divided by it (1.00 would be no overhead at all).\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--phase", choices=["ingest", "serve"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "benchmarks-scale.md")
    args = parser.parse_args(argv)
    if args.phase == "ingest":
        sys.stdout.write(json.dumps(ingest_phase(args.size, args.dir)) + "\n")
        return 0
    if args.phase == "serve":
        sys.stdout.write(json.dumps(serve_phase(args.dir, args.questions)) + "\n")
        return 0
    rows = []
    for size in args.sizes:
        rows.append(one_size(size, args.questions))
        sys.stdout.write(f"{size} documents done\n")
        sys.stdout.flush()
    sys.stdout.write(table(rows) + "\n")
    write_markdown(rows, args.out)
    sys.stdout.write(f"wrote {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
