"""Feedback in SQLite: residents' thumbs up/down (never their words) and staff flags.

A resident's rating stores the time, the rating, the rule that fired and the chunk ids that
were cited. Only a flag that staff submit from the console stores a question and a note,
because staff typed them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('resident', 'staff')),
    rating INTEGER NOT NULL CHECK (rating IN (-1, 0, 1)),
    rule TEXT NOT NULL DEFAULT '',
    chunk_ids TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
)
"""
COLUMNS = ("id", "created", "source", "rating", "rule", "chunk_ids", "language", "question", "note")


@dataclass(frozen=True)
class Feedback:
    id: int
    created: str
    source: str
    rating: int
    rule: str
    chunk_ids: str
    language: str
    question: str
    note: str


class FeedbackStore:
    """A small SQLite store; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute(SCHEMA)

    def rate(self, liked: bool, rule: str, chunk_ids: list[str], language: str) -> int:
        """A resident's thumbs up/down. Takes no text by design."""
        return self._insert("resident", 1 if liked else -1, rule, chunk_ids, language, "", "")

    def flag(self, question: str, note: str, rule: str, chunk_ids: list[str], language: str) -> int:
        """A staff member flags an answer with a correction note."""
        if not note.strip():
            raise ValueError("a flag needs a note saying what is wrong")
        return self._insert("staff", -1, rule, chunk_ids, language, question.strip(), note.strip())

    def _insert(
        self, source: str, rating: int, rule: str, chunk_ids: list[str], language: str, question: str, note: str
    ) -> int:
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO feedback (created, source, rating, rule, chunk_ids, language, question, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (created, source, rating, rule, ",".join(chunk_ids), language, question, note),
            )
        return int(cursor.lastrowid or 0)

    def list(self, source: str | None = None, rating: int | None = None, limit: int = 500) -> list[Feedback]:
        sql = f"SELECT {', '.join(COLUMNS)} FROM feedback WHERE 1 = 1"
        args: list[object] = []
        if source:
            sql += " AND source = ?"
            args.append(source)
        if rating is not None:
            sql += " AND rating = ?"
            args.append(rating)
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(limit)
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [Feedback(*row) for row in rows]

    def to_csv(self, rows: Sequence[Feedback]) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(asdict(row))
        return out.getvalue()

    def close(self) -> None:
        self._db.close()
