"""A PDF page's lines read back into headings, list items and paragraphs (ingest/pdf_layout.py)."""

from __future__ import annotations

from peerassist.ingest.pdf_layout import document_blocks

HEADER = "Checklist v2.1 - St. Brigid's University Hospital"
PAGE_ONE = f"""{HEADER}
Page 1
Purpose and scope
This checklist must be completed for every AI tool the hospital buys, licenses or trials free of charge
or receives as a new feature of an existing contract.
Purchasing thresholds
\x7f
Under EUR 25,000: three written quotes, approved by the budget holder.
\x7f
Contracts above the EU thresholds: EU-wide tender; the Procurement Office will advise on
timelines.
Free trials are not exempt.
Section B - Regulation and evidence
Medical device status
\x7f
B1. The vendor states in writing whether the tool is a medical device."""
PAGE_TWO = f"""{HEADER}
Page 2
Section D - Contract and exit
\x7f
D1. The hospital has a right to audit the vendor.
Role
Name
Date
Project lead
Questions about this checklist: Tomás Lindqvist (aicop@stbrigids.ie)."""


def test_headings_items_and_paragraphs_come_back_from_the_lines() -> None:
    blocks = [(b.kind, b.text, b.page) for b in document_blocks([PAGE_ONE, PAGE_TWO])]

    assert ("heading", "Purpose and scope", 1) in blocks
    # a paragraph wrapped over two lines is one paragraph
    assert ("text", "This checklist must be completed for every AI tool the hospital buys, licenses or trials free "
            "of charge or receives as a new feature of an existing contract.", 1) in blocks
    # a bullet glyph on its own line opens an item; the item's wrapped line stays in it
    assert ("item", "Contracts above the EU thresholds: EU-wide tender; the Procurement Office will advise on "
            "timelines.", 1) in blocks
    # a short line after the item ends it: the paragraph after a list is not its last item
    assert ("text", "Free trials are not exempt.", 1) in blocks
    # the running header and page numbers are gone
    assert not any(HEADER in text or text.startswith("Page ") for _, text, _ in blocks)
    # a flattened table ("Role", "Name", ...) is text, not four headings
    assert ("text", "Role; Name; Date; Project lead", 2) in blocks
    assert ("text", "Questions about this checklist: Tomás Lindqvist (aicop@stbrigids.ie).", 2) in blocks


def test_a_heading_under_a_section_heading_is_a_level_below_it() -> None:
    depths = {b.text: b.depth for b in document_blocks([PAGE_ONE, PAGE_TWO]) if b.kind == "heading"}

    assert depths == {
        "Purpose and scope": 1, "Purchasing thresholds": 1, "Section B - Regulation and evidence": 1,
        "Medical device status": 2, "Section D - Contract and exit": 1,
    }

