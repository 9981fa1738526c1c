"""The answer path: classify -> retrieve -> compose -> guard -> footer, on every path.

`Assistant.ask(message)` never raises: any failure becomes a plain apology with the footer.
Logs hold timings, flags, categories and chunk ids, never the resident's words.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant import safety
from assistant.answer import Citation, Composed, compose, sources_block
from assistant.config import Settings
from assistant.directory import Directory, load_directory
from assistant.index import IndexHolder, Scope
from assistant.knowledge import date_number
from assistant.lang import detect_language
from assistant.messages import text
from assistant.retrieve import Hit, Retrieval, Synonyms, search

log = logging.getLogger(__name__)


@dataclass
class Result:
    """Everything about one answer: what the resident sees and why (for staff and tests)."""

    answer: str
    language: str = "en"
    rule: str = "answer"  # answer | crisis | refusal | not_found | empty | error | guard
    crisis: str | None = None
    refusal: str | None = None
    citations: list[Citation] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    index_version: str = ""

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
    """Section headings of servable documents, at most `limit` (spread evenly), as the crisis
    model's examples of ordinary questions; the cap keeps start-up fast on a large corpus."""
    headings = sorted({c.heading for c in chunks if c.heading != "Overview" and c.status == "verified"})
    step = max(1, len(headings) // limit)
    return headings[::step][:limit]


@dataclass
class Prepared:
    """A message that passed the rails and was searched: ready to compose."""

    message: str
    language: str
    flags: list[str]
    timings: dict[str, float]
    crisis: safety.CrisisMatch | None
    retrieval: Retrieval
    english_note: bool


class Assistant:
    """Loads the model, the index and the rails once; answers questions thread-safely."""

    def __init__(self, settings: Settings, embed_query: Callable[[str], list[float]] | None = None) -> None:
        self.settings = settings
        self.holder = IndexHolder(settings)
        self.directory: Directory = load_directory(settings.knowledge_dir / "directory.yaml")
        self.synonyms = Synonyms.load(settings.knowledge_dir / "synonyms.yaml")
        self._embed_query = embed_query
        self._detector: safety.CrisisDetector | None = None
        self._lock = threading.Lock()
        self.composer: Any = None  # optional LLM composer (assistant.llm), set by warm_up()

    # -- loading -----------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the model, the crisis examples, the index and the configured composer now."""
        self.detector()
        self.holder.get()
        if self.settings.composer != "extractive" and self.composer is None:
            from assistant.llm import build_composer

            self.composer = build_composer(self.settings, self.directory)

    def embed(self, message: str) -> list[float]:
        if self._embed_query is None:
            from assistant.embeddings import load_embeddings

            self._embed_query = load_embeddings().embed_query
        return self._embed_query(message)

    def detector(self) -> safety.CrisisDetector:
        if self._detector is None:
            with self._lock:
                if self._detector is None:
                    from assistant.embeddings import load_embeddings

                    headings = ordinary_questions(self.holder.get().chunks)
                    self._detector = safety.CrisisDetector.build(load_embeddings().embed_documents, headings)
        return self._detector

    # -- answering ---------------------------------------------------------------------------

    def ask(self, message: object, *, residents: bool = True) -> Result:
        """Answer one message. Never raises; every answer ends with the footer."""
        final: Result | None = None
        for step in self._steps(message, residents, stream=False):
            final = step if isinstance(step, Result) else final
        assert final is not None
        return final

    def ask_stream(self, message: object) -> Iterator[str | Result]:
        """Partial answers as a generated composer writes them (each a text with the footer), then
        the final Result, exactly what `ask` returns (the verifier may have replaced the text)."""
        yield from self._steps(message, True, stream=True)

    def _steps(self, message: object, residents: bool, stream: bool) -> Iterator[str | Result]:
        started = time.perf_counter()
        raw = message if isinstance(message, str) else ""
        language = detect_language(raw) if raw.strip() else "en"
        try:
            prepared = self._prepare(raw, language, residents)
            if isinstance(prepared, Prepared):
                streamed = stream and self._can_stream(prepared)
                composed = (yield from self._generate(prepared)) if streamed else None
                result = self._render(prepared, composed or self._compose(prepared, use_llm=not streamed))
            else:
                result = prepared
        except Exception as exc:  # noqa: BLE001 - a resident never sees a traceback
            log.error("answer failed: %s", type(exc).__name__, exc_info=log.isEnabledFor(logging.DEBUG))
            result = Result(safety.with_footer(text("error", language), language), language, rule="error")
        result = self._guard(result)
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

    def _prepare(self, raw: str, language: str, residents: bool) -> Result | Prepared:
        """Everything before composing: limits, crisis, refusal, retrieval."""
        message = raw.strip()
        if not message:
            return Result(safety.with_footer(text("empty", language), language), language, rule="empty")
        flags: list[str] = []
        limit = self.settings.max_message_chars
        if len(message) > limit:
            message = message[:limit]
            flags.append("truncated")
        if safety.has_injection(message):
            flags.append("injection")
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        embedding = self.embed(message)
        timings["embed"] = (time.perf_counter() - clock) * 1000
        # Keyword crisis patterns win; then the precise refusal patterns; then the crisis model.
        crisis = safety.keyword_crisis(message)
        refusal = None if crisis else safety.refusal_category(message)
        if not crisis and not refusal:
            crisis = self.detector().by_model(embedding, language)
        if refusal:
            body = text(f"refuse_{refusal}", language)
            result = Result(safety.with_footer(body, language), language, rule="refusal", refusal=refusal)
            result.flags, result.timings = flags, timings
            return result
        clock = time.perf_counter()
        # A keyword crisis is certain enough to steer retrieval to its help pages; the model's
        # guesses are not (its false alarms must not change an ordinary question's answer).
        hint = safety.CATEGORY_HINTS.get(crisis.category, "") if crisis and crisis.rule == "pattern" else ""
        retrieval, note = self._retrieve(message, embedding, language, residents, hint)
        timings["retrieve"] = (time.perf_counter() - clock) * 1000
        return Prepared(message, language, flags, timings, crisis, retrieval, note)

    def _can_stream(self, prepared: Prepared) -> bool:
        return self.composer is not None and prepared.retrieval.relevant and hasattr(self.composer, "stream")

    def _generate(self, prepared: Prepared) -> Generator[str, None, Composed | None]:
        """Stream a generated answer; returns it verified, or None (the extractive answer follows)."""
        composer = self.composer
        prefix = safety.crisis_card(prepared.crisis.category, prepared.language) + "\n\n" if prepared.crisis else ""
        written = ""
        for part in composer.stream(prepared.message, prepared.retrieval):
            written += part
            shown = safety.strip_html(prefix + written)
            if not self.directory.unvetted(shown):  # never flash an unvetted number, even briefly
                yield safety.with_footer(shown, prepared.language)
        composed: Composed | None = composer.finish(written, prepared.message, prepared.retrieval)
        if composed is None:
            prepared.flags.append("llm_fallback")
        return composed

    def _retrieve(
        self, message: str, embedding: list[float], language: str, residents: bool, hint: str = ""
    ) -> tuple[Retrieval, bool]:
        """Search in the question's language; Spanish falls back to English with a note.

        The model embeds Spanish less precisely than English (any two Spanish texts look alike),
        so Spanish has its own, higher relevance floor, and so does a Spanish question searched
        against English documents. All three floors are tuned on the golden set.
        """
        index = self.holder.get()
        today = date_number(dt.date.today())
        settings = self.settings

        def run(lang: str, floor: float) -> Retrieval:
            scope = Scope(lang, today, residents)
            return search(index, embedding, message, self.synonyms, scope, k=settings.top_k, floor=floor, hint=hint)

        if language == "en":
            return run("en", settings.relevance_floor), False
        retrieval = run(language, settings.relevance_floor_es)
        if retrieval.relevant:
            return retrieval, False
        fallback = run("en", settings.relevance_floor_cross)
        return (fallback, True) if fallback.relevant else (retrieval, False)

    def _render(self, prepared: Prepared, composed: Composed | None) -> Result:
        language, crisis, flags = prepared.language, prepared.crisis, prepared.flags
        parts: list[str] = []
        if crisis:
            parts.append(safety.crisis_card(crisis.category, language))
            flags.append(f"crisis:{crisis.rule}")
        if composed and composed.body:
            if prepared.english_note:
                parts.append(text("english_note", language))
            parts.append(safety.strip_html(composed.body))
            if "law" in composed.topics:
                parts.append(text("legal", language))
            parts.append(sources_block(composed.citations, text("sources", language)))
        elif not crisis:
            parts.append(text("not_found", language))
        if "truncated" in flags:
            parts.insert(1 if crisis else 0, text("too_long", language).format(limit=self.settings.max_message_chars))
        extra = safety.extra_lines_for(composed.topics if composed else [], crisis.category if crisis else None)
        rule = "crisis" if crisis else ("answer" if composed and composed.body else "not_found")
        return Result(
            answer=safety.with_footer("\n\n".join(parts), language, extra),
            language=language,
            rule=rule,
            crisis=crisis.category if crisis else None,
            citations=composed.citations if composed else [],
            hits=prepared.retrieval.hits,
            flags=flags,
            timings=prepared.timings,
            index_version=prepared.retrieval.index_version,
        )

    def _compose(self, prepared: Prepared, use_llm: bool = True) -> Composed | None:
        """The generated answer when a composer is on and passes the verifier; else extractive."""
        retrieval = prepared.retrieval
        if not retrieval.relevant:
            return None
        if self.composer is not None and use_llm:
            generated: Composed | None = self.composer.compose(prepared.message, retrieval)
            if generated is not None:
                return generated
            prepared.flags.append("llm_fallback")
        return compose(prepared.message, retrieval.words, retrieval.hits, self.settings.relevance_floor)

    def _guard(self, result: Result) -> Result:
        """Last check on every path: an unvetted phone number replaces the whole answer."""
        bad = safety.guard(result.answer, self.directory)
        if not bad:
            return result
        log.warning("guard: answer with %d unvetted number(s) replaced (rule=%s)", len(bad), result.rule)
        body = text("fallback", result.language)
        if result.crisis:
            body = safety.crisis_card(result.crisis, result.language) + "\n\n" + body
        return Result(
            safety.with_footer(body, result.language),
            result.language,
            rule="guard",
            crisis=result.crisis,
            flags=[*result.flags, "guard"],
            timings=result.timings,
        )
