"""Safety rails: crisis detection, refusals and scope, the footer, and the output guard."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from assistant.directory import Directory
from assistant.messages import CRISIS_CARDS, EXTRA_LINES, FOOTER, TOPIC_LINES
from assistant.text import fold

DATA = Path(__file__).resolve().parent / "data"
CATEGORIES = ("violence", "sexual_assault", "overdose", "suicide", "child", "trafficking", "poisoning")
# Keyword-search words that steer the answer under a crisis card to the category's help pages.
CATEGORY_HINTS = {
    "violence": "domestic violence Safe Connect violencia doméstica",
    "sexual_assault": "sexual assault crisis line agresión sexual",
    "overdose": "overdose naloxone Good Samaritan sobredosis naloxona",
    "suicide": "suicide crisis 988 suicidio crisis",
    "child": "child abuse DCF Careline abuso infantil",
    "trafficking": "human trafficking hotline trata de personas",
    "poisoning": "poisoning Poison Control envenenamiento",
}


Patterns = dict[str, list[re.Pattern[str]]]


@lru_cache(maxsize=1)
def _patterns() -> tuple[Patterns, Patterns, Patterns]:
    """Crisis, refusal and refusal-exception patterns of data/safety_patterns.yaml, compiled once."""
    raw = yaml.safe_load((DATA / "safety_patterns.yaml").read_text(encoding="utf-8"))

    def compiled(section: dict[str, list[str]]) -> Patterns:
        return {cat: [re.compile(p) for p in pats] for cat, pats in section.items()}

    return compiled(raw["crisis"]), compiled(raw["refusal"]), compiled(raw.get("refusal_except") or {})


SOFTENED = ("poisoning", "child", "sexual_assault")
FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|me|my|we|us|our|yo|mi|mis|nos|estoy|tengo)\b")
_QUESTION_ABOUT = re.compile(
    r"\b(?:what is|what's|whats|is it|is there|penalty|law|laws|illegal|legal|statute|charge|report|hotline"
    r"|number for|years ago|last year|arrested|convicted|charged|que es|ley|delito)\b"
)

INJECTION = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above|earlier|the) (?:instructions|rules|prompts?)"
    r"|system prompt|you are now|developer mode|disregard (?:your|the|all)|jailbreak|</?system>|<\s*script",
    re.IGNORECASE,
)
HTML_TAG = re.compile(r"<[^>]{0,200}>")


def is_general_question(folded: str) -> bool:
    """A question about the law or services, with nobody in it ("can a 16 year old be arrested")."""
    return bool(
        _QUESTION_ABOUT.search(folded) or folded.lstrip().startswith(("can ", "is ", "are ", "does "))
    ) and not FIRST_PERSON.search(folded)


@dataclass(frozen=True)
class CrisisMatch:
    category: str
    rule: str  # "pattern" or "similarity"
    score: float = 1.0


def keyword_crisis(message: str) -> CrisisMatch | None:
    """The first crisis category whose keyword patterns match the message."""
    folded = fold(message)
    for category in CATEGORIES:
        if any(p.search(folded) for p in _patterns()[0][category]):
            if category in SOFTENED and is_general_question(folded):
                continue
            return CrisisMatch(category, "pattern")
    return None


def refusal_category(message: str) -> str | None:
    folded = fold(message)
    _, refusals, exceptions = _patterns()
    for category, patterns in refusals.items():
        if any(p.search(folded) for p in exceptions.get(category, [])):
            continue
        if any(p.search(folded) for p in patterns):
            return category
    return None


def has_injection(message: str) -> bool:
    return bool(INJECTION.search(message))


class CrisisDetector:
    """A logistic regression on the message embedding, trained at start: crisis examples of
    data/crisis_examples.yaml against ordinary questions (that file's `safe` list plus the
    knowledge base's section headings, which are questions residents ask).

    The threshold favours recall: missing a crisis costs far more than a false alarm (the card
    is shown above the usual answer, which still follows). Measured on the held-out set by
    `python -m assistant.evaluate --crisis`.
    """

    def __init__(
        self,
        labels: list[str],
        vectors: np.ndarray,
        threshold: float = 0.4,
        threshold_es: float = 0.5,
        min_similarity: float = 0.3,
        ordinary_margin: float = 0.2,
        c: float = 4.0,
    ) -> None:
        from sklearn.linear_model import LogisticRegression

        self.labels = labels  # a category, or "safe"
        self.vectors = vectors
        self.threshold = threshold
        # The model reads Spanish less well (its scores spread less), so Spanish needs more.
        self.threshold_es = threshold_es
        self.min_similarity = min_similarity  # off-topic text is far from every crisis example
        self.ordinary_margin = ordinary_margin
        self._safe = np.array([label == "safe" for label in labels])
        is_crisis = ~self._safe
        self.model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(vectors, is_crisis)

    @classmethod
    def build(
        cls,
        embed_documents: Callable[[list[str]], list[list[float]]],
        extra_safe: list[str] | None = None,
        path: Path | None = None,
    ) -> CrisisDetector:
        labels, texts = load_examples(path or DATA / "crisis_examples.yaml")
        safe = [t for t in extra_safe or [] if not DANGER_WORDS.search(t)]
        labels, texts = labels + ["safe"] * len(safe), texts + safe
        return cls(labels, np.asarray(embed_documents(texts), dtype=np.float32))

    def probability(self, embedding: list[float]) -> float:
        """Probability that the message is about danger now, from the embedding alone."""
        vector = np.asarray(embedding, dtype=np.float32).reshape(1, -1)
        return float(self.model.predict_proba(vector)[0, 1])

    def nearest_crisis(self, embedding: list[float]) -> tuple[str, float]:
        """The category of the most similar crisis example, and that similarity."""
        category, similarity, _ = self.nearest(embedding)
        return category, similarity

    def nearest(self, embedding: list[float]) -> tuple[str, float, float]:
        """(nearest crisis category, its similarity, the nearest ordinary example's similarity)."""
        sims = self.vectors @ np.asarray(embedding, dtype=np.float32)
        best = max((i for i in range(len(self.labels)) if not self._safe[i]), key=lambda i: sims[i])
        return self.labels[best], float(sims[best]), float(sims[self._safe].max(initial=-1.0))

    def by_model(self, embedding: list[float], language: str = "en") -> CrisisMatch | None:
        probability = self.probability(embedding)
        if probability < (self.threshold_es if language == "es" else self.threshold):
            return None
        category, similarity, ordinary = self.nearest(embedding)
        # Far from every crisis example, or much closer to an ordinary message ("tell me a joke"):
        # the classifier's guess is not trusted there.
        if similarity < self.min_similarity or ordinary - similarity >= self.ordinary_margin:
            return None
        return CrisisMatch(category, "model", round(probability, 3))

    def detect(self, message: str, embedding: list[float] | None, language: str = "en") -> CrisisMatch | None:
        """Keyword patterns first, then the model."""
        match = keyword_crisis(message)
        if match or embedding is None:
            return match
        return self.by_model(embedding, language)


# Section headings that talk about danger are not "ordinary questions" for training.
DANGER_WORDS = re.compile(r"right now|ahora mismo|danger|peligro|emergenc|now\?", re.IGNORECASE)


def load_examples(path: Path) -> tuple[list[str], list[str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    labels: list[str] = []
    texts: list[str] = []
    for category, examples in (raw.get("crisis") or {}).items():
        for example in examples:
            labels.append(str(category))
            texts.append(str(example))
    for example in raw.get("safe") or []:
        labels.append("safe")
        texts.append(str(example))
    return labels, texts


# ---------------------------------------------------------------------------------------------
# What every answer carries


def crisis_card(category: str, language: str) -> str:
    cards = CRISIS_CARDS.get(language, CRISIS_CARDS["en"])
    return "\n\n".join(cards.get(category, cards["violence"]))


def extra_lines_for(topics: list[str], crisis: str | None) -> list[str]:
    keys: list[str] = []
    if crisis:
        keys.append(crisis)
    for topic in topics:
        key = TOPIC_LINES.get(topic)
        if key and key not in keys:
            keys.append(key)
    return [k for k in keys if k in EXTRA_LINES["en"]][:2]


def footer(language: str, extra: list[str] | None = None) -> str:
    lines = EXTRA_LINES.get(language, EXTRA_LINES["en"])
    parts = [FOOTER.get(language, FOOTER["en"])]
    parts += [lines[k] for k in extra or [] if k in lines]
    return "---\n" + "  \n".join(parts)


def with_footer(body: str, language: str, extra: list[str] | None = None) -> str:
    """Append the safety footer: done by code on every path."""
    return f"{body.rstrip()}\n\n{footer(language, extra)}"


def strip_html(text: str) -> str:
    """Remove tags so nothing in an answer can carry raw HTML or script."""
    return HTML_TAG.sub("", text).replace("<", "‹").replace(">", "›")


def guard(answer: str, directory: Directory) -> list[str]:
    """Phone numbers in an outgoing answer that are not verified (empty list = safe)."""
    return directory.unvetted(answer)
