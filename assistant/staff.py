"""Staff console logic (no UI): traces that say what to fix, the knowledge status, evaluation
reports, feedback tables, and the `hash` command. Accounts and sessions: assistant.staff_auth.
"""

from __future__ import annotations

import datetime as dt
import getpass
import html
import re
import sys
from typing import Any

import yaml

from assistant import store
from assistant.answering import Result
from assistant.config import Settings
from assistant.directory import find_numbers
from assistant.feedback import Flag, Vote
from assistant.index import KnowledgeIndex

DATA_FILES = {
    "crisis:pattern": "assistant/data/crisis_patterns.yaml",
    "crisis:model": "assistant/data/crisis/*.yaml (labelled examples the model is trained on)",
    "refusal": "assistant/data/refusals.yaml",
    "small_talk": "assistant/understand.py (SMALL_TALK_PHRASES)",
    "off_topic": "assistant/data/crisis/*.yaml (off_topic examples) and the relevance floors in the settings",
}
TRACE_HEADERS = [
    "rank", "document", "section", "file:line", "status", "score (floor uses)", "dense cos", "heading cos",
    "keyword share", "cited",
]  # fmt: skip
PROBLEM_HEADERS = ["id", "question", "expected documents", "got", "rule", "problems"]
VOTE_HEADERS = ["when", "rating", "rule", "documents cited", "language", "index version"]
PER_DOCUMENT_HEADERS = ["document", "helpful", "not helpful", "open flags", "fixed flags"]
FLAG_HEADERS = ["flag #", "when", "staff", "status", "question", "note", "answer shown", "index version"]


# -- Try a question ------------------------------------------------------------------------------


def trace_rows(result: Result, index: KnowledgeIndex | None = None) -> list[list[Any]]:
    """One row per retrieved section: where it lives and every score that placed it."""
    cited = {cid for c in result.citations for cid in c.chunk_ids}
    rows = []
    for rank, hit in enumerate(result.hits, start=1):
        chunk = hit.chunk
        rows.append(
            [
                rank, chunk.title, chunk.heading, f"{chunk.path}:{chunk.line}", chunk.status,
                f"{hit.fused:.3f} (floor {result.floor:.2f})", _num(hit.dense), _num(hit.heading), _num(hit.keyword),
                "yes" if chunk.id in cited else "",
            ]
        )  # fmt: skip
    return rows


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def passages(result: Result) -> str:
    """Each retrieved section's text, with the sentences the answer quoted highlighted."""
    blocks = []
    quoted = result.body
    for rank, hit in enumerate(result.hits, start=1):
        chunk = hit.chunk
        sentences = [
            f'<mark class="cited">{html.escape(s)}</mark>' if s in quoted else html.escape(s) for s in chunk.sentences
        ]
        blocks.append(
            f"**{rank}. {html.escape(chunk.title)}: {html.escape(chunk.heading)}** "
            f"(`{chunk.path}:{chunk.line}`, score {hit.fused:.3f}, floor {result.floor:.2f})\n\n" + " ".join(sentences)
        )
    return "\n\n".join(blocks) or "_No section was retrieved._"


def explain(result: Result, settings: Settings) -> str:
    """Which rule decided the answer, how sure it was, and which file to edit to change it."""
    lines = [f"**Rule:** {result.rule}", f"**Language:** {result.language}"]
    if result.crisis:
        kind = next((f for f in result.flags if f.startswith("crisis:")), "crisis:model")
        lines.append(f"**Crisis card:** {result.crisis} ({kind.split(':')[1]})")
        if result.detail and kind == "crisis:pattern":
            lines.append(f"**Pattern:** `{result.detail}`")
        lines.append(f"**Edit:** {DATA_FILES[kind]}")
    if result.refusal:
        lines += [f"**Refusal:** {result.refusal}", f"**Pattern:** `{result.detail}`"]
        lines.append(f"**Edit:** {DATA_FILES['refusal']}")
    if result.rule in ("small_talk", "off_topic"):
        lines.append(f"**Edit:** {DATA_FILES[result.rule]}")
    if result.intent:
        top = sorted(result.intent.items(), key=lambda kv: -kv[1])[:5]
        lines.append("**Classifier:** " + ", ".join(f"{label} {p:.2f}" for label, p in top))
    if result.hits:
        verdict = "above" if result.relevance >= result.floor else "below"
        lines.append(f"**Best section score:** {result.relevance:.3f}, {verdict} the floor {result.floor:.2f}")
    if result.rule == "guard":
        lines.append(f"**Blocked:** {result.detail} (not a verified entry of knowledge/directory.yaml)")
    if result.flags:
        lines.append(f"**Flags:** {', '.join(result.flags)}")
    lines.append("**Timings:** " + ", ".join(f"{k} {v:.1f} ms" for k, v in result.timings.items()))
    lines.append(f"**Index:** {result.index_version or '-'}")
    return "  \n".join(lines)


def draft_view(result: Result) -> str:
    """Staff only: the draft the guard blocked, each unverified number highlighted and named."""
    text = html.escape(result.draft)
    for written, _ in find_numbers(result.draft):
        marked = f'<mark class="unvetted">{html.escape(written)} (not verified)</mark>'
        text = text.replace(html.escape(written), marked)
    return (
        "**Residents would see the safe fallback: this draft has a number that is not a verified directory entry.**"
        f"\n\n{text}"
    )


# -- Knowledge -----------------------------------------------------------------------------------


def knowledge_status(settings: Settings, today: dt.date | None = None) -> dict[str, Any]:
    """Counts, review queue (titles, paths, dates), documents past review_by today, last ingest."""
    today = today or dt.date.today()
    manifest = store.read_manifest(settings) or {}
    documents = manifest.get("documents", {})
    paths, titles, review_by = manifest.get("paths", {}), manifest.get("titles", {}), manifest.get("review_by", {})
    needs_review = manifest.get("needs_review", [])

    def row(doc_id: str) -> dict[str, str]:
        return {"id": doc_id, "title": titles.get(doc_id, doc_id), "path": paths.get(doc_id, ""),
                "review_by": review_by.get(doc_id, "")}  # fmt: skip

    expired = sorted(d for d, day in review_by.items() if day < today.isoformat() and d not in needs_review)
    return {
        "version": manifest.get("version", "-"),
        "created": manifest.get("created", "-"),
        "documents": len(documents),
        "chunks": manifest.get("chunks", 0),
        "needs_review": [row(d) for d in needs_review],
        "expired": [row(d) for d in expired],
        "changes": manifest.get("changes", {}),
        "last_ingest": store.read_last_ingest(settings),
    }


def knowledge_markdown(settings: Settings) -> str:
    info = knowledge_status(settings)
    last = info["last_ingest"]
    lines = [
        f"**Served index:** {info['version']} (built {info['created']})",
        f"**Documents:** {info['documents']}  **Sections:** {info['chunks']}",
        f"**Last ingest:** {'ok' if last.get('ok') else 'FAILED'} at {last.get('finished', '-')}",
    ]
    lines += [f"- {e}" for e in last.get("errors", [])]
    lines += ["", "**Needs review (not served):**"]
    lines += [f"- {r['title']}: `{r['path']}` (review by {r['review_by']})" for r in info["needs_review"]] or ["- none"]
    lines += ["", f"**Past review_by today ({dt.date.today().isoformat()}, not served until re-verified):**"]
    lines += [f"- {r['title']}: `{r['path']}` (review by {r['review_by']})" for r in info["expired"]] or ["- none"]
    return "\n".join(lines)


def describe_changes(changes: dict[str, list[str]]) -> str:
    labels = {"added": "added", "changed": "changed", "removed": "removed", "newly_served": "now served",
              "newly_held_back": "newly held back"}  # fmt: skip
    parts = [f"{labels[k]}: {', '.join(v)}" for k, v in changes.items() if v and k in labels]
    return "; ".join(parts) or "no document changed"


def reingest(settings: Settings) -> str:
    """Run ingest now and say what it did (or every validation error, each with file and line)."""
    from ingest import IngestFailed, run_ingest

    try:
        report = run_ingest(settings, show_progress=False)
    except IngestFailed as exc:
        return f"**Ingest failed; the served index is unchanged.** {len(exc.errors)} problem(s):\n\n" + "\n".join(
            f"- `{e}`" for e in exc.errors
        )
    if report.unchanged:
        return f"**Nothing changed.** Index {report.version} is up to date."
    return f"**Index {report.version} is now served:** {describe_changes(report.changes)}. ({report.summary()})"


# -- Evaluation ----------------------------------------------------------------------------------


def problem_rows(outcome: Any) -> list[list[Any]]:
    """Problems first: the ordinary questions that got a refusal or a card, then the rest."""
    rows = [
        [r.id, r.q, "", ", ".join(r.ranked_docs[:2]), r.rule, "; ".join(r.problems)]
        for r in outcome.cases
        if r.problems
    ]
    return sorted(rows, key=lambda row: ("refused" not in row[5] and "card" not in row[5], row[0]))


def evaluation_summary(outcome: Any, comparison: str) -> str:
    """The comparison with the previous run first, then the headline table."""
    table = outcome.markdown().split("\n## Problems")[0]
    return f"{comparison}\n\n{table}"


def open_report(settings: Settings, name: str | None) -> str:
    if not name:
        return ""
    path = settings.reports_dir / name
    if path.suffix == ".json" and path.with_suffix(".md").exists():
        path = path.with_suffix(".md")
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return f"Cannot read {name}."


# -- Feedback ------------------------------------------------------------------------------------


def _documents(chunk_ids: str) -> str:
    return ", ".join(sorted({c.split("#")[0] for c in chunk_ids.split(",") if c}))


def vote_rows(votes: list[Vote]) -> list[list[Any]]:
    return [[v.created, v.rating_text, v.rule, _documents(v.chunk_ids), v.language, v.index_version] for v in votes]


def per_document_rows(counts: list[dict[str, Any]]) -> list[list[Any]]:
    """FeedbackStore.per_document() as table rows under PER_DOCUMENT_HEADERS."""
    return [[row.get(name, 0) for name in PER_DOCUMENT_HEADERS] for row in counts]


def flag_rows(flags: list[Flag]) -> list[list[Any]]:
    return [
        [f.id, f.created, f.staff, f.status, f.question, f.note, re.sub(r"\s+", " ", f.answer)[:300], f.index_version]
        for f in flags
    ]


def add_to_dev(settings: Settings, flag: Flag) -> str:
    """Write a dev-set entry from a flag, marked for review (never into the frozen test split)."""
    path = settings.knowledge_dir / "eval" / "dev" / "from-feedback.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    questions = (raw or {}).get("questions") or []
    entry_id = f"feedback-{flag.id}"
    if any(q.get("id") == entry_id for q in questions):
        return f"Flag #{flag.id} is already in {path.name}."
    docs = sorted({c.split("#")[0].removesuffix("-es") for c in flag.chunk_ids.split(",") if c})
    questions.append(
        {"id": entry_id, "q": flag.question, "language": flag.language or "en", "kind": "answer",
         "expect_docs": docs, "facts": [], "review": f"from flag #{flag.id}: {flag.note}"}
    )  # fmt: skip
    header = "# Dev questions from staff flags: fill in `facts` and check `expect_docs`, then remove `review`.\n"
    path.write_text(header + yaml.safe_dump({"questions": questions}, allow_unicode=True, sort_keys=False), "utf-8")
    return f"Flag #{flag.id} added to knowledge/eval/dev/{path.name} for review."


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "hash":
        sys.stderr.write("usage: python -m assistant.staff hash USERNAME\n")
        return 2
    from assistant.staff_auth import hash_password

    password = getpass.getpass(f"password for {argv[1]}: ")
    sys.stdout.write(f"{argv[1]}:{hash_password(password)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
