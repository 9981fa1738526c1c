"""Example questions per section (knowledge/questions/<document-id>.yaml).

Each file maps a section's English heading to questions residents ask that the section
answers, in English and Spanish. They are searched with the heading (their vectors, computed
at ingest) and the keyword index. A Spanish section gets the questions of the English section
it translates. A file that names an unknown document or heading is an error naming its line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from assistant.chunking import sections
from assistant.errors import KnowledgeError
from assistant.schema import Document

FOLDER = "questions"


def question_files(knowledge_dir: Path) -> list[Path]:
    return sorted((knowledge_dir / FOLDER).glob("*.yaml"))


def _line_of(text: str, heading: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if heading in line:
            return number
    return 1


def load_questions(
    knowledge_dir: Path, documents: list[Document]
) -> tuple[dict[str, dict[int, tuple[str, ...]]], dict[str, str], list[KnowledgeError]]:
    """(document id -> section number -> questions, document id -> hash of its questions, errors)."""
    by_id = {d.id: d for d in documents}
    found: dict[str, dict[int, tuple[str, ...]]] = {}
    hashes: dict[str, str] = {}
    errors: list[KnowledgeError] = []
    for path in question_files(knowledge_dir):
        where = f"{knowledge_dir.name}/{FOLDER}/{path.name}"
        text = path.read_text(encoding="utf-8")
        doc = by_id.get(path.stem)
        if doc is None:
            errors.append(KnowledgeError(where, f"no document has the id {path.stem!r}", 1))
            continue
        try:
            raw = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            errors.append(KnowledgeError(where, f"not valid YAML: {exc}", mark.line + 1 if mark else 1))
            continue
        numbers = {heading: n for n, (heading, _, _) in enumerate(sections(doc))}
        mine: dict[int, tuple[str, ...]] = {}
        for heading, langs in raw.items():
            if heading not in numbers:
                errors.append(KnowledgeError(where, f"no section {heading!r} in {doc.path}", _line_of(text, heading)))
                continue
            lists = langs.values() if isinstance(langs, dict) else [langs]
            mine[numbers[heading]] = tuple(str(q) for items in lists for q in items or [])
        found[doc.id] = mine
        hashes[doc.id] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    for doc in documents:  # a translation shares its original's questions
        if doc.translation_of in found:
            found[doc.id] = found[doc.translation_of]
            hashes[doc.id] = hashes[doc.translation_of]
    return found, hashes, errors
