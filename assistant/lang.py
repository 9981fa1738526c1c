"""The language to answer in: English or Spanish.

Residents mix languages ("necesito un lawyer", "where is el shelter"): the answer follows the
language of the message's grammar. So function words (articles, pronouns, prepositions, common
verbs) vote first. When they do not decide, Lingua (lingua-language-detector, restricted to
English and Spanish; its models are inside the wheel) reads the message, without the words that
belong to neither language (Narcan, 911, DCF, place names). A message of one or two words that
Lingua is not sure about, or a name alone ("Project HOPE"), takes the page's language switch
(the hint). Measured by `python -m assistant.evaluate --language`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.words import fold

_NEUTRAL = """narcan narcam narcon naloxone dcf ct conn willimantic windham connecticut ok okay k hotline detox
    rehab sms app nora covenant hope access polaris suboxone fentanyl fent percs xanax hiv vih sti std
    ets id wifi email taxi uber bus motel hotel wow omg hey yo no chat a"""
NEUTRAL = frozenset(_NEUTRAL.split())
_SPANISH = """el la los las un una unos unas del al de en con sin por para pa que q donde dnd adonde como cuando
    cual cuales quien quienes porque xq pero y mi mis tu tus su sus me te se le les lo nos es son esta
    estas estoy estan era fue soy eres hay tengo tiene tienen necesito quiero puedo puede pueden sabes
    hago hace voy va vamos estamos ya muy mas tambien tmb aqui ahi alli ahora este ese esa eso esto
    usted ustedes ella ellos nosotros yo ni si gracias hola buenas buenos adios ayuda ayudame ayudenme
    auxilio porfa xfa jaja jajaja jajajaja mande"""
SPANISH = frozenset(_SPANISH.split())
_ENGLISH = """the an of to in on at for with from by about into is are was were be been am i i'm im i'll ill
    i've ive you u your ur my me we our they their he she his her it its this that these those there
    here what where when who why which how do does did can could should would will won't dont don't
    can't cant need want get got have has had not any some just please pls plz thanks thank thx ty hi
    hello bye and or if so rn wya idk r yes yeah yep nope"""
ENGLISH = frozenset(_ENGLISH.split())
# English names of services and places, said the same way in a Spanish message ("horario covenant
# soup kitchen" was answered in English): they vote for neither language.
NAMES = re.compile(
    r"\b(?:(?:covenant )?soup kitchen|poison control|safe connect|(?:statewide )?legal services|action line|access line"
    r"|mobile crisis|(?:human )?trafficking hotline|project hope|no freeze|community action(?: agency)?|careline"
    r"|good samaritan|thread city|united services|valley (?:street|st)|energy assistance(?: program)?)\b"
)
SURE = 0.75  # Lingua's confidence needed to overrule the page's language on one or two words
ENOUGH = 0.6  # below this, on a longer message, the page's language decides


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH).build()


def lingua_guess(text: str) -> tuple[str, float]:
    """('en' or 'es', Lingua's confidence) for a text."""
    values = _detector().compute_language_confidence_values(text)
    best = values[0]
    return ("es" if best.language.name == "SPANISH" else "en"), float(best.value)


SPANISH_MARKS = re.compile(r"[áéíóúñ¿¡]", re.IGNORECASE)


def grammar_vote(text: str, words: list[str]) -> int:
    """Spanish function words (and Spanish spelling: á, ñ, ¿) minus English function words."""
    marks = 1 if SPANISH_MARKS.search(text) else 0
    return marks + sum(w in SPANISH for w in words) - sum(w in ENGLISH for w in words)


def _without_names(text: str) -> str:
    """The text without the services' English names (folded, when it had one)."""
    folded = fold(text)
    return NAMES.sub(" ", folded) if NAMES.search(folded) else text


def detect_language(text: str, hint: str = "en") -> str:
    """'es' or 'en'; `hint` is the page's language choice, used when the message does not say."""
    hint = hint if hint in ("en", "es") else "en"
    raw = re.findall(r"[^\W\d_][\w'-]*", _without_names(text))
    words = [w for w in (fold(r) for r in raw) if w not in NEUTRAL]
    if not words or all(r[0].isupper() for r in raw if fold(r) in words):  # nothing, or names only
        return hint if not words or len(words) <= 3 else lingua_guess(text)[0]
    vote = grammar_vote(text, words)
    if vote:
        return "es" if vote > 0 else "en"
    language, confidence = lingua_guess(" ".join(words))
    if len(words) <= 2:
        return language if confidence >= SURE else hint
    return language if confidence >= ENOUGH else hint
