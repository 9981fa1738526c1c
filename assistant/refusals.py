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
# Chat spellings read as the words the patterns are written with ("en q calle", "pa q la jara").
SHORT = {"q": "que", "k": "que", "pa": "para", "xq": "porque", "pq": "porque", "tmb": "tambien", "u": "you"}
SHORT["dnd"] = "donde"
SHORT_WORD = re.compile(r"\b(?:" + "|".join(SHORT) + r")\b")
Patterns = dict[str, list[re.Pattern[str]]]
INJECTION = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above|earlier|the) (?:instructions|rules|prompts?)"
    r"|system prompt|you are now|developer mode|disregard (?:your|the|all)|jailbreak|</?system>|<\s*script",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[Patterns, Patterns, Patterns, Patterns, Patterns]:
    """Refusal patterns, their exceptions, what a classifier refusal needs (with `request`), the
    strict patterns that no exception lets through, and what the classifier never refuses."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))

    def compiled(section: dict[str, list[str]]) -> Patterns:
        return {cat: [re.compile(p) for p in pats] for cat, pats in section.items()}

    needs = compiled(raw.get("model_needs") or {})
    needs["request"] = [re.compile(p) for p in raw.get("request") or []]
    strict = compiled(raw.get("refusal_strict") or {})
    never = compiled(raw.get("model_not") or {})
    return compiled(raw["refusal"]), compiled(raw.get("refusal_except") or {}), needs, strict, never


def folded(message: str) -> str:
    """The message folded (lower case, no accents) with chat spellings written out."""
    return SHORT_WORD.sub(lambda m: SHORT[m.group(0)], fold(message))


def model_may_refuse(category: str, message: str) -> bool:
    """The classifier may refuse only a request that names what its category is about, and not
    a question about the law or whom to call ("is it against the law to pay for sex ...")."""
    text = folded(message)
    needs, never = _patterns()[2], _patterns()[4]
    if any(p.search(text) for p in never.get(category, [])):
        return False
    return any(p.search(text) for p in needs["request"]) and any(p.search(text) for p in needs.get(category, []))


def excepted(category: str, message: str) -> bool:
    """The message asks for help, safety, rights or a report, not for what the category refuses."""
    text = folded(message)
    return any(p.search(text) for p in _patterns()[1].get(category, []))


def refusal(message: str) -> tuple[str, str] | None:
    """(category, the pattern that matched) of a request to refuse, or None."""
    text = folded(message)
    refuse, _, _, strict, _ = _patterns()
    allowed = [(c, p) for c, p in refuse.items() if not excepted(c, message)]
    for category, patterns in [*strict.items(), *allowed]:
        for pattern in patterns:
            if pattern.search(text):
                return category, pattern.pattern
    return None


def has_injection(message: str) -> bool:
    return bool(INJECTION.search(message))
