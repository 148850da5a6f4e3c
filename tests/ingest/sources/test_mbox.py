"""A mailing-list archive written by the test: threads by References, quotes and signatures stripped."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.sources.conftest import chunk_texts, documents

ARCHIVE = """\
From hannah@stbrigids.ie Mon Mar  2 09:00:00 2026
Message-ID: <root-1@stbrigids.ie>
From: Hannah Byrne <hannah@stbrigids.ie>
To: ai-cop@lists.stbrigids.ie
Subject: [ai-cop] Booking a room for AI Literacy Week sessions
Date: Mon, 2 Mar 2026 09:00:00 +0000

Does anyone know how to book the lecture theatre for the AI Literacy Week lunchtime sessions?

--
Hannah Byrne
Education and Training Working Group

From lorcan@stbrigids.ie Mon Mar  2 10:00:00 2026
Message-ID: <reply-1@stbrigids.ie>
In-Reply-To: <root-1@stbrigids.ie>
References: <root-1@stbrigids.ie>
From: Lorcan Fitzgerald <lorcan@stbrigids.ie>
Subject: Re: [ai-cop] Booking a room for AI Literacy Week sessions
Date: Mon, 2 Mar 2026 10:00:00 +0000

Book it through the Facilities portal under "Education Centre" at least three weeks ahead.

On Mon, 2 Mar 2026 at 09:00, Hannah Byrne <hannah@stbrigids.ie> wrote:
> Does anyone know how to book the lecture theatre for the AI Literacy Week lunchtime sessions?

--
Lorcan Fitzgerald | AIOC secretary

From siobhan@stbrigids.ie Mon Mar  2 11:00:00 2026
Message-ID: <reply-2@stbrigids.ie>
In-Reply-To: <reply-1@stbrigids.ie>
References: <root-1@stbrigids.ie> <reply-1@stbrigids.ie>
From: =?utf-8?q?Siobh=C3=A1n_Daly?= <siobhan@stbrigids.ie>
Subject: Re: [ai-cop] Booking a room for AI Literacy Week sessions
Date: Mon, 2 Mar 2026 11:00:00 +0000

> Book it through the Facilities portal
Catering for the sessions is ordered separately from the Hospitality desk.

Sent from my phone

From noid@stbrigids.ie Tue Mar  3 08:00:00 2026
From: Broken Header <noid@stbrigids.ie
Subject: Sepsis alert thresholds on ward 5A
Date: not a date at all

Has the sepsis alert threshold for ward 5A been agreed yet, or is it still 65 like 7A and 7B?
"""


def write_archive(path: Path, text: str = ARCHIVE) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_threads_become_documents_with_their_authors(run_source, embedded_settings, tmp_path):  # type: ignore[no-untyped-def]
    archive = write_archive(tmp_path / "ai-cop.mbox")

    run = run_source(name="list", kind="mbox", location=str(archive), tags=["mailing-list"])

    assert run.ok, run.errors
    docs = documents(embedded_settings)
    assert set(docs) == {"Booking a room for AI Literacy Week sessions", "Sepsis alert thresholds on ward 5A"}
    thread = docs["Booking a room for AI Literacy Week sessions"]
    assert thread["contributors"] == ["Lorcan Fitzgerald", "Siobhán Daly", "Hannah Byrne"]
    assert thread["author"] == "Lorcan Fitzgerald" and thread["asked_by"] == "Hannah Byrne"
    assert thread["tags"] == ["mailing-list"] and thread["date"] == "2026-03-02"
    text = " ".join(t for t, m in chunk_texts(embedded_settings) if m["title"].startswith("Booking"))
    assert "Lorcan Fitzgerald: Book it through the Facilities portal" in text
    assert "Siobhán Daly: Catering for the sessions is ordered separately" in text
    assert text.count("Does anyone know how to book") == 1  # the quote in the reply is gone
    for stripped in ("wrote:", "AIOC secretary", "Sent from my phone", "Education and Training Working Group"):
        assert stripped not in text
    # A message with a broken From header and no Message-ID is still read, as its own thread.
    assert docs["Sepsis alert thresholds on ward 5A"]["author"] == "Broken Header"


def test_an_attachment_is_parsed_like_a_file(run_source, embedded_settings, tmp_path):  # type: ignore[no-untyped-def]
    attached = """\
From marek@stbrigids.ie Wed Mar  4 09:00:00 2026
Message-ID: <att-1@stbrigids.ie>
From: Marek Nowak <marek@stbrigids.ie>
Subject: BrigidLab access checklist
Date: Wed, 4 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XYZ"

--XYZ
Content-Type: text/plain; charset=utf-8

The checklist is attached.
--XYZ
Content-Type: text/markdown; charset=utf-8
Content-Disposition: attachment; filename="brigidlab-checklist.md"

# BrigidLab access checklist

Ask your line manager to countersign the BrigidLab data-access form before you email it.
--XYZ--
"""
    run = run_source(name="list", kind="mbox", location=str(write_archive(tmp_path / "a.mbox", attached)))

    assert run.ok, run.errors
    docs = documents(embedded_settings)
    attachment = docs["brigidlab-checklist.md (attached to “BrigidLab access checklist”)"]
    assert attachment["author"] == "Marek Nowak"
    assert any("countersign the BrigidLab data-access form" in t for t, _ in chunk_texts(embedded_settings))


def test_an_attachment_cannot_widen_the_lists_audience_or_replace_its_thread(run_source, embedded_settings, tmp_path):  # type: ignore[no-untyped-def]
    attached = """\
From x@stbrigids.ie Wed Mar  4 09:00:00 2026
Message-ID: <att-2@stbrigids.ie>
From: Someone <x@stbrigids.ie>
Subject: Budget notes
Date: Wed, 4 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XYZ"

--XYZ
Content-Type: text/plain; charset=utf-8

The facilitators' budget notes for next year are attached.
--XYZ
Content-Type: text/markdown; charset=utf-8
Content-Disposition: attachment; filename="thread.md"

---
audience: [everyone]
---
# Budget

The training budget for next year is forty thousand euro.
--XYZ--
"""
    run = run_source(name="list", kind="mbox", location=str(write_archive(tmp_path / "b.mbox", attached)), audience=["facilitators"])

    assert run.ok, run.errors
    docs = documents(embedded_settings)
    assert {d["visibility"] for d in docs.values()} == {"facilitator"}  # the declared audience is a floor
    assert "Budget notes" in docs and any(title.startswith("thread.md (attached") for title in docs)


def test_a_file_that_is_not_an_mbox_fails_and_keeps_the_last_good_documents(run_source, embedded_settings, tmp_path):  # type: ignore[no-untyped-def]
    archive = write_archive(tmp_path / "ai-cop.mbox")
    run_source(name="list", kind="mbox", location=str(archive))
    good = documents(embedded_settings)

    archive.write_bytes(b"\x89PNG\r\n\x1a\n not mail at all")
    run = run_source(name="list", kind="mbox", location=str(archive))

    assert not run.ok and "no messages found" in run.errors[0]["error"]
    assert documents(embedded_settings) == good
