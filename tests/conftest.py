"""Shared fixtures: the real model (loaded once), a real Chroma index in a temp folder."""

from __future__ import annotations

import dataclasses
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
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


CHROMA = Path(sys.executable).parent / "chroma"


def wait_until(
    check: Callable[[], bool], seconds: float, what: str, exited: Callable[[], str | None] = lambda: None
) -> None:
    """Poll `check` until it holds; fail at once, with what `exited` says, if the process died."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        reason = exited()
        if reason is not None:
            raise RuntimeError(f"{what} exited before it started:\n{reason}")
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start")


@pytest.fixture
def chroma_server(tmp_path):
    """A real `chroma run` on a free loopback port; yields the port."""
    if not CHROMA.exists() and not shutil.which("chroma"):
        pytest.fail("the chroma command (from the chromadb package) is missing")
    port = free_port()
    command = [str(CHROMA if CHROMA.exists() else "chroma"), "run", "--path", str(tmp_path / "server"),
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
        wait_until(lambda: httpx.get(url, timeout=1).status_code == 200, 30, "chroma server")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _postgres_binary(name: str) -> str | None:
    return shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL (Debian's package) on a free loopback port, in a temporary folder."""
    initdb, postgres = _postgres_binary("initdb"), _postgres_binary("postgres")
    if not initdb or not postgres:
        pytest.fail("PostgreSQL is not installed (make server-deps installs Debian's postgresql)")
    root = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()
    subprocess.run([*as_user, initdb, "-D", str(data), "-U", "assistant", "--auth=trust", "-E", "UTF8"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    command = [*as_user, postgres, "-D", str(data), "-p", str(port), "-k", str(root), "-h", "127.0.0.1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"postgresql+psycopg://assistant@127.0.0.1:{port}/postgres"
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        wait_until(lambda: engine.connect().close() is None, 30, "postgresql")
        engine.dispose()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
