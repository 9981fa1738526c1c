"""Ingest: validate -> chunk -> embed -> a new index version, switched in atomically.

Incremental through LangChain's indexing API: the new version starts as a copy of the served
one (embeddings included, no model work), then `index(..., cleanup="full")` embeds only new or
changed chunks and removes the chunks of changed or deleted documents. The pointer moves to
the new version only when everything is written; on any failure the new version is removed
and the served one is untouched. One ingest runs at a time (a lock file in the data folder).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant import store
from assistant.chunking import Chunk, alignment_errors, chunk_document
from assistant.config import Settings
from assistant.directory import load_directory
from assistant.embeddings import MODEL_NAME
from assistant.errors import AssistantError, KnowledgeError
from assistant.questions import load_questions, question_files
from assistant.schema import Document, date_number, knowledge_files, load_documents

log = logging.getLogger(__name__)
CHUNKER_VERSION = "5"  # bump when chunking, metadata or the index layout change: forces a rebuild
KEEP_VERSIONS = 2  # the served version and the one before it
COSINE: Any = {"hnsw": {"space": "cosine"}}
EMBED_BATCH = 1024
ENGINE = f"{MODEL_NAME}|{CHUNKER_VERSION}"


class IngestFailed(AssistantError):
    """Validation found problems; `errors` names each file and line."""

    def __init__(self, errors: list[KnowledgeError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class IngestReport:
    version: str
    documents: int
    chunks: int
    unchanged: bool = False
    added: int = 0
    deleted: int = 0
    skipped: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    needs_review: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    live_until: dict[str, int] = field(default_factory=dict)
    changes: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        if self.unchanged:
            return f"index {self.version} is up to date: {self.documents} documents, {self.chunks} chunks"
        return (
            f"index {self.version}: {self.documents} documents, {self.chunks} chunks "
            f"({self.added} embedded, {self.skipped} unchanged, {self.deleted} removed) "
            f"in {self.seconds:.1f} s"
        )


@dataclass
class Plan:
    documents: list[Document]
    chunks: list[Chunk]
    fingerprint: str
    needs_review: list[str]
    expired: list[str]
    files: dict[str, list[int]] = field(default_factory=dict)

    def hashes(self) -> dict[str, str]:
        return {d.id: d.content_hash for d in self.documents}


def plan(settings: Settings, today: dt.date | None = None) -> Plan:
    """Load and validate the knowledge base; raises IngestFailed listing every problem."""
    today = today or dt.date.today()
    directory = load_directory(settings.knowledge_dir / "directory.yaml")
    documents, errors = load_documents(settings.knowledge_dir, directory)
    errors += alignment_errors(documents)
    questions, question_hashes, question_errors = load_questions(settings.knowledge_dir, documents)
    errors += question_errors
    if errors:
        raise IngestFailed(errors)
    if not documents:
        raise IngestFailed([KnowledgeError(str(settings.knowledge_dir), "no documents found")])
    # A document's hash covers its example questions, so changed questions are re-indexed.
    documents = [
        replace(d, content_hash=hashlib.sha256(f"{d.content_hash}{question_hashes.get(d.id, '')}".encode()).hexdigest())
        for d in documents
    ]
    chunks = [c for d in documents for c in chunk_document(d, questions.get(d.id))]
    digest = hashlib.sha256(ENGINE.encode())
    for doc in sorted(documents, key=lambda d: d.id):
        digest.update(f"{doc.id}:{doc.content_hash}\n".encode())
    return Plan(
        documents=documents,
        chunks=chunks,
        fingerprint=digest.hexdigest(),
        needs_review=sorted(d.id for d in documents if d.status == "needs-review"),
        expired=sorted(d.id for d in documents if d.status == "verified" and d.review_by < today),
    )


def run_ingest(settings: Settings, *, force: bool = False, show_progress: bool = True) -> IngestReport:
    """Bring the served index up to date with knowledge/; returns what was done."""
    layout = store.versions(settings)
    with layout.lock():
        return _run(settings, layout, force, show_progress)


def _run(settings: Settings, layout: store.Versions, force: bool, show_progress: bool) -> IngestReport:
    started = time.perf_counter()
    manifest = layout.read_manifest()
    stats = file_stats(settings)
    if not force and manifest and manifest.get("files") == stats and manifest.get("engine") == ENGINE:
        return _unchanged(manifest, time.perf_counter() - started)  # no file touched: skip parsing
    try:
        work = plan(settings)
    except IngestFailed as exc:
        layout.write_last_ingest(_stamped({"ok": False, "errors": [str(e) for e in exc.errors]}))
        raise
    work.files = stats
    if not force and manifest and manifest.get("fingerprint") == work.fingerprint:
        # Same content (files touched, or a manifest from before file stats): remember the stats.
        manifest.update(files=stats, engine=ENGINE, review_by={d.id: d.review_by.isoformat() for d in work.documents})
        layout.write_manifest(str(manifest["version"]), manifest)
        report = _report(work, str(layout.current()), unchanged=True)
        report.seconds = time.perf_counter() - started
        return report
    report = _build(layout, work, manifest, show_progress)
    report.seconds = time.perf_counter() - started
    report.changes = changes(manifest, work)
    layout.write_manifest(report.version, _manifest(settings, report, work))
    layout.switch(report.version)
    layout.write_last_ingest(_stamped({"ok": True, **asdict(report)}))
    _prune(layout, keep=report.version)
    return report


def _stamped(result: dict[str, Any]) -> dict[str, Any]:
    return {**result, "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def file_stats(settings: Settings) -> dict[str, list[int]]:
    """(mtime, size) of every knowledge file and the directory: the cheapest "nothing changed"."""
    folder = settings.knowledge_dir
    paths = [*knowledge_files(folder), *question_files(folder), folder / "directory.yaml"]
    return {str(p.relative_to(folder)): [p.stat().st_mtime_ns, p.stat().st_size] for p in paths if p.exists()}


def changes(old: dict[str, Any] | None, work: Plan) -> dict[str, list[str]]:
    """What this ingest changed: documents added, changed, removed, newly served, newly held back."""
    before: dict[str, str] = (old or {}).get("documents", {})
    served_before = set(before) - set((old or {}).get("needs_review", [])) - set((old or {}).get("expired", []))
    now = work.hashes()
    held = set(work.needs_review) | set(work.expired)
    served_now = set(now) - held
    return {
        "added": sorted(set(now) - set(before)),
        "changed": sorted(d for d in now if d in before and before[d] != now[d]),
        "removed": sorted(set(before) - set(now)),
        "newly_served": sorted(d for d in served_now - served_before if d in before),
        "newly_held_back": sorted(d for d in held if d in served_before),
    }


def _unchanged(manifest: dict[str, Any], seconds: float) -> IngestReport:
    today = dt.date.today().isoformat()
    review_by = manifest.get("review_by", {})
    return IngestReport(
        version=str(manifest["version"]),
        documents=len(manifest["documents"]),
        chunks=int(manifest["chunks"]),
        unchanged=True,
        seconds=seconds,
        needs_review=list(manifest.get("needs_review", [])),
        expired=sorted(i for i, day in review_by.items() if day < today and i not in manifest["needs_review"]),
    )


def _report(work: Plan, version: str, unchanged: bool = False) -> IngestReport:
    return IngestReport(
        version=version,
        documents=len(work.documents),
        chunks=len(work.chunks),
        unchanged=unchanged,
        needs_review=work.needs_review,
        expired=work.expired,
    )


INDEX_BATCH = 64  # sections per LangChain index() batch: 256 peaked 200 MB higher (1,000-document profile)


def _build(layout: store.Versions, work: Plan, old: dict[str, Any] | None, progress: bool) -> IngestReport:
    from langchain_core.documents import Document as LCDocument
    from langchain_core.indexing import index

    from ingest.records import SQLiteRecordManager

    name = f"{store.PREFIX}{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S-%f}"
    client = layout.client
    try:
        old_name = str(old["version"]) if old else None
        records = SQLiteRecordManager(name, Path(":memory:"))
        records.create_schema()
        if old_name:
            _copy_collection(client, old_name, name, records)
        vector_store, embeddings = _vector_store(client, name, work, old, progress)
        lc_docs = (LCDocument(page_content=c.embed_text, metadata=c.metadata()) for c in work.chunks)
        result = index(
            lc_docs, records, vector_store, cleanup="full", source_id_key="doc_id", key_encoder="sha256",
            batch_size=INDEX_BATCH,
        )  # fmt: skip
        known = layout.question_vectors_of(old_name) if old_name else {}
        questions = _question_vectors(work.chunks, known, embeddings)
        embeddings.close()
        records.close()
        live_until = _write_live_collections(client, name, work.chunks)
        layout.write(name, work.chunks, questions)
        report = _report(work, name)
        report.live_until = live_until
        report.added = int(result["num_added"])
        report.deleted = int(result["num_deleted"])
        report.skipped = int(result["num_skipped"])
        report.embed_seconds = embeddings.seconds
        return report
    except BaseException:
        log.error("ingest failed; the served index is unchanged")
        layout.drop(name)
        raise


def _vector_store(client: Any, name: str, work: Plan, old: dict[str, Any] | None, progress: bool) -> Any:
    from langchain_chroma import Chroma

    from assistant.embeddings import ProgressEmbeddings, load_embeddings

    old_hashes = (old or {}).get("documents", {})
    hashes = work.hashes()
    todo = sum(1 for c in work.chunks if old_hashes.get(c.doc_id) != hashes[c.doc_id])
    embeddings = ProgressEmbeddings(load_embeddings(), total=todo, show=progress)
    vector_store = Chroma(
        client=client,
        collection_name=name,
        embedding_function=embeddings,  # type: ignore[arg-type]
        collection_configuration=COSINE,
    )
    return vector_store, embeddings


def _copy_collection(client: Any, source: str, target: str, records: Any) -> None:
    """Copy every record (with its embedding) of the served collection into the new one, and
    tell the record manager they are indexed."""
    try:
        old = client.get_collection(source)
    except Exception:  # the served collection is gone (new server, wiped folder): full rebuild
        log.warning("collection %s not found; building from scratch", source)
        return
    new = client.get_or_create_collection(target, configuration=COSINE)
    for part in store.pages(old, include=["embeddings", "documents", "metadatas"]):
        new.add(
            ids=part["ids"], embeddings=part["embeddings"], documents=part["documents"], metadatas=part["metadatas"]
        )
        records.seed(part["ids"], [str(m["doc_id"]) for m in part["metadatas"]])


def _write_live_collections(client: Any, name: str, chunks: list[Chunk]) -> dict[str, int]:
    """Per language, a collection of only the chunks residents may be served today.

    A Chroma `where` filter costs time in proportion to the chunks it lets through (about 30 ms
    at 5,000 chunks, 300 ms at 50,000), so residents' questions search these pre-filtered
    collections instead; the app falls back to the filtered query on the full collection when a
    document expires after this ingest (and for staff, who may see needs-review documents).
    """
    today = date_number(dt.date.today())
    full = client.get_collection(name)
    until: dict[str, int] = {}
    for language in sorted({c.language for c in chunks}):
        dates = [c.review_by for c in chunks if c.language == language and c.status == "verified"]
        until[language] = min((d for d in dates if d >= today), default=0)
        live = client.get_or_create_collection(store.live_name(name, language), configuration=COSINE)
        where = {"$and": [{"status": "verified"}, {"review_by": {"$gte": today}}, {"language": language}]}
        for part in store.pages(full, where=where, include=["embeddings", "metadatas"]):
            metadatas = [{"chunk_id": m["chunk_id"], "review_by": m["review_by"]} for m in part["metadatas"]]
            live.add(ids=part["ids"], embeddings=part["embeddings"], metadatas=metadatas)
    return until


def _question_vectors(chunks: list[Chunk], known: dict[str, np.ndarray], embeddings: Any) -> store.Questions:
    """One vector per section heading and per example question (residents' questions look like
    them); only texts the previous version did not have are embedded."""
    texts = [t for c in chunks for t in (c.heading, *c.questions)]
    owners = [c.id for c in chunks for _ in (c.heading, *c.questions)]
    missing = sorted(set(texts) - set(known))
    for start in range(0, len(missing), EMBED_BATCH):  # to NumPy batch by batch: lists of floats are big
        batch = missing[start : start + EMBED_BATCH]
        known.update(zip(batch, np.asarray(embeddings.embed_documents(batch), dtype=np.float32), strict=True))
    return texts, np.stack([known[t] for t in texts]).astype(np.float32, copy=False), owners


def _manifest(settings: Settings, report: IngestReport, work: Plan) -> dict[str, Any]:
    return {
        "version": report.version,
        "fingerprint": work.fingerprint,
        "model": MODEL_NAME,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "documents": work.hashes(),
        "paths": {d.id: d.path for d in work.documents},
        "titles": {d.id: d.title for d in work.documents},
        "chunks": len(work.chunks),
        "needs_review": work.needs_review,
        "expired": work.expired,
        "server": settings.server_mode,
        "live_until": report.live_until,
        "engine": ENGINE,
        "files": work.files,
        "review_by": {d.id: d.review_by.isoformat() for d in work.documents},
        "changes": report.changes,
    }


def _prune(layout: store.Versions, keep: str) -> None:
    """Remove versions older than the served one and the one before it (replicas still on the
    one before finish their answers and follow the pointer)."""
    names = layout.names()
    for name in [n for n in names if n != keep][: max(0, len(names) - KEEP_VERSIONS)]:
        layout.drop(name)
