"""The vetted phone directory (knowledge/directory.yaml) and phone-number checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.errors import KnowledgeError

# A North American number written with or without separators: 1-888-373-7888, (860) 465-3135,
# 888.774.2900, +1 800 222 1222, 8005634086 ... and a bare local 7-digit number (456-2261).
PHONE = re.compile(
    r"(?<![\w/.=-])(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\w-])"
    r"|(?<![\w/.=$,-])\d{3}-\d{4}(?![\w-])"
)
STATUSES = ("verified", "needs-review")


def digits(text: str) -> str:
    """The digits of a phone number, without a leading country code 1."""
    found = re.sub(r"\D", "", text)
    return found[1:] if len(found) == 11 and found.startswith("1") else found


def find_numbers(text: str) -> list[str]:
    """Every phone-number-looking string in the text, as written."""
    return [m.group(0).strip() for m in PHONE.finditer(text)]


@dataclass(frozen=True)
class Entry:
    """One line of the directory."""

    id: str
    name: str
    number: str
    status: str
    purpose: str = ""
    hours: str = ""
    languages: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    source_url: str = ""


@dataclass(frozen=True)
class Directory:
    """The vetted phone directory; `verified_digits` is the only set that may be shown."""

    entries: tuple[Entry, ...]
    verified_digits: frozenset[str] = field(default_factory=frozenset)

    def is_verified(self, number: str) -> bool:
        return digits(number) in self.verified_digits

    def unvetted(self, text: str) -> list[str]:
        """Phone numbers in the text that are not verified entries."""
        return [n for n in find_numbers(text) if not self.is_verified(n)]

    def get(self, entry_id: str) -> Entry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)


def load_directory(path: Path) -> Directory:
    """Load and validate directory.yaml; a bad entry names the file and the entry."""
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(where, f"cannot read the directory: {exc}") from exc
    entries: list[Entry] = []
    for i, item in enumerate(raw.get("entries") or [], start=1):
        entries.append(_entry(where, i, item))
    if not entries:
        raise KnowledgeError(where, "the directory has no entries")
    verified = frozenset(digits(n) for e in entries if e.status == "verified" for n in (e.number, *e.also))
    return Directory(tuple(entries), verified - {""})


def _entry(where: str, index: int, item: object) -> Entry:
    if not isinstance(item, dict):
        raise KnowledgeError(where, f"entry {index} is not a mapping")
    missing = [k for k in ("id", "name", "number", "status") if not item.get(k)]
    if missing:
        raise KnowledgeError(where, f"entry {index} is missing {', '.join(missing)}")
    if item["status"] not in STATUSES:
        raise KnowledgeError(where, f"entry {item['id']}: unknown status {item['status']!r}")
    source = item.get("source") or {}
    return Entry(
        id=str(item["id"]),
        name=str(item["name"]),
        number=str(item["number"]),
        status=str(item["status"]),
        purpose=str(item.get("purpose", "")),
        hours=str(item.get("hours", "")),
        languages=tuple(str(x) for x in item.get("languages") or ()),
        also=tuple(str(x) for x in item.get("also") or () if re.fullmatch(r"[\d\s().+-]+", str(x))),
        source_url=str(source.get("url", "")) if isinstance(source, dict) else "",
    )
