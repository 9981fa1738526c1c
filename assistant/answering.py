"""The answer path, on every path ending with the safety footer:

message -> language -> question (condensed, split into parts) -> crisis? -> refusal? ->
small talk? -> retrieval per part -> off topic? -> section answer -> output guard -> footer.

`Assistant.ask(message)` never raises: any failure becomes a plain apology with the footer.
Logs hold timings, flags, categories and chunk ids, never the resident's words.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from assistant import refusals
from assistant.cards import crisis_card, extra_lines_for, with_footer
from assistant.compose import PHONE, Citation, Composed, compose, sources_block
from assistant.config import Settings
from assistant.crisis import PROMOTE, CrisisDetector, CrisisMatch, Intent
from assistant.directory import Directory, load_directory
from assistant.guard import neutralise_markdown, strip_html, unvetted_numbers
from assistant.index import IndexHolder
from assistant.lang import detect_language
from assistant.messages import phrase
from assistant.retrieve import Hit, Query, Retrieval, Vocabulary, ranking_words, search
from assistant.schema import date_number
from assistant.splits import model_examples
from assistant.understand import (
    BASIC_NEEDS,
    EVERYDAY_TOPIC,
    LEGAL_BELIEF,
    POLICE_POWERS,
    SENTENCE_BREAK,
    SERVICE_NAMES,
    Question,
    is_privacy_question,
    is_question,
    is_small_talk,
    is_yes_no_question,
    mentions,
    other_place,
    understand,
)
from assistant.words import fold

log = logging.getLogger(__name__)
PATTERN_CHARS = 20_000  # crisis patterns read this much of a long message (the model reads the question)
# A crisis (or, without a card, a likely crisis topic) steers the search to the category's help pages.
CATEGORY_HINTS = {
    "violence": "domestic violence Safe Connect violencia doméstica",
    "sexual_assault": "sexual assault crisis line agresión sexual",
    "overdose": "overdose naloxone Good Samaritan sobredosis naloxona",
    "suicide": "suicide crisis 988 suicidio crisis",
    "child": "child abuse DCF Careline abuso infantil",
    "trafficking": "human trafficking hotline trata de personas",
    "poisoning": "poisoning Poison Control envenenamiento",
}
# Violence by a partner or family member steers to the domestic violence pages; violence by
# anyone else ("someone is getting stabbed outside") to when to call 911.
FAMILY = re.compile(
    r"\b(?:boyfriend|girlfriend|husband|wife|partner|ex|baby ?(?:dad|daddy|mom|mama)|my (?:dad|mom|father|mother"
    r"|brother|sister|son|daughter|stepdad|uncle)|pareja|esposo|esposa|novio|novia|marido|mujer|jev[oa]|mi (?:papa|mama"
    r"|padre|madre|padrastro|hermano|hermana|hijo|hija|tio))\b"
)
STRANGER_VIOLENCE_HINT = "call 911 immediate danger violence happening right now llame al 911 peligro"


# A writer who must report by law (a teacher, a school nurse, a counsellor, clergy): under a child
# card, who must report and how soon (12 hours) comes before the pages written to the child.
REPORTER_ROLE = re.compile(
    r"\b(?:i teach|(?:a |the )?teacher|school nurse|(?:school )?counselou?r|social worker|case worker|caseworker"
    r"|pastor|priest|clergy|coach|pediatrician|soy (?:maestr[oa]|profesor[a]?|enfermer[oa]|consejer[oa]"
    r"|trabajador[a]? social|pastor[a]?|entrenador[a]?|doctor[a]?|pediatra)|(?:mi|una|un) (?:alumn[oa]|estudiante)"
    r"|my student|one of my students|(?:a|one) student)\b"
)
DUTY_TO_REPORT = re.compile(r"\b(?:who has to report|quien (?:esta obligado a|tiene que) reportar)\b")
# A minor writing about themself ("tengo 16 y un tipo me esta vendiendo"): under a card, the
# sections written to a young person come first, and the search looks for them.
YOUNG_WRITER = re.compile(
    r"\b(?:i'?m|i am|im) (?:only |just )?(?:1[0-7]|a minor|under 18|underage)\b|\btengo (?:solo |nomas )?1[0-7]\b"
    r"|\bsoy (?:menor|menor de edad)\b"
)
FOR_THE_YOUNG = re.compile(r"\b(?:i am under 18|tengo menos de 18)\b")
# The sections for a young person being sold fit a young writer only when the message is about sex
# or selling: "my stepdad is drunk and hitting my little sister right now. im 12" is not.
ABOUT_SELLING = re.compile(
    r"\b(?:sex\w*|sell\w*|sold|trad(?:e|es|ing)|tricks?|johns?|clients?|customers?|pimp\w*|dates?|prostitu\w*"
    r"|vend\w*|sexo|clientes|chulo|padrote|citas|trata|traffick\w*)\b"
)
YOUNG_HINT = "I am under 18 someone is selling me tengo menos de 18 años alguien me está vendiendo"


def _young_and_sold(folded: str) -> bool:
    return bool(YOUNG_WRITER.search(folded) and ABOUT_SELLING.search(folded))


def crisis_hint(category: str, message: str) -> str:
    """The keyword hint for a crisis card's answer: its category's pages."""
    folded = fold(message)
    if category == "violence" and not FAMILY.search(folded):
        return STRANGER_VIOLENCE_HINT
    if category in ("child", "trafficking") and _young_and_sold(folded):
        return f"{CATEGORY_HINTS[category]} {YOUNG_HINT}"
    return CATEGORY_HINTS.get(category, "")


# Under a crisis card, sections about that danger come first (their documents' topics), help and
# service pages before the law and local context (someone locked in a motel needs the way out,
# not the motel law), and a definition last.
CATEGORY_TOPICS = {
    "violence": {"domestic-violence", "emergency"},
    "sexual_assault": {"sexual-assault"},
    "overdose": {"overdose", "naloxone", "emergency"},  # when to call 911 comes before the Good Samaritan law
    "suicide": {"suicide"},
    "child": {"child-safety", "minors"},
    "trafficking": {"trafficking", "trading-sex"},
    "poisoning": {"poisoning"},
}
LAW_AND_CONTEXT = {"law", "local"}
# A definition without a number to call ("What is human trafficking?") says nothing on what to do now.
DEFINITION = re.compile(r"\W*(?:what is|que es) ")
OFF_TOPIC = 0.5  # P(off topic, idiom or small talk) above which a weakly matched message is off topic
STRONG_MATCH = 0.75  # a section score above which the message is answered whatever the model thinks
WEAK_KEYWORDS = {"en": 3.0, "es": 3.5}  # a best BM25 score below which the words barely match any section ...
# An everyday word (a restaurant, soccer, a job) does not make a message off topic when the model reads
# it as a question the documents answer (P(ordinary) + P(info) at least this): "Soy entrenador de
# futbol ... quiero cargar Narcan ..., me pueden demandar?" Dev's off-topic messages with such a word
# have P(ordinary) at most 0.1.
TOPICAL = 0.5
QUIET_WEAK = 0.25  # ... and P(off topic) above which such a message is off topic (dev: 0 questions lost)
# The model reads Spanish poorly, so every Spanish question scores about as high on every section:
# for Spanish, a strong match is a strong keyword match (a rare word of a section), not a score.
STRONG_KEYWORDS_ES = 8.0
# A story of several sentences scores low on every section although its words match one well (a
# bus driver whose rider sleeps on the bus; a restaurant owner whose worker's passport is kept): when
# the model is this sure it asks what the documents cover and a section's words match this strongly,
# its best section is answered instead of the off-topic line.
STORY_WORDS = 25
STORY_TOPICAL = 0.9
STORY_KEYWORDS = 10.0
SMALL_TALK = 0.7  # P(small_talk) above which a short message gets the small-talk reply
HELP_WORDS = re.compile(r"\b(?:help|ayuda)\b", re.I)
TOPIC_HINT = 0.1  # P(a crisis category) above which its help pages join the search without a card
REFUSE = 0.4  # P(a refusal label) above which the model refuses a message no pattern caught
SURE_REFUSE = 0.6  # ... and above which it needs less in the message (see refusals.model_may_refuse)
VERY_SURE_REFUSE = 0.8
# A second request joined to a first ("Where can I get Narcan for free, and also who's selling fent
# on Jackson St?", "Two questions: where's the shelter ..., and how do I drive a couple of girls ..."):
# each part is read alone, like a sentence, so the first part's help words do not let the second through.
CLAUSE_BREAK = re.compile(
    r"^(?:two|2|dos) (?:questions|things|preguntas|cosas):\s*"
    r"|,?\s+(?:and also|and another thing|y tambi[eé]n|y adem[aá]s)\b,?\s*"
    r"|,\s+and (?=(?:how|where|who|what|which|can|could)\b)|,\s+y (?=(?:c[oó]mo|d[oó]nde|qui[eé]n|cu[aá]l|puedo)\b)",
    re.IGNORECASE,
)
SENTENCE_WORDS = 5  # a sentence of a longer message this long or longer is read alone for a hidden request
SURE_SENTENCE = 0.9  # P(refusal) of such a sentence above which only its own exception words let it through


@dataclass
class Result:
    """Everything about one answer: what the resident sees and why (for staff and tests)."""

    answer: str
    language: str = "en"
    rule: str = "answer"  # answer | crisis | refusal | small_talk | off_topic | not_found | empty | error | guard
    crisis: str | None = None
    refusal: str | None = None
    citations: list[Citation] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    index_version: str = ""
    # the classifier's probabilities behind the rule, for the staff trace: the refusal model's for a
    # refusal (with no card), small talk or off topic; the crisis model's otherwise
    intent: dict[str, float] = field(default_factory=dict)
    detail: str = ""  # which pattern or score decided the rule, for the staff trace
    relevance: float = 0.0
    floor: float = 0.0
    draft: str = ""  # staff only: the answer the guard blocked
    body: str = ""  # the composed answer alone (no card, notes, sources or footer)
    card: str = ""  # the crisis card the answer starts with, if any

    def public(self) -> dict[str, Any]:
        """The structured result of the /ask endpoint."""
        cited = {cid for c in self.citations for cid in c.chunk_ids}
        return {
            "answer": self.answer,
            "language": self.language,
            "rule": self.rule,
            "crisis": self.crisis is not None,
            "crisis_category": self.crisis,
            "refusal": self.refusal is not None,
            "refusal_category": self.refusal,
            "citations": [
                {"n": c.n, "doc_id": c.doc_id, "title": c.title, "url": c.url, "chunk_ids": c.chunk_ids}
                for c in self.citations
            ],
            "chunks": [
                {
                    "chunk_id": h.chunk.id,
                    "doc_id": h.chunk.doc_id,
                    "status": h.chunk.status,
                    "fused": round(h.fused, 5),
                    "dense": None if h.dense is None else round(h.dense, 4),
                    "keyword": None if h.keyword is None else round(h.keyword, 3),
                    "heading": None if h.heading is None else round(h.heading, 4),
                    "dense_rank": h.dense_rank,
                    "keyword_rank": h.keyword_rank,
                    "cited": h.chunk.id in cited,
                }
                for h in self.hits
            ],
            "flags": self.flags,
            "timings_ms": {k: round(v, 2) for k, v in self.timings.items()},
            "index_version": self.index_version,
        }


def ordinary_questions(chunks: list[Any], limit: int = 600) -> list[str]:
    """Section headings of servable documents, at most `limit` (spread evenly), as ordinary
    questions for the crisis model; the cap keeps start-up fast on a large corpus."""
    headings = sorted({c.heading for c in chunks if c.heading != "Overview" and c.status == "verified"})
    step = max(1, len(headings) // limit)
    return headings[::step][:limit]


@dataclass
class Prepared:
    """A message that passed the rails and was searched: ready to compose."""

    question: Question
    language: str
    flags: list[str]
    timings: dict[str, float]
    crisis: CrisisMatch | None
    intent: Intent
    retrievals: list[Retrieval]

    @property
    def retrieval(self) -> Retrieval:
        return self.retrievals[0]

    @property
    def relevant(self) -> bool:
        return any(r.relevant for r in self.retrievals)

    @property
    def relevance(self) -> float:
        """The best section score of any part of the question."""
        return max(r.relevance for r in self.retrievals)


class Assistant:
    """Loads the model, the index and the rails once; answers questions thread-safely."""

    def __init__(self, settings: Settings, embed_query: Callable[[str], list[float]] | None = None) -> None:
        self.settings = settings
        self.holder = IndexHolder(settings)
        self.directory: Directory = load_directory(settings.knowledge_dir / "directory.yaml")
        self.vocabulary = Vocabulary.load(settings.knowledge_dir)
        self._embed_query = embed_query
        self._detector: tuple[str, CrisisDetector] | None = None
        self._lock = threading.Lock()
        self.composer: Any = None  # optional LLM composer (assistant.llm), set by warm_up()

    # -- loading -----------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the model, the index, the crisis model, the language and phone-number data and
        the configured composer now, so the first resident does not wait for them."""
        from threadpoolctl import threadpool_limits

        self.detector()
        for message, hint in (("Where can I get Narcan?", "en"), ("¿Dónde consigo Narcan?", "es")):
            self.ask(message, hint=hint)
        # One BLAS thread: the small NumPy and scikit-learn steps of an answer are faster alone, and
        # idle BLAS threads spinning after them would slow the next embedding (torch's own threads).
        threadpool_limits(1, user_api="blas")
        if self.settings.composer != "extractive" and self.composer is None:
            from assistant.llm import build_composer

            self.composer = build_composer(self.settings, self.directory)

    def embed(self, text: str) -> list[float]:
        if self._embed_query is None:
            from assistant.embeddings import load_embeddings

            self._embed_query = load_embeddings().embed_query
        return self._embed_query(text)

    def embed_many(self, texts: list[str]) -> list[list[float]]:
        from assistant.embeddings import load_embeddings

        return list(load_embeddings().embed_documents(texts))

    def detector(self) -> CrisisDetector:
        """The crisis model of the served index version (its headings are part of its training):
        trained at start, and again when a new version is served."""
        index = self.holder.get()
        current = self._detector
        if current is not None and current[0] == index.version:
            return current[1]
        with self._lock:
            if self._detector is None or self._detector[0] != index.version:
                from assistant.embeddings import cached_embedder

                embed, cache = cached_embedder(self.settings.cache_dir), self.settings.cache_dir
                examples = model_examples(self.settings.knowledge_dir / "eval")
                detector = CrisisDetector.build(
                    embed,
                    ordinary_questions(index.chunks),
                    cache=cache,
                    extra=examples.cards,
                    refusal_extra=examples.refusals,
                    promote_extra=examples.promote,
                )
                self._detector = (index.version, detector)
            return self._detector[1]

    # -- answering ---------------------------------------------------------------------------

    def ask(self, message: object, *, residents: bool = True, hint: str = "en") -> Result:
        """Answer one message. Never raises; every answer ends with the footer."""
        final: Result | None = None
        for step in self._steps(message, residents, False, hint):
            final = step if isinstance(step, Result) else final
        assert final is not None
        return final

    def ask_stream(self, message: object, hint: str = "en") -> Iterator[str | Result]:
        """Partial answers as a generated composer writes them (each a text with the footer), then
        the final Result, exactly what `ask` returns (the verifier may have replaced the text)."""
        yield from self._steps(message, True, True, hint)

    def _steps(self, message: object, residents: bool, stream: bool, hint: str) -> Iterator[str | Result]:
        started = time.perf_counter()
        raw = message if isinstance(message, str) else ""
        language = detect_language(raw, hint) if raw.strip() else (hint if hint in ("en", "es") else "en")
        try:
            prepared = self._prepare(raw, language, residents)
            if isinstance(prepared, Prepared):
                streamed = stream and self._can_stream(prepared)
                composed = (yield from self._generate(prepared)) if streamed else None
                result = self._render(prepared, composed or self._compose(prepared, use_llm=not streamed))
            else:
                result = prepared
        except Exception as exc:  # noqa: BLE001 - a resident never sees a traceback
            # The exception's type only: its text and traceback may hold the resident's words.
            log.error("answer failed: %s", type(exc).__name__)
            result = Result(with_footer(phrase("error", language), language), language, rule="error")
        result = self._guard(result, residents)
        result.timings["total"] = (time.perf_counter() - started) * 1000
        self._log(result)
        yield result

    def _log(self, result: Result) -> None:
        log.info(
            "answered rule=%s crisis=%s refusal=%s lang=%s chunks=%s flags=%s ms=%.1f",
            result.rule,
            result.crisis,
            result.refusal,
            result.language,
            ",".join(c for cit in result.citations for c in cit.chunk_ids),
            ",".join(result.flags),
            result.timings["total"],
        )

    def _reply(self, key: str, language: str, rule: str, **extra: Any) -> Result:
        return Result(with_footer(phrase(key, language), language), language, rule=rule, **extra)

    def _prepare(self, raw: str, language: str, residents: bool) -> Result | Prepared:
        """Everything before composing: limits, crisis, refusal, small talk, retrieval."""
        if not raw.strip():
            return self._reply("empty", language, "empty")
        question = understand(raw.strip(), self.settings.max_message_chars)
        flags = ["shortened"] if question.shortened else []
        if refusals.has_injection(raw):
            flags.append("injection")
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        embedding = self.embed(question.search)
        timings["embed"] = (time.perf_counter() - clock) * 1000
        clock = time.perf_counter()
        detector = self.detector()
        intent = detector.intent(question.search, embedding)
        crisis = detector.decide(raw[:PATTERN_CHARS], intent, language)
        timings["crisis"] = (time.perf_counter() - clock) * 1000
        early = self._early_reply(raw, question, language, crisis, intent)
        if early is not None:
            early.flags, early.timings = flags, timings
            return early
        clock = time.perf_counter()
        retrievals = self._retrieve(question, embedding, language, residents, crisis, intent)
        timings["retrieve"] = (time.perf_counter() - clock) * 1000
        retrievals = _story_answered(retrievals, question, intent)
        prepared = Prepared(question, language, flags, timings, crisis, intent, retrievals)
        if not crisis and (
            not prepared.relevant or _off_topic(prepared, self.vocabulary) or other_place(question.search)
        ):
            result = self._reply(
                "off_topic", language, "off_topic", intent=intent.quiet, relevance=prepared.relevance
            )
            result.flags, result.timings, result.hits = flags, timings, prepared.retrieval.hits
            return result
        return prepared

    def _refused_sentence(self, text: str) -> tuple[str, str] | None:
        """A request hidden in one sentence of a longer message ("I'm three months sober and proud.
        Anyway, my buddy wants to know who is holding on Main St."): the model reads each sentence of
        a message of two or more alone. Stricter than for a whole message: the sentence must ask for
        something and name the category's subject however sure the model is, and an exception word
        anywhere in the message (help, a lawyer, testing ...) lets it through, unless the model is
        SURE_SENTENCE of the sentence: then only one in the sentence itself does."""
        # a resident's sentences, however they are written ("ok thanks for the narcan info. now where
        # do I actually get a bag tonight": no capital letter after the full stop)
        split = SENTENCE_BREAK.split(text)
        whole = [s for s in split if len(s.split()) >= SENTENCE_WORDS]
        parts = [clause for sentence in split for clause in CLAUSE_BREAK.split(sentence)]
        sentences = [s for s in parts if s and len(s.split()) >= SENTENCE_WORDS]
        if len(parts) < 2 or not sentences:
            return None
        # a question a refusal pattern matches, judged by the exception words in it alone ("My brother
        # just got out of rehab ... Anyway, where can I pick up some percs around here?")
        for sentence in sentences:
            if is_question(fold(sentence)) and (found := refusals.refusal(sentence)):
                return found[0], f"sentence: {found[1]}"
        detector = self.detector()
        for number, (sentence, vector) in enumerate(zip(sentences, self.embed_many(sentences), strict=True)):
            if _told(sentence):
                continue
            category, probability = detector.intent(sentence, vector).refusal
            # a clause, or the one long sentence beside short ones ("¿Dónde dan Narcan gratis? Y también,
            # ¿quién tiene manteca buena por la Jackson?"), only when the model is very sure of it
            if (len(whole) < 2 or sentence not in whole) and probability < SURE_SENTENCE:
                continue
            # an exception word anywhere lets it through, or only in the sentence and the questions
            # after it when the model is very sure of it ("Estoy en recuperación ... ¿Usted sabe dónde
            # venden percocet por la calle?" is refused; "The guy who used to sell on my street is
            # back. How do I report him without giving my name?" is not)
            later = [s for s in sentences[number + 1 :] if s.rstrip().endswith("?")]
            scope = " ".join([sentence, *later]) if probability >= SURE_SENTENCE else text
            if probability < REFUSE or refusals.excepted(category, scope):
                continue
            # a later question about the law or whom to call makes the sentence its story ("Un cliente
            # ... me ofreció dinero por sexo. No lo hice ... ¿qué delito es para el que paga?")
            if later and refusals.never_refused(category, " ".join(later)):
                continue
            # the sentence itself asks for what the category is about (however sure the model is)
            if refusals.model_may_refuse(category, sentence):
                return refusals.refined(category, text), f"sentence: P(refuse_{category}) {probability:.2f}"
        return None

    def _refused_quote(self, message: str) -> tuple[str, str] | None:
        """A text the resident asks to translate or rewrite is what would be sent: it is refused
        when the model is sure that it, or the whole message, is a request to refuse, though neither
        need ask anything ("Translate to Spanish for my friend: "Need 2 bundles, meet behind the
        store at 9"")."""
        quotes = refusals.quoted_task(message)
        if not quotes:
            return None
        texts, detector = [*quotes, message], self.detector()
        for text, vector in zip(texts, self.embed_many(texts), strict=True):
            intent = detector.intent(text, vector)
            category, probability = intent.refusal
            if probability >= SURE_REFUSE and not refusals.excepted(category, text):
                return _promoting(refusals.refined(category, text), intent), f"quoted: P {probability:.2f}"
        return None

    def _early_reply(
        self, raw: str, question: Question, language: str, crisis: CrisisMatch | None, intent: Intent
    ) -> Result | None:
        """A refusal (over a crisis the model guessed, never over a crisis pattern), a small-talk
        reply or the "not verified" reply on police powers (neither over a crisis): nothing to search.
        Over a card, only the crisis model may refuse: the refusal model's data never removes a card."""
        if (crisis is None or crisis.rule == "model") and is_privacy_question(raw):
            return self._reply("privacy", language, "small_talk", intent=intent.quiet)  # never a guessed card
        judge = intent if crisis is None else replace(intent, general=None)
        refused = refusals.refusal(question.search) or _refused_by_model(question.search, judge)
        if refused is None and crisis is None:
            refused = self._refused_sentence(question.search) or self._refused_quote(raw)
        if refused and _promoting(refused[0], intent) != refused[0]:
            refused = "promote", f"{refused[1]}; promote model {intent.promote:.2f}"  # recruiting, managing ...
        if refused and (crisis is None or crisis.rule == "model"):
            return self._reply(
                f"refuse_{refused[0]}", language, "refusal", refusal=refused[0], detail=refused[1],
                intent=judge.quiet,
            )  # fmt: skip
        if crisis is None and (is_small_talk(raw) or _chatty(raw, intent)):
            return self._reply(_small_talk_key(raw), language, "small_talk", intent=intent.quiet)
        if crisis is None and mentions(POLICE_POWERS, question.search) and not mentions(LEGAL_BELIEF, question.search):
            return self._reply("police_powers", language, "not_found", intent=intent.probabilities)
        return None

    def _retrieve(
        self,
        question: Question,
        embedding: list[float],
        language: str,
        residents: bool,
        crisis: CrisisMatch | None,
        intent: Intent,
    ) -> list[Retrieval]:
        """One retrieval per part of the question (the whole question when it has one part). A
        crisis steers the keyword search to its category's pages; without a card, a likely crisis
        topic does so in a second search, only when the first found nothing relevant."""
        index = self.holder.get()
        today = date_number(dt.date.today())
        floor = self.settings.relevance_floor if language == "en" else self.settings.relevance_floor_es
        texts = question.parts if len(question.parts) > 1 else [question.search]
        vectors = self.embed_many(texts) if len(texts) > 1 else [embedding]
        focus = self.embed_many([question.focus])[0] if question.focus else None
        whole = question.search if len(texts) > 1 else ""

        def run(hint: str) -> list[Retrieval]:
            return [
                search(
                    index, Query(text, vector, language, hint, focus, whole), self.vocabulary,
                    today=today, residents=residents, k=self.settings.top_k, floor=floor,
                )  # fmt: skip
                for text, vector in zip(texts, vectors, strict=True)
            ]

        found = run(crisis_hint(crisis.category, question.search) if crisis else "")
        if crisis is None and not any(r.relevant for r in found) and (topic := self._topic_hint(intent)):
            found = run(topic)
        if crisis:
            topics = CATEGORY_TOPICS.get(crisis.category, set())
            folded = fold(question.search)
            reporter = crisis.category == "child" and bool(REPORTER_ROLE.search(folded))
            young = _young_and_sold(folded)

            def order(hit: Hit) -> tuple[bool, bool, bool, bool]:
                about, heading = set(hit.chunk.topics), fold(hit.chunk.heading)
                definition = DEFINITION.match(heading) and not PHONE.search(hit.chunk.text)
                first = (reporter and DUTY_TO_REPORT.search(heading)) or (young and FOR_THE_YOUNG.search(heading))
                return not first, not topics & about, bool(LAW_AND_CONTEXT & about), bool(definition)

            for retrieval in found:  # stable: the search's order within each group
                retrieval.hits.sort(key=order)
        return found

    @staticmethod
    def _topic_hint(intent: Intent) -> str:
        """The category hint of the crisis topic the model sees in a message without a card
        (past violence, a friend's overdose ...), or "" when it sees none."""
        category = intent.ranked_categories()[0]
        return CATEGORY_HINTS.get(category, "") if intent.probabilities.get(category, 0.0) >= TOPIC_HINT else ""

    def _can_stream(self, prepared: Prepared) -> bool:
        return self.composer is not None and prepared.relevant and hasattr(self.composer, "stream")

    def _generate(self, prepared: Prepared) -> Generator[str, None, Composed | None]:
        """Stream a generated answer; returns it verified, or None (the extractive answer follows)."""
        composer = self.composer
        crisis = prepared.crisis
        prefix = crisis_card(crisis.category, prepared.language, crisis.self_poisoning) + "\n\n" if crisis else ""
        written = ""
        for part in composer.stream(prepared.question.search, prepared.retrieval):
            written += part
            shown = neutralise_markdown(strip_html(prefix + written))
            if not self.directory.unvetted(shown):  # never flash an unvetted number, even briefly
                yield with_footer(shown, prepared.language)
        composed: Composed | None = composer.finish(written, prepared.question.search, prepared.retrieval)
        if composed is None:
            prepared.flags.append("llm_fallback")
        return composed

    def _compose(self, prepared: Prepared, use_llm: bool = True) -> Composed | None:
        """The generated answer when a composer is on and passes the verifier; else extractive."""
        if not prepared.relevant:
            return None
        if self.composer is not None and use_llm:
            generated: Composed | None = self.composer.compose(prepared.question.search, prepared.retrieval)
            if generated is not None:
                return generated
            prepared.flags.append("llm_fallback")
        relevant = [r for r in prepared.retrievals if r.relevant]
        question = prepared.question
        asks = question.parts[0] if question.parts and not question.compared else question.search
        words = [w for r in relevant for w in r.words]  # every part's words rank the sentences
        words += ranking_words(question.search, prepared.language, self.vocabulary)
        return compose(
            [r.hits for r in relevant], words, prepared.language, [r.asked for r in relevant], prepared.crisis is None,
            yes_no=is_yes_no_question(asks),
            question=question.search,
        )  # fmt: skip

    def _render(self, prepared: Prepared, composed: Composed | None) -> Result:
        language, crisis, flags = prepared.language, prepared.crisis, prepared.flags
        parts: list[str] = []
        card = crisis_card(crisis.category, language, crisis.self_poisoning) if crisis else ""
        if crisis:
            parts.append(card)
            flags.append(f"crisis:{crisis.rule}")
        if prepared.question.private:
            parts.append(phrase("privacy_short", language))
        if prepared.question.shortened:
            parts.append(phrase("too_long", language))
        body = ""
        if composed and composed.body:
            if any(r.english_fallback for r in prepared.retrievals) and language != "en":
                parts.append(phrase("english_note", language))
                flags.append("english_fallback")
            body = neutralise_markdown(strip_html(composed.body), frozenset(c.url for c in composed.citations))
            parts.append(body)
            if "law" in composed.topics:
                parts.append(phrase("legal", language))
            if "local-needs" in composed.topics:
                parts.append(phrase("check_211", language))
            parts.append(sources_block(composed.citations, phrase("sources", language)))
        elif not crisis:
            parts.append(phrase("not_found", language))
        extra = extra_lines_for(composed.topics if composed else [], crisis.category if crisis else None)
        rule = "crisis" if crisis else ("answer" if composed and composed.body else "not_found")
        retrieval = prepared.retrieval
        return Result(
            answer=with_footer("\n\n".join(parts), language, extra),
            language=language,
            rule=rule,
            crisis=crisis.category if crisis else None,
            citations=composed.citations if composed else [],
            hits=retrieval.hits,
            flags=flags,
            timings=prepared.timings,
            index_version=retrieval.index_version,
            intent=prepared.intent.probabilities,
            detail=(crisis.detail or f"P(crisis) {crisis.score}") if crisis else "",
            relevance=prepared.relevance,
            floor=retrieval.floor,
            body=body,
            card=card,
        )

    def _guard(self, result: Result, residents: bool) -> Result:
        """Last check on every path: an unvetted phone number replaces the whole answer."""
        bad = unvetted_numbers(result.answer, self.directory)
        if not bad:
            return result
        log.warning("guard: answer with %d unvetted number(s) replaced (rule=%s)", len(bad), result.rule)
        body = phrase("fallback", result.language)
        card = crisis_card(result.crisis, result.language) if result.crisis else ""
        if card:
            body = card + "\n\n" + body
        return Result(
            with_footer(body, result.language),
            result.language,
            rule="guard",
            crisis=result.crisis,
            flags=[*result.flags, "guard"],
            timings=result.timings,
            hits=result.hits,
            detail="unvetted: " + ", ".join(bad),
            draft="" if residents else result.answer,
            card=card,
        )


def _quiet(intent: Intent) -> float:
    """How sure the model is that the message is off topic (incl. a figure of speech or small talk)."""
    return sum(intent.quiet.get(k, 0.0) for k in ("off_topic", "idiom", "small_talk"))


def _off_topic(prepared: Prepared, vocabulary: Vocabulary) -> bool:
    """A message that no section matches strongly and that the model thinks off topic or that is
    about an everyday topic no document covers (the weather, homework, a job ...), or a message
    that shares almost no words with any section (a Spanish question matches every section a little)."""
    text = prepared.question.search
    if mentions(SERVICE_NAMES, text) or vocabulary.laws(text):
        return False  # "what time does covenant serve lunch", "what does 53a-196i cover": the documents' topics
    quiet = _quiet(prepared.intent)
    if _names_a_need(text):  # "hello, i have nowhere to sleep", "ugh I'm dead tired, where can I sleep tonight":
        quiet -= sum(prepared.intent.quiet.get(k, 0.0) for k in ("small_talk", "idiom"))  # not the topic
    words = max(r.best_keyword for r in prepared.retrievals)
    spanish = prepared.language == "es"
    everyday = mentions(EVERYDAY_TOPIC, text) and not mentions(BASIC_NEEDS, text)
    everyday = everyday and _topical(prepared.intent) < TOPICAL
    strong = words >= STRONG_KEYWORDS_ES if spanish else prepared.relevance >= STRONG_MATCH
    weak = words < WEAK_KEYWORDS.get(prepared.language, WEAK_KEYWORDS["en"])
    if strong and not everyday:
        return quiet >= QUIET_WEAK and weak
    return quiet >= OFF_TOPIC or everyday or (quiet >= QUIET_WEAK and weak)


# A sentence that tells what someone else does ("Hay un señor que paga cuartos por semana para
# muchachas jóvenes ..., y él guarda las identificaciones de todas.") asks for nothing: a motel clerk
# reporting it was refused as buying sex by the model reading that sentence alone.
TOLD = re.compile(r"(?:hay (?:un|una|unos|unas)|there's|there (?:is|are) (?:a|an|this|some|these)) \w")


def _told(sentence: str) -> bool:
    return not sentence.rstrip().endswith("?") and bool(TOLD.match(fold(sentence).strip(" ¿¡,")))


def _story_answered(retrievals: list[Retrieval], question: Question, intent: Intent) -> list[Retrieval]:
    """The retrievals, the best one counted relevant when a long story plainly asks what a section covers."""
    if any(r.relevant for r in retrievals) or len(question.search.split()) < STORY_WORDS:
        return retrievals
    if _topical(intent) < STORY_TOPICAL:
        return retrievals
    best = max(retrievals, key=lambda r: r.best_keyword)
    if best.best_keyword < STORY_KEYWORDS or not best.hits:
        return retrievals
    return [replace(r, relevant=True) if r is best else r for r in retrievals]


def _promoting(category: str, intent: Intent) -> str:
    """A request refused as buying sex that the promote model reads as recruiting, managing or
    advertising others is refused as "promote"; any other category stays as it is."""
    return "promote" if category == "buy_sex" and intent.promote >= PROMOTE else category


def _topical(intent: Intent) -> float:
    """How sure the model is that the message asks what the documents cover."""
    return intent.quiet.get("ordinary", 0.0) + intent.quiet.get("info", 0.0)


def _refused_by_model(message: str, intent: Intent) -> tuple[str, str] | None:
    """A request to refuse that no pattern caught, when the model is sure of it and the message
    does not ask for help, safety, rights or a report (the same exceptions as the patterns)."""
    category, probability = intent.refusal
    if probability < REFUSE or refusals.excepted(category, message):
        return None
    sure, very_sure = probability >= SURE_REFUSE, probability >= VERY_SURE_REFUSE
    if not refusals.model_may_refuse(category, message, sure=sure, very_sure=very_sure):
        return None
    return refusals.refined(category, message), f"classifier P(refuse_{category}) {probability:.2f}"


def _chatty(message: str, intent: Intent) -> bool:
    """A short message the model is sure is small talk ("who made you? are you a real person"),
    unless it names a basic need ("buenas noches, necesito comida pa mis hijos") or a service
    ("buenas, el 211 habla español?")."""
    short = len(message.split()) <= 12 and not _names_a_need(message) and not mentions(SERVICE_NAMES, message)
    return short and intent.quiet.get("small_talk", 0.0) >= SMALL_TALK


def _names_a_need(message: str) -> bool:
    """The message names a basic need: food, a bed, rent, heat ("thanks for the help" names none)."""
    return mentions(BASIC_NEEDS, HELP_WORDS.sub(" ", message))


def _small_talk_key(message: str) -> str:
    folded = fold(message)
    if any(w in folded for w in ("thank", "thx", "gracias", "appreciate")):
        return "thanks"
    if any(w in folded for w in ("bye", "adios", "chao", "chau", "hasta luego", "nos vemos", "see you")):
        return "bye"
    return "hello"
