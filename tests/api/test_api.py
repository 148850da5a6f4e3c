"""Every endpoint, role and limit, against a real app over a real index (embedded Chroma, SQLite)."""

from __future__ import annotations

import json

import pytest
from httpx_sse import connect_sse

from peerassist.api.app import create_app
from peerassist.db import Feedback
from tests.api.conftest import Api, build_api
from tests.llm_server import chat_server


def test_keys_are_required_checked_and_origin_bound(api: Api) -> None:
    body = {"question": "Which room do we meet in?"}
    assert api.client.post("/api/ask", json=body).json() == {"detail": "missing API key: send 'Authorization: Bearer KEY'"}
    assert api.client.post("/api/ask", json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    widget = {"Authorization": f"Bearer {api.keys['widget']}"}
    assert api.client.post("/api/ask", json=body, headers=widget | {"Origin": "https://intranet.example.org"}).status_code == 200
    denied = api.client.post("/api/ask", json=body, headers=widget | {"Origin": "https://evil.example.com"})
    assert denied.status_code == 403 and "not allowed from origin https://evil.example.com" in denied.json()["detail"]


def test_ask_answers_with_citations_and_a_query_id(api: Api) -> None:
    answer = api.client.post("/api/ask", json={"question": "Which room do we meet in?"}, headers=api.headers()).json()
    assert answer["answered"] and "Room 4B" in answer["answer"] and answer["query_id"]
    assert answer["citations"][0]["title"] == "Charter" and answer["conversation_id"] == answer["query_id"]
    off = api.client.post("/api/ask", json={"question": "Best pizza in Naples?"}, headers=api.headers()).json()
    assert not off["answered"] and off["citations"] == [] and off["related"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [({"question": ""}, "question"), ({"question": "x" * 1200}, "limit is 1000"), ({"question": "Q?", "retriever": "magic"}, "unknown retriever"),
     ({"question": "?!"}, "no words")],
)
def test_bad_questions_get_422_naming_the_problem(api: Api, body: dict, problem: str) -> None:  # type: ignore[type-arg]
    response = api.client.post("/api/ask", json=body, headers=api.headers())
    assert response.status_code == 422 and problem in response.json()["detail"]


def test_stream_parsed_by_a_real_sse_client(api: Api) -> None:
    with connect_sse(api.client, "POST", "/api/ask/stream", json={"question": "Which room do we meet in?"},
                     headers=api.headers()) as source:
        events = [(e.event, json.loads(e.data)) for e in source.iter_sse()]
    names = [name for name, _ in events]
    assert names[0] == "answer" and names[-3:] == ["citations", "parts", "done"]
    text = "".join(data["text"] for name, data in events if name == "answer")
    assert "Room 4B" in text and "[1]" in text
    parts = dict(events)["parts"]
    assert parts and all(line["text"] in text and f"[{line['n']}]" in text for part in parts for line in part["lines"])
    done = events[-1][1]
    assert done["answered"] is True and done["query_id"] and 0 <= done["confidence"] <= 1


def test_feedback_is_one_changeable_vote_per_query_and_asker(api: Api) -> None:
    answer = api.client.post("/api/ask", json={"question": "Which room do we meet in?", "client_id": "tab-1"},
                             headers=api.headers()).json()
    vote = {"query_id": answer["query_id"], "helpful": True, "client_id": "tab-1"}
    assert api.client.post("/api/feedback", json=vote, headers=api.headers()).status_code == 200
    changed = api.client.post("/api/feedback", json=vote | {"helpful": False, "comment": "wrong room"}, headers=api.headers())
    assert changed.json() == {"query_id": answer["query_id"], "helpful": False, "comment": "wrong room"}
    with api.client.app.state.service.index.db.session() as session:  # type: ignore[attr-defined]
        votes = session.query(Feedback).filter_by(query_id=answer["query_id"]).all()
        assert [(v.helpful, v.comment) for v in votes] == [(False, "wrong room")]
    other = api.client.post("/api/feedback", json=vote | {"client_id": "someone-else"}, headers=api.headers())
    assert other.status_code == 404


def test_members_never_receive_restricted_documents_on_any_endpoint(api: Api) -> None:
    assert api.restricted
    question = {"question": "What is the training budget for 2026?"}
    member_views = [
        api.client.post("/api/ask", json=question, headers=api.headers()).text,
        api.client.post("/api/ask/stream", json=question, headers=api.headers()).text,
        api.client.get("/api/documents", headers=api.headers()).text,
        api.client.get("/api/documents?tag=internal", headers=api.headers()).text,
    ]
    for doc_id in api.restricted:
        assert all(doc_id not in view and "12,000" not in view for view in member_views)
        assert api.client.get(f"/api/documents/{doc_id}", headers=api.headers()).status_code == 404
        assert api.client.get(f"/api/documents/{doc_id}", headers=api.headers("facilitator")).status_code == 200
    facilitator = api.client.post("/api/ask", json=question, headers=api.headers("facilitator")).json()
    assert "12,000" in facilitator["answer"]


def test_document_view_has_anchored_passages(api: Api) -> None:
    documents = api.client.get("/api/documents", headers=api.headers()).json()
    charter = next(d for d in documents if d["title"] == "Charter")
    detail = api.client.get(f"/api/documents/{charter['doc_id']}", headers=api.headers()).json()
    assert detail["passages"] and all(p["chunk_id"] for p in detail["passages"])
    assert any("Room 4B" in p["text"] for p in detail["passages"])
    answer = api.client.post("/api/ask", json={"question": "Which room do we meet in?"}, headers=api.headers()).json()
    assert answer["citations"][0]["chunk_id"] in {p["chunk_id"] for p in detail["passages"]}


def test_upload_and_delete_need_facilitator_and_go_through_ingestion(api: Api) -> None:
    files = [("files", ("parking.md", b"# Parking\n\nStaff parking permits come from the estates office.\n", "text/markdown"))]
    assert api.client.post("/api/documents", files=files, headers=api.headers()).status_code == 403
    created = api.client.post("/api/documents", files=files, headers=api.headers("facilitator"))
    assert created.status_code == 201 and created.json()["added"] == 1
    answer = api.client.post("/api/ask", json={"question": "Who issues staff parking permits?"}, headers=api.headers()).json()
    assert answer["answered"] and answer["citations"][0]["title"] == "Parking"

    doc_id = answer["citations"][0]["doc_id"]
    assert api.client.delete(f"/api/documents/{doc_id}", headers=api.headers()).status_code == 403
    assert api.client.delete(f"/api/documents/{doc_id}", headers=api.headers("facilitator")).status_code == 204
    assert api.client.get(f"/api/documents/{doc_id}", headers=api.headers()).status_code == 404
    assert api.client.delete(f"/api/documents/{doc_id}", headers=api.headers("facilitator")).status_code == 404


def test_bad_uploads_are_named_and_keep_what_was_stored(api: Api) -> None:
    good = ("files", ("guide.md", b"# Guide\n\nHand hygiene comes first.\n", "text/markdown"))
    assert api.client.post("/api/documents", files=[good], headers=api.headers("facilitator")).status_code == 201
    broken = [("files", ("guide.md", b"", "text/markdown")), ("files", ("notes.exe", b"MZ\x00\x01", "application/octet-stream"))]
    response = api.client.post("/api/documents", files=broken, headers=api.headers("facilitator"))
    assert response.status_code == 422
    failed = {f["path"]: f["error"] for f in response.json()["failed"]}
    assert set(failed) == {"guide.md", "notes.exe"} and "empty" in failed["guide.md"]
    answer = api.client.post("/api/ask", json={"question": "What comes first, hand hygiene?"}, headers=api.headers()).json()
    assert "Hand hygiene comes first." in answer["answer"]  # the last good version is still served


def test_oversized_upload_is_413(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings.model_copy(update={"max_file_mb": 0.001}), kb)
    big = [("files", ("big.md", b"# Big\n\n" + b"word " * 1000, "text/markdown"))]
    response = api.client.post("/api/documents", files=big, headers=api.headers("facilitator"))
    assert response.status_code == 413 and "big.md" in response.json()["detail"]


def test_rate_limit_per_key_is_429(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings.model_copy(update={"rate_limit": "3/minute"}), kb)
    codes = [api.client.get("/api/documents", headers=api.headers()).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "rate limit exceeded: 3/minute" in api.client.get("/api/documents", headers=api.headers()).json()["detail"]
    assert api.client.get("/api/documents", headers=api.headers("facilitator")).status_code == 200  # another key


def test_errors_never_leak_internals(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("/secret/path/in/traceback")

    monkeypatch.setattr(api.client.app.state.service, "ask", explode)  # type: ignore[attr-defined]
    client = type(api.client)(api.client.app, raise_server_exceptions=False)
    response = client.post("/api/ask", json={"question": "Q?"}, headers=api.headers())
    assert response.status_code == 500 and "secret" not in response.text and "Traceback" not in response.text


def test_health_readiness_metrics_widget_and_docs(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    assert api.client.get("/readyz").json() == {"ready": True, "store": "ok", "database": "ok"}
    api.client.post("/api/ask", json={"question": "Which room do we meet in?"}, headers=api.headers())
    metrics = api.client.get("/metrics").text
    assert 'peerassist_answers_total{answered="true"}' in metrics and "peerassist_request_seconds_bucket" in metrics
    assert "textContent" in api.client.get("/widget.js").text
    page = api.client.get("/").text
    assert 'src="/widget.js" data-key="pa_' in page
    assert api.client.get("/docs").status_code == 200 and "/api/ask/stream" in api.client.get("/openapi.json").text


def test_readyz_reports_an_unreachable_store(embedded_settings) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import free_port

    app = create_app(embedded_settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{free_port()}"}))
    from fastapi.testclient import TestClient

    response = TestClient(app).get("/readyz")
    assert response.status_code == 503 and response.json()["store"].startswith("unreachable")
    with TestClient(app) as served:  # the start-up warm-up fails too, and must not stop the server
        assert served.get("/readyz").status_code == 503


def test_a_served_app_is_warm_before_its_first_request(embedded_settings, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from peerassist.ingest.pipeline import Ingestor
    from peerassist import nlp
    from peerassist.keys import create_key
    from peerassist.store import KnowledgeIndex

    Ingestor(KnowledgeIndex(embedded_settings)).run([kb])
    nlp._english.cache_clear()
    app = create_app(embedded_settings)
    service = app.state.service
    with TestClient(app) as served:  # runs the lifespan, as `peerassist serve` does
        assert nlp._english.cache_info().currsize == 1, "spaCy must be loaded at start-up"
        model = service.view.current().generation.model
        embedded: list[list[str]] = []
        original = model.embed
        monkeypatch.setattr(model, "embed", lambda batch: embedded.append(list(batch)) or original(batch))
        _, key = create_key(service.index.db, "member")
        answer = served.post("/api/ask", json={"question": "When do we meet?"}, headers={"Authorization": f"Bearer {key}"})
    assert "Room 4B" in answer.json()["answer"]
    assert embedded == [["When do we meet?"]], "the first question embedded more than itself"


def test_an_empty_knowledge_base_answers_that_it_cannot(embedded_settings) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from peerassist.keys import create_key

    app = create_app(embedded_settings)
    with TestClient(app) as served:  # the start-up warm-up over no documents must not fail either
        _, key = create_key(app.state.service.index.db, "member")
        headers = {"Authorization": f"Bearer {key}"}
        answer = served.post("/api/ask", json={"question": "How do I join?"}, headers=headers)
        streamed = served.post("/api/ask/stream", json={"question": "How do I join?"}, headers=headers)
    assert answer.status_code == 200 and answer.json()["answered"] is False and answer.json()["citations"] == []
    assert streamed.status_code == 200 and "event: done" in streamed.text


def test_onboarding_endpoint_roles_and_curation(api: Api) -> None:
    guide = api.client.get("/api/onboarding", headers=api.headers()).json()
    assert set(guide) == {"path", "glossary", "starter_questions"}
    text = json.dumps(guide)
    assert not any(doc_id in text for doc_id in api.restricted)
    assert any(g["term"] == "Model card (MC)" or "model card" in g["term"].lower() for g in guide["glossary"])
    documents = api.client.get("/api/documents", headers=api.headers()).json()
    charter = next(d for d in documents if d["title"] == "Charter")
    pins = {"doc_ids": [charter["doc_id"]]}
    assert api.client.put("/api/onboarding/path", json=pins, headers=api.headers()).status_code == 403
    assert api.client.put("/api/onboarding/path", json=pins, headers=api.headers("facilitator")).status_code == 204
    assert api.client.get("/api/onboarding", headers=api.headers()).json()["path"][0]["why"] == "pinned"
    bad = api.client.put("/api/onboarding/path", json={"doc_ids": ["nope"]}, headers=api.headers("facilitator"))
    assert bad.status_code == 422 and "nope" in bad.json()["detail"]
    term = guide["glossary"][0]["term"]
    hide = api.client.put(f"/api/onboarding/glossary/{term}", json={"hidden": True}, headers=api.headers("facilitator"))
    assert hide.status_code == 204
    assert term not in {g["term"] for g in api.client.get("/api/onboarding", headers=api.headers()).json()["glossary"]}


def test_stream_forwards_llm_tokens_then_the_checked_text_and_each_retraction(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    reply = "We meet on the second Tuesday of each month in Room 4B [1]. Lunch is served by a celebrity chef [1]."
    with chat_server([reply]) as server:
        api = build_api(embedded_settings.model_copy(update={"llm_base_url": server.url, "llm_model": "test"}), kb)
        with connect_sse(api.client, "POST", "/api/ask/stream", json={"question": "Which room do we meet in?"},
                         headers=api.headers()) as source:
            events = [(e.event, json.loads(e.data)) for e in source.iter_sse()]
    names = [name for name, _ in events]
    assert names.count("answer") > 10, "an LLM reply streams token by token"
    assert names[names.index("checked"):] == ["checked", "retracted", "citations", "parts", "done"]
    assert "".join(data["text"] for name, data in events if name == "answer") == reply
    checked, retracted = dict(events)["checked"], dict(events)["retracted"]
    assert checked["text"] == "We meet on the second Tuesday of each month in Room 4B. [1]"
    assert retracted["sentence"] == "Lunch is served by a celebrity chef." and retracted["reason"].startswith("not supported")
