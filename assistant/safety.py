"""Safety rails: crisis detection, refusals and scope, the footer, and the output guard."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from assistant.directory import Directory
from assistant.messages import CRISIS_CARDS, EXTRA_LINES, FOOTER, TOPIC_LINES
from assistant.text import fold

DATA = Path(__file__).resolve().parent / "data"
CATEGORIES = ("violence", "sexual_assault", "overdose", "suicide", "child", "trafficking", "poisoning")

# Keyword patterns, matched on folded (lowercase, accent-free) text. They catch the plain and
# common misspelled wordings; the embedding check catches indirect ones.
_AGE = r"(?:1[0-7]|[5-9]|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)"
CRISIS_PATTERNS: dict[str, list[str]] = {
    "child": [
        rf"\b(?:i'?m|i am|im|she'?s|he'?s|she is|he is|they'?re|my (?:daughter|son|sister|brother|niece|nephew|cousin|kid|child)(?: is)?)\s+(?:only\s+)?{_AGE}\b(?:[^.?!]{{0,80}})\b(?:sex|men|money|sold|sell|pimp|traffick|touch|abus|forc|make[s]? me|rap)",
        r"\b(?:child|kid|minor|underage|little girl|little boy|\d{1,2} ?(?:yo|y/o|year old))\b[^.?!]{0,60}\b(?:being |getting )?(?:sold|pimped|trafficked|abused|molested|raped|prostitut)",
        rf"\btengo {_AGE} anos\b[^.?!]{{0,80}}\b(?:sexo|hombres|dinero|obliga|vend)",
        r"\b(?:nina|nino|menor|mi hija|mi hijo)\b[^.?!]{0,60}\b(?:venden|vendiendo|abusa|abusando|viola|prostitu)",
    ],
    "sexual_assault": [
        r"\b(?:raped|rapeing|raping|rape me|rapin|got rape|sexually assault\w*|sexual assault|molest\w*|forced (?:me|himself|herself) (?:to have sex|on me)|made me have sex)\b",
        r"\b(?:me violo|me violaron|violacion|abuso sexual|me forzo a tener sexo|abusaron de mi)\b",
    ],
    "overdose": [
        r"\b(?:overdos\w*|over dos\w*|o\.?d'?(?:ing|ed|d)?|od'?ing|od'?d|odd?ed|not breath\w*|isn'?t breath\w*|stopped breath\w*|cant breathe|can'?t breath\w*|wont wake|won'?t wake|can'?t wake|cant wake|unresponsive|turning blue|lips (?:are |r )?blue)\b",
        r"\b(?:sobredosis|no respira|no esta respirando|no despierta|no reacciona|se puso azul)\b",
    ],
    "suicide": [
        r"\b(?:kill my ?self|killing my ?self|end (?:my|my own) life|end it all|suicid\w*|want to die|wanna die|wish i was dead|wish i were dead|better off dead|don'?t want to (?:live|be alive|be here)|take my (?:own )?life|hurt(?:ing)? my ?self|cut(?:ting)? my ?self|self[- ]?harm|no reason to live|kms)\b",
        r"\b(?:quiero morir\w*|matarme|suicid\w*|quitarme la vida|no quiero vivir|hacerme dano|me quiero matar)\b",
    ],
    "trafficking": [
        r"\b(?:won'?t|wont|will not|doesn'?t|does not|don'?t|dont) let me (?:leave|go|out)\b",
        r"\b(?:can'?t|cant|cannot) (?:leave|get out|escape)\b[^.?!]{0,40}\b(?:house|motel|hotel|room|him|her|them|place|apartment|work)",
        r"\b(?:held against|locked (?:me )?in|took my (?:passport|id|papers|phone)|forced to (?:work|have sex|sell|do sex)|forces? me to|make[s]? me (?:have sex|sell|work|sleep with)|being trafficked|i'?m being sold|they sell me|sells me|pimp (?:makes|forces|won'?t|beats))\b",
        r"\b(?:no me deja\w* (?:salir|irme|ir)|me obliga\w* a|me quitaron (?:mis papeles|el pasaporte|mis documentos)|me tienen encerrad\w*|me venden)\b",
    ],
    "violence": [
        r"\b(?:is|are|keeps?|started|been|he'?s|she'?s|they'?re) (?:hurting|hitting|beating|choking|strangling|attacking|threatening|stabbing|kicking) (?:me|us|my|her|him)\b",
        r"\b(?:going|gonna|trying|wants?|threaten\w*|about) to (?:kill|hurt|beat|shoot|stab) (?:me|us|her|him|my)\b",
        r"\b(?:he|she|they|someone|somebody|a man|a guy|my (?:boyfriend|bf|husband|pimp|partner|ex|dad|father|john))\s+(?:just\s+)?(?:hit|hits|beat|beats|choked|chokes|attacked|stabbed|punched|slapped|kicked) (?:me|us|her|him)\b",
        r"\b(?:has|with|got|pulled) a (?:gun|knife|weapon)\b",
        r"\b(?:i'?m|i am|im) (?:not safe|in danger|scared for my life|being attacked|bleeding)\b",
        r"\b(?:me (?:esta|estan) (?:pegando|golpeando|lastimando|amenazando)|me (?:quiere|va a) matar|estoy en peligro|me pega|me golpea|me amenaza|tiene un (?:cuchillo|arma|pistola))\b",
    ],
    "poisoning": [
        r"\b(?:swallowed|drank|drunk|ate|ingested|took)\b[^.?!]{0,30}\b(?:bleach|poison|chemical|detergent|cleaner|antifreeze|battery|pills|rat poison|laundry pod)",
        r"\b(?:poisoned|poisoning)\b",
        r"\b(?:se trago|envenen\w*|tomo (?:cloro|veneno)|bebio (?:cloro|veneno))\b",
    ],
}
_COMPILED = {cat: [re.compile(p) for p in pats] for cat, pats in CRISIS_PATTERNS.items()}

# Asking *about* the law or a past event is not danger now: these soften a keyword match of
# the wide categories (poisoning and sexual assault words appear in law questions too).
SOFTENED = ("poisoning", "child", "sexual_assault")
FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|me|my|we|us|our|yo|mi|mis|nos|estoy|tengo)\b")
_QUESTION_ABOUT = re.compile(
    r"\b(?:what is|what's|whats|is it|is there|penalty|law|laws|illegal|legal|statute|charge|report|hotline|number for|years ago|last year|arrested|convicted|charged|que es|ley|delito)\b"
)

REFUSAL_PATTERNS: dict[str, list[str]] = {
    "buy_sex": [
        r"\b(?:where|how|who)\b[^.?!]{0,40}\b(?:find|get|buy|pick up|meet|hire|book|score|pay for)\b[^.?!]{0,40}\b(?:prostitutes?|hookers?|escorts?|sex workers?|hoes?|girls|women|a girl|a woman|sex|hookup|blowjob|bj|happy ending)\b",
        r"\b(?:where|which)\b[^.?!]{0,40}\b(?:prostitutes?|hookers?|escorts?|working girls|hoes)\b[^.?!]{0,30}\b(?:hang|work|stand|walk|are|be|at)\b",
        r"\b(?:how much|price|rates?)\b[^.?!]{0,30}\b(?:hookers?|prostitutes?|escorts?|for sex|a bj|blowjob)\b",
        r"\b(?:best|good)\b[^.?!]{0,20}\b(?:street|spot|motel|area|place)s?\b[^.?!]{0,30}\b(?:hookers?|prostitutes?|escorts?|girls|sex)\b",
        r"\b(?:donde|como)\b[^.?!]{0,40}\b(?:encuentro|consigo|hay|busco|encontrar|conseguir)\b[^.?!]{0,30}\b(?:prostitutas?|putas?|chicas|mujeres|sexo)\b",
    ],
    "drugs": [
        r"\b(?:where|how|who)\b[^.?!]{0,40}\b(?:buy|get|cop|score|find|purchase|pick up)\b[^.?!]{0,30}\b(?:heroin|fent|fentanyl|dope|crack|coke|cocaine|meth|percs?|percocets?|oxys?|oxycodone|xanax|xans|bars|molly|weed|pills|drugs)\b",
        r"\b(?:who sells|drug dealer|plug for|connect for)\b",
        r"\b(?:donde|como)\b[^.?!]{0,40}\b(?:compro|consigo|comprar|conseguir)\b[^.?!]{0,30}\b(?:droga|drogas|heroina|coca|cocaina|crack|pastillas|fentanilo)\b",
    ],
    "police": [
        r"\b(?:avoid|evade|dodge|escape|spot|tell if|know if|detect|beat|get around|not get)\b[^.?!]{0,40}\b(?:cops?|police|sting|stings|undercover|vice|caught|popo|5-0)\b",
        r"\b(?:is|are)\b[^.?!]{0,20}\b(?:a cop|an undercover|undercover cops?|the police)\b[^.?!]{0,20}\?",
        r"\bwithout (?:getting )?(?:caught|arrested)\b",
        r"\b(?:evitar|escapar de|burlar)\b[^.?!]{0,30}\b(?:policia|la jara|operativo)\b",
    ],
    "person": [
        r"\b(?:find|track|locate|look up|identify|get)\b[^.?!]{0,20}\b(?:address|phone number|number|location|name|instagram|facebook|snapchat|home)\b[^.?!]{0,20}\b(?:of|for)\b[^.?!]{0,10}\b(?:my ex|that girl|the girl|this girl|that woman|this woman|a prostitute|the prostitute|a hooker|an escort|the escort|the victim|a victim|the john|that john|the pimp)\b",
        r"\b(?:find|track|locate|identify)\b[^.?!]{0,10}\b(?:my ex|that girl|this girl|that woman|the prostitute|the escort|a prostitute|where (?:she|he) lives)\b",
        r"\bwho is the (?:girl|woman|guy|man|escort|prostitute)\b",
    ],
}
_REFUSALS = {cat: [re.compile(p) for p in pats] for cat, pats in REFUSAL_PATTERNS.items()}
INJECTION = re.compile(
    r"ignore (?:all |any )?(?:previous|prior|above|earlier|the) (?:instructions|rules|prompts?)"
    r"|system prompt|you are now|developer mode|disregard (?:your|the|all)|jailbreak|</?system>|<\s*script",
    re.IGNORECASE,
)
HTML_TAG = re.compile(r"<[^>]{0,200}>")


def is_general_question(folded: str) -> bool:
    """A question about the law or services, with nobody in it ("can a 16 year old be arrested")."""
    return bool(_QUESTION_ABOUT.search(folded) or folded.lstrip().startswith(("can ", "is ", "are ", "does ")))\
        and not FIRST_PERSON.search(folded)


@dataclass(frozen=True)
class CrisisMatch:
    category: str
    rule: str  # "pattern" or "similarity"
    score: float = 1.0


def keyword_crisis(message: str) -> CrisisMatch | None:
    """The first crisis category whose keyword patterns match the message."""
    folded = fold(message)
    for category in CATEGORIES:
        if any(p.search(folded) for p in _COMPILED[category]):
            if category in SOFTENED and is_general_question(folded):
                continue
            return CrisisMatch(category, "pattern")
    return None


def refusal_category(message: str) -> str | None:
    folded = fold(message)
    for category, patterns in _REFUSALS.items():
        if any(p.search(folded) for p in patterns):
            return category
    return None


def has_injection(message: str) -> bool:
    return bool(INJECTION.search(message))


class CrisisDetector:
    """Keyword patterns, then nearest-example similarity on the message embedding."""

    def __init__(
        self,
        labels: list[str],
        vectors: np.ndarray,
        threshold: float = 0.62,
        margin: float = 0.04,
    ) -> None:
        self.labels = labels  # a category, or "safe"
        self.vectors = vectors
        self.threshold = threshold
        self.margin = margin

    @classmethod
    def build(cls, embed_documents: object, path: Path | None = None) -> CrisisDetector:
        labels, texts = load_examples(path or DATA / "crisis_examples.yaml")
        vectors = np.asarray(embed_documents(texts), dtype=np.float32)  # type: ignore[operator]
        return cls(labels, vectors)

    def similarity(self, embedding: list[float]) -> tuple[str, float, float]:
        """(nearest crisis category, its similarity, nearest safe similarity)."""
        sims = self.vectors @ np.asarray(embedding, dtype=np.float32)
        best_crisis, best_safe, category = -1.0, -1.0, ""
        for label, sim in zip(self.labels, sims.tolist(), strict=True):
            if label == "safe":
                best_safe = max(best_safe, sim)
            elif sim > best_crisis:
                best_crisis, category = sim, label
        return category, best_crisis, best_safe

    def detect(self, message: str, embedding: list[float] | None) -> CrisisMatch | None:
        match = keyword_crisis(message)
        if match or embedding is None:
            return match
        category, crisis, safe = self.similarity(embedding)
        if crisis >= self.threshold and crisis - safe >= self.margin:
            return CrisisMatch(category, "similarity", round(crisis, 3))
        return None


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
