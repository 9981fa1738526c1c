"""Staff accounts, login checks and sessions (no web framework here; app.py wires them in).

Accounts come from STAFF_USERS_FILE, one `username:<argon2id hash>` per line (make a line with
`python -m assistant.staff hash NAME`), and, for a quick start, STAFF_USERNAME/STAFF_PASSWORD.
Every check hashes with Argon2id, also for an unknown user (a dummy hash), so a wrong username
takes as long as a wrong password. Failed logins are limited per client; sessions are per
person and expire. Sessions live in the feedback database (SQLite, or the PostgreSQL that app
replicas share), so a login is valid on every replica; only a hash of each token is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.feedback import create_tables

HASHER = PasswordHasher()  # Argon2id with the library's current defaults
MAX_FAILURES = 5  # failed logins per client within WINDOW seconds before 429
WINDOW = 600.0


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def load_users(path: Path) -> dict[str, str]:
    """username -> Argon2 hash; a malformed line is an error naming its line."""
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
        if not name.strip() or not encoded.startswith("$argon2"):
            raise ConfigError(f"{path}:{number}: expected username:$argon2id$... (python -m assistant.staff hash NAME)")
        users[name.strip()] = encoded.strip()
    return users


SESSIONS = sa.Table(
    "staff_sessions",
    sa.MetaData(),
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(120), nullable=False),
    sa.Column("expires", sa.Float, nullable=False),
)


class Sessions:
    """Staff sessions in a database table (an in-memory SQLite one when none is given)."""

    def __init__(self, engine: Any = None) -> None:
        self.engine = engine if engine is not None else sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
        create_tables(self.engine, SESSIONS.metadata)  # replicas share the table; they take turns

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def add(self, token: str, username: str, expires: float) -> None:
        with self.engine.begin() as db:
            db.execute(sa.delete(SESSIONS).where(SESSIONS.c.expires < time.time()))
            db.execute(sa.insert(SESSIONS).values(token_hash=self._key(token), username=username, expires=expires))

    def user(self, token: str) -> str | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(SESSIONS.c.username, SESSIONS.c.expires).where(
                SESSIONS.c.token_hash == self._key(token))).first()  # fmt: skip
        if row is None or row.expires < time.time():
            return None
        return str(row.username)

    def remove(self, token: str) -> None:
        with self.engine.begin() as db:
            db.execute(sa.delete(SESSIONS).where(SESSIONS.c.token_hash == self._key(token)))


@dataclass
class StaffAuth:
    """Checks logins, limits failures, and keeps one session per login."""

    users: dict[str, str]
    session_seconds: float = 8 * 3600
    sessions: Sessions = field(default_factory=Sessions)
    _failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _dummy: str = field(default_factory=lambda: HASHER.hash(secrets.token_hex(16)))

    @classmethod
    def from_settings(cls, settings: Settings, engine: Any = None) -> StaffAuth | None:
        """None when no account is configured (the console is then disabled, not open)."""
        users: dict[str, str] = {}
        if settings.staff_users_file:
            users.update(load_users(Path(settings.staff_users_file)))
        if settings.staff_username and settings.staff_password:
            users.setdefault(settings.staff_username, HASHER.hash(settings.staff_password))
        if not users:
            return None
        return cls(users, session_seconds=settings.staff_session_hours * 3600, sessions=Sessions(engine))

    def check(self, username: str, password: str) -> bool:
        """Slow on purpose (Argon2id): call it off the event loop."""
        encoded = self.users.get(username)
        try:
            return HASHER.verify(encoded or self._dummy, password) and encoded is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def retry_after(self, client: str) -> int:
        """Seconds this client must wait before trying again (0 = may try now)."""
        now = time.monotonic()
        with self._lock:
            recent = self._failures[client]
            while recent and now - recent[0] > WINDOW:
                recent.popleft()
            return int(WINDOW - (now - recent[0])) + 1 if len(recent) >= MAX_FAILURES else 0

    def failed(self, client: str) -> None:
        with self._lock:
            self._failures[client].append(time.monotonic())

    def login(self, username: str) -> str:
        """A new session token for this person."""
        token = secrets.token_urlsafe(32)
        self.sessions.add(token, username, time.time() + self.session_seconds)
        return token

    def user(self, token: str | None) -> str | None:
        """The person a session token belongs to, or None (unknown or expired)."""
        return self.sessions.user(token) if token else None

    def logout(self, token: str | None) -> None:
        """Ends this session only (another person's sessions stay)."""
        if token:
            self.sessions.remove(token)
