"""The pages in headless Chromium (Debian's package, driven by Playwright): the public page at
phone size (one-tap links, the question box in view, the answer's top in view, axe-core), and
the staff console (login, trace, needs-review preview, re-ingest report, votes, log-out)."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import ROOT, Server, document

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = ROOT / "test-output"
PHONE = {"width": 390, "height": 844}
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
CHAT_HAS = (
    "(words) => { const c = document.querySelector('#chat'); return c && words.some(w => c.innerText.includes(w)); }"
)


def serious_violations(tab) -> list[tuple[str, int]]:
    """axe-core's serious and critical findings (axe ships inside the wheel; nothing downloads)."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(tab).response["violations"]
    return [(v["id"], len(v["nodes"])) for v in found if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(kb_settings, assistant) -> Iterator[Server]:
    from app import build_app

    with Server(build_app(kb_settings, assistant)) as server:
        yield server


@pytest.fixture
def page(site, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.outside = []  # type: ignore[attr-defined]

    def route(route) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
            return
        tab.outside.append(route.request.url)  # type: ignore[attr-defined]
        route.fulfill(status=200, content_type="text/html", body="<html><body>Weather</body></html>")

    tab.route("**/*", route)
    tab.goto(site.url + "/", wait_until="load")
    tab.wait_for_selector("#lifelines", timeout=30000)
    yield tab
    context.close()


def ask(tab, question: str) -> None:
    box = tab.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    tab.wait_for_function(CHAT_HAS, arg=["Sources", "Fuentes", "---"], timeout=30000)
    tab.wait_for_timeout(400)


def test_on_a_phone_the_numbers_are_one_tap_links_and_the_question_box_is_in_view(page):
    lifelines = page.locator("#lifelines")
    text = lifelines.inner_text()
    assert "911" in text and "1-888-373-7888" in text and "233733" in text
    hrefs = page.eval_on_selector_all("#lifelines a", "links => links.map(a => a.getAttribute('href'))")
    assert {"tel:911", "tel:+18883737888", "sms:233733?&body=HELP"} <= set(hrefs)
    for selector in ("#question textarea", "#send"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], selector
    exit_box = page.locator("#quick-exit").bounding_box()
    assert exit_box is not None and exit_box["y"] < 100
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "phone.png"))
    assert serious_violations(page) == []
    assert page.outside == []


def test_a_crisis_answer_puts_its_card_in_view_as_an_alert_with_a_call_button(page):
    ask(page, "my friend overdosed and is not breathing")
    card = page.locator("#chat .crisis-card").last
    assert card.get_attribute("role") == "alert"
    top = card.bounding_box()
    assert top is not None and 0 <= top["y"] < PHONE["height"] / 2  # the view moved to the top of the answer
    call = card.locator("a.call-911")
    assert call.is_visible() and call.get_attribute("href") == "tel:911"
    hrefs = page.eval_on_selector_all("#chat a", "links => links.map(a => a.getAttribute('href'))")
    assert "tel:911" in hrefs and "tel:+18883737888" in hrefs and "sms:233733?&body=HELP" in hrefs
    page.screenshot(path=str(OUTPUT / "phone-crisis.png"))
    assert serious_violations(page) == []


def test_the_top_of_a_long_answer_is_in_view_and_new_answers_are_announced(page):
    ask(page, "Where can I get Narcan?")
    ask(page, "is it a crime to sell sex here and what can happen")
    last = page.locator("#chat .message-row.bot-row, #chat [data-testid='bot']").last
    box = last.bounding_box()
    assert box is not None and -2 <= box["y"] < PHONE["height"] / 2
    assert "New answer" in page.locator("#announce").inner_text()
    page.screenshot(path=str(OUTPUT / "phone-answer.png"))


def test_the_language_switch_changes_the_page_text_and_its_lang(page):
    page.get_by_text("Español", exact=True).click()
    page.wait_for_selector("text=Salida rápida (Esc)", timeout=10000)
    assert page.evaluate("() => document.documentElement.lang") == "es"
    assert page.locator("#question textarea").get_attribute("placeholder").startswith("Escriba su pregunta")
    assert "Texto HELP al 233733" in page.locator("#lifelines").inner_text()
    assert serious_violations(page) == []
    ask(page, "narcan")  # one word: the page's language decides
    assert "Fuentes" in page.locator("#chat").inner_text()


def test_usable_at_200_percent_zoom(page):
    page.evaluate("() => { document.body.style.zoom = '200%'; }")
    page.locator("#question textarea").scroll_into_view_if_needed()
    assert page.locator("#question textarea").is_visible() and page.locator("#send").is_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] * 2 + 4  # no sideways scrolling beyond the zoomed page


def test_tab_from_the_top_reaches_quick_exit_first(page):
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.closest('#quick-exit') !== null || document.activeElement.id")
    assert focused is True


def test_quick_exit_button_and_escape_leave_the_page(page, site, browser):
    page.locator("#quick-exit").click()
    page.wait_for_url("https://weather.com/**", timeout=10000)
    other = browser.new_page()
    other.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.fulfill(body="Weather"))
    other.goto(site.url + "/", wait_until="load")
    other.wait_for_selector("#question textarea", timeout=30000)
    other.locator("#question textarea").fill("something private")
    other.keyboard.press("Escape")
    other.wait_for_url("https://weather.com/**", timeout=10000)
    assert other.evaluate("() => sessionStorage.length + localStorage.length") == 0
    other.close()


def test_a_vote_can_be_undone_and_leaves_nothing(page, kb_settings):
    from assistant.feedback import FeedbackStore

    store = FeedbackStore(kb_settings.feedback_db)
    before = len(store.votes())
    ask(page, "Where can I get Narcan?")
    like = page.locator("#chat button[aria-label='Like']").last
    like.dispatch_event("click")  # the vote buttons show on hover; a tap on a phone is a click
    page.wait_for_timeout(800)
    assert len(store.votes()) == before + 1
    page.locator("#chat button[aria-label='Liked']").last.dispatch_event("click")  # undo
    page.wait_for_timeout(800)
    assert len(store.votes()) == before


# -- the staff console ---------------------------------------------------------------------------

REVIEW = document(
    "review-clinic",
    "## What is the clinic's number?\n\nThe clinic's number seen on a flyer was (860) 465-3135.",
    title="Windham clinic (unverified)",
    status="needs-review",
)


@pytest.fixture
def staff_site(tiny_kb, embeddings) -> Iterator[tuple[Server, object]]:
    from app import build_app
    from assistant.answering import Assistant
    from ingest import run_ingest

    settings = dataclasses.replace(tiny_kb({"review/clinic.md": REVIEW}), staff_username="staffer", staff_password="pw")
    run_ingest(settings, show_progress=False)
    helper = Assistant(settings)
    helper.warm_up()
    with Server(build_app(settings, helper)) as server:
        yield server, settings


def test_staff_console_trace_review_preview_reingest_and_logout(staff_site, browser):
    server, settings = staff_site
    tab = browser.new_page(viewport={"width": 1280, "height": 1000})
    tab.goto(server.url + "/staff", wait_until="load")  # no trailing slash
    assert tab.url.endswith("/staff/")
    assert serious_violations(tab) == []
    tab.get_by_label("Username").fill("staffer")
    tab.get_by_label("Password").fill("pw")
    tab.keyboard.press("Enter")
    tab.wait_for_selector("text=Staff console", timeout=30000)
    tab.get_by_label("Question (as a resident would type it)").fill("is selling sex a crime")
    tab.get_by_role("button", name="Answer", exact=True).click()
    tab.wait_for_selector("text=Best section score", timeout=30000)
    passages = tab.locator("#staff-passages").inner_text()
    assert "Selling sex is the crime of prostitution" in passages and "floor" in passages
    assert "law/selling.md:" in passages
    OUTPUT.mkdir(exist_ok=True)
    tab.screenshot(path=str(OUTPUT / "staff-trace.png"), full_page=True)

    tab.get_by_label("Also search needs-review documents", exact=False).check()
    tab.get_by_label("Question (as a resident would type it)").fill("what is the clinic's number")
    tab.get_by_role("button", name="Answer", exact=True).click()
    tab.wait_for_selector("text=not verified", timeout=30000)
    assert "(860) 465-3135" in tab.locator("#staff-answer").inner_text()

    (settings.knowledge_dir / "law" / "new.md").write_text(document("new-rule", "## New?\n\nA new rule."))
    tab.get_by_role("tab", name="Knowledge").click()
    tab.get_by_role("button", name="Re-ingest now (python -m ingest)").click()
    tab.wait_for_selector("text=added: new-rule", timeout=60000)
    tab.screenshot(path=str(OUTPUT / "staff-knowledge.png"), full_page=True)

    tab.locator("#logout").click()
    tab.wait_for_url("**/staff/", timeout=10000)
    assert tab.get_by_label("Password").is_visible()
    tab.close()
