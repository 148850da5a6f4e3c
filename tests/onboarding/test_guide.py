"""Onboarding on the sample knowledge base: path, glossary, verified starter questions, audience."""

from __future__ import annotations

import pytest

from peerassist.onboarding.guide import OnboardingGuide, build, save_override, save_pins
from peerassist.db import GlossaryOverride
from peerassist.retriever.service import AskOptions


@pytest.fixture(scope="module")
def guide(sample_service):  # type: ignore[no-untyped-def]
    return build(sample_service, "member")


def restricted(service) -> set[str]:  # type: ignore[no-untyped-def]
    return {d for d, r in service.view.current().documents.items() if r.meta.get("visibility") != "member"}


def test_path_starts_with_the_onboarding_documents(guide) -> None:  # type: ignore[no-untyped-def]
    assert guide.path[0].title.startswith("Start Here")
    reasons = [entry.why for entry in guide.path]
    assert reasons[0] == "onboarding" and reasons == sorted(reasons, key=lambda w: w != "onboarding")
    assert all(entry.summary and entry.link == f"/api/documents/{entry.doc_id}" for entry in guide.path)


def test_glossary_has_known_terms_with_their_definitions_and_citations(guide, sample_service) -> None:  # type: ignore[no-untyped-def]
    by_term = {item.term: item for item in guide.glossary}
    dpia = by_term["Data Protection Impact Assessment (DPIA)"]
    assert "structured assessment" in dpia.definition and dpia.title == "Glossary of AI and Governance Terms"
    assert "approves AI tools" in by_term["AI Oversight Committee (AIOC)"].definition
    assert "CE-marked AI tool" in by_term["ChestFlag"].definition
    stored = sample_service.view.current().generation.collection.get(ids=[dpia.chunk_id])
    assert dpia.definition in stored["documents"][0]
    keys = [term.casefold() for term in by_term]
    assert len(keys) == len(set(keys)) and not any("(DPIAs)" in t for t in by_term)  # duplicates merged


def test_every_starter_question_is_answered_with_confidence(guide, sample_service) -> None:  # type: ignore[no-untyped-def]
    assert 8 <= len(guide.starter_questions) <= 12
    for starter in guide.starter_questions:
        answer = sample_service.ask(starter.question, AskOptions(log=False))
        assert answer.answered and answer.confidence >= sample_service.confidence.threshold, starter.question


def test_members_never_see_facilitator_documents(guide, sample_service) -> None:  # type: ignore[no-untyped-def]
    hidden = restricted(sample_service)
    assert hidden
    seen = {e.doc_id for e in guide.path} | {g.doc_id for g in guide.glossary} | {s.doc_id for s in guide.starter_questions}
    assert not seen & hidden


def test_facilitators_pin_the_path_and_override_the_glossary(sample_service) -> None:  # type: ignore[no-untyped-def]
    onboarding = OnboardingGuide(sample_service)
    faq = next(e for e in onboarding.get("member").path if "Frequently Asked" in e.title)
    try:
        save_pins(sample_service, [faq.doc_id])
        save_override(sample_service, "ChestFlag", None, hidden=True)
        save_override(sample_service, "Data Protection Impact Assessment (DPIA)", "Our DPIA checklist, in short.", hidden=False)
        edited = onboarding.get("member")
        assert (edited.path[0].doc_id, edited.path[0].why) == (faq.doc_id, "pinned")
        terms = {g.term: g for g in edited.glossary}
        assert "ChestFlag" not in terms
        assert terms["Data Protection Impact Assessment (DPIA)"].definition == "Our DPIA checklist, in short."
    finally:
        save_pins(sample_service, [])
        with sample_service.index.db.session() as session:
            session.query(GlossaryOverride).delete()


def test_definition_lists_definitions_and_acronyms_are_extracted() -> None:
    from peerassist.onboarding.glossary import extract
    from peerassist.store import StoredChunk

    def chunk(text: str, title: str, tags: list[str]) -> StoredChunk:
        return StoredChunk(title, text, {"doc_id": title, "title": title, "section": title, "tags": tags})

    entries = {e.term: e for e in extract([
        chunk("Silent mode: a phase where the tool runs but its output is hidden from clinicians.", "Terms", ["glossary"]),
        chunk("The Early Warning Score (EWS) flags deteriorating patients on the ward.", "Notes", []),
        chunk("A sandbox is a safe place to test tools. It is the first step.", "Guide", []),
        # Neither is vocabulary: a colleague introduced, an acronym spelled out in passing.
        chunk("Niamh is a senior pharmacist in medication safety.", "News", []),
        chunk("ChestFlag went live for Emergency Department (ED) clinicians in January.", "News", []),
    ])}
    assert entries["Silent mode"].definition.startswith("a phase where the tool runs")
    assert entries["Early Warning Score (EWS)"].kind == "acronym"
    assert entries["Sandbox"].definition == "A sandbox is a safe place to test tools."
    assert "It" not in entries and "Niamh" not in entries and "Emergency Department (ED)" not in entries


def test_an_untagged_corpus_still_gets_a_reading_path_and_sensible_starters(embedded_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from peerassist.ingest.pipeline import Ingestor
    from peerassist.retriever.service import AnswerService
    from peerassist.store import KnowledgeIndex
    from tests.conftest import write_md

    kb = tmp_path / "guild"
    kb.mkdir()
    write_md(kb / "about.md", "About the Testing Guild", "The Testing Guild is a community of testers who share "
             "practices for exploratory testing, test automation and release checks across the company.")
    write_md(kb / "automation.md", "Test automation practices", "Automated tests run on every merge request. Flaky "
             "tests are quarantined within a day and fixed by the team that owns them.")
    write_md(kb / "exploratory.md", "Exploratory testing", "Exploratory testing sessions last ninety minutes and "
             "end with a short debrief that records the bugs and the questions found.")
    write_md(kb / "faq.md", "Guild FAQ", "## What is the golden rule?\n\nThis is the principle of testing early: it "
             "comes from the charter.\n\n## How long is an exploratory testing session?\n\nExploratory testing "
             "sessions last ninety minutes, with a debrief at the end.\n\n## Who should I contact?\n\nContact the guild "
             "lead, Priya Raman, about exploratory testing sessions.\n\n## How does this work in practice?\n\nExploratory "
             "testing sessions are booked by the team that owns the release.")
    assert not Ingestor(KnowledgeIndex(embedded_settings)).run([kb]).failed

    guide = build(AnswerService(embedded_settings, log_queries=False), "member")

    assert [e.title for e in guide.path][0] == "About the Testing Guild" and guide.path[0].why == "overview"
    assert len(guide.path) == 4 and {e.why for e in guide.path[1:]} == {"central"}
    questions = [s.question for s in guide.starter_questions]
    assert "What is the golden rule?" not in questions  # its answer starts by pointing back at nothing
    assert "How long is an exploratory testing session?" in questions
    # Headings that only make sense inside their FAQ are not offered to a newcomer.
    assert "Who should I contact?" not in questions and "How does this work in practice?" not in questions
