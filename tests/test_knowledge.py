"""Document loading, validation (file and line in every error) and chunking."""

from __future__ import annotations

import pytest

from assistant.directory import load_directory
from assistant.errors import KnowledgeError
from assistant.knowledge import chunk_document, load_documents, parse_document, split_sentences
from ingest import IngestFailed, plan

from .conftest import KNOWLEDGE, document, settings_for

DIRECTORY = load_directory(KNOWLEDGE / "directory.yaml")


def test_every_document_in_the_knowledge_base_validates(tmp_path):
    work = plan(settings_for(tmp_path))
    assert len(work.documents) >= 70
    assert len(work.chunks) > len(work.documents)
    assert not work.expired


def error_for(text: str) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as caught:
        parse_document(text, "knowledge/law/x.md", DIRECTORY)
    return caught.value


GOOD = document("good-doc", "## A question?\n\nA sentence about CGS 53a-82.")


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("title: Good Doc\n", ""), 1, "missing required key 'title'"),
        (("status: verified", "status: maybe"), 6, "unknown status 'maybe'"),
        (("review_by: 2099-01-01", "review_by: next year"), 11, "not a date"),
        (("last_verified: 2026-01-01", "last_verified: 2026-13-40"), 10, "not a date"),
        (("  - title: Test source\n    url: https://example.org/source\n", ""), 1, "missing required key 'sources'"),
        (("url: https://example.org/source", "url: ftp://example.org/x"), 7, "not an http(s) URL"),
        (("language: en", "language: fr"), 5, "unknown language"),
        (("id: good-doc", "id: Good Doc!"), 2, "must be lowercase"),
        (("topics: [law]", "topics: [law]\ncolour: red"), 5, "unknown key 'colour'"),
    ],
)
def test_a_bad_document_names_the_file_the_line_and_the_problem(change, line, words):
    old, new = change
    assert old in GOOD
    error = error_for(GOOD.replace(old, new))
    assert error.path == "knowledge/law/x.md"
    assert error.line == line
    assert words in error.problem
    assert str(error).startswith(f"knowledge/law/x.md:{line}: ")


def test_an_unvetted_phone_number_is_refused_with_its_line():
    text = document("good-doc", "## Call?\n\nCall the office.\nCall (860) 456-2261 today.")
    error = error_for(text)
    assert "(860) 456-2261" in error.problem
    assert error.line == text.splitlines().index("Call (860) 456-2261 today.") + 1


def test_a_needs_review_document_may_carry_a_needs_review_number():
    text = document("review-x", "## Police?\n\nThe number seen was (860) 465-3135.", status="needs-review")
    assert parse_document(text, "x.md", DIRECTORY).status == "needs-review"


def test_unclosed_frontmatter_and_bad_yaml_are_reported():
    assert "never closed" in error_for("---\nid: x\n").problem
    bad = error_for("---\nid: [unclosed\n---\nbody\n")
    assert "not valid YAML" in bad.problem and bad.line == 2


def test_spanish_documents_need_their_english_counterpart():
    text = document("x-es", "## ¿Qué?\n\nUna frase.", language="es")
    assert "translation_of" in error_for(text).problem


def test_duplicate_ids_are_refused_naming_both_files(tmp_path):
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "b.md").write_text(GOOD)
    docs, errors = load_documents(tmp_path, DIRECTORY)
    assert len(docs) == 1
    assert len(errors) == 1 and "duplicate id 'good-doc'" in str(errors[0]) and "a.md" in str(errors[0])


def test_ingest_check_lists_every_problem_at_once(tiny_kb):
    settings = tiny_kb(
        {"law/bad1.md": GOOD.replace("status: verified", "status: draft"), "law/bad2.md": "no frontmatter"}
    )
    with pytest.raises(IngestFailed) as caught:
        plan(settings)
    text = str(caught.value)
    assert "bad1.md:6: unknown status 'draft'" in text
    assert "bad2.md:1: the file must start with" in text


def test_chunks_split_on_headings_and_keep_the_document_metadata():
    doc = parse_document(
        document("good-doc", "Intro line.\n\n## First?\n\nOne. Two.\n\n## Second?\n\n- item a\n- item b"),
        "x.md",
        DIRECTORY,
    )
    chunks = chunk_document(doc)
    assert [c.heading for c in chunks] == ["Overview", "First?", "Second?"]
    assert [c.id for c in chunks] == ["good-doc#0", "good-doc#1", "good-doc#2"]
    assert all(c.doc_id == "good-doc" and c.sources == doc.sources and c.status == "verified" for c in chunks)
    assert chunks[2].sentences == ("item a", "item b")
    assert chunks[1].embed_text.startswith("Good Doc. First?.")


def test_sentences_split_on_sentence_ends_only():
    text = "Call 2-1-1 now. It is free (CGS 53a-82). Then call 1-888-373-7888? Yes."
    assert split_sentences(text) == ("Call 2-1-1 now.", "It is free (CGS 53a-82).", "Then call 1-888-373-7888?", "Yes.")


def test_abbreviations_do_not_end_a_sentence():
    text = "This assistant has no record of Community Health Center, Inc. (CHC) in town. Call 2-1-1."
    assert split_sentences(text) == (
        "This assistant has no record of Community Health Center, Inc. (CHC) in town.",
        "Call 2-1-1.",
    )
