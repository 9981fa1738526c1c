"""Hybrid retrieval: dense (Chroma) + keyword (BM25), reciprocal rank fusion, relevance floor."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.index import KnowledgeIndex, Scope
from assistant.knowledge import Chunk
from assistant.text import fold, tokens

RRF_K = 60
CANDIDATES = 20
KEYWORD_WEIGHT = 0.04  # relevance = best dense cosine + KEYWORD_WEIGHT * min(best BM25, 10)
KEYWORD_CAP = 10.0
KEYWORD_ONLY_FLOOR = 4.0  # keyword-only mode (evaluation): best BM25 score needed
# Every local document names the town: place words say nothing about the topic of a question.
PLACE_WORDS = frozenset(tokens("Willimantic Windham Connecticut CT Conn"))


@dataclass
class Hit:
    """One retrieved chunk with every score that placed it."""

    chunk: Chunk
    fused: float
    dense: float | None = None
    dense_rank: int | None = None
    keyword: float | None = None
    keyword_rank: int | None = None


@dataclass
class Retrieval:
    hits: list[Hit]
    relevant: bool
    best_dense: float = 0.0
    best_keyword: float = 0.0
    words: list[str] = field(default_factory=list)
    index_version: str = ""


class Synonyms:
    """The slang map of knowledge/synonyms.yaml: phrase -> extra words for keyword search."""

    def __init__(self, mapping: dict[str, list[str]]) -> None:
        self.patterns = [
            (re.compile(rf"(?<!\w){re.escape(fold(phrase))}(?!\w)"), " ".join(words))
            for phrase, words in mapping.items()
        ]

    @classmethod
    def load(cls, path: Path) -> Synonyms:
        if not path.exists():
            return cls({})
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls({str(k): [str(w) for w in v] for k, v in raw.items()})

    def expand(self, text: str) -> str:
        folded = fold(text)
        extra = [words for pattern, words in self.patterns if pattern.search(folded)]
        return " ".join([text, *extra])


def fuse(dense: list[tuple[int, float]], keyword: list[tuple[int, float]], index: KnowledgeIndex) -> list[Hit]:
    """Reciprocal rank fusion of the two ranked lists."""
    hits: dict[int, Hit] = {}
    for rank, (pos, score) in enumerate(dense, start=1):
        hit = hits.setdefault(pos, Hit(index.chunks[pos], 0.0))
        hit.dense, hit.dense_rank = score, rank
        hit.fused += 1.0 / (RRF_K + rank)
    for rank, (pos, score) in enumerate(keyword, start=1):
        hit = hits.setdefault(pos, Hit(index.chunks[pos], 0.0))
        hit.keyword, hit.keyword_rank = score, rank
        hit.fused += 1.0 / (RRF_K + rank)
    return sorted(hits.values(), key=lambda h: (-h.fused, -(h.dense or 0.0)))


def relevance(best_dense: float, best_keyword: float) -> float:
    """One number for "is the best match about this question", compared with the floor.

    Dense similarity carries paraphrases; a strong keyword match (statute numbers, slang from
    the synonym map) lifts short questions whose embedding is vague. Tuned on the golden set.
    """
    return best_dense + KEYWORD_WEIGHT * min(best_keyword, KEYWORD_CAP)


def search(
    index: KnowledgeIndex,
    embedding: list[float],
    text: str,
    synonyms: Synonyms,
    scope: Scope,
    *,
    k: int = 5,
    floor: float = 0.35,
    mode: str = "hybrid",
    hint: str = "",
) -> Retrieval:
    """The top k chunks for a question, and whether the best is relevant enough to answer.

    `hint` adds keyword-search words (the crisis category's topic, when a crisis was detected).
    """
    words = [w for w in tokens(synonyms.expand(f"{text} {hint}")) if w not in PLACE_WORDS]
    dense = index.dense(embedding, scope, CANDIDATES) if mode in ("hybrid", "dense") else []
    keyword = index.keyword(words, scope, CANDIDATES) if mode in ("hybrid", "keyword") else []
    hits = fuse(dense, keyword, index)[:k]
    best_dense = max((s for _, s in dense), default=0.0)
    best_keyword = max((s for _, s in keyword), default=0.0)
    if mode == "keyword":
        relevant = best_keyword >= KEYWORD_ONLY_FLOOR
    else:
        relevant = relevance(best_dense, best_keyword) >= floor
    return Retrieval(hits, relevant and bool(hits), best_dense, best_keyword, words, index.version)
