"""The small exception hierarchy of the assistant."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error raised on purpose by this project."""


class ConfigError(AssistantError):
    """A setting is missing or has a value that cannot work."""


class KnowledgeError(AssistantError):
    """A knowledge document (or the directory) is malformed; names the file and line."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")


class IndexNotReady(AssistantError):
    """There is no built index to serve from (run `python -m ingest`)."""


class IngestBusy(AssistantError):
    """Another ingest holds the lock on this data folder."""
