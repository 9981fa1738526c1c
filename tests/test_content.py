"""The knowledge base's content rules: vetted numbers only, no known errors, the corrections of
the fact audit, exact sources, translations, local basic needs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from assistant.chunking import chunk_document
from assistant.directory import find_numbers, load_directory
from assistant.messages import CRISIS_CARDS, EXTRA_LINES, FOOTER, SELF_POISONING_LINE, TEXT
from assistant.schema import is_home_page, knowledge_files, load_documents
from assistant.ui_text import PAGE

from .conftest import KNOWLEDGE

DIRECTORY = load_directory(KNOWLEDGE / "directory.yaml")
DOCS, ERRORS = load_documents(KNOWLEDGE, DIRECTORY)
BY_ID = {d.id: d for d in DOCS}
SERVED = [d for d in DOCS if d.status == "verified"]
# The digits the probe and the fact sheet (parts A and A2) treat as the vetted set.
VETTED = {
    "8883737888", "8004673135", "8887742900", "8889995545", "8885688332",
    "8008422288", "8006245518", "8002221222", "8005634086",
    "8604507400", "8004533320",
}  # fmt: skip
# Claims of part D of the fact sheet (errors of the seed article): never anywhere.
FORBIDDEN = [
    "456-2261", "322 Main", "part of Windham PD", "Windham Police Department", "53a-82 (Patronizing",
    "53a-83 (Permitting", "Patronizing a Prostitute)", "class D felony",
    "subsequent offenses", "12%", "syphilis", "Project Safe (CHC)", "Harm Reduction Coalition, 322",
]  # fmt: skip


def sentences_of(doc_ids: list[str] | None = None) -> list[tuple[str, str]]:
    docs = [BY_ID[i] for i in doc_ids] if doc_ids else SERVED
    return [(d.id, s) for d in docs for c in chunk_document(d) for s in c.sentences]


def card_lines() -> list[str]:
    return [line for cards in CRISIS_CARDS.values() for lines in cards.values() for line in lines]


def test_the_knowledge_base_loads_without_errors():
    assert not ERRORS, ERRORS


def test_the_directory_verified_set_is_exactly_the_fact_sheet_parts_a_and_a2():
    long_numbers = {d for d in DIRECTORY.verified_digits if len(d) == 10}
    assert long_numbers == VETTED
    assert {"911", "211", "988", "233733", "711"} <= DIRECTORY.verified_digits


def test_local_numbers_are_reviewed_within_six_months():
    for entry_id in ("access_agency", "legal_aid"):
        entry = DIRECTORY.get(entry_id)
        assert entry.status == "verified" and entry.review_by is not None
        assert entry.review_by <= dt.date(2026, 11, 27) + dt.timedelta(days=190)


def test_every_number_in_every_servable_document_is_verified():
    assert len(SERVED) >= 90
    for doc in SERVED:
        for written, number in find_numbers(doc.body):
            assert number in VETTED | {"911", "211", "988", "711", "233733"}, f"{doc.path}: {written}"


@pytest.mark.parametrize("path", knowledge_files(KNOWLEDGE), ids=lambda p: p.name)
def test_no_document_repeats_a_known_error_of_the_seed_article(path):
    text = path.read_text(encoding="utf-8").lower()
    for claim in FORBIDDEN:
        assert claim.lower() not in text, f"{path.name} contains {claim!r}"


def test_every_served_source_is_the_page_that_states_the_fact():
    for doc in SERVED:
        for source in doc.sources:
            assert not is_home_page(source.url), (doc.id, source.url)
            assert len(source.title) > 12, (doc.id, source.title)  # a descriptive page title, shown to residents


def test_the_could_not_verify_document_names_the_inventions_without_their_numbers():
    doc = BY_ID["local-not-verified"]
    assert doc.status == "verified"
    for name in ("Project Safe", "Windham Harm Reduction Coalition", "Community Health Center"):
        assert name in doc.body
    assert all(number in VETTED | {"211", "911"} for _, number in find_numbers(doc.body))


def test_part_b_and_a2_review_items_are_in_the_knowledge_base_as_needs_review():
    review = {d.id for d in DOCS if d.status == "needs-review"}
    assert {
        "review-police-nonemergency", "review-united-services", "review-generations",
        "review-perception-programs", "review-windham-hospital", "review-access-food-pantry",
        "review-cls-willimantic",
    } <= review  # fmt: skip


# -- the corrections of the fact audit (each fails on the old wording) --------------------------


def test_the_good_samaritan_law_always_carries_its_limit():
    """Possession only, not other charges or existing warrants: in documents and crisis cards."""
    mentions = [
        (doc_id, s)
        for doc_id, s in sentences_of()
        if re.search(r"good samaritan|buen samaritano", s, re.I) and re.search(r"arrest", s, re.I)
    ]
    assert len(mentions) >= 8
    for doc_id, sentence in mentions:
        section = next(c.text for c in chunk_document(BY_ID[doc_id]) if sentence in c.sentences)
        limit = re.search(r"not (?:protect anyone )?(?:from )?other charges|otros cargos", section, re.I)
        assert limit, (doc_id, sentence)
    for language, limit in (("en", "only for drug or paraphernalia possession, not other charges or existing warrants"),
                            ("es", "solamente de ser arrestadas por posesión")):  # fmt: skip
        assert limit in " ".join(CRISIS_CARDS[language]["overdose"]), language


def test_the_overdose_card_asks_the_caller_to_say_what_is_happening():
    first = "🚨 **Call 911 now.** Say if someone is not breathing or will not wake up."
    assert CRISIS_CARDS["en"]["overdose"][0] == first


def test_naltrexone_is_never_a_no_detox_option():
    mentions = [(d, s) for d, s in sentences_of() if re.search(r"naltrex", s, re.I)]
    assert len(mentions) >= 6
    for doc_id, sentence in mentions:
        assert not re.search(r"without detox|no detox|sin (?:la )?desintox", sentence, re.I), (doc_id, sentence)
    for doc_id in {d for d, _ in mentions}:
        assert re.search(r"7 to 10 opioid-free days|7 a 10 días sin opioides", BY_ID[doc_id].body), doc_id


def test_detox_not_required_is_said_only_about_opioids_with_the_alcohol_warning():
    claims = [
        (d, s)
        for d, s in sentences_of()
        if re.search(r"detox is not a required|not a required first step|no es un primer paso obligatorio", s, re.I)
    ]
    assert claims
    for doc_id, sentence in claims:
        assert re.search(r"opioid|opioides", sentence, re.I), (doc_id, sentence)
        assert re.search(r"benzodiazepine|benzodiacepina", BY_ID[doc_id].body, re.I), doc_id


def test_the_hotline_text_line_is_english_and_spanish_only():
    card = " ".join(CRISIS_CARDS["en"]["trafficking"])
    assert re.search(r"text 233733 \(English and Spanish\)", card)
    for doc_id, sentence in sentences_of():
        if "233733" in sentence and re.search(r"\btext", sentence, re.I):
            assert "200" not in sentence or re.search(r"call", sentence, re.I), (doc_id, sentence)


@pytest.mark.parametrize("doc_id", ["help-child-at-risk", "svc-dcf-careline"])
def test_mandated_reporters_must_give_their_name_within_12_hours(doc_id):
    english, spanish = BY_ID[doc_id], BY_ID[f"{doc_id}-es"]
    assert re.search(r"within 12 hours and give their name", english.body) and "17a-101" in english.body
    assert re.search(r"12 horas y dar su nombre", spanish.body)


def test_vacatur_names_felonies_by_their_maximum_penalty():
    for doc_id in ("law-vacatur", "law-vacatur-es"):
        body = BY_ID[doc_id].body
        assert not re.search(r"sentence of up to 10 years|sentencia de hasta 10 años", body), doc_id
    assert "whose maximum penalty is 10 years or less" in BY_ID["law-vacatur"].body
    assert "cuya pena máxima es de 10 años o menos" in BY_ID["law-vacatur-es"].body


def test_the_spanish_sexual_assault_line_takes_calls_and_texts():
    assert "llamada o texto" in BY_ID["svc-sexual-assault-line-es"].body
    assert "llamada o texto" in " ".join(CRISIS_CARDS["es"]["sexual_assault"])


# -- fixed texts ----------------------------------------------------------------------------------


def every_fixed_text() -> list[str]:
    texts = [*FOOTER.values(), *SELF_POISONING_LINE.values(), *card_lines()]
    for table in (EXTRA_LINES, TEXT):
        for language in table.values():
            texts += language.values()
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


def test_every_english_text_has_a_spanish_version():
    assert set(TEXT["en"]) == set(TEXT["es"])
    assert set(EXTRA_LINES["en"]) == set(EXTRA_LINES["es"])


# -- translations -------------------------------------------------------------------------------

STATUTE = re.compile(r"\b\d+a?-\d+[a-z]?\b|\bPA \d+-\d+")


def test_spanish_documents_carry_the_same_numbers_statutes_and_sources_as_their_original():
    spanish = [d for d in DOCS if d.language == "es"]
    assert len(spanish) >= 45
    for doc in spanish:
        english = BY_ID[doc.translation_of]
        assert english.language == "en"
        assert {n for _, n in find_numbers(doc.body)} == {n for _, n in find_numbers(english.body)}, doc.id
        assert set(STATUTE.findall(doc.body)) == set(STATUTE.findall(english.body)), doc.id
        assert [s.url for s in doc.sources] == [s.url for s in english.sources], doc.id


def test_each_spanish_section_cites_the_same_page_as_the_english_section_it_translates():
    for doc in (d for d in DOCS if d.language == "es"):
        english = chunk_document(BY_ID[doc.translation_of])
        cited = [c.sources[0].url for c in chunk_document(doc)]
        assert cited == [c.sources[0].url for c in english], doc.id


def test_every_verified_english_document_has_a_spanish_translation():
    translated = {d.translation_of for d in DOCS if d.language == "es"}
    english = {d.id for d in SERVED if d.language == "en"}
    assert english <= translated, sorted(english - translated)


def test_the_dev_and_test_splits_point_at_servable_documents():
    for name in ("dev/golden.yaml", "dev/fresh.yaml", "test/answers_en.yaml", "test/answers_es.yaml"):
        questions = yaml.safe_load((KNOWLEDGE / "eval" / name).read_text())["questions"]
        assert len({q["id"] for q in questions}) == len(questions), name
        for q in questions:
            for doc_id in q.get("expect_docs") or []:
                assert BY_ID[doc_id].status == "verified", (name, q["id"], doc_id)


def test_the_synonym_maps_have_no_duplicate_phrases():
    for name in ("synonyms.yaml", "glossary-es.yaml"):
        text = (KNOWLEDGE / name).read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if line and not line.startswith(("#", " "))]
        phrases = [line.split(":")[0].strip().strip('"') for line in lines]
        assert len(phrases) == len(set(phrases)), {p for p in phrases if phrases.count(p) > 1}
        assert all(isinstance(v, list) for v in yaml.safe_load(text).values())


def test_every_example_question_list_has_six_english_and_twelve_spanish_ways_of_asking():
    for path in sorted((KNOWLEDGE / "questions").glob("*.yaml")):
        for heading, ways in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            assert len(set(ways["en"])) >= 6 and len(set(ways["es"])) >= 12, (path.name, heading)


def test_every_named_section_gate_names_a_real_section():
    raw = yaml.safe_load((KNOWLEDGE / "named-sections.yaml").read_text(encoding="utf-8"))
    for doc_id, headings in raw.items():
        text = "\n" + BY_ID[doc_id].body
        for heading, phrases in headings.items():
            assert f"\n## {heading}\n" in text, (doc_id, heading)
            assert phrases and all(isinstance(p, str) and p.strip() for p in phrases), (doc_id, heading)


def test_every_law_named_by_number_belongs_to_a_document_that_states_it():
    raw = yaml.safe_load((KNOWLEDGE / "statutes.yaml").read_text(encoding="utf-8"))
    assert "53a-82" in raw and "54-95c" in raw
    for number, doc_ids in raw.items():
        assert doc_ids and all(number in BY_ID[doc_id].body for doc_id in doc_ids), (number, doc_ids)


def test_every_help_line_named_belongs_to_a_line_document():
    raw = yaml.safe_load((KNOWLEDGE / "services.yaml").read_text(encoding="utf-8"))
    assert "988" in raw and "911" not in raw
    for name, doc_ids in raw.items():
        assert doc_ids and all(doc_id.startswith("svc-") and doc_id in BY_ID for doc_id in doc_ids), (name, doc_ids)
