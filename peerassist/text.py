"""Text helpers shared by every layer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
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


def spelled_out_acronyms(text: str) -> Iterator[tuple[str, str]]:
    """(name, acronym) of each name the text spells out before its acronym, cut to the words whose initials
    spell it ("Community of Practice" of "the AI in Clinical Practice Community of Practice (CoP)"); brackets
    after words that spell nothing ("Regulation (EU)") are skipped. The glossary and the answers share it."""
    for found in SPELLED_OUT.finditer(text):
        acronym = found["acronym"]
        if name := _name_spelling(" ".join(found["name"].split()[-len(acronym) - 3 :]), acronym):
            yield name, acronym


def _name_spelling(words: str, acronym: str) -> str | None:
    """The shortest tail of the capitalised words whose initials spell the acronym; None if none does."""
    parts = words.split()
    for start in range(len(parts) - 1, -1, -1):
        candidate = " ".join(parts[start:])
        if _initials_spell(candidate, acronym):
            return candidate if parts[start][0].isupper() else None
    return None


def _initials_spell(words: str, acronym: str) -> bool:
    """(an acronym within the name counts whole: "AI Oversight Committee" spells "AIOC")"""
    initials = "".join(w if w.isupper() else w[0] for w in words.split() if w[0].isupper())
    letters = [c for c in acronym if c.isupper()]
    it = iter(initials)
    return len(letters) >= 2 and all(c in it for c in letters)


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


# "Ends a sentence": closing punctuation (and a closing quote or bracket), space, then what opens one ...
# A question someone reported asking ("a member asked whether raising the threshold had caused missed cases"): what
# follows is the question, not a statement of the text's.
REPORTS_A_QUESTION = re.compile(r"\b(?:asked|wondered|queried|questioned)\s+(?:whether|if|how|why|when|what|who|where)\b", re.IGNORECASE)
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z])")
# ... unless the period ends an abbreviation, an initial or a dotted acronym ("St. Brigid's", "T. S. Eliot", "U.S. Army").
ABBREVIATION = re.compile(
    r"(?:^|[\s(.])(?:[A-Za-z]|St|Dr|Drs|Prof|Mr|Mrs|Ms|Mt|Jr|Sr|Rev|Gen|Col|Capt|Lt|Sgt|Hon|No|Nos|vs|etc|e\.g|i\.e|"
    r"Inc|Ltd|Co|Corp|Dept|Univ|Fig|Figs|Vol|Vols|Ch|Sec|approx|ca|cf|al|ext|Ext|tel|Tel|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$"
)
ABBREVIATION_REACH = 12  # (the longest abbreviation, with what may precede it, fits in this many characters)


def ends_with_abbreviation(text: str) -> bool:
    """The text's closing period ends an abbreviation, an initial or a dotted acronym, not a sentence."""
    return ABBREVIATION.search(text[-ABBREVIATION_REACH:]) is not None


def sentence_breaks(text: str) -> list[tuple[int, int]]:
    """(end of a sentence, start of the next) at each clear sentence break of a text, without spaCy."""
    breaks: list[tuple[int, int]] = []
    for found in SENTENCE_BREAK.finditer(text):
        if not ends_with_abbreviation(text[breaks[-1][1] if breaks else 0 : found.start()]):
            breaks.append((found.start(), found.end()))
    return breaks


def sentences_of(text: str) -> list[str]:
    """The text cut at its clear sentence breaks (`sentence_breaks`), without the space between sentences."""
    bounds = [0, *(i for pair in sentence_breaks(text) for i in pair), len(text)]
    return [text[start:end] for start, end in zip(bounds[::2], bounds[1::2], strict=True)]


def without_accents(text: str) -> str:
    """The text with its letters' accents dropped ("Hervé" -> "Herve"): how a name is often typed."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
