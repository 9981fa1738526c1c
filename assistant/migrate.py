"""Moving feedback between databases: `python -m assistant.migrate FROM_URL TO_URL`.

The app creates missing tables itself (`create_all`) and never alters existing ones. This
command is the migration path:

* from the single-machine SQLite file to a shared PostgreSQL when scaling out
  (`sqlite:///data/feedback.sqlite3` to `postgresql+psycopg://user:pw@host/db`);
* from the first release's `feedback` table (one table for residents' ratings and staff flags)
  to today's `votes` and `flags`.

It copies votes and flags (never staff sessions: people log in again), skips rows already in
the target (a vote by its answer id, a flag by its time, author and note), and prints counts.
"""

from __future__ import annotations

import argparse
import logging
import sys

import sqlalchemy as sa

from assistant.feedback import FLAGS, METADATA, VOTES

log = logging.getLogger(__name__)
LEGACY = "feedback"  # the first release's table: source 'resident' or 'staff'


def copy_feedback(source_url: str, target_url: str) -> dict[str, int]:
    """Copy votes and flags (and legacy rows) from one database to another; returns counts."""
    source, target = sa.create_engine(source_url), sa.create_engine(target_url)
    try:
        METADATA.create_all(target)
        tables = set(sa.inspect(source).get_table_names())
        with source.connect() as src:
            votes = [dict(r._mapping) for r in src.execute(sa.select(*VOTES.c))] if "votes" in tables else []
            flags = [dict(r._mapping) for r in src.execute(sa.select(*FLAGS.c))] if "flags" in tables else []
            if LEGACY in tables:
                legacy = [dict(r._mapping) for r in src.execute(sa.text(f"SELECT * FROM {LEGACY}"))]
                votes += [_legacy_vote(r) for r in legacy if r["source"] == "resident" and r["rating"]]
                flags += [_legacy_flag(r) for r in legacy if r["source"] == "staff"]
        with target.begin() as db:
            return {"votes": _insert_votes(db, votes), "flags": _insert_flags(db, flags)}
    finally:
        source.dispose()
        target.dispose()


def _legacy_vote(row: dict) -> dict:
    return {
        "answer_id": f"legacy-{row['id']}", "created": row["created"], "rating": 1 if row["rating"] > 0 else -1,
        "rule": row.get("rule", ""), "chunk_ids": row.get("chunk_ids", ""), "language": row.get("language", ""),
        "index_version": "",
    }  # fmt: skip


def _legacy_flag(row: dict) -> dict:
    return {
        "created": row["created"], "staff": "", "question": row.get("question", ""), "answer": "",
        "note": row.get("note") or "(no note)", "rule": row.get("rule", ""), "chunk_ids": row.get("chunk_ids", ""),
        "language": row.get("language", ""), "index_version": "", "status": "open",
    }  # fmt: skip


def _insert_votes(db: sa.Connection, rows: list[dict]) -> int:
    have = set(db.execute(sa.select(VOTES.c.answer_id)).scalars())
    new = [{k: v for k, v in r.items() if k != "id"} for r in rows if r["answer_id"] not in have]
    if new:
        db.execute(sa.insert(VOTES), new)
    return len(new)


def _insert_flags(db: sa.Connection, rows: list[dict]) -> int:
    have = {tuple(r) for r in db.execute(sa.select(FLAGS.c.created, FLAGS.c.staff, FLAGS.c.note))}
    new = [{k: v for k, v in r.items() if k != "id"} for r in rows if (r["created"], r["staff"], r["note"]) not in have]
    if new:
        db.execute(sa.insert(FLAGS), new)
    return len(new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.migrate", description=__doc__.splitlines()[0])
    parser.add_argument("source", help="SQLAlchemy URL to copy from, e.g. sqlite:///data/feedback.sqlite3")
    parser.add_argument("target", help="SQLAlchemy URL to copy to, e.g. postgresql+psycopg://user:pw@host/db")
    args = parser.parse_args(argv)
    counts = copy_feedback(args.source, args.target)
    sys.stdout.write(f"copied {counts['votes']} votes and {counts['flags']} flags\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
