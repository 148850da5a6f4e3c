"""Shared text helpers: a member's text made one clean line before any rule reads it; names and their acronyms."""

from __future__ import annotations

import pytest

from peerassist.text import SPELLED_OUT, single_line, spelled_out_acronyms


def test_single_line_joins_lines_drops_control_characters_and_plain_apostrophes() -> None:
    assert single_line("Who’s the ethicist\n on the\tAIOC?\x00") == "Who's the ethicist on the AIOC?"


@pytest.mark.parametrize(
    ("text", "name", "acronym"),
    [
        ("When do I need a Data Protection Impact Assessment (DPIA)?", "Data Protection Impact Assessment", "DPIA"),
        ("the Community of Practice (CoP) meets monthly", "Community of Practice", "CoP"),
        ("the Patient and Public Involvement (PPI) panel", "Patient and Public Involvement", "PPI"),
        ("wards for Coronavirus Disease (COVID-19) patients", "Coronavirus Disease", "COVID-19"),
        ("Positive Predictive Value, PPV, was 24%", None, None),  # not in brackets: not spelled out
        ("the ward (7A) was first", None, None),  # a bracketed code after a lower-case word names nothing
    ],
)
def test_spelled_out_finds_a_name_and_its_acronym(text: str, name: str | None, acronym: str | None) -> None:
    found = SPELLED_OUT.search(text)
    assert (found and (found["name"].strip(), found["acronym"])) == ((name, acronym) if name else None)


def test_spelled_out_acronyms_are_cut_to_the_words_that_spell_them() -> None:
    text = ("The AI in Clinical Practice Community of Practice (CoP) meets monthly under Regulation (EU) 2024/1689 "
            "with the Patient and Public Involvement (PPI) panel.")
    assert list(spelled_out_acronyms(text)) == [("Community of Practice", "CoP"), ("Patient and Public Involvement", "PPI")]
    # an acronym inside the name spells its letters whole
    assert list(spelled_out_acronyms("papers for the AI Oversight Committee (AIOC)")) == [("AI Oversight Committee", "AIOC")]
