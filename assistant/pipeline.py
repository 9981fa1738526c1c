"""The answer path: classify -> retrieve -> compose -> guard -> footer, on every path.

`Assistant.ask(message)` never raises: any failure becomes a plain apology with the footer.
Logs hold timings, flags, categories and chunk ids, never the resident's words.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant import safety
from assistant.answer import Citation, compose, sources_block
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
        self.composer: Any = None  # optional LLM composer (assistant.llm), set by configure()

    # -- loading -----------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the model, the crisis examples and the index now instead of on first question."""
        self.detector()
        self.holder.get()

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

                    headings = sorted({c.heading for c in self.holder.get().chunks if c.heading != "Overview"})
                    self._detector = safety.CrisisDetector.build(load_embeddings().embed_documents, headings)
        return self._detector

    # -- answering ---------------------------------------------------------------------------

    def ask(self, message: object, *, residents: bool = True) -> Result:
        """Answer one message. Never raises; every answer ends with the footer."""
        started = time.perf_counter()
        raw = message if isinstance(message, str) else ""
        language = detect_language(raw) if raw.strip() else "en"
        try:
            result = self._answer(raw, language, residents)
        except Exception as exc:  # noqa: BLE001 - a resident never sees a traceback
            log.error("answer failed: %s", type(exc).__name__, exc_info=log.isEnabledFor(logging.DEBUG))
            result = Result(safety.with_footer(text("error", language), language), language, rule="error")
        result = self._guard(result)
        result.timings["total"] = (time.perf_counter() - started) * 1000
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
        return result

    def _answer(self, raw: str, language: str, residents: bool) -> Result:
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
        hint = safety.CATEGORY_HINTS.get(crisis.category, "") if crisis else ""
        retrieval, note = self._retrieve(message, embedding, language, residents, hint)
        timings["retrieve"] = (time.perf_counter() - clock) * 1000
        result = self._render(message, language, retrieval, crisis, note, flags)
        result.timings.update(timings)
        return result

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

    def _render(
        self,
        message: str,
        language: str,
        retrieval: Retrieval,
        crisis: safety.CrisisMatch | None,
        english_note: bool,
        flags: list[str],
    ) -> Result:
        index_version = self.holder.get().version
        parts: list[str] = []
        if crisis:
            parts.append(safety.crisis_card(crisis.category, language))
            flags.append(f"crisis:{crisis.rule}")
        composed = None
        if retrieval.relevant:
            composed = self._compose(message, retrieval)
        if composed and composed.body:
            if english_note:
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
            hits=retrieval.hits,
            flags=flags,
            index_version=index_version,
        )

    def _compose(self, message: str, retrieval: Retrieval) -> Any:
        if self.composer is not None:
            generated = self.composer.compose(message, retrieval)
            if generated is not None:
                return generated
        return compose(message, retrieval.words, retrieval.hits, self.settings.relevance_floor)

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
