"""The SQLite record manager keeps LangChain's RecordManager contract, one transaction per write."""

from __future__ import annotations

import pytest

from ingest.records import SQLiteRecordManager


@pytest.fixture
def records(tmp_path):
    manager = SQLiteRecordManager("kb-1", tmp_path / "records.sqlite3")
    manager.create_schema()
    yield manager
    manager.close()


def test_update_exists_list_and_delete_follow_the_contract(records):
    records.update(["a", "b"], group_ids=["doc1", "doc2"])
    middle = records.get_time()
    records.update(["c"], group_ids=["doc1"])
    assert records.exists(["a", "c", "x"]) == [True, True, False]
    assert sorted(records.list_keys()) == ["a", "b", "c"]
    assert sorted(records.list_keys(group_ids=["doc1"])) == ["a", "c"]
    assert records.list_keys(after=middle) == ["c"]
    assert sorted(records.list_keys(before=middle)) == ["a", "b"]
    assert len(records.list_keys(limit=2)) == 2
    records.delete_keys(["a"])
    assert records.exists(["a", "b"]) == [False, True]
    with pytest.raises(ValueError):
        records.update(["a"], group_ids=["x", "y"])
    with pytest.raises(ValueError):
        records.update(["a"], time_at_least=records.get_time() + 1000)


def test_namespaces_are_separate_and_seeding_marks_keys_as_indexed(tmp_path):
    path = tmp_path / "records.sqlite3"
    old = SQLiteRecordManager("kb-1", path)
    old.create_schema()
    old.update(["a"], group_ids=["doc"])
    new = SQLiteRecordManager("kb-2", path)
    assert new.exists(["a"]) == [False]
    new.seed(["a", "b"], ["doc", "doc2"])
    assert new.exists(["a", "b"]) == [True, True] and sorted(new.list_keys(group_ids=["doc2"])) == ["b"]


def test_a_large_write_is_one_transaction(records):
    statements: list[str] = []
    records._db.set_trace_callback(statements.append)
    records.update([f"key-{n}" for n in range(5000)], group_ids=["doc"] * 5000)
    records.delete_keys([f"key-{n}" for n in range(2500)])
    records._db.set_trace_callback(None)
    assert [s for s in statements if s in ("BEGIN", "COMMIT")] == ["BEGIN", "COMMIT", "BEGIN", "COMMIT"]
    assert len(records.list_keys()) == 2500
