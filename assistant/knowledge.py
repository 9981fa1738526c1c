"""Knowledge documents: loading, validation (naming file and line) and chunking."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.directory import Directory, find_numbers
from assistant.errors import KnowledgeError

REQUIRED = ("id", "title", "topics", "language", "status", "sources", "last_verified", "review_by")
KNOWN = (*REQUIRED, "translation_of")
LANGUAGES = ("en", "es")
STATUSES = ("verified", "needs-review")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Sentence ends: . ! ? followed by space and a capital, digit, quote or opening bracket.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(¿¡A-Z0-9ÁÉÍÓÚÑ])")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
ABBREVIATION = re.compile(r"\b(?:Inc|St|Dr|Mr|Mrs|Ms|Jr|Sr|No|vs|etc|Ave|Rd|Sra)\.$")


class _DatesAsText(yaml.SafeLoader):
    """YAML loader that leaves dates as text, so a bad date is reported with its line."""


_DatesAsText.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Document:
    """One curated knowledge document, validated."""

    id: str
    title: str
    topics: tuple[str, ...]
    language: str
    status: str
    sources: tuple[Source, ...]
    last_verified: dt.date
    review_by: dt.date
    body: str
    path: str
    body_line: int
    translation_of: str = ""
    content_hash: str = ""

    def servable(self, today: dt.date) -> bool:
        """May this document be used in a resident's answer today?"""
        return self.status == "verified" and self.review_by >= today


@dataclass(frozen=True)
class Chunk:
    """One section of a document: the unit that is embedded, searched and cited."""

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
    sentences: tuple[str, ...] = field(default=(), compare=False)

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
        }

    def to_record(self) -> dict[str, Any]:
        return {**self.metadata(), "text": self.text}

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
            sentences=split_sentences(text),
        )


def date_number(day: dt.date) -> int:
    """A date as a sortable number (20271101) for Chroma `$gte` filters."""
    return day.year * 10000 + day.month * 100 + day.day


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


# ---------------------------------------------------------------------------------------------
# Loading and validation


def knowledge_files(folder: Path) -> list[Path]:
    """Every document under the knowledge folder, in a stable order (README.md excluded)."""
    return sorted(p for p in folder.rglob("*.md") if p.name.lower() != "readme.md")


def load_documents(folder: Path, directory: Directory) -> tuple[list[Document], list[KnowledgeError]]:
    """Load every document; returns the valid ones and one error per invalid file."""
    docs: list[Document] = []
    errors: list[KnowledgeError] = []
    seen: dict[str, str] = {}
    for path in knowledge_files(folder):
        rel = _relative(path, folder)
        try:
            doc = parse_document(path.read_text(encoding="utf-8"), rel, directory)
        except KnowledgeError as exc:
            errors.append(exc)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(KnowledgeError(rel, f"cannot read the file: {exc}"))
            continue
        if doc.id in seen:
            errors.append(KnowledgeError(rel, f"duplicate id {doc.id!r} (also in {seen[doc.id]})", 2))
            continue
        seen[doc.id] = rel
        docs.append(doc)
    return docs, errors


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(Path(folder.name) / path.relative_to(folder))
    except ValueError:
        return str(path)


def parse_document(text: str, where: str, directory: Directory) -> Document:
    """Parse and validate one document; raises KnowledgeError naming file and line."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise KnowledgeError(where, "the file must start with a '---' frontmatter block", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise KnowledgeError(where, "the frontmatter block is never closed with '---'", 1) from None
    front_lines = lines[1:end]
    try:
        meta = yaml.load("\n".join(front_lines), Loader=_DatesAsText) or {}  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        detail = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError(where, f"the frontmatter is not valid YAML: {detail}", line) from exc
    if not isinstance(meta, dict):
        raise KnowledgeError(where, "the frontmatter must be a mapping of keys", 2)
    body = "\n".join(lines[end + 1 :])
    doc = _validate(meta, front_lines, body, where, end + 2)
    _check_numbers(doc, lines, end + 1, directory)
    return doc


def _line_of(key: str, front_lines: list[str]) -> int:
    for i, line in enumerate(front_lines):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return i + 2
    return 1


def _validate(meta: dict[str, Any], front: list[str], body: str, where: str, body_line: int) -> Document:
    def fail(key: str, problem: str) -> KnowledgeError:
        return KnowledgeError(where, problem, _line_of(key, front))

    for key in REQUIRED:
        if meta.get(key) in (None, "", []):
            raise KnowledgeError(where, f"missing required key {key!r}", 1)
    for key in meta:
        if key not in KNOWN:
            raise fail(str(key), f"unknown key {key!r} (known: {', '.join(KNOWN)})")
    doc_id = str(meta["id"])
    if not ID_PATTERN.match(doc_id):
        raise fail("id", f"id {doc_id!r} must be lowercase letters, digits and dashes")
    if meta["status"] not in STATUSES:
        raise fail("status", f"unknown status {meta['status']!r} (use verified or needs-review)")
    if meta["language"] not in LANGUAGES:
        raise fail("language", f"unknown language {meta['language']!r} (use en or es)")
    if meta["language"] == "es" and not meta.get("translation_of"):
        raise fail("language", "a Spanish document needs translation_of: <english id>")
    topics = meta["topics"]
    if not isinstance(topics, list) or not all(isinstance(t, str) and t for t in topics):
        raise fail("topics", "topics must be a list of words")
    sources = _sources(meta["sources"], fail)
    last_verified = _date(meta["last_verified"], "last_verified", fail)
    review_by = _date(meta["review_by"], "review_by", fail)
    if review_by < last_verified:
        raise fail("review_by", "review_by is before last_verified")
    if not body.strip():
        raise KnowledgeError(where, "the document has no text after the frontmatter", body_line)
    digest = hashlib.sha256(("\n".join(front) + "\n" + body).encode("utf-8")).hexdigest()
    return Document(
        id=doc_id,
        title=str(meta["title"]).strip(),
        topics=tuple(topics),
        language=str(meta["language"]),
        status=str(meta["status"]),
        sources=sources,
        last_verified=last_verified,
        review_by=review_by,
        body=body,
        path=where,
        body_line=body_line,
        translation_of=str(meta.get("translation_of") or ""),
        content_hash=digest,
    )


def _sources(raw: Any, fail: Any) -> tuple[Source, ...]:
    if not isinstance(raw, list) or not raw:
        raise fail("sources", "sources must be a non-empty list of {title, url}")
    out = []
    for item in raw:
        if not isinstance(item, dict) or not item.get("title") or not item.get("url"):
            raise fail("sources", "each source needs a title and a url")
        url = str(item["url"]).strip()
        if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
            raise fail("sources", f"source url {url!r} is not an http(s) URL")
        out.append(Source(str(item["title"]).strip(), url))
    return tuple(out)


def _date(raw: Any, key: str, fail: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise fail(key, f"{key} {raw!r} is not a date (YYYY-MM-DD)") from None


def _check_numbers(doc: Document, lines: list[str], first_body: int, directory: Directory) -> None:
    """A verified document may only carry verified directory numbers."""
    if doc.status != "verified":
        return
    for index in range(first_body, len(lines)):
        for number in find_numbers(lines[index]):
            if not directory.is_verified(number):
                raise KnowledgeError(
                    doc.path,
                    f"phone number {number!r} is not a verified entry of directory.yaml",
                    index + 1,
                )


# ---------------------------------------------------------------------------------------------
# Chunking


def chunk_document(doc: Document) -> list[Chunk]:
    """Split on headings (LangChain's Markdown header splitter); each section keeps the
    document's id, title, language, status and sources."""
    from langchain_text_splitters import MarkdownHeaderTextSplitter

    splitter = MarkdownHeaderTextSplitter([("#", "h1"), ("##", "h2"), ("###", "h3")])
    chunks: list[Chunk] = []
    for section in splitter.split_text(doc.body):
        text = section.page_content.strip()
        if not text:
            continue
        heading = section.metadata.get("h3") or section.metadata.get("h2") or "Overview"
        chunks.append(
            Chunk(
                id=f"{doc.id}#{len(chunks)}",
                doc_id=doc.id,
                title=doc.title,
                heading=str(heading),
                text=text,
                language=doc.language,
                status=doc.status,
                review_by=date_number(doc.review_by),
                topics=doc.topics,
                sources=doc.sources,
                translation_of=doc.translation_of,
                sentences=split_sentences(text),
            )
        )
    return chunks
