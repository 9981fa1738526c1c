"""One settings object, read once from environment variables (documented in the README)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def _number(name: str, default: float, kind: type[int] | type[float]) -> Any:
    raw = os.environ.get(name, "")
    try:
        return kind(raw) if raw.strip() else default
    except ValueError as exc:
        raise ConfigError(f"{name} must be a {'whole ' if kind is int else ''}number, got {raw!r}") from exc


def _int(name: str, default: int) -> int:
    return int(_number(name, default, int))


def _float(name: str, default: float) -> float:
    return float(_number(name, default, float))


def _path(name: str, default: Path) -> Path:
    raw = os.environ.get(name, "").strip()
    return Path(raw).expanduser().resolve() if raw else default


@dataclass(frozen=True)
class Settings:
    """Every setting of the app, the ingest and the staff tools."""

    knowledge_dir: Path = ROOT / "knowledge"
    data_dir: Path = ROOT / "data"
    chroma_host: str = ""
    chroma_port: int = 8000
    host: str = "127.0.0.1"
    port: int = 7860
    top_k: int = 5
    relevance_floor: float = 0.42
    relevance_floor_es: float = 0.6
    max_message_chars: int = 2000
    concurrency: int = 4
    queue_size: int = 256
    log_level: str = "INFO"
    staff_username: str = ""
    staff_password: str = field(default="", repr=False)
    staff_users_file: str = ""
    staff_session_hours: float = 8.0
    poll_seconds: float = 10.0
    secure_cookies: bool = False
    feedback_db: Path = ROOT / "data" / "feedback.sqlite3"
    database_url: str = field(default="", repr=False)
    reports_dir: Path = ROOT / "reports"
    cache_dir: Path = ROOT / "data" / "cache"
    composer: str = "extractive"
    llm_model: str = ""
    llm_base_url: str = ""
    llm_timeout: float = 8.0

    @property
    def server_mode(self) -> bool:
        return bool(self.chroma_host)


def load_settings() -> Settings:
    """Read the environment once; raises ConfigError on a value that cannot work."""
    data_dir = _path("ASSISTANT_DATA_DIR", ROOT / "data")
    settings = Settings(
        knowledge_dir=_path("ASSISTANT_KNOWLEDGE_DIR", ROOT / "knowledge"),
        data_dir=data_dir,
        chroma_host=os.environ.get("CHROMA_HOST", "").strip(),
        chroma_port=_int("CHROMA_PORT", 8000),
        host=os.environ.get("ASSISTANT_HOST", "127.0.0.1").strip() or "127.0.0.1",
        port=_int("ASSISTANT_PORT", 7860),
        top_k=_int("ASSISTANT_TOP_K", 5),
        relevance_floor=_float("ASSISTANT_RELEVANCE_FLOOR", 0.42),
        relevance_floor_es=_float("ASSISTANT_RELEVANCE_FLOOR_ES", 0.6),
        max_message_chars=_int("ASSISTANT_MAX_MESSAGE_CHARS", 2000),
        concurrency=_int("ASSISTANT_CONCURRENCY", 4),
        queue_size=_int("ASSISTANT_QUEUE_SIZE", 256),
        log_level=os.environ.get("ASSISTANT_LOG_LEVEL", "INFO").strip().upper() or "INFO",
        staff_username=os.environ.get("STAFF_USERNAME", "").strip(),
        staff_password=os.environ.get("STAFF_PASSWORD", ""),
        staff_users_file=os.environ.get("STAFF_USERS_FILE", "").strip(),
        staff_session_hours=_float("STAFF_SESSION_HOURS", 8.0),
        poll_seconds=_float("ASSISTANT_POLL_SECONDS", 10.0),
        secure_cookies=os.environ.get("ASSISTANT_SECURE_COOKIES", "").strip().lower() in ("1", "true", "yes"),
        feedback_db=_path("ASSISTANT_FEEDBACK_DB", data_dir / "feedback.sqlite3"),
        database_url=os.environ.get("ASSISTANT_DATABASE_URL", "").strip(),
        reports_dir=_path("ASSISTANT_REPORTS_DIR", ROOT / "reports"),
        cache_dir=_path("ASSISTANT_CACHE_DIR", data_dir / "cache"),
        composer=os.environ.get("ASSISTANT_COMPOSER", "extractive").strip() or "extractive",
        llm_model=os.environ.get("ASSISTANT_LLM_MODEL", "").strip(),
        llm_base_url=os.environ.get("ASSISTANT_LLM_BASE_URL", "").strip(),
        llm_timeout=_float("ASSISTANT_LLM_TIMEOUT", 8.0),
    )
    if not 1 <= settings.top_k <= 50:
        raise ConfigError("ASSISTANT_TOP_K must be between 1 and 50")
    if settings.max_message_chars < 100:
        raise ConfigError("ASSISTANT_MAX_MESSAGE_CHARS must be at least 100")
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read from the environment on first use."""
    return load_settings()
