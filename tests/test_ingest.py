"""Ingest into a real Chroma in a temp folder: incremental, atomic, never half-written."""

from __future__ import annotations

import pytest

from assistant import store
from assistant.answering import Assistant
from assistant.index import IndexHolder
from ingest import IngestFailed, run_ingest

from .conftest import TINY_DOCS, document


def served_count(settings) -> int:
    version = store.current_version(settings)
    return store.chroma_client(settings).get_collection(version).count()


def test_ingest_builds_an_index_and_a_second_run_changes_nothing(tiny_kb, embeddings):
    settings = tiny_kb()
    first = run_ingest(settings, show_progress=False)
    assert (first.documents, first.chunks, first.added) == (3, 4, 4)
    assert served_count(settings) == 4
    again = run_ingest(settings, show_progress=False)
    assert again.unchanged and again.version == first.version
    (settings.knowledge_dir / "law" / "selling.md").touch()  # a new time, the same content
    touched = run_ingest(settings, show_progress=False)
    assert touched.unchanged and touched.version == first.version and touched.chunks == 4
    forced = run_ingest(settings, force=True, show_progress=False)
    assert forced.version != first.version
    assert (forced.added, forced.skipped, forced.deleted) == (0, 4, 0)
    assert served_count(settings) == 4


def test_a_changed_document_replaces_its_chunks_and_a_deleted_one_is_removed(tiny_kb, embeddings):
    settings = tiny_kb()
    run_ingest(settings, show_progress=False)
    changed = TINY_DOCS["law/buying.md"].replace("is a class A misdemeanor", "is a class A misdemeanor (364 days)")
    settings = tiny_kb({"law/buying.md": changed})
    report = run_ingest(settings, show_progress=False)
    assert (report.added, report.deleted, report.skipped) == (1, 1, 3)
    settings = tiny_kb({"law/buying.md": None})
    report = run_ingest(settings, show_progress=False)
    assert report.deleted == 1 and report.chunks == 3
    assert served_count(settings) == 3
    assert store.read_manifest(settings)["documents"].keys() == {"selling", "narcan"}


def test_a_bad_document_leaves_the_served_index_untouched(tiny_kb, embeddings):
    settings = tiny_kb()
    good = run_ingest(settings, show_progress=False)
    settings = tiny_kb({"law/bad.md": document("bad", "## X\n\nCall 860-456-2261.")})
    with pytest.raises(IngestFailed) as caught:
        run_ingest(settings, show_progress=False)
    assert "law/bad.md:" in str(caught.value) and "456-2261" in str(caught.value)
    assert store.current_version(settings) == good.version
    assert served_count(settings) == 4
    last = (settings.data_dir / "last_ingest.json").read_text()
    assert '"ok": false' in last and "456-2261" in last


def test_a_crash_while_writing_leaves_the_served_index_untouched(tiny_kb, embeddings, monkeypatch):
    settings = tiny_kb()
    good = run_ingest(settings, show_progress=False)
    settings = tiny_kb({"law/new.md": document("new", "## New?\n\nA new section about CGS 53a-86.")})

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("assistant.store.LocalVersions.write", crash)
    with pytest.raises(OSError):
        run_ingest(settings, show_progress=False)
    assert store.current_version(settings) == good.version
    assert store.versions(settings).names() == [good.version]
    names = {c.name for c in store.chroma_client(settings).list_collections()}
    assert names == {good.version, store.live_name(good.version, "en")}
    last = store.read_last_ingest(settings)
    assert last["ok"] is True and last["version"] == good.version


def test_the_app_picks_up_a_new_index_without_a_restart(tiny_kb, embeddings):
    settings = tiny_kb()
    run_ingest(settings, show_progress=False)
    holder = IndexHolder(settings)
    before = holder.get()
    settings = tiny_kb({"law/new.md": document("new", "## New?\n\nA new section about CGS 53a-86.")})
    report = run_ingest(settings, show_progress=False)
    after = holder.get()
    assert after.version == report.version != before.version
    assert "new#0" in after.position


def test_an_expired_or_needs_review_document_is_never_served(tiny_kb, embeddings):
    expired = document(
        "old-rule",
        "## What is the zebra rule?\n\nThe zebra rule says zebras must wear hats in Willimantic.",
        review_by="2020-01-01",
    )
    review = document(
        "unchecked",
        "## What is the giraffe rule?\n\nThe giraffe rule says giraffes must wear scarves in Willimantic.",
        status="needs-review",
    )
    settings = tiny_kb(
        {
            "law/old.md": expired.replace("last_verified: 2026-01-01", "last_verified: 2019-01-01"),
            "review/unchecked.md": review,
        }
    )
    report = run_ingest(settings, show_progress=False)
    assert report.expired == ["old-rule"] and report.needs_review == ["unchecked"]
    again = run_ingest(settings, show_progress=False)  # no file touched: answered from the manifest
    assert again.unchanged and again.expired == ["old-rule"] and again.needs_review == ["unchecked"]
    helper = Assistant(settings)
    for question in ("What is the zebra rule?", "What is the giraffe rule?"):
        result = helper.ask(question)
        assert "zebras must wear hats" not in result.answer
        assert "giraffes must wear scarves" not in result.answer
        assert all(h.chunk.doc_id not in ("old-rule", "unchecked") for h in result.hits)
    staff_view = helper.ask("What is the giraffe rule?", residents=False)
    assert any(h.chunk.doc_id == "unchecked" for h in staff_view.hits)


def test_a_document_that_expires_after_the_ingest_stops_being_served(tiny_kb, embeddings):
    from assistant.index import Scope

    later = document(
        "later", "## What is the otter rule?\n\nThe otter rule says otters must wear boots.", review_by="2030-01-01"
    )
    settings = tiny_kb({"law/later.md": later})
    run_ingest(settings, show_progress=False)
    index = IndexHolder(settings).get()
    vector = embeddings.embed_query("What is the otter rule?")
    before = {index.chunks[p].doc_id for p, _ in index.dense(vector, Scope("en", 20291231), 10)}
    after = {index.chunks[p].doc_id for p, _ in index.dense(vector, Scope("en", 20300102), 10)}
    assert "later" in before and "later" not in after and after
    assert "later" not in {index.chunks[p].doc_id for p, _ in index.keyword(["otter"], Scope("en", 20300102), 10)}


def test_a_second_ingest_waits_for_the_lock_and_says_who_holds_it(tiny_kb, embeddings, caplog):
    import threading

    from assistant.errors import IngestBusy

    settings = tiny_kb()
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.ingest_lock(settings):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    caplog.set_level("INFO")
    with pytest.raises(IngestBusy) as caught, store.ingest_lock(settings, wait=0.5):
        pass
    assert "another ingest is running (pid" in str(caught.value)
    assert "waiting for the ingest lock held by pid" in caplog.text
    release.set()
    thread.join()
    with store.ingest_lock(settings, wait=0.5):  # free again
        pass


def test_a_re_ingest_reports_what_changed(tiny_kb, embeddings):
    settings = tiny_kb({"review/later.md": document("later", "## Later?\n\nLater text.", status="needs-review")})
    run_ingest(settings, show_progress=False)
    published = document("later", "## Later?\n\nLater text.")
    new = document("new", "## N?\n\nN.")
    settings = tiny_kb({"review/later.md": published, "law/buying.md": None, "law/new.md": new})
    report = run_ingest(settings, show_progress=False)
    assert report.changes == {
        "added": ["new"], "changed": ["later"], "removed": ["buying"], "newly_served": ["later"], "newly_held_back": [],
    }  # fmt: skip
    assert store.read_manifest(settings)["changes"] == report.changes


def test_the_crisis_model_is_retrained_for_a_new_index_version(tiny_kb, embeddings):
    settings = tiny_kb()
    run_ingest(settings, show_progress=False)
    helper = Assistant(settings)
    first = helper.detector()
    assert helper.detector() is first
    run_ingest(settings, force=True, show_progress=False)
    assert helper.detector() is not first


@pytest.mark.parametrize("residents", [True, False])
def test_dense_search_returns_the_exact_nearest_sections(assistant, residents):
    # Chroma's HNSW search is approximate: asked for k it now and then left out the 10th section
    import numpy as np

    from assistant.index import Scope

    index, scope = assistant.holder.get(), Scope("en", 20261128, residents)
    stored = index.collection.get(where=scope.where(), include=["embeddings"])
    vectors = np.asarray(stored["embeddings"], dtype=np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for question in ("What's the difference between 53a-82 and 53a-83?", "where can i get narcan", "vacatur deadline"):
        query = np.asarray(assistant.embed(question), dtype=np.float64)
        cosine = vectors @ (query / np.linalg.norm(query))
        exact = [index.by_store_id[stored["ids"][i]] for i in np.argsort(-cosine)[:20]]
        assert [position for position, _ in index.dense(list(query), scope, 20)] == exact
