"""The knowledge base's content rules: vetted numbers only, no known errors, translations."""

from __future__ import annotations

import re

import pytest
import yaml

from assistant.directory import digits, find_numbers, load_directory
from assistant.knowledge import knowledge_files, load_documents
from assistant.messages import CRISIS_CARDS, EXTRA_LINES, FOOTER, TEXT
from assistant.ui_text import PAGE

from .conftest import KNOWLEDGE

DIRECTORY = load_directory(KNOWLEDGE / "directory.yaml")
DOCS, ERRORS = load_documents(KNOWLEDGE, DIRECTORY)
BY_ID = {d.id: d for d in DOCS}
# The digits the probe and the fact sheet (part A) treat as the vetted set.
VETTED = {
    "8883737888",
    "8004673135",
    "8887742900",
    "8889995545",
    "8885688332",
    "8008422288",
    "8006245518",
    "8002221222",
    "8005634086",
}
# Claims of part D of the fact sheet (errors of the seed article): never anywhere.
FORBIDDEN = [
    "456-2261",
    "322 Main",
    "part of Windham PD",
    "Windham Police Department",
    "53a-82 (Patronizing",
    "53a-83 (Permitting",
    "Patronizing a Prostitute)",
    "Permitting Prostitution)",
    "class D felony",
    "subsequent offenses",
    "12%",
    "syphilis",
    "Project Safe (CHC)",
    "Harm Reduction Coalition, 322",
]


def test_the_directory_verified_set_is_exactly_the_fact_sheet_part_a():
    long_numbers = {d for d in DIRECTORY.verified_digits if len(d) == 10}
    assert long_numbers == VETTED
    assert {"911", "211", "988", "233733", "711"} <= DIRECTORY.verified_digits


def test_every_number_in_every_servable_document_is_verified():
    servable = [d for d in DOCS if d.status == "verified"]
    assert len(servable) >= 60
    for doc in servable:
        for number in find_numbers(doc.body):
            assert digits(number) in VETTED, f"{doc.path}: {number}"


@pytest.mark.parametrize("path", knowledge_files(KNOWLEDGE), ids=lambda p: p.name)
def test_no_document_repeats_a_known_error_of_the_seed_article(path):
    text = path.read_text(encoding="utf-8").lower()
    for claim in FORBIDDEN:
        assert claim.lower() not in text, f"{path.name} contains {claim!r}"


def test_the_could_not_verify_document_names_the_inventions_without_their_numbers():
    doc = BY_ID["local-not-verified"]
    assert doc.status == "verified"
    for name in ("Project Safe", "Windham Harm Reduction Coalition", "Community Health Center"):
        assert name in doc.body
    assert all(digits(n) in VETTED for n in find_numbers(doc.body))


def test_part_b_entries_are_in_the_knowledge_base_as_needs_review():
    review = {d.id for d in DOCS if d.status == "needs-review"}
    assert {
        "review-police-nonemergency",
        "review-united-services",
        "review-generations",
        "review-perception-programs",
        "review-windham-hospital",
    } <= review


def every_fixed_text() -> list[str]:
    texts = [*FOOTER.values()]
    for table in (EXTRA_LINES, TEXT):
        for language in table.values():
            texts += language.values()
    for cards in CRISIS_CARDS.values():
        for lines in cards.values():
            texts += lines
    for page in PAGE.values():
        texts += [v for v in page.values() if isinstance(v, str)]
    return texts


def test_fixed_texts_carry_only_vetted_numbers():
    for text in every_fixed_text():
        assert not DIRECTORY.unvetted(text), text


def test_every_crisis_card_puts_911_in_its_first_line():
    for language, cards in CRISIS_CARDS.items():
        assert set(cards) == {"violence", "sexual_assault", "overdose", "suicide", "child", "trafficking", "poisoning"}
        for category, lines in cards.items():
            assert "911" in lines[0], (language, category)


STATUTE = re.compile(r"\b\d+a?-\d+[a-z]?\b|\bPA \d+-\d+")


def test_spanish_documents_carry_the_same_numbers_and_statutes_as_their_english_counterpart():
    spanish = [d for d in DOCS if d.language == "es"]
    assert len(spanish) >= 25
    for doc in spanish:
        english = BY_ID[doc.translation_of]
        assert english.language == "en"
        assert {digits(n) for n in find_numbers(doc.body)} == {digits(n) for n in find_numbers(english.body)}, doc.id
        assert set(STATUTE.findall(doc.body)) == set(STATUTE.findall(english.body)), doc.id
        assert [s.url for s in doc.sources] == [s.url for s in english.sources], doc.id


def test_every_crisis_and_service_document_has_a_spanish_counterpart():
    translated = {d.translation_of for d in DOCS if d.language == "es"}
    needed = {d.id for d in DOCS if d.id.startswith("svc-") and d.language == "en"} | {
        "help-overdose",
        "help-naloxone",
        "help-treatment",
        "help-domestic-violence",
        "help-sexual-assault",
        "help-child-at-risk",
        "help-suicide-crisis",
        "help-poisoning",
        "law-selling-sex",
        "law-buying-sex",
        "law-minors-are-victims",
        "law-trafficking",
        "law-penalties",
        "law-vacatur",
        "law-not-legal-advice",
    }
    assert needed <= translated, needed - translated


def test_the_golden_set_is_large_and_points_at_servable_documents():
    questions = yaml.safe_load((KNOWLEDGE / "eval" / "golden.yaml").read_text())["questions"]
    assert len(questions) >= 80
    assert len({q["id"] for q in questions}) == len(questions)
    kinds = {q["kind"] for q in questions}
    assert kinds == {"answer", "crisis", "refusal", "unknown"}
    for q in questions:
        for doc_id in q.get("expect_docs") or []:
            assert BY_ID[doc_id].status == "verified", (q["id"], doc_id)
        for fact in q.get("expect_facts") or []:
            for number in find_numbers(fact):
                assert digits(number) in VETTED, (q["id"], number)


def test_the_synonym_map_has_no_duplicate_phrases():
    phrases = [
        line.split(":")[0].strip().strip('"')
        for line in (KNOWLEDGE / "synonyms.yaml").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", " "))
    ]
    assert len(phrases) == len(set(phrases)), {p for p in phrases if phrases.count(p) > 1}
    assert all(isinstance(v, list) for v in yaml.safe_load((KNOWLEDGE / "synonyms.yaml").read_text()).values())
