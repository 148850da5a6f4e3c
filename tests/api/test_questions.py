"""The community hand-off: every endpoint and role, and an approved answer closing the loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from peerassist import query_log
from peerassist.insights.summary import summarize
from tests.api.conftest import Api, build_api
from tests.conftest import free_port

QUESTION = "Where can I lock my bicycle when I cycle to the hospital?"
ANSWER = "Use the covered bicycle cage behind the Education Centre; your staff card opens it from 06:00 to 22:00."


def ask(api: Api, question: str, client_id: str, role: str = "member") -> dict:
    response = api.client.post("/api/ask", json={"question": question, "client_id": client_id}, headers=api.headers(role))
    assert response.status_code == 200, response.text
    return response.json()


def hand_off(api: Api, client_id: str = "asker-1", **extra: object) -> dict:
    asked = ask(api, QUESTION, client_id)
    assert not asked["answered"]  # the documents don't know: the case the hand-off is for
    response = api.client.post(
        "/api/questions",
        json={"query_id": asked["query_id"], "client_id": client_id, "context": "I start nights next week", **extra},
        headers=api.headers(),
    )
    assert response.status_code == 201, response.text
    return response.json() | {"query_id": asked["query_id"]}


def test_a_member_hands_off_and_sees_only_their_own_questions(api) -> None:  # type: ignore[no-untyped-def]
    queued = hand_off(api, notify="widget")

    assert (queued["status"], queued["context"], queued["wants_notice"]) == ("open", "I start nights next week", True)
    again = api.client.post("/api/questions", json={"query_id": queued["query_id"], "client_id": "asker-1"}, headers=api.headers())
    assert again.json()["id"] == queued["id"]  # handing off twice queues it once
    someone_else = api.client.post("/api/questions", json={"query_id": queued["query_id"], "client_id": "asker-2"}, headers=api.headers())
    assert someone_else.status_code == 404

    mine = api.client.get("/api/questions", params={"client_id": "asker-1"}, headers=api.headers()).json()
    theirs = api.client.get("/api/questions", params={"client_id": "asker-2"}, headers=api.headers()).json()
    everyone = api.client.get("/api/questions", params={"status": "open"}, headers=api.headers("facilitator")).json()
    assert [q["id"] for q in mine] == [queued["id"]] and theirs == []
    assert [q["question"] for q in everyone] == [QUESTION]
    assert "asker" not in everyone[0] and "notify" not in everyone[0]  # who asked is never shown

    bad = api.client.post("/api/questions", json={"query_id": queued["query_id"], "notify": "soon please"}, headers=api.headers())
    assert bad.status_code == 422 and "email address" in bad.text
    assert api.client.get("/api/questions", params={"status": "pending"}, headers=api.headers()).status_code == 422


def test_an_approved_answer_becomes_a_cited_document_resolves_its_gap_and_credits_its_author(api) -> None:  # type: ignore[no-untyped-def]
    queued = hand_off(api, notify="widget")
    charter = next(d for d, r in api.client.app.state.service.view.current().documents.items() if r.title == "Charter")

    unknown_ref = api.client.post(f"/api/questions/{queued['id']}/answers", json={"text": ANSWER, "doc_refs": ["nope"]}, headers=api.headers())
    assert unknown_ref.status_code == 422 and "nope" in unknown_ref.text
    assert api.client.post("/api/questions/missing/answers", json={"text": ANSWER}, headers=api.headers()).status_code == 404
    proposed = api.client.post(
        f"/api/questions/{queued['id']}/answers",
        json={"text": ANSWER, "doc_refs": [charter], "author": "Aoife Kelly"},
        headers=api.headers(),  # any member may answer
    )
    assert proposed.status_code == 201 and proposed.json()["status"] == "proposed"
    answer_id = proposed.json()["id"]

    path = f"/api/questions/{queued['id']}/answers/{answer_id}/approve"
    assert api.client.post(path, headers=api.headers()).status_code == 403  # a member cannot approve
    approved = api.client.post(path, json={"approver": "Tomás Lindqvist"}, headers=api.headers("facilitator"))

    assert approved.status_code == 200, approved.text
    done = approved.json()
    assert done["resolved"] and done["notified"] == "widget" and done["title"] == QUESTION
    again = ask(api, "Where do I lock my bike at the hospital?", "asker-3")
    assert again["answered"] and "bicycle cage behind the Education Centre" in again["answer"]
    assert again["citations"][0]["doc_id"] == done["doc_id"]
    assert query_log.resolutions(api.client.app.state.service.index.db)[queued["query_id"]].resolved_by == done["doc_id"]

    mine = api.client.get("/api/questions", params={"client_id": "asker-1", "status": "answered"}, headers=api.headers()).json()
    assert mine[0]["answer_doc_id"] == done["doc_id"] and mine[0]["answers"][0]["approved_by"] == "Tomás Lindqvist"
    document = api.client.get(f"/api/documents/{done['doc_id']}", headers=api.headers()).json()
    assert document["author"] == "Aoife Kelly" and "community-answer" in document["tags"]

    service = api.client.app.state.service
    from datetime import timedelta

    from peerassist.db import utcnow

    credited = {c.author: c for c in summarize(service, utcnow() - timedelta(days=1)).contributors}
    assert credited["Aoife Kelly"].approved_answers == 1 and credited["Aoife Kelly"].cited_answers >= 1

    assert api.client.post(path, headers=api.headers("facilitator")).status_code == 409  # approved once
    late = api.client.post(f"/api/questions/{queued['id']}/answers", json={"text": "Also the multistorey."}, headers=api.headers())
    assert late.status_code == 409


def test_a_facilitator_can_close_a_question_a_member_cannot(api) -> None:  # type: ignore[no-untyped-def]
    queued = hand_off(api)
    assert api.client.post(f"/api/questions/{queued['id']}/close", headers=api.headers()).status_code == 403
    closed = api.client.post(f"/api/questions/{queued['id']}/close", headers=api.headers("facilitator"))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api.client.post(f"/api/questions/{queued['id']}/close", headers=api.headers("facilitator")).status_code == 409


@contextmanager
def smtp_server() -> Iterator[tuple[int, list[str]]]:
    """A real SMTP server on loopback (the standard library's, deprecated but present in 3.11)."""
    asyncore = pytest.importorskip("asyncore")
    smtpd = pytest.importorskip("smtpd")
    received: list[str] = []

    class Collecting(smtpd.SMTPServer):
        def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):  # type: ignore[no-untyped-def]
            received.append(data.decode() if isinstance(data, bytes) else data)

    port = free_port()
    server = Collecting(("127.0.0.1", port), None)
    thread = threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.1}, daemon=True)
    thread.start()
    try:
        yield port, received
    finally:
        server.close()
        thread.join(timeout=5)


def test_the_asker_is_mailed_only_when_mail_is_configured(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    with smtp_server() as (port, received):
        api = build_api(embedded_settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"}), kb)
        queued = hand_off(api, notify="aoife@example.org")
        answer = api.client.post(f"/api/questions/{queued['id']}/answers", json={"text": ANSWER}, headers=api.headers()).json()
        done = api.client.post(f"/api/questions/{queued['id']}/answers/{answer['id']}/approve", headers=api.headers("facilitator")).json()

    assert done["notified"] == "email"
    assert len(received) == 1 and "To: aoife@example.org" in received[0] and "bicycle cage" in received[0]


def test_one_approval_at_a_time_and_a_failed_one_puts_the_question_back(api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from peerassist import community
    from peerassist.insights import community as loop

    queued = hand_off(api)
    first = api.client.post(f"/api/questions/{queued['id']}/answers", json={"text": ANSWER}, headers=api.headers()).json()
    db = api.client.app.state.service.index.db
    community.claim_for_approval(db, queued["id"], first["id"])  # an approval in progress elsewhere
    busy = api.client.post(f"/api/questions/{queued['id']}/answers/{first['id']}/approve", headers=api.headers("facilitator"))
    assert busy.status_code == 409 and "approving" in busy.json()["detail"]
    community.release(db, queued["id"])

    def store_down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("store unreachable")

    monkeypatch.setattr(loop, "_write_document", store_down)
    with pytest.raises(ConnectionError):
        loop.approve(api.client.app.state.service, queued["id"], first["id"], "Tomás")
    assert community.thread(db, queued["id"]).question.status == "open"  # back in the queue, approvable again


def test_a_follow_up_is_handed_off_as_it_stands_alone(api) -> None:  # type: ignore[no-untyped-def]
    first = ask(api, "Which room do we meet in?", "asker-9")
    follow = api.client.post("/api/ask", json={"question": "And is there bike parking near it?", "client_id": "asker-9",
                                               "conversation_id": first["conversation_id"]}, headers=api.headers()).json()
    queued = api.client.post("/api/questions", json={"query_id": follow["query_id"], "client_id": "asker-9"}, headers=api.headers()).json()

    assert queued["question"] == follow["standalone_question"] != "And is there bike parking near it?"
