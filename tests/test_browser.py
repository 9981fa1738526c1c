"""The public page in headless Chromium (Debian's package, driven by Playwright) at phone size."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import ROOT, Server

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = ROOT / "test-output"
PHONE = {"width": 390, "height": 844}
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def site(kb_settings, assistant) -> Iterator[Server]:
    from app import build_app

    with Server(build_app(kb_settings, assistant)) as server:
        yield server


@pytest.fixture
def page(site):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
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
        browser.close()


def test_phone_view_shows_the_numbers_without_scrolling_and_makes_no_outside_request(page):
    lifelines = page.locator("#lifelines")
    assert lifelines.is_visible()
    box = lifelines.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    text = lifelines.inner_text()
    assert "911" in text and "1-888-373-7888" in text and "233733" in text
    exit_box = page.locator("#quick-exit").bounding_box()
    assert exit_box is not None and exit_box["y"] < 200
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "phone.png"))
    assert page.outside == []


def test_tab_from_the_top_reaches_quick_exit_first(page):
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.closest('#quick-exit') !== null || document.activeElement.id")
    assert focused is True


def test_a_question_gets_an_answer_with_sources(page):
    box = page.locator("#question textarea")
    box.fill("Where can I get Narcan?")
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('#chat').innerText.includes('Sources')", timeout=30000)
    chat = page.locator("#chat").inner_text()
    assert "pharmac" in chat and "1-888-373-7888" in chat
    page.screenshot(path=str(OUTPUT / "phone-answer.png"), full_page=True)


def test_quick_exit_button_leaves_the_page(page):
    page.locator("#quick-exit").click()
    page.wait_for_url("https://weather.com/**", timeout=10000)
    assert "weather.com" in page.url


def test_escape_leaves_the_page(page):
    page.locator("#question textarea").fill("something private")
    page.keyboard.press("Escape")
    page.wait_for_url("https://weather.com/**", timeout=10000)
    assert page.evaluate("() => sessionStorage.length + localStorage.length") == 0


def test_staff_console_login_and_trace(kb_settings, assistant):
    import dataclasses

    from playwright.sync_api import sync_playwright

    from app import build_app

    settings = dataclasses.replace(kb_settings, staff_username="staffer", staff_password="correct horse")
    with Server(build_app(settings, assistant)) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 1000})
        tab.goto(server.url + "/staff/", wait_until="load")
        tab.get_by_label("username").fill("staffer")
        tab.get_by_label("password").fill("correct horse")
        tab.keyboard.press("Enter")
        tab.wait_for_selector("text=Staff console", timeout=30000)
        tab.get_by_label("Question (as a resident would type it)").fill("got arrested for hooking, what now")
        tab.get_by_role("button", name="Answer", exact=True).click()
        tab.wait_for_selector("text=Rule:", timeout=30000)
        tab.wait_for_timeout(500)
        OUTPUT.mkdir(exist_ok=True)
        tab.screenshot(path=str(OUTPUT / "staff-console.png"), full_page=True)
        text = tab.inner_text("body")
        assert "law-" in text and "cited" in text
        browser.close()


def test_the_language_switch_changes_the_page_text(page):
    page.get_by_text("Español", exact=True).click()
    page.wait_for_selector("text=Salida rápida (Esc)", timeout=10000)
    assert page.locator("#question textarea").get_attribute("placeholder").startswith("Escriba su pregunta")
    assert "Preguntas de ejemplo" in page.inner_text("body")
