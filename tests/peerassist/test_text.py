"""A member's text made one clean line before any rule reads it."""

from __future__ import annotations

from peerassist.text import single_line


def test_single_line_joins_lines_drops_control_characters_and_plain_apostrophes() -> None:
    assert single_line("Who’s the ethicist\n on the\tAIOC?\x00") == "Who's the ethicist on the AIOC?"
