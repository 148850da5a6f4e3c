""""Who knows this?" on a small corpus with known authors, contacts and an approved community answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerassist.ingest.pipeline import Ingestor
from peerassist.insights.experts import experts, person_key
from peerassist.retriever.service import AnswerService
from peerassist.store import KnowledgeIndex
from tests.api.conftest import build_api
from tests.conftest import write_md


def corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    write_md(root / "sepsis.md", "Sepsis alert FAQ", "## What do I do when a sepsis alert fires?\n\n"
             "Review the patient within 30 minutes, repeat the observations and escalate to the doctor if the score stays high.",
             author="Siobhán Daly")
    write_md(root / "dpia.md", "Data protection guide", "## DPIAs\n\nEvery AI tool that processes patient data needs a DPIA "
             "before it goes live.\n\nFor DPIA questions contact Lorcan Fitzgerald, the data protection lead, on extension 4410.",
             author="Marek Nowak")
    write_md(root / "scribe.md", "Ambient scribe lessons", "## Interpreters\n\nThe ambient scribe was inaccurate in consultations "
             "with an interpreter, so they were excluded from the pilot.", author="Dr. Felix Adeyemi")
    return root


@pytest.fixture
def service(embedded_settings, tmp_path):  # type: ignore[no-untyped-def]
    assert not Ingestor(KnowledgeIndex(embedded_settings)).run([corpus(tmp_path / "kb")]).failed
    return AnswerService(embedded_settings, log_queries=False)


def test_authors_of_the_nearest_documents_come_first_with_why(service) -> None:  # type: ignore[no-untyped-def]
    found = experts(service, "What should a nurse do when the sepsis alert goes off?")

    assert found[0].name == "Siobhán Daly" and found[0].reasons[0] == "wrote “Sepsis alert FAQ”"
    assert len(found) <= 3


def test_people_named_as_contacts_are_suggested_beside_the_author(service) -> None:  # type: ignore[no-untyped-def]
    found = {e.name: e for e in experts(service, "Who can help me with a DPIA for a new AI tool?")}

    assert {"Lorcan Fitzgerald", "Marek Nowak"} <= set(found)
    assert found["Lorcan Fitzgerald"].reasons[0].startswith("named in “Data protection guide”: For DPIA questions contact")
    assert found["Marek Nowak"].reasons[0] == "wrote “Data protection guide”"


def test_nobody_is_suggested_for_what_no_document_is_about(service) -> None:  # type: ignore[no-untyped-def]
    assert experts(service, "Where is the best pizza in Naples?") == []


def test_titles_do_not_split_a_person() -> None:
    assert person_key("Dr. Felix  Adeyemi") == person_key("felix adeyemi") == "felix adeyemi"
    assert person_key("Prof. Dr. Helen Carberry") == "helen carberry"


def test_approved_answerers_are_suggested_and_the_endpoint_checks_roles(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    asked = api.client.post("/api/ask", json={"question": "Where can I lock my bicycle at the hospital?", "client_id": "c"}, headers=api.headers()).json()
    queued = api.client.post("/api/questions", json={"query_id": asked["query_id"], "client_id": "c"}, headers=api.headers()).json()
    answer = api.client.post(f"/api/questions/{queued['id']}/answers", json={
        "text": "Use the covered bicycle cage behind the Education Centre.", "author": "Aoife Kelly"}, headers=api.headers()).json()
    api.client.post(f"/api/questions/{queued['id']}/answers/{answer['id']}/approve", headers=api.headers("facilitator"))

    response = api.client.get("/api/insights/experts", params={"topic": "bike storage at the hospital"}, headers=api.headers("facilitator"))

    assert response.status_code == 200
    top = response.json()[0]
    assert top["name"] == "Aoife Kelly" and top["reasons"][0].startswith("answered 1 community question")
    assert api.client.get("/api/insights/experts", params={"topic": "bikes"}, headers=api.headers()).status_code == 403
    assert api.client.get("/api/insights/experts", headers=api.headers("facilitator")).status_code == 422
    missing = api.client.get("/api/insights/experts", params={"question_id": "nope"}, headers=api.headers("facilitator"))
    assert missing.status_code == 404
    by_question = api.client.get("/api/insights/experts", params={"question_id": queued["id"]}, headers=api.headers("facilitator"))
    assert by_question.status_code == 200 and by_question.json()[0]["name"] == "Aoife Kelly"
