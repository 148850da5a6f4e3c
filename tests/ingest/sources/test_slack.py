"""A Slack export written by the test becomes one document per thread, with its people."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from peerassist.retriever.service import AnswerService, AskOptions
from tests.ingest.sources.conftest import chunk_texts, documents

USERS = [
    {"id": "U1", "name": "aoife", "real_name": "Aoife Kelly"},
    {"id": "U2", "name": "marek", "real_name": "Marek Nowak"},
    {"id": "U3", "name": "tomas", "profile": {"real_name": "Tomás Lindqvist"}},
]
DAY = [
    {"type": "message", "user": "U1", "ts": "1772362800.000100", "thread_ts": "1772362800.000100", "reply_count": 3,
     "text": "How do I get access to BrigidLab for a retrospective evaluation?"},
    {"type": "message", "user": "U2", "ts": "1772363000.000200", "thread_ts": "1772362800.000100",
     "text": "Email me with your project title and DPIA number, <@U1>. Access is granted within five working days."},
    {"type": "message", "user": "U3", "ts": "1772363100.000300", "thread_ts": "1772362800.000100",
     "text": "You also need the BrigidLab induction on LearnBrigid first: <https://learn.example/brigidlab|BrigidLab induction>."},
    {"type": "message", "user": "U1", "ts": "1772363200.000400", "thread_ts": "1772362800.000100", "text": ":pray: :tada:"},
    {"type": "message", "subtype": "bot_message", "bot_id": "B1", "ts": "1772363300.000500", "thread_ts": "1772362800.000100",
     "text": "Reminder bot: the CoP meeting is tomorrow at noon"},
    {"type": "message", "subtype": "channel_join", "user": "U3", "ts": "1772363400.000600", "text": "<@U3> has joined the channel"},
    {"type": "message", "user": "U3", "ts": "1772363500.000700", "text": "thanks all!"},
    {"type": "message", "user": "U2", "ts": "1772363600.000800",
     "text": "The sandbox server BrigidLab will be down for maintenance on Saturday from 08:00 to 12:00."},
]


def write_export(path: Path, day: list[dict] = DAY) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.json", json.dumps(USERS))
        archive.writestr("channels.json", json.dumps([{"id": "C42", "name": "ai-clinical-practice"}]))
        archive.writestr("ai-clinical-practice/2026-03-01.json", json.dumps(day))
    return path


def test_each_thread_becomes_a_document_with_its_people(run_source, embedded_settings, tmp_path):  # type: ignore[no-untyped-def]
    export = write_export(tmp_path / "export.zip")

    run = run_source(name="chat", kind="slack", location=str(export), tags=["chat"], url="https://brigid.slack.com")

    assert run.ok, run.errors
    docs = documents(embedded_settings)
    assert set(docs) == {
        "How do I get access to BrigidLab for a retrospective evaluation?",
        "The sandbox server BrigidLab will be down for maintenance on Saturday from 08:00 to 12:00.",
    }  # "thanks all!" alone is no thread; the join and the bot are not people talking
    thread = docs["How do I get access to BrigidLab for a retrospective evaluation?"]
    assert thread["author"] == "Marek Nowak"  # who answered most
    assert thread["contributors"] == ["Marek Nowak", "Tomás Lindqvist", "Aoife Kelly"]
    assert thread["asked_by"] == "Aoife Kelly"
    assert set(thread["tags"]) == {"chat", "ai-clinical-practice"}
    assert thread["url"] == "https://brigid.slack.com/archives/C42/p1772362800000100"
    text = " ".join(t for t, m in chunk_texts(embedded_settings) if m["title"].startswith("How do I get access"))
    assert "Marek Nowak: Email me with your project title and DPIA number, @Aoife Kelly." in text
    assert "BrigidLab induction (https://learn.example/brigidlab)" in text
    assert "Reminder bot" not in text and ":tada:" not in text and "has joined" not in text

    answer = AnswerService(embedded_settings, log_queries=False).ask("How can I get access to BrigidLab?", AskOptions())
    assert answer.answered
    assert "Email me with your project title" in answer.answer
    assert answer.citations[0].source == "https://brigid.slack.com/archives/C42/p1772362800000100"


def test_a_new_reply_replaces_its_thread_and_a_deleted_thread_is_pruned(run_source, embedded_settings, tmp_path):  # type: ignore[no-untyped-def]
    export = write_export(tmp_path / "export.zip")
    run_source(name="chat", kind="slack", location=str(export))
    before = documents(embedded_settings)

    reply = {"type": "message", "user": "U1", "ts": "1772363900.000900", "thread_ts": "1772362800.000100", "text": "Done, thanks Marek - access came through in two days."}
    write_export(export, [*DAY[:-1], reply])
    run = run_source(name="chat", kind="slack", location=str(export))

    assert run.ok and (run.counts["updated"], run.counts["deleted"], run.counts["unchanged"]) == (1, 1, 0)
    after = documents(embedded_settings)
    assert set(after) == {"How do I get access to BrigidLab for a retrospective evaluation?"}

    again = run_source(name="chat", kind="slack", location=str(export))
    assert (again.counts["unchanged"], again.counts["updated"], again.counts["added"]) == (1, 0, 0)
    assert before  # the first sync had both threads


def test_a_corrupt_zip_or_a_zip_bomb_fails_and_keeps_the_last_good_documents(run_source, embedded_settings, tmp_path):  # type: ignore[no-untyped-def]
    export = write_export(tmp_path / "export.zip")
    run_source(name="chat", kind="slack", location=str(export))
    good = documents(embedded_settings)

    export.write_bytes(b"PK\x03\x04 this is not really a zip")
    corrupt = run_source(name="chat", kind="slack", location=str(export))
    assert not corrupt.ok and "not a readable zip file" in corrupt.errors[0]["error"]

    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.json", json.dumps(USERS))
        archive.writestr("ai-clinical-practice/2026-03-02.json", b"\0" * (60 * 1024 * 1024))
    bomb = run_source(name="chat", kind="slack", location=str(export))
    assert not bomb.ok and "zip bomb" in bomb.errors[0]["error"]

    assert documents(embedded_settings) == good
