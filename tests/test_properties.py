"""Property-based: whatever a resident types, the footer is there, no unvetted number, no crash.

Phone numbers are generated in every spelling the guard must see through (Unicode dashes,
full-width digits, odd spaces, invisible characters). The checks use an independent oracle:
the digits the test itself generated, read back with `unicodedata.decimal`, never the guard's
own functions.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.directory import load_directory

from .conftest import KNOWLEDGE

DIRECTORY = load_directory(KNOWLEDGE / "directory.yaml")
# Fact sheet parts A and A2, written out here (not taken from the code under test).
VETTED = {
    "8883737888", "8004673135", "8887742900", "8889995545", "8885688332", "8008422288",
    "8006245518", "8002221222", "8005634086", "8604507400", "8004533320",
}  # fmt: skip
SEPARATORS = st.sampled_from(
    ["-", " ", ".", "", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\uff0d", "\u00a0", "\u200b-",
     "\u202f"]  # fmt: skip
)
FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}


@st.composite
def phone_numbers(draw) -> tuple[str, str]:
    """(a spelling of a North American number, its ten digits)."""
    area = str(draw(st.integers(200, 999)))
    exchange = str(draw(st.integers(200, 999)))
    line = f"{draw(st.integers(0, 9999)):04d}"
    number = area + exchange + line
    sep = draw(SEPARATORS)
    text = f"{area}{sep}{exchange}{sep}{line}"
    if draw(st.booleans()):
        text = f"({area}) {exchange}{sep}{line}"
    if draw(st.booleans()):
        text = "".join(FULL_WIDTH.get(c, c) for c in text)
    return text, number


def oracle_digits(text: str) -> str:
    """Every decimal digit of the text, in order, whatever its script."""
    out = []
    for char in text:
        value = unicodedata.decimal(char, None)
        if value is not None:
            out.append(str(value))
    return "".join(out)


NOISY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(max_examples=300, deadline=None)
@given(number=phone_numbers(), before=st.text(max_size=20), after=st.text(max_size=20))
def test_the_guard_finds_every_spelling_of_an_unvetted_number(number, before, after):
    text, digits_ = number
    found = DIRECTORY.unvetted(f"{before} call {text} now {after}")
    if digits_ in VETTED:
        return
    assert found, text


@settings(max_examples=100, deadline=None)
@given(number=st.sampled_from(sorted(VETTED)), sep=SEPARATORS)
def test_a_vetted_number_in_any_spelling_passes(number, sep):
    text = f"1{sep}{number[:3]}{sep}{number[3:6]}{sep}{number[6:]}"
    assert not DIRECTORY.unvetted(f"Call {text} now.")


WORDS = st.sampled_from(
    ["narcan", "pimp", "john", "call", "number", "911", "police", "help", "<script>", "ignore previous instructions",
     "prostitution", "¿dónde?", "me pega", "overdose", "jail", "\n", "[1]", "**", "https://evil.example",
     "![x](https://tracker.example/p.png)", "[x](javascript:alert(1))"]
)  # fmt: skip
MESSAGES = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(WORDS, phone_numbers().map(lambda n: n[0]), st.text(max_size=20)), max_size=12).map(" ".join),
)


@NOISY
@given(message=MESSAGES)
def test_every_answer_has_the_footer_and_only_vetted_numbers(assistant, message):
    result = assistant.ask(message)  # never raises
    answer = result.answer
    assert "911" in answer and "8883737888" in oracle_digits(answer) and "233733" in answer
    assert not DIRECTORY.unvetted(answer)
    assert "<script" not in answer.lower() and "javascript:" not in answer and "tracker.example" not in answer
    assert result.rule != "error"


@NOISY
@given(number=phone_numbers(), words=st.sampled_from(["Call ", "the clinic is ", "número "]))
def test_an_unvetted_number_typed_by_a_resident_never_comes_back(assistant, number, words):
    text, digits_ = number
    answer = assistant.ask(f"{words}{text}, is that right?").answer
    if digits_ not in VETTED:
        assert digits_ not in oracle_digits(answer), text
