"""Text helpers shared by every layer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# C0/C1 control characters and NUL: never stored, never printed into a report or a terminal.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# Numbering or a bullet a list item's own text already starts with.
LIST_MARKER = re.compile(r"^\s*(?:[-*•▪◦]+|\d+[.)])\s+")

# "Data Protection Impact Assessment (DPIA)", "Community of Practice (CoP)": a capitalised name and, in
# brackets after it, the acronym that stands for it (the glossary finds acronyms by it, answers shorten
# headings with it).
ACRONYM_FORM = r"[A-Z][A-Za-z0-9-]{1,9}"
SPELLED_OUT = re.compile(
    rf"\b(?P<name>(?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|the|in|on|to|&)\s+)*){{1,7}})\((?P<acronym>{ACRONYM_FORM})\)"
)


def heading_path(title: str, section: str) -> str:
    """'Title > Section > Subsection', without repeating a title the section path starts with."""
    if not section or section == title:
        return title
    if section.startswith(title):
        return section
    return f"{title} > {section}"


def single_line(text: str) -> str:
    """A member's text as one clean line: control characters become spaces, whitespace runs one space, and a
    typographic apostrophe a plain one ("Who’s" from a phone keyboard reads as "Who's" to every rule)."""
    return " ".join(CONTROL.sub(" ", text).replace("’", "'").split())


def quotable_text(text: str, metadata: Mapping[str, Any]) -> str:
    """The part of a stored chunk an answer may quote (ingest/chunking.py sets the bounds): not the
    overlap a split paragraph's chunk repeats from the one before it, nor the head of a sentence the
    next chunk quotes whole."""
    start = int(metadata.get("quote_from") or 0)
    end = metadata.get("quote_to")
    return text[start : int(end) if end is not None else None]
