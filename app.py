"""Gradio UI only: the public chat at "/" and the staff console at "/staff".

All logic lives in the `assistant` package. Run with `python app.py` (or `make run`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.responses import PlainTextResponse  # noqa: E402

from assistant import staff as staff_logic  # noqa: E402
from assistant import store  # noqa: E402
from assistant.config import Settings, get_settings  # noqa: E402
from assistant.feedback import FeedbackStore  # noqa: E402
from assistant.pipeline import Assistant, Result  # noqa: E402
from assistant.ui_text import PAGE, QUICK_EXIT_URL  # noqa: E402

log = logging.getLogger("app")

# System fonts only: the page makes no request to any other site (no Google Fonts).
THEME = gr.themes.Soft(
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "monospace"],
)

CSS = """
#quick-exit { position: sticky; top: 0; z-index: 50; }
#quick-exit button, button#quick-exit { background: #b00020; color: #fff; font-weight: 700; }
#lifelines { border: 2px solid #b00020; border-radius: 8px; padding: 6px 10px; font-size: 15px; }
#lifelines p { margin: 2px 0; }
.privacy-note { font-size: 13px; }
footer { display: none !important; }
"""

# Escape anywhere = quick exit. Also clears what the page kept in the browser.
HEAD = f"""
<meta name="referrer" content="no-referrer">
<script>
function quickExit() {{
  try {{ sessionStorage.clear(); localStorage.clear(); }} catch (e) {{}}
  window.location.replace("{QUICK_EXIT_URL}");
}}
document.addEventListener("keydown", function (e) {{ if (e.key === "Escape") quickExit(); }}, true);
</script>
"""
QUICK_EXIT_JS = "() => { quickExit(); return []; }"


def ensure_index(settings: Settings) -> None:
    """Build the index at start when it is missing (or stale): never crash on a fresh clone."""
    from ingest import run_ingest

    if store.current_version(settings) is None:
        log.info("no index found: building it now (python -m ingest)")
    report = run_ingest(settings, show_progress=False)
    log.info("%s", report.summary())


# ---------------------------------------------------------------------------------------------
# Public chat


def build_public(assistant: Assistant, feedback: FeedbackStore) -> gr.Blocks:
    en = PAGE["en"]
    with gr.Blocks(title=en["title"], analytics_enabled=False) as demo:
        exit_button = gr.Button(en["exit"], elem_id="quick-exit", variant="stop", size="sm")
        title = gr.Markdown(f"# {en['title']}\n{en['purpose']}", elem_id="page-title")
        gr.Markdown(en["lifelines"], elem_id="lifelines")
        language = gr.Radio(["English", "Español"], value="English", show_label=False, elem_id="language")
        chatbot = gr.Chatbot(
            label=en["chat_label"],
            height=420,
            allow_tags=False,
            sanitize_html=True,
            elem_id="chat",
            buttons=["copy"],
        )
        answers = gr.State([])  # per answer: rule, cited chunk ids, language (never the text)
        with gr.Row():
            box = gr.Textbox(placeholder=en["placeholder"], show_label=False, scale=5, elem_id="question", max_lines=6)
            send = gr.Button(en["send"], variant="primary", scale=1, elem_id="send")
        examples = gr.Dataset(components=[box], samples=[[q] for q in en["examples"]], label=en["examples_label"])
        privacy = gr.Markdown(en["privacy"], elem_classes=["privacy-note"])

        def respond(message: str, history: list[dict[str, Any]], meta: list[dict[str, Any]]):
            history = [*(history or []), {"role": "user", "content": message or ""}]
            history.append({"role": "assistant", "content": ""})
            for step in assistant.ask_stream(message):
                if isinstance(step, Result):
                    history[-1]["content"] = step.answer
                    meta = [*(meta or []), _answer_meta(step)]
                else:
                    history[-1]["content"] = step
                yield "", history, meta

        for event in (box.submit, send.click):
            event(respond, [box, chatbot, answers], [box, chatbot, answers], api_visibility="private")
        examples.click(lambda sample: sample[0], examples, box, api_visibility="private")

        def on_like(data: gr.LikeData, meta: list[dict[str, Any]]) -> None:
            position = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
            answer_number = (int(position) - 1) // 2  # messages alternate user, assistant
            if 0 <= answer_number < len(meta or []):
                item = meta[answer_number]
                feedback.rate(bool(data.liked), item["rule"], item["chunk_ids"], item["language"])

        chatbot.like(on_like, [answers], None, api_visibility="private")

        def switch(choice: str):
            page = PAGE["es" if choice == "Español" else "en"]
            return (
                gr.update(value=f"# {page['title']}\n{page['purpose']}"),
                gr.update(placeholder=page["placeholder"]),
                gr.update(samples=[[q] for q in page["examples"]], label=page["examples_label"]),
                gr.update(value=page["privacy"]),
                gr.update(value=page["exit"]),
                gr.update(value=page["send"]),
            )

        language.change(switch, language, [title, box, examples, privacy, exit_button, send], api_visibility="private")
        exit_button.click(None, None, None, js=QUICK_EXIT_JS, api_visibility="private")

        def chat(message: str) -> str:
            """Answer one message; returns the answer exactly as the resident sees it (Markdown)."""
            return assistant.ask(message).answer

        def ask(message: str) -> dict[str, Any]:
            """The structured answer: text, citations with chunk ids and scores, flags, timings."""
            return assistant.ask(message).public()

        gr.api(chat, api_name="chat")
        gr.api(ask, api_name="ask")
    return demo


def _answer_meta(result: Result) -> dict[str, Any]:
    return {
        "rule": result.rule,
        "chunk_ids": [c for cit in result.citations for c in cit.chunk_ids],
        "language": result.language,
    }


# ---------------------------------------------------------------------------------------------
# Staff console


def build_staff(assistant: Assistant, feedback: FeedbackStore, settings: Settings) -> gr.Blocks:
    with gr.Blocks(title="Staff console", analytics_enabled=False) as console:
        gr.Markdown("# Staff console\nTest answers, see why they were given, and keep the knowledge base correct.")
        with gr.Tab("Try a question"):
            _try_tab(assistant, feedback)
        with gr.Tab("Evaluation"):
            _evaluation_tab(assistant, settings)
        with gr.Tab("Knowledge"):
            _knowledge_tab(assistant, settings)
        with gr.Tab("Feedback"):
            _feedback_tab(feedback)
    return console


def _try_tab(assistant: Assistant, feedback: FeedbackStore) -> None:
    question = gr.Textbox(label="Question (as a resident would type it)")
    include_review = gr.Checkbox(label="Also search needs-review documents (staff view; never shown to residents)")
    run = gr.Button("Answer", variant="primary")
    with gr.Row():
        answer = gr.Markdown(label="Answer as the resident sees it")
        why = gr.Markdown(label="Why")
    trace = gr.Dataframe(headers=staff_logic.TRACE_HEADERS, label="Retrieved chunks", interactive=False)
    last = gr.State({})
    with gr.Accordion("Flag this answer", open=False):
        note = gr.Textbox(label="Correction note (what is wrong, what it should say)")
        flag = gr.Button("Flag")
        flagged = gr.Markdown()

    def answer_fn(q: str, review: bool):
        result = assistant.ask(q, residents=not review)
        meta = {**_answer_meta(result), "question": q}
        return result.answer, staff_logic.rule_summary(result), staff_logic.trace_rows(result), meta

    run.click(answer_fn, [question, include_review], [answer, why, trace, last], api_visibility="private")
    question.submit(answer_fn, [question, include_review], [answer, why, trace, last], api_visibility="private")

    def flag_fn(meta: dict[str, Any], text: str) -> str:
        if not meta:
            return "Ask a question first."
        try:
            number = feedback.flag(meta["question"], text, meta["rule"], meta["chunk_ids"], meta["language"])
        except ValueError as exc:
            return str(exc)
        return f"Flag #{number} saved."

    flag.click(flag_fn, [last, note], flagged, api_visibility="private")


def _evaluation_tab(assistant: Assistant, settings: Settings) -> None:
    run = gr.Button("Run the golden set", variant="primary")
    report = gr.Markdown("Runs every golden question through the real pipeline (about a minute).")

    def run_fn(progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008 - Gradio's idiom
        from assistant.evaluate import compare_with_previous, run_evaluation, write_reports

        outcome = run_evaluation(assistant, settings, progress=lambda i, n: progress(i / max(n, 1)))
        paths = write_reports(outcome, settings.reports_dir)
        return outcome.markdown() + "\n\n" + compare_with_previous(settings.reports_dir, paths[1])

    run.click(run_fn, None, report, api_visibility="private")


def _knowledge_tab(assistant: Assistant, settings: Settings) -> None:
    status = gr.Markdown()
    refresh = gr.Button("Refresh")
    reingest = gr.Button("Re-ingest now (python -m ingest)")

    def show() -> str:
        info = staff_logic.knowledge_status(settings)
        last = info["last_ingest"]
        lines = [
            f"**Served index:** {info['version']} (built {info['created']})",
            f"**Documents:** {info['documents']}  **Chunks:** {info['chunks']}",
            "**Needs review (not served):** " + (", ".join(info["needs_review"]) or "none"),
            "**Past review_by (not served):** " + (", ".join(info["expired"]) or "none"),
            f"**Last ingest:** {'ok' if last.get('ok') else 'FAILED'} at {last.get('finished', '-')}",
        ]
        lines += [f"- {e}" for e in last.get("errors", [])]
        return "  \n".join(lines)

    def rebuild() -> str:
        from ingest import IngestFailed, run_ingest

        with contextlib.suppress(IngestFailed):  # a failure is recorded in last_ingest.json, shown below
            run_ingest(settings, show_progress=False)
        return show()

    refresh.click(show, None, status, api_visibility="private")
    reingest.click(rebuild, None, status, api_visibility="private")
    status.value = show()


def _feedback_tab(feedback: FeedbackStore) -> None:
    with gr.Row():
        source = gr.Dropdown(["all", "resident", "staff"], value="all", label="Source")
        rating = gr.Dropdown(["all", "up", "down"], value="all", label="Rating")
        show = gr.Button("Show")
        export = gr.Button("Export CSV")
    table = gr.Dataframe(label="Feedback", interactive=False)
    download = gr.File(label="CSV")

    def rows(src: str, rate: str):
        return feedback.list(
            source=None if src == "all" else src,
            rating=None if rate == "all" else (1 if rate == "up" else -1),
        )

    def show_fn(src: str, rate: str):
        data = rows(src, rate)
        return [[f.id, f.created, f.source, f.rating, f.rule, f.chunk_ids, f.question, f.note] for f in data]

    def export_fn(src: str, rate: str) -> str:
        path = Path(tempfile.mkdtemp()) / "feedback.csv"
        path.write_text(feedback.to_csv(rows(src, rate)), encoding="utf-8")
        return str(path)

    show.click(show_fn, [source, rating], table, api_visibility="private")
    export.click(export_fn, [source, rating], download, api_visibility="private")


# ---------------------------------------------------------------------------------------------
# The server


def build_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    settings = settings or get_settings()
    assistant = assistant or Assistant(settings)
    feedback = FeedbackStore(settings.feedback_db)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    auth = staff_logic.authenticator(settings)
    if auth is None:
        log.info("staff console disabled: set STAFF_USERNAME and STAFF_PASSWORD (or STAFF_USERS_FILE)")

        @app.get("/staff")
        @app.get("/staff/{rest:path}")
        def staff_disabled(rest: str = "") -> PlainTextResponse:
            return PlainTextResponse("The staff console is disabled on this server.", status_code=404)
    else:
        console = build_staff(assistant, feedback, settings)
        console.queue(default_concurrency_limit=2)
        _mount(app, console, "/staff", auth=auth)
    public = build_public(assistant, feedback)
    public.queue(default_concurrency_limit=settings.concurrency, max_size=settings.queue_size)
    _mount(app, public, "", head=HEAD)
    return app


def _mount(app: FastAPI, blocks: gr.Blocks, path: str, **extra: Any) -> None:
    """Mount with the house settings: local fonts, no Gradio footer, no browser run history."""
    gr.mount_gradio_app(
        app, blocks, path=path, theme=THEME, css=CSS, footer_links=[], run_history=False, show_error=False, **extra
    )


def main() -> None:
    import uvicorn

    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ensure_index(settings)
    assistant = Assistant(settings)
    assistant.warm_up()
    app = build_app(settings, assistant)
    log.info("serving on http://%s:%d", settings.host, settings.port)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
