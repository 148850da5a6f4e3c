"""`peerassist serve --workers 2`: shared state lives in the store and the database, not in a worker."""

from __future__ import annotations

import httpx

from tests.api.conftest import build_api, serve


def test_every_worker_sees_an_upload_made_through_another(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    api = build_api(embedded_settings, kb)
    with serve(embedded_settings, workers=2) as url:
        with httpx.Client(base_url=url, timeout=60) as http:
            files = [("files", ("lab.md", b"# Lab\n\nThe zebrafish lab meets on Fridays.\n", "text/markdown"))]
            assert http.post("/api/documents", files=files, headers=api.headers("facilitator")).status_code == 201
            answers = [
                http.post("/api/ask", json={"question": "When does the zebrafish lab meet?"}, headers=api.headers()).json()
                for _ in range(8)  # spread over both workers
            ]
            assert all(a["answered"] and "Fridays" in a["answer"] for a in answers)
            query_ids = {a["query_id"] for a in answers}
            vote = http.post("/api/feedback", json={"query_id": answers[0]["query_id"], "helpful": True}, headers=api.headers())
            assert vote.status_code == 200 and len(query_ids) == 8
