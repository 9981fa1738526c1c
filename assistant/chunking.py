"""Sections: each `##` section of a document is one chunk, the unit that is searched and cited.

A Spanish document is a translation of an English one with the same sections in the same
order, so each Spanish section knows the English section it translates (`pair`): a Spanish
question can match either side and is answered from the Spanish text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import KnowledgeError
from assistant.schema import HEADING, Document, Source, date_number

# Sentence ends: . ! ? followed by space and a capital, digit, quote or opening bracket.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(¿¡A-Z0-9ÁÉÍÓÚÑ])")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
ABBREVIATION = re.compile(r"\b(?:Inc|St|Dr|Mr|Mrs|Ms|Jr|Sr|No|vs|etc|Ave|Rd|Sra|a\.m|p\.m)\.$")
# The "is this legal advice?" sections: the code adds that notice itself, so they are never content.
DISCLAIMER = re.compile(r"legal advice|asesor[ií]a legal|consejo legal", re.IGNORECASE)


@dataclass(frozen=True)
class Chunk:
    """One section of a document."""

    id: str
    doc_id: str
    title: str
    heading: str
    text: str
    language: str
    status: str
    review_by: int
    topics: tuple[str, ...]
    sources: tuple[Source, ...]
    translation_of: str = ""
    section: int = 0
    path: str = ""
    line: int = 0
    questions: tuple[str, ...] = ()  # example questions residents ask that this section answers
    sentences: tuple[str, ...] = field(default=(), compare=False)

    @property
    def pair(self) -> str:
        """The English section this one is (the same id for English sections)."""
        return f"{self.translation_of}#{self.section}" if self.translation_of else self.id

    @property
    def english_doc(self) -> str:
        return self.translation_of or self.doc_id

    @property
    def disclaimer(self) -> bool:
        return bool(DISCLAIMER.search(self.heading))

    @property
    def embed_text(self) -> str:
        """What the model embeds: the title and heading give the section its context."""
        return f"{self.title}. {self.heading}.\n{self.text}"

    def metadata(self) -> dict[str, Any]:
        """Flat metadata for Chroma (strings and numbers only)."""
        return {
            "chunk_id": self.id,
            "doc_id": self.doc_id,
            "title": self.title,
            "heading": self.heading,
            "language": self.language,
            "status": self.status,
            "review_by": self.review_by,
            "topics": ",".join(self.topics),
            "sources": json.dumps([[s.title, s.url] for s in self.sources]),
            "translation_of": self.translation_of,
            "section": self.section,
            "path": self.path,
            "line": self.line,
            "text": self.text,
            "questions": json.dumps(list(self.questions), ensure_ascii=False),
        }

    def to_record(self) -> dict[str, Any]:
        return self.metadata()

    @property
    def keyword_text(self) -> str:
        """What the keyword index holds: title, heading, text and the example questions."""
        return " ".join([self.title, self.heading, self.text, *self.questions])

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Chunk:
        text = str(record["text"])
        return cls(
            id=str(record["chunk_id"]),
            doc_id=str(record["doc_id"]),
            title=str(record["title"]),
            heading=str(record["heading"]),
            text=text,
            language=str(record["language"]),
            status=str(record["status"]),
            review_by=int(record["review_by"]),
            topics=tuple(t for t in str(record["topics"]).split(",") if t),
            sources=tuple(Source(t, u) for t, u in json.loads(record["sources"])),
            translation_of=str(record.get("translation_of", "")),
            section=int(record.get("section", 0)),
            path=str(record.get("path", "")),
            line=int(record.get("line", 0)),
            questions=tuple(json.loads(record.get("questions") or "[]")),
            sentences=split_sentences(text),
        )


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of a section; each list item counts as one sentence."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if lines and all(LIST_ITEM.match(ln) for ln in lines):
            out.extend(LIST_ITEM.sub("", ln) for ln in lines)
            continue
        joined = " ".join(LIST_ITEM.sub("", ln) for ln in lines)
        for piece in (s.strip() for s in SENTENCE_END.split(joined) if s.strip()):
            if out and ABBREVIATION.search(out[-1]):
                out[-1] = f"{out[-1]} {piece}"  # "Community Health Center, Inc. (CHC)" is one sentence
            else:
                out.append(piece)
    return tuple(out)


def sections(doc: Document) -> list[tuple[str, str, int]]:
    """(heading, text, line of the heading) of each section; text before the first `##` is 'Overview'."""
    heading, line = "Overview", doc.body_line
    lines: list[str] = []
    found: list[tuple[str, str, int]] = []
    for offset, raw in enumerate(doc.body.splitlines()):
        match = HEADING.match(raw)
        if match:
            found.append((heading, "\n".join(lines).strip(), line))
            heading, line, lines = match.group(2).strip(), doc.body_line + offset, []
            if len(match.group(1)) == 1:
                heading = "Overview"  # the document title
        else:
            lines.append(raw)
    found.append((heading, "\n".join(lines).strip(), line))
    return [(h, t, ln) for h, t, ln in found if t]


def chunk_document(doc: Document, questions: dict[int, tuple[str, ...]] | None = None) -> list[Chunk]:
    """One chunk per section; each keeps the document's id, title, language, status and sources.

    `questions` gives example questions by section number.
    """
    questions = questions or {}
    return [
        Chunk(
            id=f"{doc.id}#{number}",
            doc_id=doc.id,
            title=doc.title,
            heading=heading,
            text=text,
            language=doc.language,
            status=doc.status,
            review_by=date_number(doc.review_by),
            topics=doc.topics,
            sources=doc.sources_for(heading),
            translation_of=doc.translation_of,
            section=number,
            path=doc.path,
            line=line,
            questions=questions.get(number, ()),
            sentences=split_sentences(text),
        )
        for number, (heading, text, line) in enumerate(sections(doc))
    ]


def alignment_errors(documents: list[Document]) -> list[KnowledgeError]:
    """Each translation has the sections of its original, in the same order."""
    by_id = {d.id: d for d in documents}
    errors = []
    for doc in documents:
        if not doc.translation_of:
            continue
        original = by_id.get(doc.translation_of)
        if original is None:
            errors.append(KnowledgeError(doc.path, f"translation_of {doc.translation_of!r} is not a document", 1))
            continue
        mine, theirs = sections(doc), sections(original)
        if len(mine) != len(theirs):
            line = mine[min(len(mine), len(theirs)) - 1][2] if mine else doc.body_line
            errors.append(
                KnowledgeError(
                    doc.path,
                    f"{len(mine)} sections, but {original.path} has {len(theirs)}: "
                    "a translation keeps the same sections in the same order",
                    line,
                )
            )
    return errors
