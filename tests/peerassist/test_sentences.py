from __future__ import annotations

import pytest

from peerassist.sentences import as_sentence, split_sentences


@pytest.mark.parametrize(
    "line",
    [
        "The completed checklist is attached to the project's AI Oversight Committee (AIOC) Stage 2 submission. "
        "The project lead completes it with the Procurement Office.",
        "The meeting agreed to add a Patient and Public Involvement (PPI) Working Group, to be led by Siobhán Daly. "
        "It meets monthly.",
    ],
)
def test_a_sentence_is_not_cut_after_a_bracketed_acronym(line: str) -> None:
    """spaCy breaks after "(AIOC)"; the tail ("Stage 2 submission.") was then too short to quote and lost."""
    first, second = line.split(". ", 1)
    assert split_sentences(line) == (f"{first}.", second)


def test_sentences_still_break_at_their_punctuation_and_keep_a_short_opener() -> None:
    line = "No. BrigidGPT is approved for Green information only. Patient data is Red (never allowed)."
    assert split_sentences(line) == (
        "No. BrigidGPT is approved for Green information only.",
        "Patient data is Red (never allowed).",
    )


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("The model runs every 15 minutes", "The model runs every 15 minutes."),
        ("Is it approved?", "Is it approved?"),
        ("To request access:", "To request access:"),
        # a list item's separator is not the sentence's end: not "...sepsis;."
        ("only 14% of alerts turned out to be sepsis;", "only 14% of alerts turned out to be sepsis."),
        ("each ward was receiving 9.1 alerts per day, ", "each ward was receiving 9.1 alerts per day."),
    ],
)
def test_a_quote_reads_as_a_sentence(text: str, sentence: str) -> None:
    assert as_sentence(text) == sentence


@pytest.mark.parametrize(
    "line",
    [
        # spaCy breaks after "ext.": the room's booking lost its "a year ahead"
        "Room 4B is booked through Education Centre reception (ext. 4410) a year ahead; the 2026 bookings were confirmed "
        "on 5 December 2025.",
        "Call the IT Service Desk on ext. 5000 if the tool is down for more than an hour.",
    ],
)
def test_a_sentence_is_not_cut_after_an_abbreviation(line: str) -> None:
    assert split_sentences(f"{line} Room 4B seats 40.") == (line, "Room 4B seats 40.")
