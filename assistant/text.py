"""Word handling shared by the keyword index, the query and the answer composer."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WORD = re.compile(r"\w+", re.UNICODE)
# Function words of English and Spanish that carry no topic.
_STOP = """a an and are as at be been but by can could did do does for from had has have how i if in
    into is it its me my of on or our so than that the their them then there these they this to
    up was we were what when where which who whom why will with would you your yours he she him
    her his hers i'm im am about any some just also not no ok okay please tell know get got
    el la los las un una unos unas de del y o que en por para con se su sus es son mi me como
    qué cómo dónde cuándo cuál quién lo le les al ser estar esta este esto eso hay yo tu tú"""


def fold(text: str) -> str:
    """Lowercase and strip accents, so 'Dónde' and 'donde' match."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOPWORDS = frozenset(fold(w) for w in _STOP.split())


@lru_cache(maxsize=1)
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


SPELLED_NUMBERS = re.compile(r"\b(2|9)-1-1\b")


def tokens(text: str) -> list[str]:
    """Folded, stemmed content words: the keyword index's and the query's vocabulary."""
    words = WORD.findall(SPELLED_NUMBERS.sub(r"\g<1>11", fold(text)))
    return [stem(w) for w in words if w.isdigit() or (len(w) > 1 and w not in STOPWORDS)]
