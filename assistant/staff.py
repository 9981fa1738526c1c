"""Staff console logic (no UI): credentials, answer traces, knowledge status.

Credentials come from STAFF_USERNAME/STAFF_PASSWORD or a users file (STAFF_USERS_FILE) of
`username:pbkdf2_sha256$iterations$salt$hex` lines; make a line with
`python -m assistant.staff hash USERNAME`. With neither, the console is disabled.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant import store
from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.pipeline import Result

ITERATIONS = 200_000


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${base64.b64encode(salt).decode()}${digest.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, iterations, salt, expected = encoded.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations))
    return hmac.compare_digest(digest.hex(), expected)


def load_users(path: Path) -> dict[str, str]:
    users: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"STAFF_USERS_FILE {path} cannot be read: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, encoded = line.partition(":")
        if not name or not encoded.startswith("pbkdf2_sha256$"):
            raise ConfigError(f"{path}:{number}: expected username:pbkdf2_sha256$...")
        users[name.strip()] = encoded.strip()
    return users


def authenticator(settings: Settings) -> Callable[[str, str], bool] | None:
    """The login check for /staff, or None when no staff credentials are configured."""
    users: dict[str, str] = {}
    if settings.staff_users_file:
        users.update(load_users(Path(settings.staff_users_file)))
    plain: tuple[str, str] | None = None
    if settings.staff_username and settings.staff_password:
        plain = (settings.staff_username, settings.staff_password)
    if not users and not plain:
        return None

    def check(username: str, password: str) -> bool:
        if plain and hmac.compare_digest(username, plain[0]) and hmac.compare_digest(password, plain[1]):
            return True
        encoded = users.get(username)
        return bool(encoded) and verify_password(password, encoded or "")

    return check


def trace_rows(result: Result) -> list[list[Any]]:
    """One row per retrieved chunk: rank, ids, status, scores, and whether it was cited."""
    rows = []
    for rank, chunk in enumerate(result.public()["chunks"], start=1):
        rows.append(
            [
                rank,
                chunk["chunk_id"],
                chunk["status"],
                chunk["fused"],
                chunk["dense"],
                chunk["dense_rank"],
                chunk["keyword"],
                chunk["keyword_rank"],
                "yes" if chunk["cited"] else "",
            ]
        )
    return rows


TRACE_HEADERS = ["rank", "chunk", "status", "fused (RRF)", "dense cos", "dense rank", "BM25", "BM25 rank", "cited"]


def rule_summary(result: Result) -> str:
    parts = [f"**Rule:** {result.rule}", f"**Language:** {result.language}"]
    if result.crisis:
        parts.append(f"**Crisis category:** {result.crisis}")
    if result.refusal:
        parts.append(f"**Refusal category:** {result.refusal}")
    if result.flags:
        parts.append(f"**Flags:** {', '.join(result.flags)}")
    timings = ", ".join(f"{k} {v:.1f} ms" for k, v in result.timings.items())
    parts.append(f"**Timings:** {timings}")
    parts.append(f"**Index:** {result.index_version or '-'}")
    return "  \n".join(parts)


def knowledge_status(settings: Settings) -> dict[str, Any]:
    """Counts, review queue and last ingest, as the console's Knowledge tab shows them."""
    manifest = store.read_manifest(settings) or {}
    try:
        last = json.loads((settings.data_dir / "last_ingest.json").read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        last = {}
    documents = manifest.get("documents", {})
    return {
        "version": manifest.get("version", "-"),
        "created": manifest.get("created", "-"),
        "documents": len(documents),
        "chunks": manifest.get("chunks", 0),
        "needs_review": manifest.get("needs_review", []),
        "expired": manifest.get("expired", []),
        "paths": manifest.get("paths", {}),
        "last_ingest": last,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "hash":
        sys.stderr.write("usage: python -m assistant.staff hash USERNAME\n")
        return 2
    password = getpass.getpass(f"password for {argv[1]}: ")
    sys.stdout.write(f"{argv[1]}:{hash_password(password)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
