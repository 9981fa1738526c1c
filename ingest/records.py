"""A LangChain RecordManager on SQLite (stdlib), for incremental indexing.

LangChain's own SQLRecordManager lives in langchain-classic/-community and pulls in
SQLAlchemy; this is the same contract in one small file. Each write is one transaction
(the connection is in autocommit mode, so `BEGIN` and `COMMIT` are explicit).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from langchain_core.indexing import RecordManager


class SQLiteRecordManager(RecordManager):
    """Keys (chunk hashes) with their group (document id) and last update time."""

    def __init__(self, namespace: str, path: Path) -> None:
        super().__init__(namespace)
        self.path = path
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._last = 0.0

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction: on an autocommit connection `with connection:` alone commits nothing."""
        self._db.execute("BEGIN")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def seed(self, keys: Sequence[str], group_ids: Sequence[str]) -> None:
        """Know these keys as already indexed (the new version starts as a copy of the served
        one): LangChain then embeds only new or changed chunks. Built from the copied collection,
        so no record file has to travel between machines."""
        self.update(keys, group_ids=group_ids)

    def create_schema(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS records (namespace TEXT, key TEXT, group_id TEXT,"
            " updated_at REAL, PRIMARY KEY (namespace, key))"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS by_time ON records (namespace, updated_at)")

    async def acreate_schema(self) -> None:
        self.create_schema()

    def get_time(self) -> float:
        # Strictly increasing, so "updated before the run started" is never ambiguous.
        self._last = max(time.time(), self._last + 1e-6)
        return self._last

    async def aget_time(self) -> float:
        return self.get_time()

    def update(
        self,
        keys: Sequence[str],
        *,
        group_ids: Sequence[str | None] | None = None,
        time_at_least: float | None = None,
    ) -> None:
        groups = list(group_ids) if group_ids is not None else [None] * len(keys)
        if len(groups) != len(keys):
            raise ValueError("keys and group_ids must have the same length")
        now = self.get_time()
        if time_at_least is not None and now < time_at_least:
            raise ValueError(f"time went backwards: {now} < {time_at_least}")
        rows = [(self.namespace, k, g, now) for k, g in zip(keys, groups, strict=True)]
        with self._transaction() as db:
            db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)", rows)

    async def aupdate(
        self,
        keys: Sequence[str],
        *,
        group_ids: Sequence[str | None] | None = None,
        time_at_least: float | None = None,
    ) -> None:
        self.update(keys, group_ids=group_ids, time_at_least=time_at_least)

    def exists(self, keys: Sequence[str]) -> list[bool]:
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            part = list(keys[start : start + 500])
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT key FROM records WHERE namespace = ? AND key IN ({marks})",
                [self.namespace, *part],
            )
            found.update(r[0] for r in rows)
        return [k in found for k in keys]

    async def aexists(self, keys: Sequence[str]) -> list[bool]:
        return self.exists(keys)

    def list_keys(
        self,
        *,
        before: float | None = None,
        after: float | None = None,
        group_ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[str]:
        sql = "SELECT key FROM records WHERE namespace = ?"
        args: list[object] = [self.namespace]
        if before is not None:
            sql += " AND updated_at < ?"
            args.append(before)
        if after is not None:
            sql += " AND updated_at > ?"
            args.append(after)
        if group_ids is not None:
            sql += f" AND group_id IN ({','.join('?' * len(group_ids))})"
            args.extend(group_ids)
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        return [r[0] for r in self._db.execute(sql, args)]

    async def alist_keys(
        self,
        *,
        before: float | None = None,
        after: float | None = None,
        group_ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[str]:
        return self.list_keys(before=before, after=after, group_ids=group_ids, limit=limit)

    def delete_keys(self, keys: Sequence[str]) -> None:
        with self._transaction() as db:
            db.executemany(
                "DELETE FROM records WHERE namespace = ? AND key = ?",
                [(self.namespace, k) for k in keys],
            )

    async def adelete_keys(self, keys: Sequence[str]) -> None:
        self.delete_keys(keys)

    def close(self) -> None:
        self._db.close()
