"""Retrieval: rank the sections that may answer a question.

Candidates come from several ranked lists, per section pair (a Spanish section and the English
one it translates count as one):
  English question: dense (Chroma) + keywords (BM25) + heading similarity;
  Spanish question: keywords on the Spanish side (Spanish stemmer), keywords on the English side
  (the question run through the Spanish glossary), and dense + heading similarity on the
  Spanish side. Each candidate gets one score: a weighted sum of its dense cosine, the cosine of
  its heading or best example question, and its keyword score; the model reads Spanish poorly,
  so keywords carry more weight there.
The shown section is in the question's language when a translation exists; otherwise English.
A section whose heading asks for the kind of answer the question asks for (a penalty, a
deadline, a number ...) ranks higher. The relevance floor decides whether to answer at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.chunking import Chunk
from assistant.index import KnowledgeIndex, Scope
from assistant.understand import Contrast, age_words, answer_types, contrasts, without_police_ruled_out
from assistant.words import fold, tokens

CANDIDATES = 20
KEYWORD_ONLY_FLOOR = 4.0  # keyword-only mode (evaluation): best BM25 score needed
# The section score: a weighted sum of its cosines and keyword share, by question language
# (the model reads Spanish poorly, so keywords count more there). Tuned on the dev split.
WEIGHTS = {
    "en": {"dense": 1.0, "heading": 0.8, "keyword": 0.5},
    "es": {"dense": 0.5, "heading": 0.6, "keyword": 0.7},
}
# A section whose heading asks for the kind of answer the question asks for ranks higher; the
# specific kinds (a deadline, a penalty, a cost) say more than the general ones (how, where).
TYPE_BONUS = {
    "deadline": 0.04, "penalty": 0.03, "legal": 0.02, "cost": 0.03, "language": 0.03, "police": 0.03,
    "hours": 0.025, "history": 0.02, "next": 0.03, "contact": 0.015, "where": 0.015, "how": 0.01, "who": 0.015,
    "address": 0.03, "web": 0.03, "anonymous": 0.03, "age": 0.03,
}  # fmt: skip
MISSING_DENSE = 0.05  # a section outside the dense list scores this much under its last place
# Kinds of answer specific enough that a section of that kind is preferred when it scores at
# least KIND_SHARE of the best section ("is there a time limit ..." -> the deadline section).
SPECIFIC_KINDS = frozenset(
    {"deadline", "penalty", "cost", "language", "police", "hours", "contact", "next", "address", "web", "anonymous"}
    | {"age"}
)
KIND_SHARE = 0.8
# ... and this share when the best section tells a name or a history nobody asked for ("penalty for
# patronizing a prostitute": the law's old name matched "patronizing", its penalty was asked)
TRIVIA_SHARE = 0.5
# The kinds a part that asks for none takes from the whole question: facts about the same subject
# (asked elsewhere, "how" or "where" usually belong to their own part: "how do i report that, and do
# i have to give my name" must not make the name part a how-to-report search).
INHERITED_KINDS = frozenset({"penalty", "deadline", "cost", "legal"})
CONTRARY = 0.05  # off a heading naming only the other side of a contrast the question names; half added for its side
CROSS_DOCUMENT_KINDS = frozenset({"next", "deadline"})
SIBLING_DOCUMENTS = 3  # the other sections of the best documents are candidates too
# Every local document names the town: place words say nothing about the topic of a question.
PLACE_WORDS = frozenset(tokens("Willimantic Windham Connecticut CT Conn") + tokens("Willimantic Windham", "es"))
# How much higher the sections of the document about a law the question names by number rank
# ("53a-82", "54-95c", "PA 21-102": knowledge/statutes.yaml).
LAW_BONUS = 0.08
# ... and the sections of the help line it names ("tengo 19 años, ¿puedo llamar a la línea ACTION?":
# other lines say who they are for too): knowledge/services.yaml.
SERVICE_BONUS = 0.04
LEGAL_ADVICE = re.compile(r"legal advice|asesoria legal|consejo legal|is this legal|es asesoria")


@dataclass
class Hit:
    """One section, with every score that placed it."""

    chunk: Chunk
    fused: float
    dense: float | None = None
    dense_rank: int | None = None
    keyword: float | None = None
    keyword_rank: int | None = None
    heading: float | None = None
    heading_rank: int | None = None
    type_match: bool = False
    kinds: frozenset[str] = frozenset()  # the kinds of answer the section gives


@dataclass
class Retrieval:
    hits: list[Hit]
    relevant: bool
    relevance: float = 0.0
    floor: float = 0.0
    best_dense: float = 0.0
    best_keyword: float = 0.0
    words: list[str] = field(default_factory=list)
    index_version: str = ""
    english_fallback: bool = False
    asked: frozenset[str] = frozenset()  # the kinds of answer the question asks for


def _yaml_map(path: Path) -> dict[str, Any]:
    """A knowledge file's top-level mapping; {} when the file is missing."""
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


class Synonyms:
    """A phrase map (slang -> document words, or Spanish -> English words) for keyword search."""

    def __init__(self, mapping: dict[str, list[str]]) -> None:
        self.entries = [  # (the phrase, folded; its pattern; the words it adds)
            (fold(phrase), re.compile(rf"(?<!\w){re.escape(fold(phrase))}(?!\w)"), " ".join(words))
            for phrase, words in mapping.items()
        ]

    @classmethod
    def load(cls, path: Path) -> Synonyms:
        return cls({str(k): [str(w) for w in v] for k, v in _yaml_map(path).items()})

    def extra(self, text: str) -> list[str]:
        folded = fold(text)
        return [words for _, pattern, words in self.entries if pattern.search(folded)]

    def expand(self, text: str) -> str:
        return " ".join([text, *self.extra(text)])

    def found(self, text: str) -> list[str]:
        """The left-hand phrases that are in the text."""
        folded = fold(text)
        return [phrase for phrase, pattern, _ in self.entries if pattern.search(folded)]


class NamedSections:
    """Sections that answer only about the programs or places they name (knowledge/named-sections.yaml):
    such a section is a candidate only when the question names one of its phrases."""

    def __init__(self, mapping: dict[str, dict[str, list[str]]]) -> None:
        self.gates = {  # (document id, English heading) -> a pattern of its phrases
            (doc, heading): re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(fold(p)) for p in phrases) + r")(?!\w)"
            )
            for doc, by_heading in mapping.items()
            for heading, phrases in by_heading.items()
        }

    @classmethod
    def load(cls, path: Path) -> NamedSections:
        raw = _yaml_map(path)
        return cls({str(d): {str(h): [str(p) for p in v] for h, v in hs.items()} for d, hs in raw.items()})

    def unnamed(self, index: KnowledgeIndex, text: str) -> frozenset[str]:
        """The section pairs the question does not name: not candidates."""
        folded = fold(text)
        out: set[str] = set()
        for (doc, heading), pattern in self.gates.items():
            if pattern.search(folded):
                continue
            out.update(
                index.chunks[p].pair for p in index.sections_of.get(doc, []) if index.chunks[p].heading == heading
            )
        return frozenset(out)


@dataclass
class Query:
    """One question (or one part of a question) to search for."""

    text: str
    embedding: list[float]
    language: str = "en"
    hint: str = ""  # extra keyword-search words (a crisis category's topic)
    focus: list[float] | None = None  # the embedding of a story's question sentence (understand.focus)
    whole: str = ""  # the whole question, when this is one of its parts

    @cached_property
    def asked(self) -> frozenset[str]:
        """The kinds of answer this part asks for; a part that asks none takes the whole question's
        ("ok y el q paga por sexo? que le pasa a el": the first part asks for the penalty too)."""
        return answer_types(self.text) or (answer_types(self.whole) & INHERITED_KINDS if self.whole else frozenset())

    @cached_property
    def ages(self) -> str:
        """The law's age band for a minor's age the question gives (understand.age_words), or ""."""
        return age_words(self.text, self.language)


@dataclass
class Vocabulary:
    """The word maps keyword search uses."""

    synonyms: Synonyms
    glossary: Synonyms  # Spanish -> English
    borrowed: Synonyms  # English words a Spanish question borrows -> the translations' words
    named: NamedSections = field(default_factory=lambda: NamedSections({}))
    statutes: Synonyms = field(default_factory=lambda: Synonyms({}))  # a law's number -> its documents
    services: Synonyms = field(default_factory=lambda: Synonyms({}))  # a help line's name -> its document

    @classmethod
    def load(cls, knowledge_dir: Path) -> Vocabulary:
        names = ("synonyms.yaml", "glossary-es.yaml", "borrowed-es.yaml")
        synonyms, glossary, borrowed = (Synonyms.load(knowledge_dir / name) for name in names)
        named = NamedSections.load(knowledge_dir / "named-sections.yaml")
        statutes, services = (Synonyms.load(knowledge_dir / name) for name in ("statutes.yaml", "services.yaml"))
        return cls(synonyms, glossary, borrowed, named, statutes, services)

    def laws(self, text: str) -> frozenset[str]:
        """The documents of the laws the text names by number (knowledge/statutes.yaml)."""
        return _documents(self.statutes, text)

    def lines(self, text: str) -> frozenset[str]:
        """The documents of the help lines the text names (knowledge/services.yaml)."""
        return _documents(self.services, text)


def _documents(names: Synonyms, text: str) -> frozenset[str]:
    """The document ids a name map gives for the names in the text."""
    return frozenset(doc for docs in names.extra(text) for doc in docs.split())


def english_words(text: str, vocab: Vocabulary) -> str:
    """A Spanish question's English words: from the glossary and the synonym map, and the English
    words it borrows."""
    return " ".join(vocab.glossary.extra(text) + vocab.synonyms.extra(text) + vocab.borrowed.found(text))


def ranking_words(text: str, language: str, vocab: Vocabulary) -> list[str]:
    """More words to rank a section's sentences by, for a Spanish question: what the borrowed-word
    map and the glossary add ("sordo" -> TTY, 711; the translations keep such terms)."""
    if language != "es":
        return []
    return _words(" ".join(vocab.borrowed.extra(text) + vocab.glossary.extra(text)), language)


def candidate_lists(
    index: KnowledgeIndex, query: Query, vocab: Vocabulary, headings: np.ndarray, today: int, residents: bool
) -> dict[str, list[tuple[int, float]]]:
    """The ranked lists of candidates, by name: (chunk position, score), best first."""
    text = f"{query.text} {query.hint} {query.ages}"
    if query.language == "es":
        spanish, english = Scope("es", today, residents), Scope("en", today, residents)
        own = vocab.synonyms.expand(vocab.borrowed.expand(text))
        return {
            "keyword_es": index.keyword(_words(own, "es"), spanish, CANDIDATES),
            "keyword_en": index.keyword(_words(english_words(text, vocab), "en"), english, CANDIDATES),
            "dense": index.dense(query.embedding, spanish, CANDIDATES),
            "heading": index.best_headings(headings, spanish, CANDIDATES),
        }
    scope = Scope("en", today, residents)
    return {
        "dense": index.dense(query.embedding, scope, CANDIDATES),
        "keyword": index.keyword(_words(vocab.synonyms.expand(text), "en"), scope, CANDIDATES),
        "heading": index.best_headings(headings, scope, CANDIDATES),
    }


def _words(text: str, language: str) -> list[str]:
    return [w for w in tokens(text, language) if w not in PLACE_WORDS]


def fuse(
    lists: dict[str, list[tuple[int, float]]],
    index: KnowledgeIndex,
    headings: np.ndarray,
    language: str,
    asked: frozenset[str],
    sides: tuple[Contrast, ...] = (),
    barred: frozenset[str] = frozenset(),
    named: dict[str, float] | None = None,
    minor: bool = False,
) -> list[Hit]:
    """One score per section pair: a weighted sum of its dense cosine, its heading cosine, its
    keyword score (as a share of the best keyword score of its list) and the answer-kind bonus,
    and CONTRARY more or less when its heading names only the side of a contrast the question
    asks about, or only the other side (`sides`: felony or misdemeanor, English or Spanish).
    `barred` section pairs are never added as siblings. The sections of the `named` documents (of
    the laws the question names by number, the help lines it names) are candidates and score
    their bonus more. `minor`: the question gives a minor's age (prefer_asked_kind)."""
    weights = WEIGHTS["es" if language == "es" else "en"]
    hits: dict[str, Hit] = {}
    for name, ranked in lists.items():
        top = ranked[0][1] if ranked else 1.0
        for rank, (position, score) in enumerate(ranked, start=1):
            chunk = index.chunks[position]
            hit = hits.setdefault(chunk.pair, Hit(chunk, 0.0))
            _record(hit, name, score / top if name.startswith("keyword") else score, rank)
    floor = min((s for name in ("dense", "dense_en") for _, s in lists.get(name, [])), default=0.0)
    named = named or {}
    scored = _score(list(hits.values()), index, headings, weights, floor, asked, sides, named)
    # the other sections of the best documents, and of the laws and lines named
    for doc in [*(hit.chunk.doc_id for hit in scored[:SIBLING_DOCUMENTS]), *sorted(named)]:
        for position in index.sections_of.get(doc, []):
            chunk = index.chunks[position]
            if chunk.pair not in hits and not chunk.disclaimer and chunk.pair not in barred:
                hits[chunk.pair] = Hit(chunk, 0.0)
    scored = _score(list(hits.values()), index, headings, weights, floor, asked, sides, named)
    return prefer_asked_kind(scored, asked, minor)


def _score(
    hits: list[Hit], index: KnowledgeIndex, headings: np.ndarray, weights: dict[str, float], floor: float,
    asked: frozenset[str], sides: tuple[Contrast, ...], named: dict[str, float],
) -> list[Hit]:  # fmt: skip
    for hit in hits:
        hit.heading = float(headings[index.position[hit.chunk.id]])
        hit.kinds = index.kinds[index.position[hit.chunk.id]]
        shared = asked & hit.kinds
        hit.type_match = bool(shared)
        dense = hit.dense if hit.dense is not None else floor - MISSING_DENSE
        hit.fused = (
            weights["dense"] * dense + weights["heading"] * hit.heading + weights["keyword"] * (hit.keyword or 0.0)
        ) / sum(weights.values()) + max((TYPE_BONUS[t] for t in shared), default=0.0)
        hit.fused += named.get(hit.chunk.english_doc, 0.0)
        heading = fold(hit.chunk.heading)
        for asked_side, other_side in sides:
            if bool(asked_side.search(heading)) != bool(other_side.search(heading)):
                hit.fused += CONTRARY / 2 if asked_side.search(heading) else -CONTRARY
    return sorted(hits, key=lambda h: -h.fused)


# The police named only to say they are not wanted ("no quiero llamar a la policia, hay una linea
# en español?") do not open the sections about the police (the non-emergency number). The gate also
# drops the forms understand.NOT_POLICE rules out ("a number that isn't the police"), which answer
# types drop too; these forms only the gate drops.
NOT_WANTED = re.compile(
    r"\b(?:no quiero|i don'?t want(?: to)?|i do not want(?: to)?|without|sin)\s+"
    r"(?:(?:llamar|call|calling|involve|involving|involucrar|ir|go|going|que venga)\s+)?(?:a |to )?(?:la |the )?"
    r"(?:policia|police|cops)\b"
)
# Whether a minor can be charged: for a question that gives a minor's age, this answers "what would
# I get" ("if I'm 17 and get caught selling sex do I go to jail?" got the adults' penalty first).
MINOR_CHARGED = re.compile(r"\b(?:under 18|a minor) be charged\b|\bpueden acusar de prostitucion a\b")


def prefer_asked_kind(hits: list[Hit], asked: frozenset[str], minor: bool = False) -> list[Hit]:
    """When the question asks for a specific kind of answer (a deadline, a penalty, a number to
    call ...) and the best section is not of that kind, a section of that kind nearly as good
    goes first; not over the best when it says whether a minor can be charged and the question
    gives a minor's age (`minor`)."""
    wanted = asked & SPECIFIC_KINDS
    wanted = wanted - {"contact"} or wanted  # any section with a number gives "contact": the other kind decides
    if not hits or not wanted or wanted & hits[0].kinds:
        return hits
    if minor and MINOR_CHARGED.search(fold(hits[0].chunk.heading)):
        return hits
    # The best document's own sections first. Another document's section only for a next step or
    # a deadline ("me arrestaron, ¿qué pasa ahora?" -> what happens after an arrest): another
    # document's hours, number or penalty answer another service or offence (on dev, preferring
    # them lost more questions than it won).
    best = hits[0]
    share = TRIVIA_SHARE if "history" in best.kinds and "history" not in asked else KIND_SHARE
    near = [h for h in hits[1:] if h.fused >= share * best.fused and wanted & h.kinds]
    same = [h for h in near if h.chunk.doc_id == best.chunk.doc_id]
    hit = next(iter(same or [h for h in near if wanted & h.kinds & CROSS_DOCUMENT_KINDS]), None)
    if hit is None:
        return hits
    return [hit, *(h for h in hits if h is not hit)]


def _record(hit: Hit, name: str, score: float, rank: int) -> None:
    if name.startswith("keyword"):
        if hit.keyword is None or score > hit.keyword:
            hit.keyword, hit.keyword_rank = score, rank
    elif name.startswith("dense"):
        if hit.dense is None or score > hit.dense:
            hit.dense, hit.dense_rank = score, rank
    elif name.startswith("heading") and (hit.heading_rank is None or rank < hit.heading_rank):
        hit.heading_rank = rank


def _allowed(chunk: Chunk, barred: frozenset[str], keep_disclaimer: bool) -> bool:
    """Not a section the question does not name, nor the not-legal-advice notice (the code adds it)
    unless the question asks about legal advice."""
    return chunk.pair not in barred and (keep_disclaimer or not chunk.disclaimer)


def shown_chunk(index: KnowledgeIndex, hit: Hit, language: str, today: int, residents: bool) -> Chunk | None:
    """The chunk to show for a hit: the question's language when that translation may be served."""
    positions = index.pairs.get(hit.chunk.pair, {})
    for lang in (language, "en"):
        position = positions.get(lang)
        if position is not None and index.mask(Scope(lang, today, residents))[position]:
            return index.chunks[position]
    return None


def search(
    index: KnowledgeIndex,
    query: Query,
    vocab: Vocabulary,
    *,
    today: int,
    residents: bool = True,
    k: int = 5,
    floor: float = 0.45,
    mode: str = "hybrid",
) -> Retrieval:
    """The top k sections for a question, and whether the best is relevant enough to answer."""
    headings = index.heading_scores(query.embedding)
    if query.focus is not None:
        headings = np.maximum(headings, index.heading_scores(query.focus))
    lists = candidate_lists(index, query, vocab, headings, today, residents)
    if mode != "hybrid":
        lists = {name: ranked for name, ranked in lists.items() if name.startswith(mode)}
    asked = query.asked
    # the whole question, without the police it rules out (both ways of saying so)
    gated = without_police_ruled_out(NOT_WANTED.sub(" ", fold(f"{query.text} {query.whole}")))
    barred = vocab.named.unnamed(index, f"{gated} {query.hint}")  # and a card's category words
    keep_disclaimer = bool(LEGAL_ADVICE.search(fold(query.text)))
    lists = {
        name: [r for r in ranked if _allowed(index.chunks[r[0]], barred, keep_disclaimer)]
        for name, ranked in lists.items()
    }
    sides = contrasts(f"{query.text} {query.ages}")
    named = {doc: SERVICE_BONUS for doc in vocab.lines(query.text)} | {doc: LAW_BONUS for doc in vocab.laws(query.text)}
    fused = fuse(lists, index, headings, query.language, asked, sides, barred, named, bool(query.ages))
    hits: list[Hit] = []
    for hit in fused:
        chunk = shown_chunk(index, hit, query.language, today, residents)
        if chunk is not None:
            hit.chunk = chunk
            hits.append(hit)
        if len(hits) == k:
            break
    best_dense = max((s for name, r in lists.items() if name.startswith("dense") for _, s in r), default=0.0)
    best_keyword = max((s for name, r in lists.items() if name.startswith("keyword") for _, s in r), default=0.0)
    score = max((h.fused for h in hits), default=0.0)  # "is the best section about this question"
    if mode == "keyword":
        relevant = best_keyword >= KEYWORD_ONLY_FLOOR
    else:
        relevant = score >= floor
    fallback = bool(hits) and query.language != "en" and hits[0].chunk.language == "en"
    words = _words(query.text, query.language)
    return Retrieval(
        hits, relevant and bool(hits), score, floor, best_dense, best_keyword, words, index.version, fallback, asked
    )

