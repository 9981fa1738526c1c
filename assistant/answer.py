"""The extractive composer: the most relevant sentences of the top chunks, each cited [n]."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from assistant.retrieve import Hit
from assistant.text import tokens

MAX_SENTENCES = 5
FIRST_CHUNK_SENTENCES = 3
ASKS_FOR_CONTACT = re.compile(
    r"\b(call|number|phone|contact|hotline|line|text|reach|report|who do|where|help"
    r"|llamar|numero|telefono|linea|donde|ayuda)\b",
    re.IGNORECASE,
)
HAS_CONTACT = re.compile(r"\d{3}-\d{4}|\b911\b|\b988\b|2-1-1|233733|https?://|\w+\.(?:org|com|gov)\b")


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    url: str
    chunk_ids: list[str] = field(default_factory=list)


@dataclass
class Composed:
    body: str
    citations: list[Citation]
    chunk_ids: list[str]
    topics: list[str]


def sentence_score(sentence: str, query: set[str], position: int, wants_contact: bool) -> float:
    words = set(tokens(sentence))
    overlap = len(words & query)
    score = overlap / math.sqrt(1 + len(words)) * 3
    if position == 0:
        score += 0.6  # the first sentence of a section states its answer
    if wants_contact and HAS_CONTACT.search(sentence):
        score += 0.8
    return score


def pick_sentences(hit: Hit, query: set[str], wants_contact: bool, limit: int) -> list[str]:
    """The best sentences of one chunk, kept in document order."""
    sentences = hit.chunk.sentences
    scored = sorted(
        range(len(sentences)),
        key=lambda i: -sentence_score(sentences[i], query, i, wants_contact),
    )
    chosen = sorted(scored[:limit])
    return [sentences[i] for i in chosen]


def supporting(hits: list[Hit], floor: float) -> list[Hit]:
    """The top hit, plus close runners-up from other sections worth one sentence each."""
    if not hits:
        return []
    top = hits[0]
    top_dense = top.dense or 0.0
    keep = [top]
    keep += [h for h in hits[1:3] if (h.dense or 0.0) >= max(floor, top_dense - 0.08)]
    return keep


def compose(question: str, query_words: list[str], hits: list[Hit], floor: float) -> Composed:
    """Stitch cited sentences from the top chunks; never text that is not in a chunk."""
    query = set(query_words)
    wants_contact = bool(ASKS_FOR_CONTACT.search(question))
    citations: dict[str, Citation] = {}
    paragraphs: list[str] = []
    used: list[str] = []
    seen: set[str] = set()
    total = 0
    for rank, hit in enumerate(supporting(hits, floor)):
        limit = FIRST_CHUNK_SENTENCES if rank == 0 else 1
        picked = [s for s in pick_sentences(hit, query, wants_contact, limit) if not _repeats(s, seen)]
        picked = picked[: MAX_SENTENCES - total]
        if not picked:
            continue
        citation = _cite(citations, hit)
        citation.chunk_ids.append(hit.chunk.id)
        used.append(hit.chunk.id)
        seen.update(picked)
        total += len(picked)
        paragraphs.append(" ".join(f"{s} [{citation.n}]" for s in picked))
    topics = sorted({t for h in hits if h.chunk.id in used for t in h.chunk.topics})
    return Composed("\n\n".join(paragraphs), list(citations.values()), used, topics)


def _repeats(sentence: str, seen: set[str]) -> bool:
    """Near-duplicate of a sentence already in the answer (documents restate key facts)."""
    words = set(tokens(sentence))
    for other in seen:
        theirs = set(tokens(other))
        if words and len(words & theirs) / len(words | theirs) >= 0.6:
            return True
    return False


def _cite(citations: dict[str, Citation], hit: Hit) -> Citation:
    chunk = hit.chunk
    if chunk.doc_id not in citations:
        url = chunk.sources[0].url if chunk.sources else ""
        citations[chunk.doc_id] = Citation(len(citations) + 1, chunk.doc_id, chunk.title, url)
    return citations[chunk.doc_id]


def sources_block(citations: list[Citation], heading: str) -> str:
    lines = [f"[{c.n}] {c.title} - {c.url}" for c in citations]
    return f"**{heading}**  \n" + "  \n".join(lines)
