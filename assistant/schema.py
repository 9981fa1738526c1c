"""Knowledge documents: the schema, loading, and validation that names the file and line.

Validation reports every problem of a file at once (a missing key, a bad date, a home page as
a source, an image or a non-web link, an unverified phone number ...), not one per run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from assistant.directory import Directory
from assistant.errors import KnowledgeError

REQUIRED = ("id", "title", "topics", "language", "status", "sources", "last_verified", "review_by")
KNOWN = (*REQUIRED, "translation_of")
LANGUAGES = ("en", "es")
STATUSES = ("verified", "needs-review")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK_TARGET = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]*)")
HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
# Sites whose first path segment is an agency's home page, not a page that states a fact.
AGENCY_PORTALS = ("portal.ct.gov",)


class _DatesAsText(yaml.SafeLoader):
    """YAML loader that leaves dates as text, so a bad date is reported with its line."""


_DatesAsText.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


HEADING = re.compile(r"^(#{1,3})\s+(.*)$")  # "# Title" (level 1) or a "## section" heading


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    sections: tuple[str, ...] = ()  # the headings this page backs; empty: the whole document


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

    def sources_for(self, heading: str) -> tuple[Source, ...]:
        """The pages behind one section, most specific first: those that name its heading, then
        the document's others in their order (a citation shows the first)."""
        named = tuple(s for s in self.sources if heading in s.sections)
        return named + tuple(s for s in self.sources if s not in named)

    def servable(self, today: dt.date) -> bool:
        """May this document be used in a resident's answer today?"""
        return self.status == "verified" and self.review_by >= today


def date_number(day: dt.date) -> int:
    """A date as a sortable number (20271101) for Chroma `$gte` filters."""
    return day.year * 10000 + day.month * 100 + day.day


def is_home_page(url: str) -> bool:
    """A bare domain, or an agency's root on a state portal: a page that states no fact."""
    parsed = urlparse(url)
    segments = [s for s in parsed.path.split("/") if s]
    if not segments:
        return True
    return parsed.netloc.lower().removeprefix("www.") in AGENCY_PORTALS and len(segments) == 1


def knowledge_files(folder: Path) -> list[Path]:
    """Every document under the knowledge folder, in a stable order (README.md and eval/ excluded)."""
    return sorted(
        p for p in folder.rglob("*.md") if p.name.lower() != "readme.md" and "eval" not in p.relative_to(folder).parts
    )


def load_documents(folder: Path, directory: Directory) -> tuple[list[Document], list[KnowledgeError]]:
    """Load every document; returns the valid ones and every problem of the invalid ones."""
    docs: list[Document] = []
    errors: list[KnowledgeError] = []
    seen: dict[str, str] = {}
    for path in knowledge_files(folder):
        rel = _relative(path, folder)
        try:
            doc = parse_document(path.read_text(encoding="utf-8"), rel, directory)
        except DocumentErrors as exc:
            errors.extend(exc.errors)
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


class DocumentErrors(KnowledgeError):
    """Every problem found in one document (the first one is the message)."""

    def __init__(self, errors: list[KnowledgeError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.path, first.problem, first.line)


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(Path(folder.name) / path.relative_to(folder))
    except ValueError:
        return str(path)


def parse_document(text: str, where: str, directory: Directory) -> Document:
    """Parse and validate one document; raises DocumentErrors listing every problem."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise DocumentErrors([KnowledgeError(where, "the file must start with a '---' frontmatter block", 1)])
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise DocumentErrors([KnowledgeError(where, "the frontmatter block is never closed with '---'", 1)])
    front_lines = lines[1:end]
    try:
        meta = yaml.load("\n".join(front_lines), Loader=_DatesAsText) or {}  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        detail = getattr(exc, "problem", None) or str(exc)
        raise DocumentErrors([KnowledgeError(where, f"the frontmatter is not valid YAML: {detail}", line)]) from exc
    if not isinstance(meta, dict):
        raise DocumentErrors([KnowledgeError(where, "the frontmatter must be a mapping of keys", 2)])
    checker = _Checker(where, front_lines)
    body = "\n".join(lines[end + 1 :])
    doc = checker.document(meta, body, end + 2)
    checker.body(lines, end + 1, directory, meta.get("status") == "verified")
    if checker.errors or doc is None:
        raise DocumentErrors(checker.errors or [KnowledgeError(where, "invalid document", 1)])
    return doc


class _Checker:
    """Collects the problems of one document, each with its line."""

    def __init__(self, where: str, front: list[str]) -> None:
        self.where = where
        self.front = front
        self.errors: list[KnowledgeError] = []

    def fail(self, key: str, problem: str) -> None:
        self.errors.append(KnowledgeError(self.where, problem, self._line_of(key)))

    def _line_of(self, key: str) -> int:
        for i, line in enumerate(self.front):
            if re.match(rf"^{re.escape(key)}\s*:", line):
                return i + 2
        return 1

    def document(self, meta: dict[str, Any], body: str, body_line: int) -> Document | None:
        for key in REQUIRED:
            if meta.get(key) in (None, "", []):
                self.errors.append(KnowledgeError(self.where, f"missing required key {key!r}", 1))
        for key in meta:
            if key not in KNOWN:
                self.fail(str(key), f"unknown key {key!r} (known: {', '.join(KNOWN)})")
        self._values(meta)
        sources = self._sources(meta.get("sources"), meta.get("status") == "verified")
        self.section_headings(sources, body)
        last_verified = self._date(meta.get("last_verified"), "last_verified")
        review_by = self._date(meta.get("review_by"), "review_by")
        if last_verified and review_by and review_by < last_verified:
            self.fail("review_by", "review_by is before last_verified")
        if not body.strip():
            self.errors.append(KnowledgeError(self.where, "the document has no text after the frontmatter", body_line))
        if self.errors or last_verified is None or review_by is None:
            return None
        digest = hashlib.sha256(("\n".join(self.front) + "\n" + body).encode("utf-8")).hexdigest()
        return Document(
            id=str(meta["id"]),
            title=str(meta["title"]).strip(),
            topics=tuple(meta["topics"]),
            language=str(meta["language"]),
            status=str(meta["status"]),
            sources=sources,
            last_verified=last_verified,
            review_by=review_by,
            body=body,
            path=self.where,
            body_line=body_line,
            translation_of=str(meta.get("translation_of") or ""),
            content_hash=digest,
        )

    def _values(self, meta: dict[str, Any]) -> None:
        if meta.get("id") and not ID_PATTERN.match(str(meta["id"])):
            self.fail("id", f"id {meta['id']!r} must be lowercase letters, digits and dashes")
        if meta.get("status") and meta["status"] not in STATUSES:
            self.fail("status", f"unknown status {meta['status']!r} (use verified or needs-review)")
        if meta.get("language") and meta["language"] not in LANGUAGES:
            self.fail("language", f"unknown language {meta['language']!r} (use en or es)")
        if meta.get("language") == "es" and not meta.get("translation_of"):
            self.fail("language", "a Spanish document needs translation_of: <english id>")
        topics = meta.get("topics")
        if topics is not None and (not isinstance(topics, list) or not all(isinstance(t, str) and t for t in topics)):
            self.fail("topics", "topics must be a list of words")

    def _sources(self, raw: Any, verified: bool) -> tuple[Source, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            self.fail("sources", "sources must be a non-empty list of {title, url}")
            return ()
        out = []
        for item in raw:
            if not isinstance(item, dict) or not item.get("title") or not item.get("url"):
                self.fail("sources", "each source needs a title and a url")
                continue
            url = str(item["url"]).strip()
            if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
                self.fail("sources", f"source url {url!r} is not an http(s) URL")
            elif verified and is_home_page(url):
                self.fail("sources", f"source url {url!r} is a home page: cite the page that states the fact")
            out.append(Source(str(item["title"]).strip(), url, self._source_sections(item.get("sections"))))
        return tuple(out)

    def _source_sections(self, raw: Any) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(isinstance(h, str) and h.strip() for h in raw):
            self.fail("sources", "a source's sections must be a list of the document's ## headings")
            return ()
        return tuple(h.strip() for h in raw)

    def section_headings(self, sources: tuple[Source, ...], body: str) -> None:
        """Each heading a source names must be a `##` heading of this document."""
        found = (HEADING.match(line) for line in body.splitlines())
        headings = {m.group(2).strip() for m in found if m and len(m.group(1)) > 1}
        for heading in (h for source in sources for h in source.sections):
            if heading not in headings:
                line = next((i + 2 for i, text in enumerate(self.front) if heading in text), self._line_of("sources"))
                problem = f"source section {heading!r} is not a ## heading here"
                self.errors.append(KnowledgeError(self.where, problem, line))

    def _date(self, raw: Any, key: str) -> dt.date | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            self.fail(key, f"{key} {raw!r} is not a date (YYYY-MM-DD)")
            return None

    def body(self, lines: list[str], first_body: int, directory: Directory, verified: bool) -> None:
        """Images, raw HTML and non-web links never; phone numbers only from the verified directory."""
        for index in range(first_body, len(lines)):
            line = lines[index]
            problems = [f"an image ({m.group(0)[:40]!r}) is not allowed" for m in IMAGE.finditer(line)]
            problems += [f"raw HTML ({m.group(0)[:40]!r}) is not allowed" for m in HTML.finditer(line)]
            for target in LINK_TARGET.findall(IMAGE.sub("", line)):
                if not re.match(r"^https?://", target):
                    problems.append(f"link target {target[:40]!r} is not an http(s) URL")
            if verified:
                problems += [
                    f"phone number {n!r} is not a verified entry of directory.yaml" for n in directory.unvetted(line)
                ]
            self.errors += [KnowledgeError(self.where, p, index + 1) for p in problems]
