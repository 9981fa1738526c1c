"""Where the index lives: the Chroma client (embedded or server) and the active version.

Each ingest writes a new version: a Chroma collection `kb-<stamp>` plus a folder
`data/versions/<name>/` (keyword index, chunk table, manifest, record manager). The file
`data/CURRENT` names the version being served and is replaced atomically, so a failed ingest
never touches what is serving.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from assistant.config import Settings

POINTER = "CURRENT"
PREFIX = "kb-"


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
    try:
        data = json.loads((version_dir(settings, name) / "manifest.json").read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
