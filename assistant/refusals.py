"""Refusals: requests the assistant never helps with, in English and Spanish.

Finding people to buy sex from or places where sex is sold, buying drugs, evading police or
stings, and identifying or finding a specific person. The patterns are data
(data/refusals.yaml); the reply is one kind line with the footer.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.words import fold

DATA = Path(__file__).resolve().parent / "data" / "refusals.yaml"
Patterns = dict[str, list[re.Pattern[str]]]
INJECTION = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above|earlier|the) (?:instructions|rules|prompts?)"
    r"|system prompt|you are now|developer mode|disregard (?:your|the|all)|jailbreak|</?system>|<\s*script",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[Patterns, Patterns]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))

    def compiled(section: dict[str, list[str]]) -> Patterns:
        return {cat: [re.compile(p) for p in pats] for cat, pats in section.items()}

    return compiled(raw["refusal"]), compiled(raw.get("refusal_except") or {})


def refusal(message: str) -> tuple[str, str] | None:
    """(category, the pattern that matched) of a request to refuse, or None."""
    folded = fold(message)
    refusals, exceptions = _patterns()
    for category, patterns in refusals.items():
        if any(p.search(folded) for p in exceptions.get(category, [])):
            continue
        for pattern in patterns:
            if pattern.search(folded):
                return category, pattern.pattern
    return None


def has_injection(message: str) -> bool:
    return bool(INJECTION.search(message))
