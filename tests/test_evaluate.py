"""Each evaluation metric on tiny hand-made inputs, and the gates CI keeps on the blind test split.

The test-split tests print only their totals: no test question or answer is ever shown, so
nothing can be tuned on them.
"""

from __future__ import annotations

import pytest

from assistant import evaluate as ev
from assistant.directory import load_directory

from .conftest import KNOWLEDGE

DIRECTORY = load_directory(KNOWLEDGE / "directory.yaml")
FOOTER = "**In danger now? Call 911.** National Human Trafficking Hotline: **1-888-373-7888** (text 233733)"


def test_hit_at_k_and_reciprocal_rank():
    ranked = ["a", "b", "c", "d", "e", "f"]
    assert ev.hit_at(ranked, ("c",), 1) is False
    assert ev.hit_at(ranked, ("c",), 5) is True
    assert ev.hit_at(ranked, ("f",), 5) is False
    assert ev.hit_at(ranked, ("x", "a"), 1) is True
    assert ev.reciprocal_rank(ranked, ("c",)) == pytest.approx(1 / 3)
    assert ev.reciprocal_rank(ranked, ("z",)) == 0.0


def test_facts_need_one_alternative_of_every_group():
    body = "Prostitution is a Class A   misdemeanor (CGS 53a-82). It can mean up to 364 days in jail. [1]"
    assert ev.facts_present(body, (("53a-82",), ("class a misdemeanor", "delito menor de clase a")))
    assert not ev.facts_present(body, (("53a-82",), ("$2,000", "2,000")))
    assert ev.facts_present(body, ())


def test_facts_ignore_accents_on_both_sides():
    assert ev.facts_present("no de otros cargos ni de órdenes de arresto existentes", (("orden", "warrant"),))
    assert ev.facts_present("no hay limite de tiempo", (("límite",),))
    assert not ev.facts_present("no de otros cargos", (("orden", "warrant"),))


def test_direct_means_the_fact_is_in_the_first_two_sentences():
    body = "Selling sex is prostitution. It is a class A misdemeanor. It can mean up to 364 days. [1]"
    assert ev.direct(body, (("class a misdemeanor",),))
    assert not ev.direct(body, (("364 days",),))


def test_repeats_and_the_disclaimer_as_body():
    assert ev.repeated_sentences("One fact. [1]\n\nOne fact. [2] Another.") == 1
    assert ev.repeated_sentences("One fact. Another fact. [1]") == 0
    assert ev.disclaimer_as_body("This is general information, not legal advice. [1]")
    assert not ev.disclaimer_as_body("Prostitution is a class A misdemeanor. [1]")


def test_footer_numbers_and_crisis_checks():
    answer = f"Prostitution is a class A misdemeanor (CGS 53a-82). [1]\n\n{FOOTER}"
    assert ev.footer_present(answer) is True
    assert ev.footer_present("Call 911.") is False
    assert ev.only_vetted_numbers(answer, DIRECTORY) is True
    assert ev.only_vetted_numbers(answer + " Call 860–456–2261.", DIRECTORY) is False
    assert ev.crisis_first("🚨 Call 911 now." + "x" * 500, "crisis") is True
    assert ev.crisis_first("x" * 500 + "911", "crisis") is False
    assert ev.crisis_first("Call 911", "answer") is False


def test_percentile_rate_and_targets():
    assert ev.percentile([10.0, 20.0, 30.0, 40.0, 50.0], 50) == 30.0
    assert ev.rate([True, False, None, True]) == pytest.approx(2 / 3)
    assert ev.rate([None]) is None
    targets = {"hit@1": (">=", 0.9), "repeats": ("==", 0), "false": ("<=", 0.02)}
    assert ev.missed({"hit@1": 0.95, "repeats": 0, "false": 0.01}, targets) == []
    assert len(ev.missed({"hit@1": 0.85, "repeats": 2, "false": 0.05}, targets)) == 3


def test_the_splits_are_loaded_with_english_document_ids(tmp_path):
    from .conftest import settings_for

    settings = settings_for(tmp_path)
    test = ev.split_cases(settings, "test")
    dev = ev.split_cases(settings, "dev")
    assert len(test) >= 150 and sum(c.language == "es" for c in test) >= 120
    assert len(dev) >= 400
    assert not any(d.endswith("-es") for c in test + dev for d in c.expect_docs)
    assert {c.kind for c in test} == {"answer", "small_talk", "off_topic", "unverified", "refusal"}


def test_the_dev_split_meets_the_answer_targets_it_was_tuned_on(assistant, kb_settings):
    outcome = ev.run_evaluation(assistant, kb_settings, "dev")
    totals = outcome.totals()
    print("\ndev split:", {k: round(v, 3) if isinstance(v, float) else v for k, v in totals.items()})
    assert totals["footer"] == 1.0 and totals["vetted_numbers"] == 1.0 and totals["crisis_first"] == 1.0
    assert totals["repeats"] == 0 and totals["disclaimer_as_body"] == 0 and totals["refusals"] == 1.0


def test_the_blind_test_split_meets_the_answer_gates(assistant, kb_settings):
    totals = ev.run_evaluation(assistant, kb_settings, "test").totals()
    print("\ntest split:", {k: round(v, 3) if isinstance(v, float) else v for k, v in totals.items()})
    assert ev.missed(totals, ev.GATES) == []


def test_crisis_detection_meets_its_gates_on_the_blind_test_split(assistant, kb_settings):
    totals = ev.crisis_detection(assistant, kb_settings, "test").totals()
    print("\ncrisis, test split:", {k: round(v, 3) if isinstance(v, float) else v for k, v in totals.items()})
    assert ev.missed(totals, ev.CRISIS_GATES) == []


def test_no_ordinary_dev_question_gets_a_card_or_a_refusal(assistant, kb_settings):
    cases = [c for c in ev.load_cases(KNOWLEDGE / "eval" / "dev" / "golden.yaml") if c.kind == "answer"]
    assert len(cases) >= 200
    wrong = [c.id for c in cases if assistant.ask(c.q, hint=c.language).rule in ("crisis", "refusal")]
    assert wrong == []
