"""Settings come from the environment, once, with clear errors."""

from __future__ import annotations

import pytest

from assistant.config import load_settings
from assistant.errors import ConfigError


def test_settings_read_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASSISTANT_PORT", "8123")
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("ASSISTANT_RELEVANCE_FLOOR", "0.5")
    settings = load_settings()
    assert settings.data_dir == tmp_path and settings.port == 8123 and settings.relevance_floor == 0.5
    assert settings.server_mode and settings.feedback_db == tmp_path / "feedback.sqlite3"


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("ASSISTANT_PORT", "seventy", "ASSISTANT_PORT must be a whole number"),
        ("ASSISTANT_RELEVANCE_FLOOR", "high", "ASSISTANT_RELEVANCE_FLOOR must be a number"),
        ("ASSISTANT_TOP_K", "0", "between 1 and 50"),
    ],
)
def test_a_bad_setting_is_a_config_error(monkeypatch, name, value, words):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=words):
        load_settings()


def test_the_password_never_shows_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "hunter2-secret")
    assert "hunter2-secret" not in repr(load_settings())
