"""Feedback store: one vote per answer that can change or be undone, staff flags kept apart,
a status per flag, counts per document, and a CSV that opens right in a spreadsheet."""

from __future__ import annotations

import csv
import io
import time

import pytest

from assistant.feedback import FeedbackStore, safe_cell, to_csv
from assistant.staff import PER_DOCUMENT_HEADERS, per_document_rows


def test_a_vote_replaces_the_previous_one_and_undo_removes_it(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.vote("answer-1", True, "answer", ["law-selling-sex#0"], "en", "kb-1")
    store.vote("answer-1", False, "answer", ["law-selling-sex#0"], "en", "kb-1")
    assert [v.rating for v in store.votes()] == [-1]
    store.vote("answer-1", None, "answer", [], "en")
    assert store.votes() == []
    store.vote("answer-2", True, "crisis", [], "es")
    vote = store.votes()[0]
    assert (vote.rating, vote.rating_text, vote.language) == (1, "helpful", "es")


def test_flags_are_apart_from_votes_and_keep_what_staff_saw(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.vote("answer-1", False, "answer", ["law-selling-sex#1"], "en")
    number = store.flag(
        "is hooking legal", "should mention 364 days", answer="Selling sex is ... [1]", rule="answer",
        chunk_ids=["law-selling-sex#1"], language="en", version="kb-7", staff="ana",
    )  # fmt: skip
    flag = store.get_flag(number)
    assert flag is not None and flag.status == "open" and flag.index_version == "kb-7" and flag.staff == "ana"
    assert flag.answer.startswith("Selling sex") and flag.question == "is hooking legal"
    assert len(store.votes()) == 1 and len(store.flags()) == 1
    store.set_status(number, "fixed")
    assert store.flags(status="open") == [] and store.flags(status="fixed")[0].id == number
    with pytest.raises(ValueError):
        store.flag("q", "   ")


def test_counts_per_document(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.vote("a", False, "answer", ["law-vacatur#2", "law-vacatur#3"], "en")
    store.vote("b", True, "answer", ["help-naloxone#0"], "en")
    store.flag("q", "wrong deadline", chunk_ids=["law-vacatur#2"])
    rows = {r["document"]: r for r in store.per_document()}
    assert rows["law-vacatur"]["not helpful"] == 1 and rows["law-vacatur"]["open flags"] == 1
    assert rows["help-naloxone"]["helpful"] == 1
    assert store.per_document()[0]["document"] == "law-vacatur"
    table = per_document_rows(store.per_document())  # what the console's table shows
    assert PER_DOCUMENT_HEADERS[0] == "document" and table[0] == ["law-vacatur", 0, 1, 1, 0]


def test_feedback_survives_a_restart(tmp_path):
    path = tmp_path / "fb.sqlite3"
    first = FeedbackStore(path)
    first.vote("a", True, "answer", ["a#0", "b#1"], "en")
    first.close()
    assert FeedbackStore(path).votes()[0].chunk_ids == "a#0,b#1"


def test_the_csv_has_a_byte_order_mark_no_cap_and_no_formulas(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    for n in range(600):
        store.flag("¿dónde consigo narcan?", "=HYPERLINK(\"http://x\")" if n == 0 else f"note {n}")
    text = to_csv(store.flags())
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 600
    assert rows[-1]["note"].startswith("'=HYPERLINK") and rows[0]["question"] == "¿dónde consigo narcan?"
    assert [safe_cell(v) for v in ("+1", "-2", "@x", "ok", 3)] == ["'+1", "'-2", "'@x", "ok", 3]


def test_migrate_copies_votes_flags_and_the_first_releases_table_once(tmp_path):
    import sqlite3

    from assistant.migrate import copy_feedback, main

    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as db:  # the first release's single table
        db.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY, created TEXT, source TEXT, rating INTEGER, rule TEXT,"
            " chunk_ids TEXT, language TEXT, question TEXT, note TEXT)"
        )
        db.executemany(
            "INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (1, "2026-10-01T10:00:00", "resident", 1, "answer", "law-selling-sex#0", "en", "", ""),
                (2, "2026-10-01T11:00:00", "resident", 0, "answer", "", "en", "", ""),
                (3, "2026-10-02T09:00:00", "staff", -1, "answer", "svc-211#0", "es", "q", "wrong section"),
            ],
        )
    FeedbackStore(old).vote("answer-9", False, "crisis", ["help-overdose#0"], "en", "kb-1")
    target = f"sqlite:///{tmp_path / 'new.sqlite3'}"

    assert copy_feedback(f"sqlite:///{old}", target) == {"votes": 2, "flags": 1}
    assert main([f"sqlite:///{old}", target]) == 0  # a second run copies nothing twice
    store = FeedbackStore(tmp_path / "unused.sqlite3", target)
    assert sorted(v.answer_id for v in store.votes()) == ["answer-9", "legacy-1"]
    assert [(f.note, f.status, f.chunk_ids) for f in store.flags()] == [("wrong section", "open", "svc-211#0")]


def test_replicas_creating_the_tables_at_once_on_postgres_all_start(postgres_url, tmp_path):
    """Eight stores created together on one empty Postgres: none dies on CREATE TABLE (two replicas
    starting together used to: UniqueViolation on pg_type), and all share one set of tables."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        stores = list(pool.map(lambda _: FeedbackStore(tmp_path / "unused", postgres_url), range(8)))
    stores[0].vote("a1", True, "answer", ["doc#0"], "en")
    assert len(stores[-1].votes()) == 1
    for store in stores:
        store.close()


def test_replicas_creating_the_staff_sessions_table_at_once_on_postgres_all_start(postgres_url):
    """The staff sessions table is created the same way (a fresh clone's CI run lost a replica to
    the same UniqueViolation on pg_type, on staff_sessions, while both cores were busy)."""
    from concurrent.futures import ThreadPoolExecutor

    import sqlalchemy as sa

    from assistant.staff_auth import Sessions

    engines = [sa.create_engine(postgres_url) for _ in range(8)]
    for _ in range(10):  # the race needs the CREATE TABLEs to overlap: try it ten times on an empty database
        with engines[0].begin() as db:
            db.execute(sa.text("DROP TABLE IF EXISTS staff_sessions"))
        with ThreadPoolExecutor(8) as pool:
            sessions = list(pool.map(Sessions, engines))
    sessions[0].add("token", "staff", time.time() + 60)
    assert sessions[-1].user("token") == "staff"
    for engine in engines:
        engine.dispose()
