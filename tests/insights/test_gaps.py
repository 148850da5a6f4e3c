"""Knowledge gaps from a seeded query log: topics, counts, trends, and closing the loop."""

from __future__ import annotations

from peerassist.insights.gaps import recheck, topics
from peerassist.db import Feedback
from peerassist.retriever.service import AnswerService, AskOptions
from tests.conftest import write_md
from tests.insights.conftest import CANTEEN, PARKING, WIFI, seed
from tests.retriever.conftest import ingest


def test_topics_counts_and_trends_from_a_seeded_log(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    for i, q in enumerate(PARKING):
        seed(service, q, days_ago=1 + i, asker=f"p{i}")
    seed(service, PARKING[0], days_ago=40)  # the period before: parking is rising
    for q in CANTEEN:
        seed(service, q, days_ago=3, asker="c")
    for q in CANTEEN + CANTEEN[:2]:
        seed(service, q, days_ago=45)  # canteen was asked more before: falling
    unhelpful = seed(service, WIFI[0], days_ago=2, answered=True, confidence=0.95)
    seed(service, WIFI[1], days_ago=2, answered=True, confidence=0.95)  # answered well, no vote: not a gap
    with service.index.db.session() as session:
        session.add(Feedback(query_id=unhelpful, asker="a1", helpful=False))
    for q in ["Which room do we meet in?", "How do I join?"]:
        seed(service, q, days_ago=1, answered=True, confidence=0.9)  # noise: answered fine

    found = {t.label: t for t in topics(service, since_days=30)}
    by_size = sorted(found.values(), key=lambda t: -t.count)
    assert [t.count for t in by_size] == [4, 3, 1]
    parking, canteen, wifi = by_size
    # Labels are the askers' noun phrases, not lists of stems.
    assert parking.label in {"staff car park", "car park", "staff parking", "parking", "parking permit"}, parking.label
    assert "canteen" in canteen.label and "," not in canteen.label, canteen.label
    print("LABELS", [t.label for t in by_size])
    assert (parking.trend, parking.askers, parking.previous_count) == ("rising", 4, 1)
    assert (canteen.trend, canteen.previous_count) == ("falling", 5)
    assert wifi.trend == "new" and wifi.examples == [WIFI[0]]
    assert set(parking.examples) == set(PARKING)
    # Titles come from the askers' own noun phrases, not from stems.
    assert parking.suggested_title.startswith(("Staff car park:", "Car park:", "Staff parking:", "Parking:"))
    assert canteen.suggested_title.lower().startswith(("canteen:", "staff canteen:"))
    assert all(t.nearest_documents for t in by_size)


def test_small_talk_is_never_a_knowledge_gap(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    for i, q in enumerate(["hi", "Hello there!", "test", "testing", "thanks!", "who are you?", "what is it?", "?"]):
        seed(service, q, days_ago=1, asker=f"s{i}")
    for i, q in enumerate(PARKING[:2]):
        seed(service, q, days_ago=1, asker=f"p{i}")
    found = topics(service, since_days=30)
    assert [sorted(t.examples) for t in found] == [sorted(PARKING[:2])], [t.examples for t in found]


def test_a_topic_whose_answer_exists_is_flagged_not_given_a_title(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from sqlalchemy import update

    from peerassist.db import DocumentRecord, utcnow

    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    with service.index.db.session() as session:  # the documents were there before anyone asked
        session.execute(update(DocumentRecord).values(updated_at=utcnow() - timedelta(days=5)))
    for i, q in enumerate(["Which room do we meet in?", "Where do we meet each month?"]):
        seed(service, q, days_ago=1, asker=f"m{i}")  # refused, though the charter says Room 4B
    for i, q in enumerate(PARKING[:2]):
        seed(service, q, days_ago=1, asker=f"p{i}")

    found = topics(service)

    meeting = next(t for t in found if t.answer_exists)
    assert meeting.likely_document is not None and meeting.likely_document.title == "Charter"
    assert meeting.suggested_title == ""  # nothing to write: a retrieval problem
    parking = next(t for t in found if "park" in t.label)
    assert not parking.answer_exists and parking.suggested_title.endswith(": a guide for members")
    titles = {r.title.casefold() for r in service.view.current().documents.values()}
    assert all(t.suggested_title.split(":")[0].casefold() not in titles for t in found)


def test_recheck_resolves_only_what_a_new_document_answers(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    for q in PARKING[:2] + CANTEEN[:1]:
        seed(service, q, days_ago=1)
    assert recheck(service) == []  # nothing new answers them yet

    write_md(kb / "parking.md", "Staff Parking", "## Staff car park\n\nStaff park their cars in the multi-storey staff "
             "car park on Level 2; permits for the staff car park come from the estates office.")
    ingest(embedded_settings, kb)
    resolved = recheck(service)
    assert {r.resolved_title for r in resolved} == {"Staff Parking"} and len(resolved) == 2
    [parking] = [t for t in topics(service) if t.count == 2]
    assert (parking.resolved, parking.resolved_by) == (2, ["Staff Parking"])
    assert recheck(service) == []  # resolved questions are not asked again


def test_recheck_skips_a_logged_question_that_no_longer_passes_the_checks(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    """"?!" was a question once (now a usage error), and a limit can be lowered: re-asking old gaps after an
    ingest must not fail on them."""
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings.model_copy(update={"max_question_chars": 40}))
    seed(service, "?!", days_ago=1)
    seed(service, "Where can staff park their cars, and is it free at night and weekends?", days_ago=1)
    seed(service, PARKING[0], days_ago=1)
    write_md(kb / "parking.md", "Staff Parking", "## Staff car park\n\nStaff park their cars in the multi-storey staff "
             "car park on Level 2.")
    ingest(embedded_settings, kb)
    assert [r.resolved_title for r in recheck(service)] == ["Staff Parking"]


def test_the_same_old_answer_after_an_unrelated_upload_resolves_nothing(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    """A voted-down answer that comes back unchanged is not a resolution; one from the changed document is."""
    from peerassist import query_log

    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    asked = service.ask("Which room do we meet in?", AskOptions(asker="m1"))
    assert asked.answered and "Room 4B" in asked.answer
    assert query_log.record_vote(service.index.db, asked.query_id, "m1", helpful=False, comment="which floor is it on?")

    write_md(kb / "canteen.md", "Canteen", "## Opening hours\n\nThe staff canteen opens at 07:30 on weekdays.")
    ingest(embedded_settings, kb)
    assert recheck(service) == []  # the same answer from the unchanged charter: still a gap

    from peerassist.ingest.pipeline import Ingestor
    from peerassist.store import KnowledgeIndex

    Ingestor(KnowledgeIndex(embedded_settings)).run([kb], rebuild=True)  # re-embeds every document, changes none
    assert recheck(service) == []  # a rebuild is not a new answer

    write_md(kb / "charter.md", "Charter", "## Purpose\n\nWe help clinicians adopt AI safely.\n\n"
             "## Meetings\n\nWe meet on the second Tuesday of each month in Room 4B, on the fourth floor of the Education Centre.")
    ingest(embedded_settings, kb)
    [resolved] = recheck(service)
    assert resolved.query_id == asked.query_id and resolved.resolved_title == "Charter"


def test_gaps_endpoint_is_for_facilitators_and_upload_closes_the_loop(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    from tests.api.conftest import build_api

    api = build_api(embedded_settings, kb)
    service = api.client.app.state.service  # type: ignore[attr-defined]
    for q in PARKING[:2]:
        seed(service, q, days_ago=1)
    assert api.client.get("/api/insights/gaps", headers=api.headers()).status_code == 403
    [topic] = api.client.get("/api/insights/gaps", headers=api.headers("facilitator")).json()
    assert topic["count"] == 2 and topic["resolved"] == 0
    doc = b"# Staff Parking\n\nStaff park their cars in the multi-storey staff car park on Level 2.\n"
    assert api.client.post("/api/documents", files=[("files", ("parking.md", doc, "text/markdown"))],
                           headers=api.headers("facilitator")).status_code == 201
    [topic] = api.client.get("/api/insights/gaps?since=7d", headers=api.headers("facilitator")).json()
    assert topic["resolved"] == 2 and topic["resolved_by"] == ["Staff Parking"]


def test_gaps_cli_formats_and_recheck(embedded_settings, kb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io
    import json

    from typer.testing import CliRunner

    from peerassist.cli import app

    monkeypatch.setenv("PEERASSIST_DATA_DIR", str(embedded_settings.data_dir))
    ingest(embedded_settings, kb)
    service = AnswerService(embedded_settings)
    for q in CANTEEN:
        seed(service, q, days_ago=2)
    runner = CliRunner()
    as_json = json.loads(runner.invoke(app, ["gaps", "--format", "json"]).stdout)
    assert [t["count"] for t in as_json] == [3]
    rows = list(csv.reader(io.StringIO(runner.invoke(app, ["gaps", "--since", "7d", "--format", "csv"]).stdout)))
    assert rows[0][:2] == ["topic", "count"] and rows[1][1] == "3"
    table = runner.invoke(app, ["gaps", "--recheck"])
    assert table.exit_code == 0 and "canteen" in table.stdout
    assert runner.invoke(app, ["gaps", "--since", "soon"]).exit_code == 2
