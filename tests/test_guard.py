"""The output guard: phone numbers in any spelling, Markdown images and links, raw HTML."""

from __future__ import annotations

import pytest

from assistant.directory import digits, find_numbers, load_directory, normalise
from assistant.guard import neutralise_markdown, strip_html

from .conftest import KNOWLEDGE

DIRECTORY = load_directory(KNOWLEDGE / "directory.yaml")


@pytest.mark.parametrize(
    "spelling",
    [
        "(860) 456-2261",
        "860-456-2261",
        "860–456–2261",  # en dashes
        "860—456—2261",  # em dashes
        "860\u2011456\u20112261",  # non-breaking hyphens
        "860\u2212456\u22122261",  # minus signs
        "８６０-４５６-２２６１",  # full-width digits
        "８６０４５６２２６１",
        "860.456.2261",
        "860 456 2261",
        "+1 860 456 2261",
        "860\u200b-456\u200b-2261",  # zero-width spaces
        "860\u00a0456\u00a02261",  # non-breaking spaces
        "456-2261",
        "860-450-7400 ext. 9999",
    ],
)
def test_an_unvetted_number_is_found_whatever_its_spelling(spelling):
    text = f"Call the clinic at {spelling} today."
    if "7400" in spelling:  # a vetted number with an extension is still the vetted number
        assert not DIRECTORY.unvetted(text)
        return
    assert DIRECTORY.unvetted(text), spelling


@pytest.mark.parametrize(
    "spelling",
    ["1-888-373-7888", "1–888–373–7888", "(888) 373-7888", "８８８-３７３-７８８８", "+1 888 373 7888", "911", "2-1-1"],
)
def test_a_vetted_number_passes_whatever_its_spelling(spelling):
    assert not DIRECTORY.unvetted(f"Call {spelling} now.")


def test_dates_statutes_amounts_and_web_addresses_are_not_numbers():
    text = (
        "On 2026-11-27, CGS 54-95c and PA 21-103 apply; fines up to $20,000; 18,149 people; "
        "see https://portal.ct.gov/office-of-the-lt-governor/news/press-releases/2020/01-2020/x"
    )
    assert find_numbers(text) == []


def test_normalising_turns_every_dash_and_digit_into_ascii():
    assert normalise("８６０–４５６\u2011２２６１") == "860-456-2261"
    assert digits("+1 (888) 373-7888") == "8883737888"


def test_markdown_images_and_foreign_links_are_neutralised_but_own_sources_stay():
    source = "https://www.cga.ct.gov/2022/sup/chap_952.htm"
    text = (
        "See ![pixel](https://tracker.example/p.png) and [click](javascript:alert(1)) "
        f"and [evil](//evil.io/p.png) and [the law]({source})."
    )
    out = neutralise_markdown(text, frozenset({source}))
    assert "tracker" not in out and "javascript" not in out and "evil.io" not in out
    assert "pixel" in out and "click" in out and f"[the law]({source})" in out


def test_html_is_stripped():
    assert "<" not in strip_html("a <script>alert(1)</script> b <b>c</b> <img src=x onerror=y>")
