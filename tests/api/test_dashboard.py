"""The dashboard's routes: who may see what, the key-less page, and "mark as handled"."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.insights.conftest import seed_digest_log


def test_dashboard_page_without_a_key_asks_for_one_and_shows_no_data(api: Api) -> None:
    seed_digest_log(api.client.app.state.service)  # type: ignore[attr-defined]
    page = api.client.get("/dashboard")
    assert page.status_code == 200 and 'id="key-form"' in page.text
    assert '<tr class="gap">' not in page.text and "parking" not in page.text.lower()
    assert api.client.get("/dashboard.js").headers["content-type"].startswith("text/javascript")
    assert 'href="/dashboard"' in api.client.get("/").text  # the demo page leads facilitators there


def test_dashboard_with_a_key_is_for_facilitators(api: Api) -> None:
    seed_digest_log(api.client.app.state.service)  # type: ignore[attr-defined]
    for path in ("/dashboard", "/dashboard/digest"):
        assert api.client.get(path, headers={"Authorization": "Bearer wrong"}).json()["detail"] == "unknown or revoked API key"
        denied = api.client.get(path, headers=api.headers("member"))
        assert denied.status_code == 403 and "facilitator" in denied.json()["detail"]
        shown = api.client.get(f"{path}?since=7d", headers=api.headers("facilitator"))
        assert shown.status_code == 200 and shown.text.count('<tr class="gap">') == 3
        assert "<script>window" not in shown.text and "&lt;script&gt;window.__xss=1" in shown.text
    assert api.client.get("/dashboard/digest").status_code == 401
    bad = api.client.get("/dashboard/digest?since=forever", headers=api.headers("facilitator"))
    assert bad.status_code == 422 and "forever" in bad.json()["detail"]


def test_mark_as_handled_takes_a_topic_off_the_list_and_undo_puts_it_back(api: Api) -> None:
    ids = seed_digest_log(api.client.app.state.service)  # type: ignore[attr-defined]
    topics = api.client.get("/api/insights/gaps", headers=api.headers("facilitator")).json()
    [parking] = [t for t in topics if set(t["query_ids"]) == set(ids["parking"])]
    body = {"query_ids": parking["query_ids"], "note": "wrote parking.md"}
    assert api.client.post("/api/insights/gaps/handled", json=body, headers=api.headers()).status_code == 403
    missing = api.client.post("/api/insights/gaps/handled", json={"query_ids": ["nope"]}, headers=api.headers("facilitator"))
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]
    assert api.client.post("/api/insights/gaps/handled", json={"query_ids": []}, headers=api.headers("facilitator")).status_code == 422
    done = api.client.post("/api/insights/gaps/handled", json=body, headers=api.headers("facilitator"))
    assert done.json() == {"handled": 4}
    left = api.client.get("/api/insights/gaps", headers=api.headers("facilitator")).json()
    assert len(left) == len(topics) - 1 and parking["label"] not in {t["label"] for t in left}
    undo = {"query_ids": parking["query_ids"]}
    assert api.client.post("/api/insights/gaps/unhandled", json=undo, headers=api.headers()).status_code == 403
    assert api.client.post("/api/insights/gaps/unhandled", json=undo, headers=api.headers("facilitator")).json() == {"handled": 4}
    assert len(api.client.get("/api/insights/gaps", headers=api.headers("facilitator")).json()) == len(topics)
