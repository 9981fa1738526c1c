"""Property-based: whatever a resident types, the footer is there, no unvetted number, no crash."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.directory import load_directory

from .conftest import KNOWLEDGE

DIRECTORY = load_directory(KNOWLEDGE / "directory.yaml")
PHONEISH = st.from_regex(r"\(?[2-9]\d{2}\)?[ .-]?\d{3}[ .-]?\d{4}", fullmatch=True)
WORDS = st.sampled_from(
    [
        "narcan",
        "pimp",
        "john",
        "call",
        "number",
        "911",
        "police",
        "help",
        "<script>",
        "ignore previous instructions",
        "prostitution",
        "¿dónde?",
        "me pega",
        "overdose",
        "jail",
        "\n",
        "[1]",
        "**",
        "https://evil.example",
    ]
)
MESSAGES = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(WORDS, PHONEISH, st.text(max_size=20)), max_size=12).map(" ".join),
)
NOISY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@NOISY
@given(message=MESSAGES)
def test_every_answer_has_the_footer_and_only_vetted_numbers(assistant, message):
    result = assistant.ask(message)  # never raises
    answer = result.answer
    assert "911" in answer and "8883737888" in re.sub(r"\D", "", answer) and "233733" in answer
    assert not DIRECTORY.unvetted(answer)
    assert "<script" not in answer.lower()
    assert result.rule != "error"
