"""Staff accounts: Argon2id, a dummy hash for unknown users, sessions per person that expire."""

from __future__ import annotations

import dataclasses
import time

import pytest

from assistant.errors import ConfigError
from assistant.staff_auth import MAX_FAILURES, StaffAuth, hash_password, load_users

from .conftest import settings_for


def test_a_users_file_of_argon2_hashes_and_a_malformed_line_named(tmp_path):
    good = tmp_path / "users"
    good.write_text(f"# staff\nana:{hash_password('clave-año')}\n\n")
    assert set(load_users(good)) == {"ana"}
    bad = tmp_path / "bad"
    bad.write_text(f"ana:{hash_password('x')}\nben:plaintext-password\n")
    with pytest.raises(ConfigError, match=r"bad:2: expected username:\$argon2id"):
        load_users(bad)


def test_login_checks_hash_unknown_users_too_and_accept_non_ascii(tmp_path):
    users = tmp_path / "users"
    users.write_text(f"ana:{hash_password('clave-año')}\n")
    auth = StaffAuth.from_settings(dataclasses.replace(settings_for(tmp_path), staff_users_file=str(users)))
    assert auth is not None
    assert auth.check("ana", "clave-año") and not auth.check("ana", "clave-ano")
    start = time.perf_counter()
    assert not auth.check("nobody", "clave-año")
    assert time.perf_counter() - start > 0.005  # the dummy hash is verified: no fast path for unknown names


def test_failures_are_limited_per_client():
    auth = StaffAuth({"ana": hash_password("x")})
    for _ in range(MAX_FAILURES):
        assert auth.retry_after("10.0.0.1") == 0
        auth.failed("10.0.0.1")
    assert auth.retry_after("10.0.0.1") > 0
    assert auth.retry_after("10.0.0.2") == 0


def test_sessions_are_per_person_and_expire():
    auth = StaffAuth({"ana": hash_password("x"), "ben": hash_password("y")}, session_seconds=0.2)
    ana, ben = auth.login("ana"), auth.login("ben")
    assert auth.user(ana) == "ana" and auth.user(ben) == "ben"
    auth.logout(ana)
    assert auth.user(ana) is None and auth.user(ben) == "ben"
    time.sleep(0.3)
    assert auth.user(ben) is None
    assert auth.user(None) is None and auth.user("forged") is None


def test_no_account_means_no_console(tmp_path):
    assert StaffAuth.from_settings(settings_for(tmp_path)) is None
