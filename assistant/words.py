"""Words: folding, stop words and stemming, for the keyword index and the question.

English text is stemmed with the English Snowball stemmer and Spanish text with the Spanish
one. PyStemmer's stemmers must not be shared between threads, so each thread has its own.
"""

from __future__ import annotations

import re
import threading
import unicodedata

WORD = re.compile(r"\w+", re.UNICODE)
LANGUAGES = {"en": "english", "es": "spanish"}
# Function words of English and Spanish that carry no topic.
_STOP = """a an and are as at be been but by can could did do does for from had has have how i if in
    into is it its me my of on or our so than that the their them then there these they this to
    up was we were what when where which who whom why will with would you your yours he she him
    her his hers i'm im am about any some just also not no ok okay please tell know get got
    el la los las un una unos unas de del y o que en por para con se su sus es son mi me como
    qué cómo dónde cuándo cuál quién lo le les al ser estar esta este esto eso hay yo tu tú
    usted ustedes nos muy más pero si sí ya te ti mis tus nuestro nuestra nuestros nuestras algun alguna
    algunos algunas están estan estoy estamos estaba estaban"""
SPELLED_NUMBERS = re.compile(r"\b(2|9)-1-1\b")


def fold(text: str) -> str:
    """Lowercase and strip accents, so 'Dónde' and 'donde' match."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOPWORDS = frozenset(fold(w) for w in _STOP.split())
_local = threading.local()


def _stemmer(language: str) -> object:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        import Stemmer

        stemmers[language] = Stemmer.Stemmer(LANGUAGES.get(language, "english"))
    return stemmers[language]


def stem_words(words: list[str], language: str = "en") -> list[str]:
    """Stems of words, with this thread's stemmer for the language."""
    return list(_stemmer(language).stemWords(words))  # type: ignore[attr-defined]


def content_words(text: str) -> list[str]:
    """Folded words of a text without stop words (digits are kept)."""
    words = WORD.findall(SPELLED_NUMBERS.sub(r"\g<1>11", fold(text)))
    return [w for w in words if w.isdigit() or (len(w) > 1 and w not in STOPWORDS)]


def tokens(text: str, language: str = "en") -> list[str]:
    """Folded, stemmed content words: the keyword index's and the question's vocabulary."""
    return stem_words(content_words(text), language)
