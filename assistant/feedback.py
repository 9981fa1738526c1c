"""Feedback: residents' votes (never their words) and staff flags, through SQLAlchemy.

SQLite by default (ASSISTANT_FEEDBACK_DB); a PostgreSQL URL in ASSISTANT_DATABASE_URL lets
several app replicas share it. The schema is created by the app (`create_all`).

* A resident's vote belongs to one answer (an id made when the answer is shown): voting again
  replaces it, undoing removes it. It stores the rating, the rule, the cited chunk ids, the
  language and the index version.
* A staff flag stores the question and the answer as staff saw them (staff typed the
  question), a note, the index version and an open/fixed status. Flags are never mixed with
  residents' votes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

METADATA = sa.MetaData()
VOTES = sa.Table(
    "votes",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("answer_id", sa.String(64), nullable=False, unique=True),
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("rating", sa.Integer, sa.CheckConstraint("rating IN (-1, 1)"), nullable=False),
    sa.Column("rule", sa.String(32), nullable=False, server_default=""),
    sa.Column("chunk_ids", sa.Text, nullable=False, server_default=""),
    sa.Column("language", sa.String(8), nullable=False, server_default=""),
    sa.Column("index_version", sa.String(64), nullable=False, server_default=""),
)
FLAGS = sa.Table(
    "flags",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("staff", sa.String(120), nullable=False, server_default=""),
    sa.Column("question", sa.Text, nullable=False, server_default=""),
    sa.Column("answer", sa.Text, nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("rule", sa.String(32), nullable=False, server_default=""),
    sa.Column("chunk_ids", sa.Text, nullable=False, server_default=""),
    sa.Column("language", sa.String(8), nullable=False, server_default=""),
    sa.Column("index_version", sa.String(64), nullable=False, server_default=""),
    sa.Column("status", sa.String(8), sa.CheckConstraint("status IN ('open', 'fixed')"), server_default="open"),
)
RATINGS = {1: "helpful", -1: "not helpful"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Vote:
    id: int
    answer_id: str
    created: str
    rating: int
    rule: str
    chunk_ids: str
    language: str
    index_version: str

    @property
    def rating_text(self) -> str:
        return RATINGS.get(self.rating, str(self.rating))


@dataclass(frozen=True)
class Flag:
    id: int
    created: str
    staff: str
    question: str
    answer: str
    note: str
    rule: str
    chunk_ids: str
    language: str
    index_version: str
    status: str


SCHEMA_LOCK = 7_373_788  # the Postgres advisory lock replicas take while creating the tables


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def database_url(path: Path, url: str = "") -> str:
    return url or f"sqlite:///{path}"


def create_tables(engine: sa.engine.Engine, metadata: sa.MetaData) -> None:
    """Create the missing tables of `metadata`. Replicas starting together would both CREATE
    TABLE, and the slower one die with a UniqueViolation on pg_type: on Postgres an advisory lock
    makes them take turns (held to the commit)."""
    with engine.begin() as db:
        if db.dialect.name == "postgresql":
            db.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        metadata.create_all(db)


class FeedbackStore:
    """Votes and flags; safe to share between threads (SQLAlchemy's connection pool)."""

    def __init__(self, path: Path, url: str = "") -> None:
        if not url:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(database_url(path, url), future=True)
        create_tables(self.engine, METADATA)

    # -- residents ------------------------------------------------------------------------------

    def vote(
        self, answer_id: str, liked: bool | None, rule: str, chunk_ids: list[str], language: str, version: str = ""
    ) -> None:
        """A resident's vote on one answer; a new vote replaces the old one, None removes it."""
        with self.engine.begin() as db:
            db.execute(sa.delete(VOTES).where(VOTES.c.answer_id == answer_id))
            if liked is None:
                return
            db.execute(
                sa.insert(VOTES).values(
                    answer_id=answer_id, created=_now(), rating=1 if liked else -1, rule=rule,
                    chunk_ids=",".join(chunk_ids), language=language, index_version=version,
                )
            )  # fmt: skip

    def votes(self, rating: int | None = None) -> list[Vote]:
        query = sa.select(*VOTES.c).order_by(VOTES.c.id.desc())
        if rating is not None:
            query = query.where(VOTES.c.rating == rating)
        with self.engine.connect() as db:
            return [Vote(**row._mapping) for row in db.execute(query)]

    # -- staff ----------------------------------------------------------------------------------

    def flag(
        self,
        question: str,
        note: str,
        *,
        answer: str = "",
        rule: str = "",
        chunk_ids: Sequence[str] = (),
        language: str = "",
        version: str = "",
        staff: str = "",
    ) -> int:
        """A staff member flags an answer with a correction note; returns the flag's number."""
        if not note.strip():
            raise ValueError("a flag needs a note saying what is wrong")
        with self.engine.begin() as db:
            result = db.execute(
                sa.insert(FLAGS).values(
                    created=_now(), staff=staff, question=question.strip(), answer=answer, note=note.strip(),
                    rule=rule, chunk_ids=",".join(chunk_ids), language=language, index_version=version,
                    status="open",
                )
            )  # fmt: skip
            key = result.inserted_primary_key
            return int(key[0]) if key else 0

    def set_status(self, flag_id: int, status: str) -> None:
        if status not in ("open", "fixed"):
            raise ValueError(f"unknown status {status!r}")
        with self.engine.begin() as db:
            db.execute(sa.update(FLAGS).where(FLAGS.c.id == flag_id).values(status=status))

    def flags(self, status: str | None = None) -> list[Flag]:
        query = sa.select(*FLAGS.c).order_by(FLAGS.c.id.desc())
        if status:
            query = query.where(FLAGS.c.status == status)
        with self.engine.connect() as db:
            return [Flag(**row._mapping) for row in db.execute(query)]

    def get_flag(self, flag_id: int) -> Flag | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(*FLAGS.c).where(FLAGS.c.id == flag_id)).first()
        return Flag(**row._mapping) if row else None

    # -- reports --------------------------------------------------------------------------------

    def per_document(self) -> list[dict[str, Any]]:
        """Per cited document: helpful and not-helpful votes, open and fixed flags."""
        counts: dict[str, Counter[str]] = {}
        for vote in self.votes():
            for doc in _documents(vote.chunk_ids):
                counts.setdefault(doc, Counter())["helpful" if vote.rating > 0 else "not helpful"] += 1
        for flag in self.flags():
            for doc in _documents(flag.chunk_ids):
                counts.setdefault(doc, Counter())[f"{flag.status} flags"] += 1
        rows = [{"document": doc, **{k: c[k] for k in ("helpful", "not helpful", "open flags", "fixed flags")}}
                for doc, c in counts.items()]  # fmt: skip
        return sorted(rows, key=lambda r: (-r["not helpful"] - r["open flags"], r["document"]))

    def close(self) -> None:
        self.engine.dispose()


def _documents(chunk_ids: str) -> set[str]:
    return {c.split("#")[0] for c in chunk_ids.split(",") if c}


def safe_cell(value: object) -> object:
    """A cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: Iterable[Vote | Flag]) -> str:
    """CSV with a UTF-8 byte-order mark (so "¿dónde" opens right in Excel), formula-safe, uncapped."""
    rows = list(rows)
    out = io.StringIO()
    out.write("\ufeff")
    if rows:
        fields = list(asdict(rows[0]))
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: safe_cell(v) for k, v in asdict(row).items()})
    return out.getvalue()
