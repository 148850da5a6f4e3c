"""Text helpers shared by every layer."""

from __future__ import annotations

import re

# C0/C1 control characters and NUL: never stored, never printed into a report or a terminal.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def single_line(text: str) -> str:
    """A member's text as one clean line: control characters become spaces, whitespace runs one space."""
    return " ".join(CONTROL.sub(" ", text).split())
