"""Document loading, validation (every problem of a file, with its line) and chunking."""

from __future__ import annotations

import pytest

from assistant.chunking import alignment_errors, chunk_document, split_sentences
from assistant.directory import load_directory
from assistant.errors import KnowledgeError
from assistant.schema import DocumentErrors, is_home_page, load_documents, parse_document
from ingest import IngestFailed, plan

from .conftest import KNOWLEDGE, document, settings_for

DIRECTORY = load_directory(KNOWLEDGE / "directory.yaml")


def test_every_document_in_the_knowledge_base_validates(tmp_path):
    work = plan(settings_for(tmp_path))
    assert len(work.documents) >= 100
    assert len(work.chunks) > len(work.documents)


def errors_for(text: str) -> list[KnowledgeError]:
    with pytest.raises(DocumentErrors) as caught:
        parse_document(text, "knowledge/law/x.md", DIRECTORY)
    return caught.value.errors


def test_a_section_cites_the_page_that_names_its_heading_and_the_others_the_first_page():
    text = document("good-doc", "Intro.\n\n## First?\n\nOne.\n\n## Second?\n\nTwo.").replace(
        "    url: https://example.org/source\n",
        "    url: https://example.org/source\n  - title: Second page\n    url: https://example.org/second\n"
        '    sections: ["Second?"]\n',
    )
    chunks = chunk_document(parse_document(text, "law/x.md", DIRECTORY))
    assert [c.sources[0].url for c in chunks] == [
        "https://example.org/source", "https://example.org/source", "https://example.org/second",
    ]  # fmt: skip
    assert all(len(c.sources) == 2 for c in chunks)  # the other page stays, for the LLM's grounds


def error_for(text: str) -> KnowledgeError:
    return errors_for(text)[0]


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
        (("url: https://example.org/source", "url: https://www.cga.ct.gov"), 7, "is a home page"),
        (("url: https://example.org/source", "url: https://portal.ct.gov/dmhas"), 7, "is a home page"),
        (("language: en", "language: fr"), 5, "unknown language"),
        (("id: good-doc", "id: Good Doc!"), 2, "must be lowercase"),
        (("topics: [law]", "topics: [law]\ncolour: red"), 5, "unknown key 'colour'"),
        (
            ("url: https://example.org/source", 'url: https://example.org/source\n    sections: ["No such?"]'),
            10,
            "'No such?' is not a ## heading",
        ),
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


def test_every_problem_of_a_file_is_reported_at_once():
    bad = GOOD.replace("status: verified", "status: maybe").replace("language: en", "language: fr")
    bad = bad.replace("review_by: 2099-01-01", "review_by: soon")
    problems = [e.problem for e in errors_for(bad)]
    assert len(problems) == 3
    assert any("status" in p for p in problems) and any("language" in p for p in problems)
    assert any("review_by" in p for p in problems)


def test_a_home_page_is_not_a_source_but_a_page_on_a_site_is():
    assert is_home_page("https://www.cga.ct.gov") and is_home_page("https://portal.ct.gov/")
    assert is_home_page("https://portal.ct.gov/dcf") and is_home_page("https://www.211ct.org/")
    assert not is_home_page("https://www.cga.ct.gov/2022/sup/chap_952.htm")
    assert not is_home_page("https://portal.ct.gov/dmhas/programs-and-services/finding-services/crisis-services")
    assert not is_home_page("https://slsct.org/node/297")


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("![x](https://tracker.example/p.png)", "an image"),
        ("[click](javascript:alert(1))", "not an http(s) URL"),
        ("[mail](mailto:someone@example.org)", "not an http(s) URL"),
        ('<img src="https://tracker.example/p.png">', "raw HTML"),
        ("<script>alert(1)</script>", "raw HTML"),
    ],
)
def test_images_html_and_non_web_links_are_refused_with_their_line(body, words):
    text = document("good-doc", f"## A question?\n\nA sentence.\n{body}")
    error = error_for(text)
    assert words in error.problem
    assert error.line == text.splitlines().index(body) + 1


def test_a_web_link_in_a_document_is_allowed():
    text = document("good-doc", "## A question?\n\nSee [the statute](https://www.cga.ct.gov/2022/sup/chap_952.htm).")
    assert parse_document(text, "x.md", DIRECTORY).id == "good-doc"


@pytest.mark.parametrize(
    "number", ["(860) 456-2261", "860–456–2261", "860\u2011456\u20112261", "８６０-４５６-２２６１"]
)
def test_an_unvetted_phone_number_in_any_spelling_is_refused_with_its_line(number):
    text = document("good-doc", f"## Call?\n\nCall the office.\nCall {number} today.")
    error = error_for(text)
    assert "phone number" in error.problem
    assert error.line == text.splitlines().index(f"Call {number} today.") + 1


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


def test_a_translation_must_keep_the_sections_of_its_original():
    english = parse_document(document("a", "## One?\n\nOne.\n\n## Two?\n\nTwo."), "law/a.md", DIRECTORY)
    spanish = parse_document(
        document("a-es", "## ¿Uno?\n\nUno.", language="es", extra="translation_of: a\n"), "es/a-es.md", DIRECTORY
    )
    errors = alignment_errors([english, spanish])
    assert len(errors) == 1 and errors[0].path == "es/a-es.md" and "same sections" in errors[0].problem
    assert not alignment_errors([english])


def test_every_spanish_document_has_the_sections_of_its_english_original():
    docs, errors = load_documents(KNOWLEDGE, DIRECTORY)
    assert not errors
    assert not alignment_errors(docs)
    by_id = {d.id: d for d in docs}
    for doc in (d for d in docs if d.translation_of):
        assert len(chunk_document(doc)) == len(chunk_document(by_id[doc.translation_of])), doc.id


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


def test_example_questions_must_name_a_real_section(tiny_kb):
    settings = tiny_kb()
    folder = settings.knowledge_dir / "questions"
    folder.mkdir()
    first = '"Is selling sex a crime?":\n  en: [is hooking illegal]\n'
    (folder / "selling.yaml").write_text(first + '"No such?":\n  en: [x]\n')
    with pytest.raises(IngestFailed) as caught:
        plan(settings)
    assert "questions/selling.yaml:3: no section 'No such?'" in str(caught.value)
    (folder / "selling.yaml").write_text('"Is selling sex a crime?":\n  en: [is hooking illegal]\n  es: [es delito]\n')
    work = plan(settings)
    first = next(c for c in work.chunks if c.id == "selling#0")
    assert first.questions == ("is hooking illegal", "es delito")


def test_chunks_split_on_headings_and_keep_the_document_metadata():
    doc = parse_document(
        document("good-doc", "Intro line.\n\n## First?\n\nOne. Two.\n\n## Second?\n\n- item a\n- item b"),
        "law/x.md",
        DIRECTORY,
    )
    chunks = chunk_document(doc)
    assert [c.heading for c in chunks] == ["Overview", "First?", "Second?"]
    assert [c.id for c in chunks] == ["good-doc#0", "good-doc#1", "good-doc#2"]
    assert all(c.doc_id == "good-doc" and c.sources == doc.sources and c.status == "verified" for c in chunks)
    assert chunks[2].sentences == ("item a", "item b")
    assert chunks[1].embed_text.startswith("Good Doc. First?.")
    assert chunks[1].path == "law/x.md" and doc.body.splitlines()[chunks[1].line - doc.body_line] == "## First?"


def test_a_spanish_section_pairs_with_the_english_section_it_translates():
    doc = parse_document(
        document("a-es", "## ¿Uno?\n\nUno.\n\n## ¿Dos?\n\nDos.", language="es", extra="translation_of: a\n"),
        "es/a-es.md",
        DIRECTORY,
    )
    assert [c.pair for c in chunk_document(doc)] == ["a#0", "a#1"]


def test_sentences_split_on_sentence_ends_only():
    text = "Call 2-1-1 now. It is free (CGS 53a-82). Then call 1-888-373-7888? Yes."
    assert split_sentences(text) == ("Call 2-1-1 now.", "It is free (CGS 53a-82).", "Then call 1-888-373-7888?", "Yes.")


def test_abbreviations_do_not_end_a_sentence():
    text = "This assistant has no record of Community Health Center, Inc. (CHC) in town. Call 2-1-1."
    assert split_sentences(text) == (
        "This assistant has no record of Community Health Center, Inc. (CHC) in town.",
        "Call 2-1-1.",
    )
