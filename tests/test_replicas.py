"""Two app replicas on one Chroma server and one PostgreSQL, all real processes on this machine:
one ingest, one version for all, a new version followed without a restart, shared feedback."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant import store
from ingest import run_ingest

from .conftest import ROOT, document, free_port, wait_until

pytestmark = [pytest.mark.server, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


class Replica:
    """`python app.py` with its own empty data folder."""

    def __init__(self, env: dict[str, str], data: Path) -> None:
        self.port = free_port()
        data.mkdir(parents=True)
        env = {**env, "ASSISTANT_PORT": str(self.port), "ASSISTANT_DATA_DIR": str(data)}
        self.log = (data / "app.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")], env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def exited(self) -> str | None:
        """None while the process runs; else its exit code and the end of its log."""
        if self.process.poll() is None:
            return None
        self.log.flush()
        tail = (Path(self.log.name)).read_text(encoding="utf-8", errors="replace")[-3000:]
        return f"exit code {self.process.returncode}\n{tail}"

    def ask(self, question: str) -> dict:
        from gradio_client import Client

        return Client(self.url, verbose=False).predict(question, api_name="/ask")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def replicas(tiny_kb, embeddings, chroma_server, postgres_url, tmp_path) -> Iterator[tuple]:
    settings = dataclasses.replace(
        tiny_kb(), chroma_host="127.0.0.1", chroma_port=chroma_server, database_url=postgres_url
    )
    first = run_ingest(settings, show_progress=False)
    env = {
        **os.environ,
        "ASSISTANT_KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "CHROMA_HOST": "127.0.0.1",
        "CHROMA_PORT": str(chroma_server),
        "ASSISTANT_DATABASE_URL": postgres_url,
        "ASSISTANT_POLL_SECONDS": "1",
        "ASSISTANT_CACHE_DIR": str(ROOT / ".cache"),
        "STAFF_USERNAME": "staffer",
        "STAFF_PASSWORD": "pw",
    }
    started = [Replica(env, tmp_path / name) for name in ("a", "b")]
    try:
        for replica in started:
            up = lambda r=replica: httpx.get(r.url + "/", timeout=2).status_code == 200  # noqa: E731
            wait_until(up, 420, "a replica", replica.exited)
        yield settings, first, started
    finally:
        for replica in started:
            replica.stop()


def test_replicas_serve_one_version_follow_a_new_one_and_share_feedback(replicas):
    settings, first, (a, b) = replicas
    one, two = a.ask("Is selling sex a crime?"), b.ask("Is selling sex a crime?")
    assert one["index_version"] == two["index_version"] == first.version
    assert [c["chunk_ids"] for c in one["citations"]] == [c["chunk_ids"] for c in two["citations"]]
    assert store.versions(settings).names() == [first.version]  # one copy in the server, not one per replica
    for replica in (a, b):
        assert not list((Path(replica.log.name).parent / "versions").glob("*")), "a replica never ingests"

    from gradio_client import Client

    in_flight = Client(a.url, verbose=False).submit("Is buying sex a crime?", api_name="/ask")
    changed = document("buying", "## Is buying sex a crime?\n\nBuying sex is soliciting sexual acts under CGS "
                       "53a-83, a class A misdemeanor, renamed by Public Act 21-102.", title="Buying sex")  # fmt: skip
    (settings.knowledge_dir / "law" / "buying.md").write_text(changed)
    second = run_ingest(settings, show_progress=False)
    assert "53a-83" in in_flight.result(timeout=60)["answer"]  # the answer in flight completed
    for replica in (a, b):
        wait_until(lambda r=replica: r.ask("Is buying sex a crime?")["index_version"] == second.version, 30, "switch")
        assert "21-102" in replica.ask("Is buying sex a crime?")["answer"]
    assert store.versions(settings).names() == [first.version, second.version]

    vote_on(a.url)
    assert "helpful" in staff_feedback(b.url)


def vote_on(url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page()
        tab.goto(url + "/", wait_until="load")
        tab.locator("#question textarea").fill("Is selling sex a crime?")
        tab.locator("#question textarea").press("Enter")
        tab.wait_for_function("() => document.querySelector('#chat')?.innerText.includes('Sources')")
        tab.locator("#chat button[aria-label='Like']").last.dispatch_event("click")
        tab.wait_for_timeout(1000)
        browser.close()


def staff_feedback(url: str) -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 1000})
        tab.goto(url + "/staff/", wait_until="load")
        tab.get_by_label("Username").fill("staffer")
        tab.get_by_label("Password").fill("pw")
        tab.keyboard.press("Enter")
        tab.wait_for_selector("text=Staff console", timeout=60000)
        tab.get_by_role("tab", name="Feedback").click()
        tab.get_by_role("button", name="Show").click()
        tab.wait_for_timeout(1500)
        text = tab.inner_text("body")
        browser.close()
        return text
