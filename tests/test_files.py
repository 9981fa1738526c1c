"""Atomic writes by several writers at once (two replicas warming the same cache folder)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.files import replace_atomically


def test_many_writers_of_one_file_never_fail_and_leave_one_whole_content(tmp_path: Path) -> None:
    path, errors = tmp_path / "cache" / "model.pkl", []
    contents = [bytes([n]) * 200_000 for n in range(8)]

    def writer(content: bytes) -> None:
        try:
            for _ in range(15):
                replace_atomically(path, lambda handle: handle.write(content))
        except Exception as exc:  # noqa: BLE001 - collected, asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(content,)) for content in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert path.read_bytes() in contents
    assert [p.name for p in path.parent.iterdir()] == ["model.pkl"]  # no temporary file left


def test_a_failed_write_keeps_the_old_content_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "embeddings.npz"
    path.write_bytes(b"old")

    def broken(handle) -> None:
        handle.write(b"half")
        raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"):
        replace_atomically(path, broken)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["embeddings.npz"]
