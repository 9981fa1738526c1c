"""Gradio UI only: the public chat at "/" and the staff console at "/staff/".

All logic lives in the `assistant` package. Run with `python app.py` (or `make run`).
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import tempfile
import uuid
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant import staff as staff_logic
from assistant.answering import Assistant, Result
from assistant.config import Settings, get_settings
from assistant.feedback import FeedbackStore, to_csv
from assistant.links import Links
from assistant.staff_auth import StaffAuth
from assistant.ui_text import PAGE, QUICK_EXIT_URL, STAFF_GLOSSARY

log = logging.getLogger("app")
SESSION_COOKIE = "staff_session"

# System fonts only: the page makes no request to any other site (no Google Fonts).
# Darker accents than the theme's defaults, for WCAG AA contrast (axe-core checks it in the tests).
THEME = gr.themes.Soft(
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "monospace"],
).set(
    block_label_text_color="*primary_800",
    block_title_text_color="*primary_800",
    color_accent="*primary_700",
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    checkbox_label_background_fill_selected="*primary_700",
)

CSS = """
#quick-exit { position: sticky; top: 0; z-index: 50; }
#quick-exit button, button#quick-exit { background: #9b001a; color: #fff; font-weight: 700; }
#lifelines { border: 2px solid #9b001a; border-radius: 8px; padding: 4px 10px; font-size: 15px; }
#lifelines p { margin: 2px 0; }
#lifelines a, .crisis-card a, #chat a { color: #0b3d91; font-weight: 700; text-decoration: underline; }
.call-buttons { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0; }
.call-buttons a { display: inline-block; padding: 8px 12px; border-radius: 8px; background: #9b001a;
  color: #fff !important; text-decoration: none !important; font-weight: 700; }
.call-buttons a.secondary { background: #0b3d91; }
.crisis-card { border-left: 6px solid #9b001a; padding-left: 8px; }
.crisis-card .call-911 { display: none; }
@media (max-width: 640px) {
  .crisis-card .call-911 { display: block; text-align: center; font-size: 1.3em; padding: 12px;
    margin: 8px 0; border-radius: 10px; background: #9b001a; color: #fff !important; text-decoration: none !important; }
}
#page-title h1 { font-size: 1.35em; margin: 4px 0; }
#page-title p { margin: 2px 0; font-size: 14px; }
.privacy-note { font-size: 13px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
footer { display: none !important; }
#language label, #language label * { transition: none !important; }  /* no half-faded colours */
mark.cited { background: #fff3b0; }
mark.unvetted { background: #ffd2d2; font-weight: 700; }
#send { white-space: nowrap; padding-left: 10px; padding-right: 10px; }  /* "Preguntar" fits at 390 px */
"""

# Escape anywhere = quick exit; it also clears what the page kept in the browser. The page
# language follows the English/Español switch, and after each answer the view moves to the
# top of that answer (where a crisis card would be), announced to screen readers.
HEAD = f"""
<meta name="referrer" content="no-referrer">
<script>
function quickExit() {{
  try {{ sessionStorage.clear(); localStorage.clear(); }} catch (e) {{}}
  window.location.replace("{QUICK_EXIT_URL}");
}}
document.addEventListener("keydown", function (e) {{ if (e.key === "Escape") quickExit(); }}, true);
function showNewAnswer() {{
  var bots = document.querySelectorAll("#chat .message-row.bot-row, #chat [data-testid='bot']");
  var last = bots[bots.length - 1];
  if (last) {{ last.scrollIntoView({{block: "start"}}); }}
}}
</script>
"""
QUICK_EXIT_JS = "() => { quickExit(); return []; }"
SET_LANG_JS = "(choice) => { document.documentElement.lang = choice === 'Español' ? 'es' : 'en'; return choice; }"
AFTER_ANSWER_JS = "() => { setTimeout(showNewAnswer, 50); }"


def ensure_index(settings: Settings) -> None:
    """Build the index at start when it is missing (or stale): never crash on a fresh clone."""
    from assistant import store
    from ingest import run_ingest

    if store.current_version(settings) is None:
        log.info("no index found: building it now (python -m ingest)")
    report = run_ingest(settings, show_progress=False)
    log.info("%s", report.summary())


# ---------------------------------------------------------------------------------------------
# Public chat


def for_page(answer: str, links: Links, language: str, card: str = "") -> str:
    """The answer as the page shows it: one-tap links, and the crisis card marked as an alert
    with a large Call 911 button on narrow screens."""
    if not card or not answer.startswith(card):
        return links.linkify(answer)
    button = f'<a class="call-911" href="tel:911">{PAGE[language]["call_911"]}</a>'
    wrapped = f'<div class="crisis-card" role="alert">\n\n{links.linkify(card)}\n\n{button}\n\n</div>'
    return wrapped + links.linkify(answer[len(card) :])


def banner(links: Links, language: str) -> str:
    page = PAGE[language]
    return (
        f"{links.linkify(page['lifelines'])}\n\n"
        '<div class="call-buttons">'
        f'<a href="tel:911">{page["call_911"]}</a>'
        f'<a class="secondary" href="{links.tel["8883737888"]}">{page["call_hotline"]}</a>'
        f'<a class="secondary" href="{links.sms["233733"]}">{page["text_hotline"]}</a>'
        "</div>"
    )


def build_public(assistant: Assistant, feedback: FeedbackStore) -> gr.Blocks:
    links = Links.from_directory(assistant.directory)
    en = PAGE["en"]
    with gr.Blocks(title=en["title"], analytics_enabled=False) as demo:
        exit_button = gr.Button(en["exit"], elem_id="quick-exit", variant="stop", size="sm")
        title = gr.Markdown(f"# {en['title']}\n{en['purpose']}", elem_id="page-title")
        lifelines = gr.Markdown(banner(links, "en"), elem_id="lifelines")
        language = gr.Radio(["English", "Español"], value="English", label=en["language_label"], elem_id="language")
        chatbot = gr.Chatbot(
            label=en["chat_label"],
            height="auto",
            min_height=0,
            autoscroll=False,
            sanitize_html=True,
            elem_id="chat",
            buttons=["copy"],
            visible=False,  # shown with the first answer: no empty box above the question
        )
        announce = gr.Markdown("", elem_classes=["sr-only"], elem_id="announce")
        answers = gr.State([])  # per answer: id, rule, cited chunk ids, language, version (never the text)
        with gr.Row(equal_height=True):
            box = gr.Textbox(
                placeholder=en["placeholder"], label=en["question_label"], show_label=False, scale=5,
                elem_id="question", max_lines=6, lines=1,
            )  # fmt: skip
            send = gr.Button(en["send"], variant="primary", scale=1, min_width=110, elem_id="send")
        examples = gr.Dataset(components=[box], samples=[[q] for q in en["examples"]], label=en["examples_label"])
        privacy = gr.Markdown(en["privacy"], elem_classes=["privacy-note"])

        def respond(message: str, history: list[dict[str, Any]], meta: list[dict[str, Any]], choice: str):
            hint = "es" if choice == "Español" else "en"
            history = [*(history or []), {"role": "user", "content": message or ""}]
            history.append({"role": "assistant", "content": ""})
            for step in assistant.ask_stream(message, hint=hint):
                if isinstance(step, Result):
                    history[-1]["content"] = for_page(step.answer, links, step.language, step.card)
                    meta = [*(meta or []), _answer_meta(step)]
                    yield "", gr.update(value=history, visible=True), meta, _announcement(step)
                else:
                    history[-1]["content"] = for_page(step, links, hint)
                    yield "", gr.update(value=history, visible=True), meta, gr.skip()

        for event in (box.submit, send.click):
            event(
                respond, [box, chatbot, answers, language], [box, chatbot, answers, announce],
                api_visibility="private", show_progress="minimal",
            ).then(None, None, None, js=AFTER_ANSWER_JS)  # fmt: skip
        examples.click(lambda sample: sample[0], examples, box, api_visibility="private")

        def on_like(data: gr.LikeData, meta: list[dict[str, Any]]) -> None:
            position = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
            answer_number = (int(position) - 1) // 2  # messages alternate user, assistant
            if 0 <= answer_number < len(meta or []):
                item = meta[answer_number]
                liked = data.liked if isinstance(data.liked, bool) else None  # "" or None: the vote was undone
                feedback.vote(item["id"], liked, item["rule"], item["chunk_ids"], item["language"], item["version"])

        chatbot.like(on_like, [answers], None, api_visibility="private")

        def switch(choice: str):
            code = "es" if choice == "Español" else "en"
            page = PAGE[code]
            return (
                gr.update(value=f"# {page['title']}\n{page['purpose']}"),
                gr.update(value=banner(links, code)),
                gr.update(placeholder=page["placeholder"], label=page["question_label"]),
                gr.update(samples=[[q] for q in page["examples"]], label=page["examples_label"]),
                gr.update(value=page["privacy"]),
                gr.update(value=page["exit"]),
                gr.update(value=page["send"]),
                gr.update(label=page["chat_label"]),
                gr.update(label=page["language_label"]),
            )

        outputs = [title, lifelines, box, examples, privacy, exit_button, send, chatbot, language]
        language.change(switch, language, outputs, api_visibility="private", js=SET_LANG_JS)
        exit_button.click(None, None, None, js=QUICK_EXIT_JS, api_visibility="private")

        def chat(message: str, language: str = "") -> str:
            """Answer one message; returns the answer exactly as the resident sees it (Markdown).
            `language` ("en" or "es", optional) is the page's language choice."""
            return assistant.ask(message, hint=language or "en").answer

        def ask(message: str, language: str = "") -> dict[str, Any]:
            """The structured answer: text, citations with chunk ids and scores, flags, timings."""
            return assistant.ask(message, hint=language or "en").public()

        gr.api(chat, api_name="chat")
        gr.api(ask, api_name="ask")
    return demo


def _answer_meta(result: Result) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "rule": result.rule,
        "chunk_ids": [c for cit in result.citations for c in cit.chunk_ids],
        "language": result.language,
        "version": result.index_version,
    }


def _announcement(result: Result) -> str:
    """What a screen reader hears when the answer arrives (the page, never stored)."""
    first = re.sub(r"[*_#🚨\[\]]|\(tel:[^)]*\)|\(https?:[^)]*\)", "", result.answer.split("\n\n")[0])
    return ("Nueva respuesta: " if result.language == "es" else "New answer: ") + first.strip()[:300]


# ---------------------------------------------------------------------------------------------
# Staff console


def build_staff(assistant: Assistant, feedback: FeedbackStore, settings: Settings) -> gr.Blocks:
    with gr.Blocks(title="Staff console", analytics_enabled=False) as console:
        with gr.Row():
            gr.Markdown("# Staff console\nTest answers, see why they were given, and keep the knowledge base correct.")
            gr.Button("Log out", link="/staff/logout", size="sm", scale=0, min_width=100, elem_id="logout")
        with gr.Accordion("What the words mean", open=False):
            gr.Markdown(STAFF_GLOSSARY)
        with gr.Tabs() as tabs:
            with gr.Tab("Try a question", id="try"):
                question = _try_tab(assistant, feedback, settings)
            with gr.Tab("Evaluation", id="evaluation"):
                _evaluation_tab(assistant, settings, question, tabs)
            with gr.Tab("Knowledge", id="knowledge") as knowledge:
                _knowledge_tab(assistant, settings, knowledge, console)
            with gr.Tab("Feedback", id="feedback") as feedback_tab:
                _feedback_tab(feedback, settings, feedback_tab)
    return console


def _user(request: gr.Request | None) -> str:
    return str(getattr(request, "username", "") or "") if request else ""


def _try_tab(assistant: Assistant, feedback: FeedbackStore, settings: Settings) -> gr.Textbox:
    question = gr.Textbox(label="Question (as a resident would type it)", elem_id="staff-question")
    with gr.Row():
        include_review = gr.Checkbox(label="Also search needs-review documents (staff view; never shown to residents)")
        language = gr.Radio(["en", "es"], value="en", label="Page language (hint)")
    run = gr.Button("Answer", variant="primary")
    with gr.Row():
        answer = gr.Markdown(label="Answer as the resident sees it", elem_id="staff-answer")
        why = gr.Markdown(label="Why", elem_id="staff-why")
    trace = gr.Dataframe(headers=staff_logic.TRACE_HEADERS, label="Retrieved sections", interactive=False, wrap=True)
    passages = gr.Markdown(label="Section text (cited sentences highlighted)", elem_id="staff-passages")
    last = gr.State({})
    with gr.Accordion("Flag this answer", open=False):
        note = gr.Textbox(label="Correction note (what is wrong, what it should say)")
        flag = gr.Button("Flag")
        flagged = gr.Markdown()

    def answer_fn(q: str, review: bool, hint: str):
        result = assistant.ask(q, residents=not review, hint=hint)
        index = assistant.holder.get()
        meta = {**_answer_meta(result), "question": q, "answer": result.answer}
        shown = staff_logic.draft_view(result) if result.draft else result.answer
        explained = staff_logic.explain(result, settings)
        return shown, explained, staff_logic.trace_rows(result, index), staff_logic.passages(result), meta

    outputs = [answer, why, trace, passages, last]
    run.click(answer_fn, [question, include_review, language], outputs, api_visibility="private")
    question.submit(answer_fn, [question, include_review, language], outputs, api_visibility="private")

    def flag_fn(meta: dict[str, Any], text: str, request: gr.Request):
        if not meta:
            return "Ask a question first.", text
        try:
            number = feedback.flag(
                meta["question"], text, answer=meta["answer"], rule=meta["rule"], chunk_ids=meta["chunk_ids"],
                language=meta["language"], version=meta["version"], staff=_user(request),
            )  # fmt: skip
        except ValueError as exc:
            return str(exc), text
        return f"Flag #{number} saved (index {meta['version']}).", ""

    flag.click(flag_fn, [last, note], [flagged, note], api_visibility="private")
    return question


def _evaluation_tab(assistant: Assistant, settings: Settings, question: gr.Textbox, tabs: gr.Tabs) -> None:
    from assistant.evaluate import past_reports

    with gr.Row():
        split = gr.Radio(["dev", "test"], value="dev", label="Question set (test: written blind, never tuned on)")
        run = gr.Button("Run the evaluation", variant="primary")
    report = gr.Markdown("Runs every question of the set through the real pipeline (about a minute).")
    problems = gr.Dataframe(
        headers=staff_logic.PROBLEM_HEADERS, label="Problems (select a row to see its trace)", interactive=False,
        wrap=True,
    )  # fmt: skip
    with gr.Row():
        choose = gr.Dropdown(label="Past reports", choices=[p.name for p in past_reports(settings.reports_dir)])
        open_report = gr.Button("Open")
    past = gr.Markdown()

    def run_fn(which: str, progress: gr.Progress = gr.Progress()):  # noqa: B008 - Gradio's idiom
        from assistant.evaluate import compare_with_previous, run_evaluation, write_reports

        outcome = run_evaluation(
            assistant, settings, which, progress=lambda i, n: progress(i / max(n, 1), desc=f"question {i} of {n}")
        )
        paths = write_reports(outcome, settings.reports_dir)
        text = staff_logic.evaluation_summary(outcome, compare_with_previous(settings.reports_dir, paths[1]))
        names = [p.name for p in past_reports(settings.reports_dir)]
        return text, staff_logic.problem_rows(outcome), gr.update(choices=names)

    run.click(run_fn, split, [report, problems, choose], api_visibility="private")
    open_report.click(
        lambda name: staff_logic.open_report(settings, name), choose, past, api_visibility="private"
    )  # fmt: skip

    def to_trace(rows: Any, event: gr.SelectData):
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        text = str(rows.iloc[row, 1]) if hasattr(rows, "iloc") else str(rows[row][1])
        return gr.update(value=text), gr.Tabs(selected="try")

    problems.select(to_trace, problems, [question, tabs], api_visibility="private")


def _knowledge_tab(assistant: Assistant, settings: Settings, tab: gr.Tab, console: gr.Blocks) -> None:
    status = gr.Markdown()
    reingest = gr.Button("Re-ingest now (python -m ingest)")
    outcome = gr.Markdown()

    def show() -> str:
        return staff_logic.knowledge_markdown(settings)

    def rebuild() -> tuple[str, str]:
        return staff_logic.reingest(settings), show()

    tab.select(show, None, status, api_visibility="private")
    console.load(show, None, status, api_visibility="private")
    reingest.click(rebuild, None, [outcome, status], api_visibility="private")


def _feedback_tab(feedback: FeedbackStore, settings: Settings, tab: gr.Tab) -> None:
    with gr.Row():
        rating = gr.Dropdown(["all", "helpful", "not helpful"], value="all", label="Residents' votes")
        status = gr.Dropdown(["all", "open", "fixed"], value="open", label="Staff flags")
        show = gr.Button("Show")
    votes = gr.Dataframe(headers=staff_logic.VOTE_HEADERS, label="Residents' votes", interactive=False)
    flags = gr.Dataframe(headers=staff_logic.FLAG_HEADERS, label="Staff flags", interactive=False, wrap=True)
    per_doc = gr.Dataframe(headers=staff_logic.PER_DOCUMENT_HEADERS, label="Per document", interactive=False)
    with gr.Row():
        flag_id = gr.Number(label="Flag #", precision=0)
        mark = gr.Radio(["open", "fixed"], value="fixed", label="Status")
        save = gr.Button("Set status")
        to_dev = gr.Button("Add to the dev set (for review)")
    done = gr.Markdown()
    with gr.Row():
        which = gr.Radio(["votes", "flags"], value="flags", label="Export")
        export = gr.Button("Export CSV")
    download = gr.File(label="CSV")

    def tables(rate: str, state: str):
        wanted = {"helpful": 1, "not helpful": -1}.get(rate)
        return (
            staff_logic.vote_rows(feedback.votes(wanted)),
            staff_logic.flag_rows(feedback.flags(None if state == "all" else state)),
            staff_logic.per_document_rows(feedback.per_document()),
        )

    def set_status(number: float | None, state: str, rate: str, current: str):
        if not number or feedback.get_flag(int(number)) is None:
            return ("No such flag.", *tables(rate, current))
        feedback.set_status(int(number), state)
        return (f"Flag #{int(number)} is {state}.", *tables(rate, current))

    def add(number: float | None) -> str:
        found = feedback.get_flag(int(number)) if number else None
        return staff_logic.add_to_dev(settings, found) if found else "No such flag."

    def export_fn(kind: str) -> str:
        path = Path(tempfile.mkdtemp()) / f"{kind}.csv"
        rows = feedback.votes() if kind == "votes" else feedback.flags()
        path.write_text(to_csv(rows), encoding="utf-8")
        return str(path)

    for trigger in (show.click, tab.select):
        trigger(tables, [rating, status], [votes, flags, per_doc], api_visibility="private")
    save.click(set_status, [flag_id, mark, rating, status], [done, votes, flags, per_doc], api_visibility="private")
    to_dev.click(add, flag_id, done, api_visibility="private")
    export.click(export_fn, which, download, api_visibility="private")


# ---------------------------------------------------------------------------------------------
# Staff login: a form at /staff/, sessions per person, Argon2id off the event loop


def _login_page(message: str = "", status: int = 200) -> HTMLResponse:
    notice = f'<p role="alert" class="error">{html.escape(message)}</p>' if message else ""
    body = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>Staff console: log in</title>
<style>body{{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#111}}
label{{display:block;margin-top:1rem;font-weight:600}}input{{width:100%;padding:.5rem;font-size:1rem}}
button{{margin-top:1.2rem;padding:.6rem 1.2rem;font-size:1rem;background:#0b3d91;color:#fff;border:0;border-radius:6px}}
.error{{color:#9b001a;font-weight:600}}</style></head><body><main>
<h1>Staff console</h1>{notice}
<form method="post" action="/staff/login">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button></form></main></body></html>"""
    return HTMLResponse(body, status_code=status)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def add_staff_routes(app: FastAPI, auth: StaffAuth, settings: Settings) -> None:
    """/staff -> /staff/; the login form at /staff/ until logged in; log out; every other
    /staff path answers 401 without a session."""
    open_paths = {"/staff/login", "/staff/logout"}

    @app.middleware("http")
    async def staff_gate(request: Request, call_next: Any) -> Response:
        path = request.url.path
        if path == "/staff":
            return RedirectResponse("/staff/", status_code=307)
        if not path.startswith("/staff/") or path in open_paths:
            return await call_next(request)
        if auth.user(request.cookies.get(SESSION_COOKIE)) is None:
            if path == "/staff/" and request.method == "GET":
                return _login_page()
            return JSONResponse({"detail": "log in at /staff/"}, status_code=401)
        return await call_next(request)

    @app.post("/staff/login")
    async def login(request: Request) -> Response:
        client = _client(request)
        wait = auth.retry_after(client)
        if wait:
            return PlainTextResponse("Too many failed logins. Try again later.", 429, {"Retry-After": str(wait)})
        form = await request.form()
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        if not await run_in_threadpool(auth.check, username, password):
            auth.failed(client)
            await asyncio.sleep(0)
            return _login_page("Wrong username or password.", 401)
        response = RedirectResponse("/staff/", status_code=303)
        response.set_cookie(
            SESSION_COOKIE, auth.login(username), max_age=int(auth.session_seconds), httponly=True,
            samesite="strict", secure=settings.secure_cookies, path="/staff",
        )  # fmt: skip
        return response

    @app.get("/staff/logout")
    async def logout(request: Request) -> Response:
        auth.logout(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/staff/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/staff")
        return response


# ---------------------------------------------------------------------------------------------
# The server


def build_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    settings = settings or get_settings()
    assistant = assistant or Assistant(settings)
    feedback = FeedbackStore(settings.feedback_db, settings.database_url)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    auth = StaffAuth.from_settings(settings, feedback.engine)
    if auth is None:
        log.info("staff console disabled: set STAFF_USERS_FILE (or STAFF_USERNAME and STAFF_PASSWORD)")

        @app.get("/staff")
        @app.get("/staff/{rest:path}")
        def staff_disabled(rest: str = "") -> PlainTextResponse:
            return PlainTextResponse("The staff console is disabled on this server.", status_code=404)
    else:
        add_staff_routes(app, auth, settings)
        console = build_staff(assistant, feedback, settings)
        console.queue(default_concurrency_limit=2)
        _mount(app, console, "/staff", auth_dependency=lambda r: auth.user(r.cookies.get(SESSION_COOKIE)))
    public = build_public(assistant, feedback)
    public.queue(default_concurrency_limit=settings.concurrency, max_size=settings.queue_size)
    _mount(app, public, "", head=HEAD)
    return app


def _mount(app: FastAPI, blocks: gr.Blocks, path: str, **extra: Any) -> None:
    """Mount with the house settings: local fonts, no Gradio footer, no browser run history."""
    gr.mount_gradio_app(
        app, blocks, path=path, theme=THEME, css=CSS, footer_links=[], run_history=False, show_error=False,
        i18n=gr.I18n(en={"common.complete": "Done"}, es={"common.complete": "Listo"}), **extra,
    )  # fmt: skip


def main() -> None:
    import uvicorn

    settings = get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    assistant = Assistant(settings)
    if settings.server_mode:
        assistant.holder.wait_for_version()  # a replica never ingests: it serves what ingest published
    else:
        ensure_index(settings)
    assistant.warm_up()
    app = build_app(settings, assistant)
    log.info("serving on http://%s:%d", settings.host, settings.port)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
