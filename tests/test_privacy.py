"""Residents' words are never written to logs, files or Chroma."""

from __future__ import annotations

import logging

from assistant.feedback import FeedbackStore

SECRETS = [
    "my name is Zyxwvut Quorra and my pimp hurts me right now",
    "Zyxwvut lives at 99 Quorra Lane, where can I get narcan",
    "quiero matarme, soy Zyxwvut Quorra",
]


def test_messages_never_reach_the_logs_or_disk(assistant, kb_settings, caplog):
    caplog.set_level(logging.DEBUG)
    store = FeedbackStore(kb_settings.feedback_db)
    for message in SECRETS:
        result = assistant.ask(message)
        store.rate(False, result.rule, [c for cit in result.citations for c in cit.chunk_ids], result.language)
        assistant.ask(message + " " + "x" * 3000)  # the too-long path
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "answered rule=" in logged  # the logs do hold flags and timings
    for word in ("Zyxwvut", "Quorra"):
        assert word not in logged
    for path in kb_settings.data_dir.rglob("*"):
        if path.is_file():
            assert b"Zyxwvut" not in path.read_bytes(), path


def test_an_error_is_logged_without_the_message(kb_settings, caplog, monkeypatch):
    from assistant.pipeline import Assistant

    helper = Assistant(kb_settings)

    def broken():
        raise ValueError("Zyxwvut in the exception text")

    monkeypatch.setattr(helper.holder, "get", broken)
    caplog.set_level(logging.DEBUG)
    helper.ask("Zyxwvut asks about narcan")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "answer failed: ValueError" in logged
    assert "Zyxwvut" not in logged
