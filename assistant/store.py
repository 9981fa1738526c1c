"""The index layout, in one place: where each version lives, how it is read and switched.

Each ingest writes a new version: a Chroma collection `kb-<stamp>` (plus one "live" collection
per language), the chunk table, the heading and example-question vectors, the keyword index
and a manifest. A pointer names the version being served; it moves only when the new version
is complete, so a failed ingest never touches what is serving.

* Embedded mode (the default): the pointer is the file `data/CURRENT` (replaced atomically) and
  the version's files live in `data/versions/<name>/`.
* Server mode (CHROMA_HOST): everything a replica needs is in the Chroma server, so any number
  of app replicas serve the same version from their own empty data folders: the pointer is a
  record of the `kb-pointer` collection (an atomic upsert), the chunk table is the version
  collection's metadata, the vectors and the manifest are collections of their own, and each
  replica builds the keyword index when it loads a version.

Ingest and the app read and write versions only through `versions(settings)`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from assistant.chunking import Chunk
from assistant.config import Settings
from assistant.errors import IngestBusy
from assistant.files import replace_atomically

log = logging.getLogger(__name__)
PREFIX = "kb-"
PAGE = 2000  # records per Chroma read (SQLite limits the variables of one query)
POINTER = "CURRENT"
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
KEYWORDS = "bm25"
QUESTIONS = "questions.npz"
LAST_INGEST = "last_ingest.json"
LOCK = "ingest.lock"
SERVER_POINTER = "kb-pointer"  # collection: records "current" (the served version) and "last_ingest"
SERVER_LOCK = "kb-ingest-lock"  # collection whose existence is the lock
STALE_LOCK = 3 * 3600.0  # a server lock older than this was left by a crashed ingest
SUFFIXES = ("-live-en", "-live-es", "-questions", "-manifest")
VERSION_NAME = re.compile(rf"^{PREFIX}\d{{8}}-\d{{6}}-\d+$")  # kb-20261127-071737-344613
# Heading and example-question texts, their vectors, and the chunk id each belongs to.
Questions = tuple[list[str], np.ndarray, list[str]]


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


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old or the new content, never a half."""
    replace_atomically(path, lambda handle: handle.write(text.encode("utf-8")))


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def build_keyword_index(chunks: list[Chunk]) -> Any:
    """The BM25 index of the chunks: each chunk's words, stemmed in its own language."""
    import bm25s

    from assistant.words import tokens

    retriever = bm25s.BM25()
    retriever.index([tokens(c.keyword_text, c.language) for c in chunks], show_progress=False)
    return retriever


class Versions:
    """The versions of one deployment (see the module's docstring for the two layouts)."""

    def __init__(self, settings: Settings, client: Any = None) -> None:
        self.settings = settings
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = chroma_client(self.settings)
        return self._client

    # the pointer -------------------------------------------------------------------------------
    def current(self) -> str | None:
        raise NotImplementedError

    def stamp(self) -> str:
        """Changes whenever the pointer moves; cheap to read."""
        raise NotImplementedError

    def switch(self, name: str) -> None:
        raise NotImplementedError

    # one version's contents --------------------------------------------------------------------
    def write(self, name: str, chunks: list[Chunk], questions: Questions) -> None:
        raise NotImplementedError

    def read_chunks(self, name: str) -> list[Chunk]:
        raise NotImplementedError

    def read_questions(self, name: str) -> Questions:
        raise NotImplementedError

    def keyword_index(self, name: str, chunks: list[Chunk]) -> Any:
        return build_keyword_index(chunks)

    def read_manifest(self, name: str | None = None) -> dict[str, Any] | None:
        raise NotImplementedError

    def write_manifest(self, name: str, manifest: dict[str, Any]) -> None:
        raise NotImplementedError

    def read_last_ingest(self) -> dict[str, Any]:
        raise NotImplementedError

    def write_last_ingest(self, result: dict[str, Any]) -> None:
        raise NotImplementedError

    # housekeeping ------------------------------------------------------------------------------
    def names(self) -> list[str]:
        """Every version there is, oldest first."""
        return sorted(c.name for c in self.client.list_collections() if VERSION_NAME.match(c.name))

    def drop(self, name: str) -> None:
        for collection in [name, *(name + suffix for suffix in SUFFIXES)]:
            with contextlib.suppress(Exception):  # best effort: removing a version that is not served
                self.client.delete_collection(collection)

    def lock(self, wait: float = 600.0) -> contextlib.AbstractContextManager[None]:
        raise NotImplementedError

    def question_vectors_of(self, name: str) -> dict[str, np.ndarray]:
        """text -> vector of a version's headings and example questions (empty when unreadable)."""
        try:
            texts, vectors, _ = self.read_questions(name)
        except Exception:  # noqa: BLE001 - an unreadable old version only costs embedding time
            return {}
        return dict(zip(texts, vectors, strict=True))


class LocalVersions(Versions):
    """Embedded mode: files under the data folder."""

    def folder(self, name: str) -> Path:
        return self.settings.data_dir / "versions" / name

    def current(self) -> str | None:
        try:
            name = (self.settings.data_dir / POINTER).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def stamp(self) -> str:
        try:
            return str((self.settings.data_dir / POINTER).stat().st_mtime_ns)
        except FileNotFoundError:
            return ""

    def switch(self, name: str) -> None:
        write_atomic(self.settings.data_dir / POINTER, name + "\n")

    def write(self, name: str, chunks: list[Chunk], questions: Questions) -> None:
        folder = self.folder(name)
        folder.mkdir(parents=True, exist_ok=True)
        build_keyword_index(chunks).save(str(folder / KEYWORDS))
        with (folder / CHUNKS).open("w", encoding="utf-8") as handle:
            for chunk in chunks:
                handle.write(json.dumps(chunk.to_record(), ensure_ascii=False) + "\n")
        texts, vectors, owners = questions
        text_array, owner_array = np.array(texts, dtype=object), np.array(owners, dtype=object)
        np.savez(folder / QUESTIONS, vectors=vectors, texts=text_array, owners=owner_array)

    def read_chunks(self, name: str) -> list[Chunk]:
        with (self.folder(name) / CHUNKS).open(encoding="utf-8") as handle:
            return [Chunk.from_record(json.loads(line)) for line in handle if line.strip()]

    def read_questions(self, name: str) -> Questions:
        with np.load(self.folder(name) / QUESTIONS, allow_pickle=True) as data:
            texts = [str(t) for t in data["texts"]]
            return texts, data["vectors"].astype(np.float32), [str(o) for o in data["owners"]]

    def keyword_index(self, name: str, chunks: list[Chunk]) -> Any:
        import bm25s

        return bm25s.BM25.load(str(self.folder(name) / KEYWORDS))

    def read_manifest(self, name: str | None = None) -> dict[str, Any] | None:
        name = name or self.current()
        return _read_json(self.folder(name) / MANIFEST) if name else None

    def write_manifest(self, name: str, manifest: dict[str, Any]) -> None:
        write_atomic(self.folder(name) / MANIFEST, json.dumps(manifest, indent=1))

    def read_last_ingest(self) -> dict[str, Any]:
        return _read_json(self.settings.data_dir / LAST_INGEST) or {}

    def write_last_ingest(self, result: dict[str, Any]) -> None:
        write_atomic(self.settings.data_dir / LAST_INGEST, json.dumps(result, indent=1))

    def names(self) -> list[str]:
        folder = self.settings.data_dir / "versions"
        return sorted(p.name for p in folder.iterdir() if VERSION_NAME.match(p.name)) if folder.exists() else []

    def drop(self, name: str) -> None:
        import shutil

        super().drop(name)
        shutil.rmtree(self.folder(name), ignore_errors=True)

    @contextlib.contextmanager
    def lock(self, wait: float = 600.0) -> Iterator[None]:
        """One ingest at a time on this data folder (the console's button and `make index` alike);
        a second run waits up to `wait` seconds, saying who holds the lock, then gives up."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        with (self.settings.data_dir / LOCK).open("a+", encoding="utf-8") as handle:
            _wait_for(lambda: _try_flock(handle), lambda: _holder_of(handle), wait)
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


def _try_flock(handle: Any) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _holder_of(handle: Any) -> str:
    handle.seek(0)
    return handle.read().strip() or "another process"


def _wait_for(acquire: Any, holder: Any, wait: float) -> None:
    deadline = time.monotonic() + wait
    told = False
    while not acquire():
        who = holder()
        if time.monotonic() >= deadline:
            raise IngestBusy(f"another ingest is running ({who}); try again when it ends")
        if not told:
            log.info("waiting for the ingest lock held by %s", who)
            told = True
        time.sleep(0.2)


class ServerVersions(Versions):
    """Server mode: everything in the Chroma server, shared by every replica."""

    def _pointer(self) -> Any:
        return self.client.get_or_create_collection(SERVER_POINTER, embedding_function=None)

    def _record(self, key: str) -> dict[str, Any] | None:
        found = self._pointer().get(ids=[key], include=["metadatas", "documents"])
        if not found["ids"]:
            return None
        return {"metadata": found["metadatas"][0] or {}, "document": found["documents"][0] or ""}

    def current(self) -> str | None:
        record = self._record("current")
        return str(record["metadata"].get("version") or "") or None if record else None

    def stamp(self) -> str:
        return self.current() or ""

    def switch(self, name: str) -> None:
        """Atomic: one record's upsert moves every replica to the new version."""
        self._pointer().upsert(
            ids=["current"], documents=[name], embeddings=[[0.0]], metadatas=[{"version": name, "at": time.time()}]
        )  # an explicit vector: Chroma must never compute one (its default model would download)

    def write(self, name: str, chunks: list[Chunk], questions: Questions) -> None:
        texts, vectors, owners = questions
        target = self.client.get_or_create_collection(f"{name}-questions", embedding_function=None)
        for start in range(0, len(texts), PAGE):
            end = start + PAGE
            target.add(
                ids=[f"q{i}" for i in range(start, min(end, len(texts)))],
                embeddings=vectors[start:end].tolist(),
                metadatas=[{"owner": o, "text": t} for o, t in zip(owners[start:end], texts[start:end], strict=True)],
            )

    def read_chunks(self, name: str) -> list[Chunk]:
        chunks = [
            Chunk.from_record(meta)
            for part in pages(self.client.get_collection(name), include=["metadatas"])
            for meta in part["metadatas"]
        ]
        return sorted(chunks, key=lambda c: (c.doc_id, c.section))

    def read_questions(self, name: str) -> Questions:
        texts: list[str] = []
        owners: list[str] = []
        vectors: list[Any] = []
        for part in pages(self.client.get_collection(f"{name}-questions"), include=["embeddings", "metadatas"]):
            for meta, vector in zip(part["metadatas"], part["embeddings"], strict=True):
                texts.append(str(meta["text"]))
                owners.append(str(meta["owner"]))
                vectors.append(vector)
        return texts, np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1), owners

    def read_manifest(self, name: str | None = None) -> dict[str, Any] | None:
        name = name or self.current()
        if not name:
            return None
        with contextlib.suppress(Exception):
            found = self.client.get_collection(f"{name}-manifest").get(ids=["manifest"], include=["documents"])
            data = json.loads(found["documents"][0]) if found["ids"] else None
            return data if isinstance(data, dict) else None
        return None

    def write_manifest(self, name: str, manifest: dict[str, Any]) -> None:
        text = json.dumps(manifest)
        self.client.get_or_create_collection(f"{name}-manifest", embedding_function=None).upsert(
            ids=["manifest"], documents=[text], embeddings=[[0.0]], metadatas=[{"version": name}]
        )

    def read_last_ingest(self) -> dict[str, Any]:
        record = self._record("last_ingest")
        return json.loads(record["document"]) if record and record["document"] else {}

    def write_last_ingest(self, result: dict[str, Any]) -> None:
        self._pointer().upsert(
            ids=["last_ingest"], documents=[json.dumps(result)], embeddings=[[0.0]], metadatas=[{"at": time.time()}]
        )

    @contextlib.contextmanager
    def lock(self, wait: float = 600.0) -> Iterator[None]:
        """One ingest at a time across machines: the lock is a collection that only one ingest
        can create; a lock older than STALE_LOCK (a crashed ingest) is broken."""
        me = f"{socket.gethostname()} pid {os.getpid()}"
        _wait_for(lambda: self._take_lock(me), self._lock_holder, wait)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                self.client.delete_collection(SERVER_LOCK)

    def _take_lock(self, me: str) -> bool:
        try:
            self.client.create_collection(SERVER_LOCK, metadata={"holder": me, "since": time.time()})
            return True
        except Exception:  # noqa: BLE001 - it exists: someone holds it
            with contextlib.suppress(Exception):
                since = float(self.client.get_collection(SERVER_LOCK).metadata.get("since", 0))
                if time.time() - since > STALE_LOCK:
                    log.warning("breaking a stale ingest lock")
                    self.client.delete_collection(SERVER_LOCK)
            return False

    def _lock_holder(self) -> str:
        with contextlib.suppress(Exception):
            return str(self.client.get_collection(SERVER_LOCK).metadata.get("holder", "another machine"))
        return "another machine"


def versions(settings: Settings, client: Any = None) -> Versions:
    """The layout of this deployment: files (embedded Chroma) or the Chroma server."""
    return ServerVersions(settings, client) if settings.server_mode else LocalVersions(settings, client)


# Short names used by the app and the staff console.
def current_version(settings: Settings) -> str | None:
    return versions(settings).current()


def read_manifest(settings: Settings, name: str | None = None) -> dict[str, Any] | None:
    return versions(settings).read_manifest(name)


def read_last_ingest(settings: Settings) -> dict[str, Any]:
    return versions(settings).read_last_ingest()


@contextlib.contextmanager
def ingest_lock(settings: Settings, wait: float = 600.0) -> Iterator[None]:
    with versions(settings).lock(wait):
        yield
