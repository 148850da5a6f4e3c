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



def test_an_unfinished_item_ends_at_its_short_line() -> None:
    page = ("Checks\n\x7f Check the dose\n\x7f Check the allergy status\nThe pharmacist reviews every order before it "
            "is given to the patient on the ward round and\nsigns the chart.\n\x7f Check the route\nSection B - Evidence\n"
            "Evidence of performance is reported for every subgroup of patients in the population that we serve.")
    blocks = [(b.kind, b.text) for b in document_blocks([page])]

    assert ("item", "Check the allergy status") in blocks
    assert ("text", "The pharmacist reviews every order before it is given to the patient on the ward round and signs "
            "the chart.") in blocks
    assert ("item", "Check the route") in blocks and ("heading", "Section B - Evidence") in blocks


def test_only_the_page_edges_lose_numbers_and_repeated_steps_stay() -> None:
    steps = {1: ("Define the question", "Agree it with the ward."), 2: ("Get access to the sandbox", "Ask the data team."),
             3: ("Build a reference standard", "Two clinicians label each case.")}
    pages = [f"Step {n}\n{name}\nWrite down what {name.lower()} means for your ward.\n{n + 40}\n{tail}\n{n}"
             for n, (name, tail) in steps.items()]
    blocks = [(b.kind, b.text) for b in document_blocks(pages)]

    # "Step 1", "Step 2", ... open every page: digits masked they are one line, but not a running header
    assert all(("heading", f"Step {n}") in blocks for n in steps)
    assert all(any(str(n + 40) in text for _, text in blocks) for n in steps)  # a number inside the page stays
    assert not any(text in {"1", "2", "3"} for _, text in blocks)  # the page numbers go


def test_nested_headings_under_a_section_are_not_a_table() -> None:
    page = "Section D - Evaluation\nD1 Overview\nPurpose\nThis part explains what the evaluation is for and who runs it."
    assert [(b.kind, b.depth) for b in document_blocks([page]) if b.kind == "heading"] == [("heading", 1), ("heading", 2), ("heading", 2)]


def test_a_list_number_on_a_line_of_its_own_opens_a_numbered_item() -> None:
    """pypdf gives a numbered list's "1" a line of its own: read as a heading, every recommendation became a
    section named "1", "2", ... and its citations said so."""
    header = "Lessons Learned: Ambient Scribe Pilot - AI in Clinical Practice CoP"
    pages = [
        f"{header}\nPage 3\nLessons and recommendations\n1\nDesign review into the software. The sign button should only become active after\n"
        "the clinician has scrolled through the whole note.\n2\nHighlight high-risk medicines.",
        f"{header}\nPage 4\nRecommendations, continued\n3\nTrain with real errors.\nRecommendation to the AIOC\nWe recommend extending the pilot to four more clinics.\n"
        "Figures\n7\nThe audit covered 300 notes.",
    ]
    blocks = [(b.kind, b.number, b.text) for b in document_blocks(pages)]

    assert blocks[:5] == [
        ("heading", None, "Lessons and recommendations"),
        ("item", 1, "Design review into the software. The sign button should only become active after the clinician "
         "has scrolled through the whole note."),
        ("item", 2, "Highlight high-risk medicines."),
        ("heading", None, "Recommendations, continued"),
        ("item", 3, "Train with real errors."),  # the list runs on over the page break
    ]
    # a lone number that does not continue a list ("7" after "Figures") opens no item
    assert not any(number == 7 for _, number, _ in blocks)
