"""Feedback store: ratings without text, staff flags with a note, survives a restart, CSV."""

from __future__ import annotations

import csv
import io

import pytest

from assistant.feedback import FeedbackStore


def test_ratings_store_no_text_and_flags_store_the_staff_question(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.rate(True, "answer", ["law-selling-sex#0"], "en")
    store.rate(False, "crisis", [], "es")
    store.flag("is hooking legal", "should mention 364 days", "answer", ["law-selling-sex#1"], "en")
    rows = store.list()
    assert [(r.source, r.rating) for r in rows] == [("staff", -1), ("resident", -1), ("resident", 1)]
    assert all(r.question == "" and r.note == "" for r in rows if r.source == "resident")
    assert rows[0].question == "is hooking legal" and rows[0].note == "should mention 364 days"
    assert [r.rating for r in store.list(source="resident", rating=1)] == [1]
    with pytest.raises(ValueError):
        store.flag("q", "   ", "answer", [], "en")


def test_feedback_survives_a_restart_and_exports_as_csv(tmp_path):
    path = tmp_path / "fb.sqlite3"
    first = FeedbackStore(path)
    first.rate(True, "answer", ["a#0", "b#1"], "en")
    first.close()
    again = FeedbackStore(path)
    rows = again.list()
    assert len(rows) == 1 and rows[0].chunk_ids == "a#0,b#1"
    table = list(csv.DictReader(io.StringIO(again.to_csv(rows))))
    assert table[0]["rating"] == "1" and table[0]["chunk_ids"] == "a#0,b#1" and table[0]["source"] == "resident"
