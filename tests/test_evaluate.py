"""Each evaluation metric on tiny hand-made inputs, with the exact expected numbers."""

from __future__ import annotations

import dataclasses
import json

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


def test_facts_footer_numbers_crisis_and_refusal_checks():
    answer = f"Prostitution is a Class A   misdemeanor (CGS 53a-82). [1]\n\n{FOOTER}"
    assert ev.facts_found(answer, ("class a misdemeanor", "53a-82", "364 days")) == 2
    assert ev.footer_present(answer) is True
    assert ev.footer_present("Call 911.") is False
    assert ev.only_vetted_numbers(answer, DIRECTORY) is True
    assert ev.only_vetted_numbers(answer + " Call (860) 456-2261.", DIRECTORY) is False
    assert ev.crisis_first("🚨 Call 911 now." + "x" * 500, "crisis") is True
    assert ev.crisis_first("x" * 500 + "911", "crisis") is False
    assert ev.crisis_first("Call 911", "answer") is False
    assert ev.refused("refusal") and not ev.refused("answer")
    assert ev.declined("not_found") and not ev.declined("answer")


def test_percentile_and_rate():
    assert ev.percentile([10.0, 20.0, 30.0, 40.0, 50.0], 50) == 30.0
    assert ev.percentile([10.0, 20.0, 30.0, 40.0, 50.0], 95) == 50.0
    assert ev.rate([True, False, None, True]) == pytest.approx(2 / 3)
    assert ev.rate([None]) is None


def case(kind: str, hit5, rr, facts=(1, 1), **flags) -> ev.CaseResult:
    defaults = {"footer": True, "vetted": True, "crisis_ok": None, "refusal_ok": None, "scope_ok": None}
    return ev.CaseResult(
        id=f"{kind}-{rr}",
        q="q",
        kind=kind,
        rule="answer",
        ranked_docs=[],
        hit1=bool(rr == 1.0) if rr is not None else None,
        hit5=hit5,
        rr=rr,
        facts_found=facts[0],
        facts_total=facts[1],
        ms=10.0,
        **{**defaults, **flags},
    )


def test_totals_of_a_tiny_hand_made_set_are_exact():
    outcome = ev.Outcome(
        [
            case("answer", True, 1.0),
            case("answer", True, 0.5, facts=(0, 2)),
            case("answer", False, 0.0),
            case("crisis", True, 0.25, crisis_ok=True),
            case("refusal", None, None, facts=(0, 0), refusal_ok=False),
            case("unknown", None, None, facts=(0, 0), scope_ok=True, footer=False),
        ]
    )
    totals = outcome.totals()
    assert totals["questions"] == 6
    assert totals["hit@1"] == pytest.approx(1 / 4)
    assert totals["hit@5"] == pytest.approx(3 / 4)
    assert totals["mrr"] == pytest.approx((1 + 0.5 + 0 + 0.25) / 4)
    assert totals["facts"] == pytest.approx(3 / 5)
    assert totals["footer"] == pytest.approx(5 / 6)
    assert totals["crisis_first"] == 1.0 and totals["refusals"] == 0.0
    assert set(outcome.failures()) == {"hit@5 0.750 < 0.95", "footer 0.833 < 1.0", "refusals 0.000 < 1.0"}
    data = json.loads(outcome.to_json())
    assert data["totals"]["hit@5"] == pytest.approx(0.75) and len(data["cases"]) == 6
    assert "FAIL" in outcome.markdown()


def test_detection_scores_count_exactly():
    d = ev.detection_scores([True, True, False, False, True], [True, False, True, False, True], list("abcde"))
    assert (d.true_pos, d.false_pos, d.false_neg, d.true_neg) == (2, 1, 1, 1)
    assert d.precision == pytest.approx(2 / 3) and d.recall == pytest.approx(2 / 3)
    assert d.missed == ["b"] and d.false_alarms == ["c"]


def test_reports_are_written_and_compared_with_the_previous_run(tmp_path):
    good = ev.Outcome([dataclasses.replace(case("answer", True, 1.0), id="q1")], started="one")
    bad = ev.Outcome([dataclasses.replace(case("answer", False, 0.0), id="q1")], started="two")
    bad.cases[0].problems = ev.problems_of(bad.cases[0])
    _, first = ev.write_reports(good, tmp_path)
    (tmp_path / "eval-0000.json").write_text(first.read_text())  # sorts before: "previous"
    first.unlink()
    md, second = ev.write_reports(bad, tmp_path)
    text = ev.compare_with_previous(tmp_path, second)
    assert "| hit@5 | 1.000 | 0.000 |" in text
    assert "new problem: expected document not in top 5" in text
    assert md.read_text().startswith("# Golden-set evaluation (two")


def test_the_golden_set_passes_every_threshold_on_the_real_pipeline(assistant, kb_settings):
    outcome = ev.run_evaluation(assistant, kb_settings)
    totals = outcome.totals()
    print("\ngolden set:", {k: round(v, 3) if isinstance(v, float) else v for k, v in totals.items()})
    assert not outcome.failures(), outcome.failures()
    assert totals["out_of_scope_declined"] >= 0.8


def test_hybrid_retrieval_beats_dense_only_and_keyword_only_on_the_golden_set(assistant, kb_settings):
    modes = ev.retrieval_modes(assistant, kb_settings)
    print("\n" + ev.modes_markdown(modes))
    hybrid, dense, keyword = modes["hybrid"], modes["dense"], modes["keyword"]
    assert hybrid["hit@5"] >= max(dense["hit@5"], keyword["hit@5"])
    assert hybrid["mrr"] > max(dense["mrr"], keyword["mrr"])
