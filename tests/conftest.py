"""Shared fixtures: the real model (loaded once), a real Chroma index in a temp folder."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import uvicorn

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.config import ROOT, Settings, load_settings  # noqa: E402

KNOWLEDGE = ROOT / "knowledge"


def settings_for(tmp: Path, knowledge: Path = KNOWLEDGE, **overrides: object) -> Settings:
    """Settings that write only under tmp (data, feedback, reports)."""
    base = load_settings()
    return dataclasses.replace(
        base,
        knowledge_dir=knowledge,
        data_dir=tmp / "data",
        feedback_db=tmp / "data" / "feedback.sqlite3",
        reports_dir=tmp / "reports",
        cache_dir=ROOT / ".cache",  # embeddings of the crisis model's examples, shared by test runs
        chroma_host="",
        staff_username="",
        staff_password="",
        staff_users_file="",
        **overrides,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def embeddings():
    from assistant.embeddings import load_embeddings

    return load_embeddings()


@pytest.fixture(scope="session")
def kb_settings(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Settings:
    """The real knowledge base, ingested once into a temporary Chroma."""
    from ingest import run_ingest

    settings = settings_for(tmp_path_factory.mktemp("kb"))
    run_ingest(settings, show_progress=False)
    return settings


@pytest.fixture(scope="session")
def assistant(kb_settings: Settings):
    from assistant.answering import Assistant

    helper = Assistant(kb_settings)
    helper.warm_up()
    return helper


def document(
    doc_id: str,
    body: str,
    *,
    title: str = "",
    status: str = "verified",
    review_by: str = "2099-01-01",
    topics: str = "[law]",
    language: str = "en",
    extra: str = "",
) -> str:
    """A knowledge document as text, for tests that build their own small knowledge base."""
    return (
        "---\n"
        f"id: {doc_id}\n"
        f"title: {title or doc_id.replace('-', ' ').title()}\n"
        f"topics: {topics}\n"
        f"language: {language}\n"
        f"status: {status}\n"
        "sources:\n"
        "  - title: Test source\n"
        "    url: https://example.org/source\n"
        "last_verified: 2026-01-01\n"
        f"review_by: {review_by}\n"
        f"{extra}"
        "---\n\n"
        f"# {title or doc_id}\n\n{body}\n"
    )


TINY_DOCS = {
    "law/selling.md": document(
        "selling",
        "## Is selling sex a crime?\n\nSelling sex is the crime of prostitution under CGS 53a-82. "
        "Prostitution is a class A misdemeanor.\n\n## Who can be convicted?\n\n"
        "A person under 18 cannot be convicted of prostitution in Connecticut.",
        title="Selling sex",
    ),
    "law/buying.md": document(
        "buying",
        "## Is buying sex a crime?\n\nBuying sex is soliciting sexual acts under CGS 53a-83. "
        "Soliciting sexual acts is a class A misdemeanor.",
        title="Buying sex",
    ),
    "help/narcan.md": document(
        "narcan",
        "## Where can I get naloxone?\n\nA trained pharmacist can give you naloxone (Narcan) at the pharmacy. "
        "Call 2-1-1 to find local programs.",
        title="Naloxone",
        topics="[health, overdose]",
    ),
}


@pytest.fixture
def tiny_kb(tmp_path: Path) -> Callable[..., Settings]:
    """Make a small knowledge base (TINY_DOCS plus changes) and return settings pointing at it."""

    def make(docs: dict[str, str | None] | None = None) -> Settings:
        folder = tmp_path / "knowledge"
        folder.mkdir(exist_ok=True)
        shutil.copy(KNOWLEDGE / "directory.yaml", folder / "directory.yaml")
        shutil.copy(KNOWLEDGE / "synonyms.yaml", folder / "synonyms.yaml")
        for name, text in {**TINY_DOCS, **(docs or {})}.items():
            path = folder / name
            if text is None:
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return settings_for(tmp_path, folder)

    return make


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """The FastAPI app of app.py on a free loopback port, in a thread."""

    def __init__(self, app) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if httpx.get(self.url + "/", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("app did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
