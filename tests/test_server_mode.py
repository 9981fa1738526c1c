"""Chroma as a server: `chroma run` on a free loopback port; ingest and answer through it."""

from __future__ import annotations

import dataclasses

import pytest

from assistant import store
from assistant.answering import Assistant
from ingest import run_ingest

pytestmark = pytest.mark.server


def test_ingest_and_answer_through_a_chroma_server(tiny_kb, embeddings, chroma_server, tmp_path):
    settings = dataclasses.replace(tiny_kb(), chroma_host="127.0.0.1", chroma_port=chroma_server)
    report = run_ingest(settings, show_progress=False)
    assert report.chunks == 4
    assert not (settings.data_dir / "chroma").exists()  # nothing embedded on local disk
    assert (tmp_path / "server").exists()
    assert not (settings.data_dir / "versions").exists()  # the chunk table, vectors and manifest too
    result = Assistant(settings).ask("Is selling sex a crime?")
    assert result.rule == "answer" and "53a-82" in result.answer
    assert result.citations[0].doc_id == "selling"
    again = run_ingest(settings, force=True, show_progress=False)
    assert (again.added, again.skipped) == (0, 4)  # nothing re-embedded, with no record file anywhere
    assert store.versions(settings).names() == [report.version, again.version]


def test_a_replica_waits_for_a_version_and_never_ingests(tiny_kb, chroma_server):
    from assistant.errors import IndexNotReady

    settings = dataclasses.replace(tiny_kb(), chroma_host="127.0.0.1", chroma_port=chroma_server)
    helper = Assistant(settings)
    with pytest.raises(IndexNotReady):
        helper.holder.wait_for_version(seconds=0.5)
    assert store.versions(settings).names() == []


def test_two_ingests_at_once_cannot_both_switch(tiny_kb, chroma_server):
    from assistant.errors import IngestBusy

    settings = dataclasses.replace(tiny_kb(), chroma_host="127.0.0.1", chroma_port=chroma_server)
    first, second = store.versions(settings), store.versions(settings)
    with first.lock(), pytest.raises(IngestBusy, match="another ingest is running"), second.lock(0.5):
        pass
