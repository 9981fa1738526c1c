"""The vetted phone directory (knowledge/directory.yaml) and finding phone numbers in text.

A number can hide behind its spelling: en dashes, non-breaking hyphens, full-width digits,
zero-width characters. Text is normalised first (NFKC, every dash to '-', invisible
characters removed), then searched twice: by a pattern, and by libphonenumber's matcher.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
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
DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d\u30fc"), "-"
)
STATUSES = ("verified", "needs-review")
URL = re.compile(r"(?:https?:)?//\S+|\bwww\.\S+", re.IGNORECASE)


def normalise(text: str) -> str:
    """Full-width digits and every dash as ASCII, invisible characters removed, odd spaces as spaces."""
    text = unicodedata.normalize("NFKC", text).translate(DASHES)
    return "".join(
        " " if unicodedata.category(c) == "Zs" else c for c in text if unicodedata.category(c) != "Cf"
    )


def digits(text: str) -> str:
    """The digits of a phone number, without a leading country code 1."""
    found = re.sub(r"\D", "", normalise(text))
    return found[1:] if len(found) == 11 and found.startswith("1") else found


def find_numbers(text: str) -> list[tuple[str, str]]:
    """Every phone number in the text: (as written after normalising, its digits)."""
    import phonenumbers

    clean = normalise(text)
    found = {m.group(0).strip(): digits(m.group(0)) for m in PHONE.finditer(clean)}
    # Web addresses hold dates and ids ("/2020/01-2020/") that look like numbers to libphonenumber.
    for match in phonenumbers.PhoneNumberMatcher(URL.sub(" ", clean), "US", leniency=phonenumbers.Leniency.POSSIBLE):
        found.setdefault(match.raw_string.strip(), str(match.number.national_number))
    return list(found.items())


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
    text_number: str = ""  # a text line ("233733"), when the service takes texts
    text_keyword: str = ""  # what to text ("HELP")
    review_by: dt.date | None = None


@dataclass(frozen=True)
class Directory:
    """The vetted phone directory; `verified_digits` is the only set that may be shown."""

    entries: tuple[Entry, ...]
    verified_digits: frozenset[str] = field(default_factory=frozenset)

    def is_verified(self, number: str) -> bool:
        return digits(number) in self.verified_digits

    def unvetted(self, text: str) -> list[str]:
        """Phone numbers in the text that are not verified entries (as written)."""
        return [written for written, number in find_numbers(text) if number not in self.verified_digits]

    def get(self, entry_id: str) -> Entry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)

    def verified(self) -> list[Entry]:
        return [e for e in self.entries if e.status == "verified"]


def load_directory(path: Path) -> Directory:
    """Load and validate directory.yaml; a bad entry names the file and the entry."""
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(where, f"cannot read the directory: {exc}") from exc
    entries = [_entry(where, i, item) for i, item in enumerate(raw.get("entries") or [], start=1)]
    if not entries:
        raise KnowledgeError(where, "the directory has no entries")
    numbers = (n for e in entries if e.status == "verified" for n in (e.number, *e.also, e.text_number))
    verified = frozenset(digits(n) for n in numbers)
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
    texts = item.get("text") or {}
    review_by = item.get("review_by")
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
        text_number=str(texts.get("number", "")) if isinstance(texts, dict) else "",
        text_keyword=str(texts.get("keyword", "")) if isinstance(texts, dict) else "",
        review_by=review_by if isinstance(review_by, dt.date) else None,
    )
