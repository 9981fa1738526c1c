"""Language of a question: English or Spanish, by a tested word-list heuristic.

A maintained detector (langdetect, lingua) is unreliable on the very short, slangy messages
residents type ("narcan??", "me pega"), and heavy; this counts marker words instead.
"""

from __future__ import annotations

import re

from assistant.text import fold

SPANISH = frozenset(
    """el la los las un una unos unas del al y o que qué en por para con sin se su sus es son
    está esta estoy estás están mi mis me te le les lo como cómo dónde donde cuándo cuando cuál
    quién quien porque pero muy más hay tengo tiene tienen puedo puede pueden quiero necesito
    ayuda ayúdame ayudame hola gracias señor señora amigo amiga hijo hija novio novia esposo
    esposa ahora ahorita mismo dinero ley leyes cárcel carcel multa delito policía policia
    número numero teléfono telefono llamar línea linea sexo trabajo casa calle droga drogas
    sobredosis respira peligro miedo golpea pega matar morir vida años edad niño niña menor
    prostitución prostitucion prostituta trata víctima victima abogado récord antecedentes
    borrar pasa sería seria hacer qué cuánto cuanto dónde puedo conseguir obtener él ella ellos
    nosotros usted ustedes estado""".split()
)
ENGLISH = frozenset(
    """the a an and or is are was were be been to of in on for with what where when how who why
    can could should would will do does did i you he she it we they my your his her our their
    this that these those there here get got help need want know about from at by if not no
    yes please number call law jail police sex money friend someone right now""".split()
)
SPANISH_MARKS = re.compile(r"[ñ¿¡]|ción\b|[áéíóú]")


def detect_language(text: str) -> str:
    """'es' for Spanish, 'en' for everything else (the default)."""
    words = re.findall(r"\w+", text.lower())
    if not words:
        return "en"
    spanish = sum(1 for w in words if w in SPANISH or fold(w) in SPANISH)
    english = sum(1 for w in words if w in ENGLISH)
    if SPANISH_MARKS.search(text.lower()):
        spanish += 1
    return "es" if spanish > english else "en"
