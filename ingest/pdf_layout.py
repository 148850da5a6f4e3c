"""The structure of a PDF page's text lines: headings, list items and paragraphs.

pypdf returns a page as the lines the page broke: a running header, a bullet glyph on a line
of its own, an item wrapped over three lines, a heading that is just a short line. As one
run of text a whole page was one passage, its sections unnamed and its checklist items run
together. These rules read the layout back from the lines alone, so they need no layout model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from typing import Literal

# How pypdf renders common bullet glyphs (a Symbol-font bullet comes out as DEL or a private-use character).
BULLETS = "\x7f\uf0b7\uf0a7•▪●◦‣∙·–"
BULLET = re.compile(rf"^[{BULLETS}]\s*")
# A list number on a line of its own ("1", "2." ...), as a bullet glyph can be: the item's text follows.
LIST_NUMBER = re.compile(r"^(\d{1,2})[.)]?$")
PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
ENDS_COMPLETE = re.compile(r"[.!?:;][\"”’')\]]*$")
# "Section B - Regulation and evidence", "Part 2: Data": a heading the shorter headings after it belong to.
MAJOR_HEADING = re.compile(r"^(?:section|part|chapter|appendix)\s+[\w.]+\b", re.IGNORECASE)
HEADING_WORDS = 10
# A line this much shorter than the page's longest ended where its author ended it, not where the page wrapped.
SHORT_LINE = 0.8
# Three or more "headings" in a row are a flattened table's cells ("Role", "Name", "Date"), not headings.
MAX_HEADINGS_IN_A_ROW = 2

Kind = Literal["heading", "item", "text"]


@dataclass
class Block:
    kind: Kind
    text: str
    page: int
    depth: int = 1  # headings: 1 for a major heading (or any, without one above), 2 under a major heading
    number: int | None = None  # an item of a numbered list


def document_blocks(pages: list[str]) -> list[Block]:
    """Every page's text (as pypdf extracted it) as headings, list items and paragraphs, in order."""
    lines = [[line.strip() for line in text.splitlines()] for text in pages]
    running = running_lines(lines)
    numbered: list[int] = []  # the list numbers so far: a list may run on over a page break
    return _headings_in_context(
        [block for number, page in enumerate(lines, 1) for block in page_blocks(page, running, number, numbered)]
    )


def running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits masked) that open or close most pages: the running header and footer."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        # (three words at least: a bullet or a bare "Step 1" that opens every page is content, not a header)
        edges = {_masked(line) for line in [*lines[:3], *lines[-3:]] if len(re.findall(r"[^\W\d]{2,}", line)) >= 3}
        for line in edges:
            counts[line] = counts.get(line, 0) + 1
    return {line for line, n in counts.items() if n >= max(2, len(pages) / 2)}


def page_blocks(lines: list[str], running: set[str], page: int, numbered: list[int]) -> list[Block]:
    """A page's lines (stripped, in order) as headings, list items and paragraphs (`numbered`: the list numbers
    so far, which this page's list may continue and adds to)."""
    last = len(lines) - 1
    at_edge = [i < 2 or i > last - 2 for i in range(len(lines))]
    kept = [(line, edge) for line, edge in zip(lines, at_edge, strict=True) if line and _masked(line) not in running]
    width = max((len(line) for line, _ in kept), default=0)
    blocks: list[Block] = []
    open_block: Block | None = None
    previous = ""
    for line, edge in kept:
        if PAGE_NUMBER.match(line) and edge and (line == str(page) or not _continues(line, numbered)):
            continue  # the page's number, not the next number of a list under way
        # A line after a finished sentence starts something new if that sentence's line was short (the author
        # ended it) or the line itself is a heading; after a long one it may be the paragraph's next sentence.
        # A list item ends at its short last line, finished or not ("- Check the dose").
        short = len(previous) < SHORT_LINE * width
        ended = bool(ENDS_COMPLETE.search(previous))
        after_a_break = not previous or (ended and (short or _looks_like_heading(line)))
        item_ended = open_block is not None and open_block.kind == "item" and bool(open_block.text) and short
        list_number = LIST_NUMBER.match(line)
        if BULLET.match(line):
            open_block = Block("item", BULLET.sub("", line), page)
            blocks.append(open_block)
        elif list_number and (int(list_number.group(1)) == 1 or _continues(line, numbered)):
            # "1" alone on a line, then the item: a numbered list, not a heading "1" over a paragraph
            numbered.append(int(list_number.group(1)))
            open_block = Block("item", "", page, number=numbered[-1])
            blocks.append(open_block)
        elif _looks_like_heading(line) and (
            open_block is None or after_a_break or item_ended or open_block.kind == "heading" or MAJOR_HEADING.match(line)
        ):
            open_block = Block("heading", line, page)
            blocks.append(open_block)
        elif open_block is not None and open_block.kind != "heading" and not open_block.text:
            open_block.text = line  # the text of a bullet that stood on a line of its own
        elif open_block is not None and open_block.kind != "heading" and not (after_a_break or item_ended):
            open_block.text = f"{open_block.text} {line}"
        else:
            open_block = Block("text", line, page)
            blocks.append(open_block)
        previous = line
    return blocks


def _continues(line: str, numbered: list[int]) -> bool:
    """The line is the next number of the list under way."""
    found = LIST_NUMBER.match(line)
    return bool(found and numbered and int(found.group(1)) == numbered[-1] + 1)


def _looks_like_heading(line: str) -> bool:
    return (
        len(line.split()) <= HEADING_WORDS
        and not ENDS_COMPLETE.search(line)
        and not line.endswith(",")
        and (line[0].isupper() or line[0].isdigit())
    )


def _headings_in_context(blocks: list[Block]) -> list[Block]:
    """Runs of too many headings (and headings with nothing after them) become text; each heading gets its depth."""
    runs = [list(run) for _, run in groupby(blocks, key=lambda block: block.kind == "heading")]
    result: list[Block] = []
    for n, run in enumerate(runs):
        flattened_table = len(run) > MAX_HEADINGS_IN_A_ROW and not MAJOR_HEADING.match(run[0].text)
        if run[0].kind == "heading" and (flattened_table or n == len(runs) - 1):
            result.append(Block("text", "; ".join(block.text for block in run), run[0].page))
        else:
            result.extend(run)
    major = False
    for block in result:
        if block.kind == "heading":
            is_major = bool(MAJOR_HEADING.match(block.text))
            block.depth = 1 if is_major or not major else 2
            major = major or is_major
    return [block for block in result if block.text]


def _masked(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))
