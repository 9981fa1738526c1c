"""The served index: the Chroma collection (dense) and the BM25 keyword index of one version."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant import store
from assistant.config import Settings
from assistant.errors import IndexNotReady
from assistant.knowledge import Chunk

log = logging.getLogger(__name__)
PAGE = 2000


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
    """One loaded version: chunks, BM25 and the Chroma collection, read-only."""

    def __init__(
        self,
        version: str,
        chunks: list[Chunk],
        bm25: Any,
        collection: Any,
        live: dict[str, tuple[Any, int]] | None = None,
    ) -> None:
        self.version = version
        # language -> (collection of the chunks residents could be served at ingest, the first
        # review_by among them): until that date it needs no filter; after it, the full
        # collection's filtered query is used (a document expired since the ingest).
        self.live = live or {}
        self.chunks = chunks
        self.position = {c.id: i for i, c in enumerate(chunks)}
        # Chroma's ids are LangChain's content hashes; map them to chunk positions once, so a
        # query needs only ids and distances back (fetching metadata costs more than the search).
        self.by_store_id: dict[str, int] = {}
        total = collection.count()
        for offset in range(0, total, PAGE):  # pages: SQLite limits the variables of one query
            stored = collection.get(include=["metadatas"], limit=PAGE, offset=offset)
            for sid, meta in zip(stored["ids"], stored["metadatas"], strict=True):
                position = self.position.get(str(meta["chunk_id"]))
                if position is not None:
                    self.by_store_id[sid] = position
        self.bm25 = bm25
        self.collection = collection
        self.vocab = set(getattr(bm25, "vocab_dict", {}) or {})
        self._verified = np.array([c.status == "verified" for c in chunks], dtype=bool)
        self._review_by = np.array([c.review_by for c in chunks], dtype=np.int64)
        self._language = np.array([c.language for c in chunks])

    @classmethod
    def load(cls, settings: Settings, client: Any, version: str | None = None) -> KnowledgeIndex:
        import bm25s

        version = version or store.current_version(settings)
        if not version:
            raise IndexNotReady("no index has been built yet (run: python -m ingest)")
        folder = store.version_dir(settings, version)
        try:
            with (folder / "chunks.jsonl").open(encoding="utf-8") as handle:
                chunks = [Chunk.from_record(json.loads(line)) for line in handle if line.strip()]
            bm25 = bm25s.BM25.load(str(folder / "bm25"))
            collection = client.get_collection(version)
            until = (store.read_manifest(settings, version) or {}).get("live_until", {})
            live = {lang: (client.get_collection(store.live_name(version, lang)), int(d)) for lang, d in until.items()}
        except Exception as exc:
            raise IndexNotReady(f"index version {version} is incomplete: {exc}") from exc
        if collection.count() != len(chunks):
            raise IndexNotReady(f"index version {version}: Chroma and the chunk table disagree")
        log.info("index %s loaded: %d chunks", version, len(chunks))
        return cls(version, chunks, bm25, collection, live)

    def mask(self, scope: Scope) -> np.ndarray:
        keep = np.ones(len(self.chunks), dtype=bool)
        if scope.residents:
            keep &= self._verified & (self._review_by >= scope.today)
        if scope.language:
            keep &= self._language == scope.language
        return keep

    def dense(self, embedding: list[float], scope: Scope, k: int) -> list[tuple[int, float]]:
        """(chunk position, cosine similarity), best first, within the scope."""
        live, until = self.live.get(scope.language or "", (None, 0))
        if scope.residents and live is not None and scope.today <= until:
            result = live.query(query_embeddings=[embedding], n_results=k, include=["distances"])
        else:
            result = self.collection.query(
                query_embeddings=[embedding], n_results=k, where=scope.where(), include=["distances"]
            )
        hits = []
        for store_id, distance in zip(result["ids"][0], result["distances"][0], strict=True):
            position = self.by_store_id.get(store_id)
            if position is not None:
                hits.append((position, 1.0 - float(distance)))
        return hits

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


class IndexHolder:
    """Serves the current version and picks up a new one when the pointer file changes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._client: Any = None
        self._index: KnowledgeIndex | None = None
        self._stamp = -1.0

    def client(self) -> Any:
        if self._client is None:
            self._client = store.chroma_client(self.settings)
        return self._client

    def get(self) -> KnowledgeIndex:
        stamp = store.pointer_stamp(self.settings)
        index = self._index
        if index is not None and stamp == self._stamp:
            return index
        with self._lock:
            if self._index is None or stamp != self._stamp:
                fresh = KnowledgeIndex.load(self.settings, self.client())
                if self._index is not None:
                    log.info("switched to index %s", fresh.version)
                self._index, self._stamp = fresh, stamp
            return self._index
