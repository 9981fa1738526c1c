"""Residents' words are never written to logs (formatted, at DEBUG), files or Chroma."""

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
    for number, message in enumerate(SECRETS):
        result = assistant.ask(message)
        chunks = [c for cit in result.citations for c in cit.chunk_ids]
        store.vote(f"answer-{number}", False, result.rule, chunks, result.language, result.index_version)
        assistant.ask(message + " " + "x" * 3000)  # the too-long path
    assert "answered rule=" in caplog.text  # the logs do hold flags and timings
    for word in ("Zyxwvut", "Quorra"):
        assert word not in caplog.text
    for path in kb_settings.data_dir.rglob("*"):
        if path.is_file():
            assert b"Zyxwvut" not in path.read_bytes(), path


def test_an_error_is_logged_without_the_message_or_a_traceback_at_debug(kb_settings, caplog, monkeypatch):
    from assistant.answering import Assistant

    helper = Assistant(kb_settings)

    def broken():
        raise ValueError("Zyxwvut in the exception text")

    monkeypatch.setattr(helper.holder, "get", broken)
    caplog.set_level(logging.DEBUG)
    helper.ask("Zyxwvut asks about narcan")
    assert "answer failed: ValueError" in caplog.text
    assert "Zyxwvut" not in caplog.text and "Traceback" not in caplog.text
