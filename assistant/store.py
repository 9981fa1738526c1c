"""The index layout, in one place: where each version's files live and how they are read.

Each ingest writes a new version: a Chroma collection `kb-<stamp>` (plus one "live" collection
per language), and a folder `data/versions/<name>/` holding the chunk table, the keyword index,
the heading and example-question vectors, the manifest and the LangChain record manager. The file `data/CURRENT`
names the version being served and is replaced atomically, so a failed ingest never touches
what is serving. Ingest and the app read and write these files only through this module.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from assistant.chunking import Chunk
from assistant.config import Settings

log = logging.getLogger(__name__)
POINTER = "CURRENT"
PREFIX = "kb-"
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
KEYWORDS = "bm25"
QUESTIONS = "questions.npz"
RECORDS = "records.sqlite3"
LAST_INGEST = "last_ingest.json"
LOCK = "ingest.lock"
PAGE = 2000  # records per Chroma read (SQLite limits the variables of one query)


def chroma_client(settings: Settings) -> Any:
    """A Chroma client: embedded PersistentClient, or HttpClient when CHROMA_HOST is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.server_mode:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def pages(collection: Any, **query: Any) -> Iterator[dict[str, Any]]:
    """`collection.get(**query)` one page at a time."""
    offset = 0
    while True:
        part = collection.get(limit=PAGE, offset=offset, **query)
        if not part["ids"]:
            return
        yield part
        offset += PAGE


def live_name(version: str, language: str) -> str:
    """The collection of a version's chunks that residents may be served, in one language."""
    return f"{version}-live-{language}"


def versions_dir(settings: Settings) -> Path:
    return settings.data_dir / "versions"


def version_dir(settings: Settings, name: str) -> Path:
    return versions_dir(settings) / name


def current_version(settings: Settings) -> str | None:
    """Name of the version being served, or None when nothing was ever built."""
    try:
        name = (settings.data_dir / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def pointer_stamp(settings: Settings) -> float:
    """Modification time of the pointer file (0 when missing): cheap change detection."""
    try:
        return (settings.data_dir / POINTER).stat().st_mtime
    except FileNotFoundError:
        return 0.0


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old or the new content, never a half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def set_current(settings: Settings, name: str) -> None:
    write_atomic(settings.data_dir / POINTER, name + "\n")


def read_manifest(settings: Settings, name: str | None = None) -> dict[str, Any] | None:
    """The manifest of a version (the served one by default), or None."""
    name = name or current_version(settings)
    if not name:
        return None
    return _read_json(version_dir(settings, name) / MANIFEST)


def write_manifest(settings: Settings, name: str, manifest: dict[str, Any]) -> None:
    write_atomic(version_dir(settings, name) / MANIFEST, json.dumps(manifest, indent=1))


def read_last_ingest(settings: Settings) -> dict[str, Any]:
    return _read_json(settings.data_dir / LAST_INGEST) or {}


def write_last_ingest(settings: Settings, result: dict[str, Any]) -> None:
    write_atomic(settings.data_dir / LAST_INGEST, json.dumps(result, indent=1))


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def write_chunks(folder: Path, chunks: list[Chunk]) -> None:
    with (folder / CHUNKS).open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            handle.write(json.dumps(chunk.to_record(), ensure_ascii=False) + "\n")


def read_chunks(folder: Path) -> list[Chunk]:
    with (folder / CHUNKS).open(encoding="utf-8") as handle:
        return [Chunk.from_record(json.loads(line)) for line in handle if line.strip()]


def keyword_path(folder: Path) -> str:
    return str(folder / KEYWORDS)


def write_question_vectors(folder: Path, texts: list[str], vectors: np.ndarray, owners: np.ndarray) -> None:
    """Heading and example-question vectors, with the chunk position each belongs to."""
    np.savez(folder / QUESTIONS, texts=np.array(texts, dtype=object), vectors=vectors, owners=owners)


def read_question_vectors(folder: Path) -> dict[str, np.ndarray]:
    """text -> vector of a version's headings and example questions (empty when unreadable)."""
    try:
        with np.load(folder / QUESTIONS, allow_pickle=True) as data:
            return dict(zip((str(t) for t in data["texts"]), data["vectors"], strict=True))
    except (OSError, KeyError, ValueError):
        return {}


def load_question_matrix(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    """(vectors, owner chunk positions) of a version."""
    with np.load(folder / QUESTIONS, allow_pickle=True) as data:
        return data["vectors"].astype(np.float32), data["owners"].astype(np.int64)


def records_path(folder: Path) -> Path:
    return folder / RECORDS


@contextlib.contextmanager
def ingest_lock(settings: Settings, wait: float = 600.0) -> Iterator[None]:
    """One ingest at a time on this data folder (the console's button and `make index` alike).

    A second run waits up to `wait` seconds, logging who holds the lock, then gives up.
    """
    from assistant.errors import IngestBusy

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / LOCK
    with path.open("a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                if time.monotonic() >= deadline:
                    raise IngestBusy(f"another ingest is running ({holder}); try again when it ends") from None
                if not told:
                    log.info("waiting for the ingest lock held by %s", holder)
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
