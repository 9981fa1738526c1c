"""The served index: Chroma (dense), BM25 (keywords) and the heading vectors of one version."""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant import store
from assistant.chunking import Chunk
from assistant.config import Settings
from assistant.errors import IndexNotReady
from assistant.words import fold

log = logging.getLogger(__name__)
WITHIN_HOURS = re.compile(r"\b(?:within|dentro de(?: las)?) \d+ (?:hours|days|horas|dias)\b")  # folded text
DENSE_POOL = 2000  # sections asked of Chroma per dense search (all of them, up to this many), the best k kept
AGE_RULE = re.compile(r"\b(?:18 (?:and|or) (?:older|over)|18 anos o mas|mayores de 18)\b")  # folded text
PHONE_IN_TEXT = re.compile(r"\b\d{3}-\d{3}-\d{4}\b|\b(?:911|988|2-1-1)\b")
WEB_ADDRESS = re.compile(r"https?://|\b[\w.-]+\.(?:org|com|gov)\b")
STREET_ADDRESS = re.compile(
    r"\b\d{1,5} [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)* (?:Street|St|Road|Rd|Avenue|Ave|Drive|Lane)\b"
)


@dataclass(frozen=True)
class Scope:
    """Which chunks may be candidates: residents get verified, in-date chunks only."""

    language: str | None = "en"
    today: int = 0
    residents: bool = True

    def where(self) -> dict[str, Any] | None:
        """The same rule as a Chroma metadata filter (applied inside the search)."""
        rules: list[dict[str, Any]] = []
        if self.residents:
            rules += [{"status": {"$eq": "verified"}}, {"review_by": {"$gte": self.today}}]
        if self.language:
            rules.append({"language": {"$eq": self.language}})
        if not rules:
            return None
        return rules[0] if len(rules) == 1 else {"$and": rules}


class KnowledgeIndex:
    """One loaded version: chunks, BM25, heading vectors and the Chroma collection, read-only."""

    def __init__(
        self,
        version: str,
        chunks: list[Chunk],
        bm25: Any,
        collection: Any,
        live: dict[str, tuple[Any, int]] | None = None,
        questions: tuple[np.ndarray, list[str]] | None = None,
    ) -> None:
        self.version = version
        # language -> (collection of the chunks residents could be served at ingest, the first
        # review_by among them): until that date it needs no filter; after it, the full
        # collection's filtered query is used (a document expired since the ingest).
        self.live = live or {}
        self.chunks = chunks
        self.position = {c.id: i for i, c in enumerate(chunks)}
        # pair id (the English section) -> language -> position of that section in that language
        self.pairs: dict[str, dict[str, int]] = {}
        self.sections_of: dict[str, list[int]] = {}  # document id -> positions of its sections
        for i, c in enumerate(chunks):
            self.pairs.setdefault(c.pair, {})[c.language] = i
            self.sections_of.setdefault(c.doc_id, []).append(i)
        # Chroma's ids are LangChain's content hashes; map them to chunk positions once, so a
        # query needs only ids and distances back (fetching metadata costs more than the search).
        self.by_store_id: dict[str, int] = {}
        for part in store.pages(collection, include=["metadatas"]):
            for sid, meta in zip(part["ids"], part["metadatas"], strict=True):
                position = self.position.get(str(meta["chunk_id"]))
                if position is not None:
                    self.by_store_id[sid] = position
        self.bm25 = bm25
        self.collection = collection
        self.vocab = set(getattr(bm25, "vocab_dict", {}) or {})
        # Heading and example-question vectors, grouped by the chunk they belong to (every chunk
        # has at least its heading), and where each chunk's rows start.
        vectors, owner_ids = questions if questions is not None else (np.zeros((0, 384), np.float32), [])
        owners = np.array([self.position.get(o, -1) for o in owner_ids], dtype=np.int64)
        order = np.argsort(owners, kind="stable")
        self.question_vectors: np.ndarray = vectors[order][owners[order] >= 0]
        owners = owners[order][owners[order] >= 0]
        self.question_starts = np.searchsorted(owners, np.arange(len(chunks)))
        self._questions_complete = bool(len(owners)) and np.array_equal(np.unique(owners), np.arange(len(chunks)))
        self._verified = np.array([c.status == "verified" for c in chunks], dtype=bool)
        self._review_by = np.array([c.review_by for c in chunks], dtype=np.int64)
        self._language = np.array([c.language for c in chunks])
        self.kinds = [section_kinds(c) for c in chunks]  # what kind of answer each section gives
        self._masks: dict[Scope, np.ndarray] = {}
        self._masks_lock = threading.Lock()

    @classmethod
    def load(cls, settings: Settings, client: Any, version: str | None = None) -> KnowledgeIndex:
        layout = store.versions(settings, client)
        version = version or layout.current()
        if not version:
            raise IndexNotReady("no index has been built yet (run: python -m ingest)")
        try:
            chunks = layout.read_chunks(version)
            bm25 = layout.keyword_index(version, chunks)
            _, vectors, owners = layout.read_questions(version)
            collection = client.get_collection(version)
            until = (layout.read_manifest(version) or {}).get("live_until", {})
            live = {lang: (client.get_collection(store.live_name(version, lang)), int(d)) for lang, d in until.items()}
        except Exception as exc:
            raise IndexNotReady(f"index version {version} is incomplete: {exc}") from exc
        index = cls(version, chunks, bm25, collection, live, (vectors, owners))
        if collection.count() != len(chunks) or not index._questions_complete:
            raise IndexNotReady(f"index version {version}: Chroma, the chunk table and the questions disagree")
        log.info("index %s loaded: %d chunks", version, len(chunks))
        return index

    def mask(self, scope: Scope) -> np.ndarray:
        """Which chunks are in the scope (cached: a scope's mask changes only with the date)."""
        cached = self._masks.get(scope)
        if cached is None:
            cached = self._mask(scope)
            with self._masks_lock:  # keep today's masks only
                self._masks = {s: m for s, m in self._masks.items() if s.today == scope.today}
                self._masks[scope] = cached
        return cached

    def _mask(self, scope: Scope) -> np.ndarray:
        keep = np.ones(len(self.chunks), dtype=bool)
        if scope.residents:
            keep &= self._verified & (self._review_by >= scope.today)
        if scope.language:
            keep &= self._language == scope.language
        return keep

    def dense(self, embedding: list[float], scope: Scope, k: int) -> list[tuple[int, float]]:
        """(chunk position, cosine similarity), best first, within the scope."""
        live, until = self.live.get(scope.language or "", (None, 0))
        # HNSW search is approximate: asked for k, it now and then left out a section that ranks
        # 10th, in some processes and not others. Asked for every section, it explores them all.
        pool = max(k, min(len(self.chunks), DENSE_POOL))
        if scope.residents and live is not None and scope.today <= until:
            result = live.query(query_embeddings=[embedding], n_results=pool, include=["distances"])
        else:
            result = self.collection.query(
                query_embeddings=[embedding], n_results=pool, where=scope.where(), include=["distances"]
            )
        hits = []
        for store_id, distance in zip(result["ids"][0], result["distances"][0], strict=True):
            position = self.by_store_id.get(store_id)
            if position is not None:
                hits.append((position, 1.0 - float(distance)))
        return sorted(hits, key=lambda hit: -hit[1])[:k]

    def keyword(self, words: list[str], scope: Scope, k: int) -> list[tuple[int, float]]:
        """(chunk position, BM25 score), best first, within the scope."""
        words = [w for w in words if w in self.vocab]
        keep = self.mask(scope)
        if not words or not keep.any():
            return []
        k = min(k, int(keep.sum()))
        ids, scores = self.bm25.retrieve(
            [words], k=k, weight_mask=keep.astype(np.float32), show_progress=False, n_threads=1
        )
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if s > 0]

    def heading_scores(self, embedding: list[float] | np.ndarray) -> np.ndarray:
        """Per chunk: the best cosine of the question with its heading or one of its example questions."""
        if not len(self.question_vectors):
            return np.zeros(len(self.chunks), dtype=np.float32)
        scores = self.question_vectors @ np.asarray(embedding, dtype=np.float32)
        return np.maximum.reduceat(scores, self.question_starts)

    def best_headings(self, scores: np.ndarray, scope: Scope, k: int) -> list[tuple[int, float]]:
        """The k sections whose heading or example question is most like the question, in scope."""
        best = np.where(self.mask(scope), scores, -1.0)
        k = min(k, len(best))
        top: np.ndarray = np.argpartition(-best, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
        ranked = sorted(((int(i), float(best[i])) for i in top), key=lambda h: -h[1])
        return [(i, s) for i, s in ranked if s > -1.0]


def section_kinds(chunk: Chunk) -> frozenset[str]:
    """The kinds of answer a section gives: those its heading asks for, "contact" when its text
    has a phone number to call, "address" when it has a street address, "web" a web address and
    "age" a service's age rule ("for adults 18 and older"), "deadline" a time to act within."""
    from assistant.understand import answer_types

    folded = fold(chunk.text)
    kinds = set(answer_types(chunk.heading))
    kinds |= {"contact"} if PHONE_IN_TEXT.search(chunk.text) else set()
    kinds |= {"address"} if STREET_ADDRESS.search(chunk.text) else set()
    kinds |= {"web"} if WEB_ADDRESS.search(chunk.text) else set()
    kinds |= {"age"} if AGE_RULE.search(folded) else set()
    kinds |= {"deadline"} if WITHIN_HOURS.search(folded) else set()
    return frozenset(kinds)


class IndexHolder:
    """Serves the current version and follows the pointer to a new one without a restart.

    Embedded mode checks the pointer file at every question (a stat). Server mode reads the
    pointer in the Chroma server at most every `poll_seconds`, and loads a new version in the
    background: answers keep the version they started with, new answers get the new one.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._client: Any = None
        self._index: KnowledgeIndex | None = None
        self._stamp: str | None = None
        self._checked = 0.0
        self._loading = False

    def client(self) -> Any:
        if self._client is None:
            self._client = store.chroma_client(self.settings)
        return self._client

    def layout(self) -> store.Versions:
        return store.versions(self.settings, self.client())

    def get(self) -> KnowledgeIndex:
        if self.settings.server_mode and self._index is not None:
            self._poll()
            return self._index
        stamp = self.layout().stamp()
        index = self._index
        if index is not None and stamp == self._stamp:
            return index
        with self._lock:
            if self._index is None or stamp != self._stamp:
                self._swap(KnowledgeIndex.load(self.settings, self.client()), stamp)
            assert self._index is not None
            return self._index

    def _swap(self, fresh: KnowledgeIndex, stamp: str) -> None:
        if self._index is not None:
            log.info("switched to index %s", fresh.version)
        self._index, self._stamp = fresh, stamp

    def _poll(self) -> None:
        now = time.monotonic()
        if now - self._checked < self.settings.poll_seconds or self._loading:
            return
        self._checked = now
        with self._lock:
            if self._loading:
                return
            self._loading = True
        threading.Thread(target=self._refresh, name="index-poll", daemon=True).start()

    def _refresh(self) -> None:
        try:
            stamp = self.layout().stamp()
            if stamp and stamp != self._stamp:
                self._swap(KnowledgeIndex.load(self.settings, self.client()), stamp)
        except Exception as exc:  # noqa: BLE001 - keep serving the version we have
            log.warning("could not load the new index version: %s", type(exc).__name__)
        finally:
            self._loading = False

    def wait_for_version(self, seconds: float | None = None) -> KnowledgeIndex:
        """Server mode at start: wait (logging it) until an ingest has published a version."""
        deadline = time.monotonic() + (seconds if seconds is not None else float("inf"))
        told = False
        while True:
            try:
                return self.get()
            except IndexNotReady:
                if time.monotonic() >= deadline:
                    raise
                if not told:
                    log.info("waiting for an index version in the Chroma server (run python -m ingest)")
                    told = True
                time.sleep(min(self.settings.poll_seconds, 5.0))
