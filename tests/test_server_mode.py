"""Chroma as a server: `chroma run` on a free loopback port; ingest and answer through it."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.answering import Assistant
from ingest import run_ingest

from .conftest import free_port

CHROMA = Path(sys.executable).parent / "chroma"

pytestmark = pytest.mark.server


@pytest.fixture
def chroma_server(tmp_path):
    if not CHROMA.exists() and not shutil.which("chroma"):
        pytest.fail("the chroma command (from the chromadb package) is missing")
    port = free_port()
    process = subprocess.Popen(
        [str(CHROMA if CHROMA.exists() else "chroma"), "run", "--path", str(tmp_path / "server"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("chroma server did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_ingest_and_answer_through_a_chroma_server(tiny_kb, embeddings, chroma_server, tmp_path):
    settings = dataclasses.replace(tiny_kb(), chroma_host="127.0.0.1", chroma_port=chroma_server)
    report = run_ingest(settings, show_progress=False)
    assert report.chunks == 4
    assert not (settings.data_dir / "chroma").exists()  # nothing embedded on local disk
    assert (tmp_path / "server").exists()
    result = Assistant(settings).ask("Is selling sex a crime?")
    assert result.rule == "answer" and "53a-82" in result.answer
    assert result.citations[0].doc_id == "selling"
    again = run_ingest(settings, force=True, show_progress=False)
    assert (again.added, again.skipped) == (0, 4)
