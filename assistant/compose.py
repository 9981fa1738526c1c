"""The extractive composer: the best-matching section(s), as whole paragraphs, each cited.

Documents are written as a heading question plus a short answer whose first sentence states
the answer, so the answer starts with the best section's first sentence. A second section is
added only for a second part of the question, or when it is nearly as relevant. The body stays
within about MAX_WORDS words, repeats no sentence, and each [n] names the document its
paragraph came from, numbered in order of appearance.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from assistant.retrieve import SPECIFIC_KINDS, Hit
from assistant.understand import LEGAL_BELIEF, is_choice
from assistant.words import fold, tokens

MAX_WORDS = 120
NEAR = 0.92  # a second section nearly as relevant as the first: this share of its fused score
CHOICE_NEAR = 0.85  # ... for a choice between two things, whose second is often the second document
PART_NEAR = 0.9  # a later part whose best section is already shown gets its next one this close
MIN_SENTENCE_WORDS = 4
FIRST_OF_TWO = 45  # words for the first section when a second one follows
EMERGENCY = re.compile(r"\b911\b")
YES_NO = re.compile(r"^(?:Yes|No|Sí|Si),\s+")
JEOPARDY = re.compile(
    r"\b(?:charg\w*|arrest\w*|sue|sued|liab\w*|trouble|illegal|crime|criminal|jail|deport\w*|demand\w*|acus\w*"
    r"|ilegal|delito|problemas?|carcel|responsab\w*|inmun\w*|immun\w*|protect\w*|proteg\w*|polic\w*|cops?"
    r"|law enforcement)\b"
)
# A question that checks what someone said ("mi amiga dice q el 53a-82 es pal cliente, es verdad?"):
# a section's "Yes," answers its own heading ("Is selling sex a crime?"), not the claim, so it is
# not said.
CLAIM = re.compile(
    r"\b(?:is (?:that|this|it|she|he) (?:right|true|correct|so)|that right|true or false|is that a myth"
    r"|(?:es|sera|eso es) (?:asi|cierto|verdad)|verdad(?=\s*\?)|tiene razon|i heard|i was told|(?:someone|somebody)"
    r" (?:told|said)|(?:says|said|told me|claims)\b.{0,60}\b(?:is|are|was|means)|people say|they say|a website said"
    r"|i read|me dijeron|dicen que|dice que|dijo que|oi (?:que|q)|escuche (?:que|q)|lei que)\b"
    # a statement with a tag question ("pimping is just a misdemeanor in CT like prostitution, right?")
    r"|,? (?:right|correct|no|cierto)(?=\s*\?)"
)
# "Do I have to ...?" is not "Can I ...?": a section's "Yes," to "Can I report anonymously?" would
# read as "yes, you have to give your name".
MUST = re.compile(
    r"\b(?:have to|has to|need to|needs to|must|required to|obligad[oa]s?|(?:tengo|tiene|tienen|hay) (?:que|q)"
    r"|debo|debe|deben)\b"
)
# "Can I still ...?" is the opposite of "Is there a deadline?": a deadline section's "No," would read as
# "no, you cannot" ("ya pasaron 3 años ..., todavia puedo pedir q la anulen?").
STILL = re.compile(
    r"\b(?:(?:can|could) (?:i|he|she|they|we|you|u) still|still (?:able|possible|allowed|in time)"
    r"|(?:todavia|aun) (?:puedo|puede|pueden|podemos|se puede|estoy a tiempo|esta a tiempo|hay tiempo))\b"
)
# A number to call other than 911 (an answer that does not start with 911 is not read as a card), and
# the words of a sentence that already speaks of a number ("... number is not verified yet").
PHONE = re.compile(r"\b(?:\d-)?\d{3}-\d{3}-\d{4}\b|\b(?:988|2-1-1)\b")
NUMBER_WORDS = re.compile(r"\b(?:\d{3}|number|phone|hotline|line|n[uú]mero|tel[eé]fono|l[ií]nea)\b", re.I)
# A street address ("433 Valley Street"): the answer to "where is ...".
ADDRESS = re.compile(r"\b\d{1,5} (?:[A-Z][a-z]+ ){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Drive|Lane|Place|Way)\b")
# A sentence that gives the kind of answer asked for goes before one that only shares as many of the
# question's words ("pimping is just a misdemeanor, right?": "... first degree is a felony" before
# "people often call promoting prostitution pimping").
KIND_SENTENCES = {
    "penalty": re.compile(
        r"\b(?:felony|misdemeanor|class [a-e]\b|jail|prison|fine|delito (?:grave|menor)|clase [a-e]\b|c[aá]rcel"
        r"|prisi[oó]n|multa)",
        re.I,
    ),
    "deadline": re.compile(
        r"\b(?:deadline|time limit|any time|fecha l[ií]mite|plazo|en cualquier momento|within \d+|dentro de \d+)", re.I
    ),
    "anonymous": re.compile(r"\b(?:anonym|an[oó]nim|your name|su nombre|tu nombre)", re.I),
}
# What a section's first sentence should give for a question of that kind: (the sentence to move
# up, what a first sentence that already answers says): a number to call, a street address, or
# whether one's name is needed ("tengo q dar mi nombre si llamo a la linea de trata?" opened with
# "the hotline is not the police").
LEADS = {
    "contact": (PHONE, NUMBER_WORDS),
    "where": (ADDRESS, ADDRESS),
    "anonymous": (KIND_SENTENCES["anonymous"], KIND_SENTENCES["anonymous"]),
}
# A "Yes," that holds only for a trafficking survivor is not said to a question that never says so
# ("can i get my old prostitution record cleared?"): the sentence itself states the condition.
SURVIVOR_HEADING = re.compile(r"survivor|sobreviviente", re.I)
SURVIVOR_WORDS = frozenset(
    tokens("trafficking trafficked survivor victim forced pimp controlled made me")
    + tokens("trata víctima victima sobreviviente obligada obligado obligaban padrote chulo", "es")
)
# "This information is general information, not legal advice": the code adds that notice itself.
DISCLAIMER = re.compile(
    r"general information, not legal advice|informaci[oó]n general,? (?:y )?no (?:es )?asesor[ií]a legal", re.I
)


@dataclass
class Citation:
    n: int
    doc_id: str
    title: str
    url: str
    source_title: str = ""
    chunk_ids: list[str] = field(default_factory=list)


@dataclass
class Composed:
    body: str
    citations: list[Citation]
    chunk_ids: list[str]
    topics: list[str]
    sentences: list[tuple[str, str]] = field(default_factory=list)  # (chunk id, sentence) as shown


def words_in(text: str) -> int:
    return len(text.split())


def choose_sections(
    parts: list[list[Hit]], asked: list[frozenset[str]] | None = None, near: float = NEAR
) -> list[Hit]:
    """The top section of the first part; for each further part, its top section, or when that
    one is already chosen, its best other section of a kind the part asks for (a penalty, a
    number ...) that no chosen section gives, or else one nearly as relevant; for a one-part
    question, a runner-up nearly as relevant as the first."""
    if not parts or not parts[0]:
        return []
    asked = asked or [frozenset()] * len(parts)
    chosen = [parts[0][0]]
    for hits, kinds in zip(parts[1:], asked[1:], strict=False):
        fresh = [h for h in hits if h.chunk.pair not in {c.chunk.pair for c in chosen}]
        if fresh and fresh[0] is hits[0]:
            chosen.append(fresh[0])
            continue
        wanted = (kinds & SPECIFIC_KINDS) - set().union(*(c.kinds for c in chosen))  # not one already shown
        typed = [h for h in fresh if wanted & h.kinds]
        close = [h for h in fresh if h.fused >= PART_NEAR * hits[0].fused]  # the part's own next section
        if typed or close:
            chosen.append((typed or close)[0])
    if len(parts) == 1 and len(parts[0]) > 1:
        top, second = parts[0][0], parts[0][1]
        if second.fused >= near * top.fused and second.chunk.doc_id != top.chunk.doc_id:
            chosen.append(second)
    return chosen


def fit(
    sentences: tuple[str, ...],
    budget: int,
    query: set[str],
    language: str = "en",
    lead: str = "",
    room: int = MAX_WORDS,
    kinds: frozenset[str] = frozenset(),
) -> list[str]:
    """The section's sentences within the word budget. The first sentence (it answers the
    heading) stays first, unless the question asks whom to call (`lead` "contact") or where
    something is ("where") and only a later sentence gives a number or a street address; the
    rest follow by how many of the question's words they share, so the asked-for detail comes
    early (a sentence that gives an asked-for `kinds` of answer counts one word more); what does
    not fit is left out. The one sentence that shares clearly the most question
    words may use the answer's whole `room`, past the section's `budget` (a first section of two
    gets only part of the words, and a long Spanish sentence lost to a short "call 911")."""
    first, later = list(sentences[:1]), list(sentences[1:])
    if lead in LEADS and first and not LEADS[lead][1].search(first[0]):
        wanted = LEADS[lead][0]
        leading = next((s for s in later if wanted.search(s)), None)
        if leading:
            first, later = [leading], [s for s in sentences if s is not leading]
    gives = [KIND_SENTENCES[k] for k in sorted(kinds & KIND_SENTENCES.keys())]
    overlap = {s: len(set(tokens(s, language)) & query) + any(p.search(s) for p in gives) for s in later}
    later.sort(key=lambda s: -overlap[s])  # stable: document order among equals
    kept = first
    for sentence in later:
        limit = room if sentence is later[0] and _stands_out(later, overlap) else budget
        if sum(words_in(s) for s in kept) + words_in(sentence) <= limit:
            kept.append(sentence)
    return kept


def _stands_out(later: list[str], overlap: dict[str, int]) -> bool:
    """Whether the first of the sorted later sentences shares clearly more of the question's
    words than any other (at least two, and more than the next): the sentence the question asks
    for, kept within the whole answer's words even past the section's share."""
    best = overlap[later[0]] if later else 0
    return best >= 2 and (len(later) == 1 or overlap[later[1]] < best)


def _lead(kinds: frozenset[str], yes_no: bool) -> str:
    """What the first sentence of a section should give, for the `kinds` of answer its part of the
    question asks: whether a name is needed ("anonymous"), a number to call ("contact"), a street
    address ("where"), or "" (the section's own first)."""
    if "anonymous" in kinds:
        return "anonymous"  # whether a name is needed is asked yes or no, and its sentence answers it
    if yes_no:
        return ""
    return "contact" if "contact" in kinds else "where" if kinds & {"where", "address"} else ""


def repeats(sentence: str, seen: list[str], language: str = "en", query: AbstractSet[str] = frozenset()) -> bool:
    """A near-duplicate of a sentence already in the answer (documents restate key facts): most
    words shared, or most of its own words already said and nothing new that counts (a number,
    statute or year is a fact of its own, and so is a word of the question not said yet: "no
    deadline" after "a survivor can ask the court to vacate")."""
    mine = set(tokens(sentence, language))
    said = set().union(*(set(tokens(other, language)) for other in seen)) if seen else set()
    if (mine - said) & query:
        return False
    new_figures = {w for w in mine - said if any(c.isdigit() for c in w)}
    for other in seen:
        theirs = set(tokens(other, language))
        shared = len(mine & theirs)
        if mine and shared / len(mine | theirs) >= 0.6:
            return True
        if mine and shared / len(mine) >= 0.7 and not new_figures:
            return True
    return False


def compose(
    parts: list[list[Hit]],
    query_words: list[str],
    language: str = "en",
    asked: list[frozenset[str]] | None = None,
    emergency_apart: bool = True,
    yes_no: bool = True,
    question: str = "",
) -> Composed:
    """Whole paragraphs of the chosen sections; never text that is not in a section.

    With `emergency_apart` (no crisis card above), a "call 911" sentence that is not the answer
    itself gets its own paragraph, so the answer is not mistaken for an emergency card. Only the
    answer's first sentence may open with "Yes," or "No,", and only for a `yes_no` question that
    does not check a claim (CLAIM).
    """
    query = set(query_words)
    chosen = choose_sections(parts, asked, CHOICE_NEAR if is_choice(question) else NEAR)
    citations: dict[str, Citation] = {}
    paragraphs: list[str] = []
    shown: list[tuple[str, str]] = []
    budget = MAX_WORDS
    folded = fold(question)
    about_trouble, claim, must, still = (bool(p.search(folded)) for p in (JEOPARDY, CLAIM, MUST, STILL))
    claim = claim or bool(LEGAL_BELIEF.search(folded))  # "since selling sex is legal now, ...": no "Yes," to it
    for number, hit in enumerate(chosen):
        share = budget if number == len(chosen) - 1 else FIRST_OF_TWO
        seen = [t for _, t in shown]
        content = tuple(s for s in hit.chunk.sentences if not DISCLAIMER.search(s)) or hit.chunk.sentences[:1]
        kinds = asked[number] if asked and number < len(asked) else frozenset()
        fitted = fit(content, share, query, hit.chunk.language, _lead(kinds, yes_no), budget, kinds)
        picked = [s for s in fitted if not repeats(s, seen, hit.chunk.language, query)]
        if not picked or (number and budget < MIN_SENTENCE_WORDS):
            continue
        citation = _cite(citations, hit)
        citation.chunk_ids.append(hit.chunk.id)
        shown += [(hit.chunk.id, s) for s in picked]
        budget -= sum(words_in(s) for s in picked)
        apart = [s for s in picked[1:] if emergency_apart and EMERGENCY.search(s)] if not paragraphs else []
        kept = [s for s in picked if s not in apart]
        keep_yes = not claim and yes_no and not paragraphs
        keep_yes = keep_yes and answers_the_question(hit, picked[0], query, about_trouble)
        keep_yes = keep_yes and must == bool(MUST.search(fold(hit.chunk.heading)))
        keep_yes = keep_yes and not (still and "deadline" in hit.kinds)
        opening = picked[0] if keep_yes else None
        paragraphs += [
            " ".join(s if s is opening else without_yes_no(s) for s in group) + f" [{citation.n}]"
            for group in (kept, apart)
            if group
        ]
    used = [c for cit in citations.values() for c in cit.chunk_ids]
    topics = sorted({t for h in chosen if h.chunk.id in used for t in h.chunk.topics})
    return Composed("\n\n".join(paragraphs), list(citations.values()), used, topics, shown)


def answers_the_question(hit: Hit, first: str, query: set[str], about_trouble: bool) -> bool:
    """Whether the section's "Yes,"/"No," (it answers the section's heading) also answers the
    question: not when it holds only for a trafficking survivor the question never mentions, nor
    for a question about legal trouble or the police when the section does not speak of it ("can
    they charge me for carrying narcan" / "Should I carry Narcan?"; "do they have to tell the
    police" / "Is the sexual assault hotline free and confidential?")."""
    if SURVIVOR_HEADING.search(hit.chunk.heading) and not query & SURVIVOR_WORDS:
        return False
    return not about_trouble or bool(JEOPARDY.search(fold(f"{hit.chunk.heading} {first}")))


def without_yes_no(sentence: str) -> str:
    """ "No, there is no deadline." -> "There is no deadline." (for a sentence that does not open
    the answer to a yes-or-no question: a second "Sí," reads as a stutter)."""
    match = YES_NO.match(sentence)
    if not match:
        return sentence
    rest = sentence[match.end() :]
    return rest[:1].upper() + rest[1:]


def _cite(citations: dict[str, Citation], hit: Hit) -> Citation:
    """One citation per source page (two documents written from one page share its number)."""
    chunk = hit.chunk
    source = chunk.sources[0] if chunk.sources else None
    key = source.url if source else chunk.doc_id
    if key not in citations:
        citations[key] = Citation(
            len(citations) + 1, chunk.doc_id, chunk.title, source.url if source else "", source.title if source else ""
        )
    return citations[key]


def sources_block(citations: list[Citation], heading: str) -> str:
    """`[n] [page title](url)` per cited document: the page that states the facts."""
    lines = [f"[{c.n}] [{c.source_title or c.title}]({c.url})" for c in citations]
    return f"**{heading}**  \n" + "  \n".join(lines)
