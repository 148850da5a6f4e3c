"""A section as the units an answer can quote: sentences, list items and table rows, in order.

An answer keeps a passage's sense only if it knows the passage's shape: which lines are
one list, which line introduces it, which sentence restricts another. And some lines are
never worth quoting: separator rules, field labels, a heading repeated, a table header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from peerassist.store import SearchHit
from peerassist.terms import content_terms
from peerassist.text import REPORTS_A_QUESTION, SPELLED_OUT, heading_path, quotable_text
from peerassist.sentences import BULLET, is_junk, is_quotable, split_sentences

# Checkboxes of a checklist item, shown as "[ ]" or "[x]".
CHECKBOX = re.compile(r"^\[[ xX✓]?\]\s*")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
# The community's name ending a heading (`unnamed_heading`).
THE_COMMUNITY = re.compile(r"\s+(?:the|our|this) (?:CoP|community|Community of Practice)(?=\W*$)", re.IGNORECASE)
HEADING_NUMBER = re.compile(r"^\s*(?:(?:step|part|section)\s+)?[\dIVXivx]+(?:\.\d+)*[.):]?\s+", re.IGNORECASE)
# A sentence that limits another: the condition behind a "no".
RESTRICTION = re.compile(
    # (not inside a compound: "read-only access" restricts nothing)
    r"(?<!-)\b(?:never|not|unless|except|cannot|must not|may not|no longer|nothing|no one|without)\b(?!-)|n't\b"
    # ("only" before a share says how few: "only 14% of alerts turned out to be sepsis" limits nothing)
    r"|(?<!-)\bonly\b(?!-|\s+\d+(?:\.\d+)?\s*(?:%|per ?cent|(?:of|in|out of)\s+\d))|\bno\b(?! later)"
    # ... but "No patient harm resulted." reports an outcome, it limits nothing
    r"(?!(?:\s+\w+){1,3}\s+(?:resulted|occurred|happened|followed|(?:was|were) (?:found|reported|seen))\b)",
    re.IGNORECASE,
)
# Words that point back to the sentence before: quoting them alone loses what they refer to.
BACK_REFERENCE = re.compile(
    r"^(?:this|that|these|those|it|its|they|their|them|he|she|such|also|however|but|then|so|otherwise|instead|"
    r"in (?:this|that|which) case|if (?:so|not)|as a result|for (?:this|that) reason)\b"
    # "There, ..." points back to a place; "There will also be a stand in the atrium" introduces something
    r"|^there\b(?!\s+(?:is|are|was|were|will|would|may|might|must|should|can|could|has|have|had|seems?)\b)"
    # ... or sets itself against it in its first clause: "For the ambient scribe, however, the hospital decided ..."
    r"|^[^.;:,]{0,60},\s*(?:however|though|instead|by contrast|in contrast|on the other hand),",
    re.IGNORECASE,
)

# A question a text puts to its reader ("Want to write for CoP Pulse?", "Not sure where to start?"), not one
# it lists (a checklist's "C12. How is the tool protected against prompt injection?") or discusses.
ASKS_THE_READER = re.compile(
    r"^(?:want|need|interested|got|have you|are you|do you|did you|can't|not sure|wondering|new to|thinking of|"
    r"looking for|keen)\b[^?]{0,80}\?$",
    re.IGNORECASE,
)

# Minutes that report a question and its answer ("Hannah noted that radiographers have asked whether they will see
# the flag." then "Answer: no, the flag will appear only on the radiologists' worklist."): one unit, as above.
REPLIES = re.compile(
    r"^(?i:answer|reply|response)\s*:|^(?!(?:This|That|It|These|Those|They)\b)(?:[A-Z][\w.'-]*\s+){1,4}"
    r"(?:replied|answered|responded|confirmed|explained)\b"
)

# "This page explains how to join ...": a sentence about its document, not from its content. Only words
# that name a document, not what a document may be about ("The policy covers all clinical staff" is content).
GLOSSARY = re.compile(r"\b(?:glossary|terms|definitions|vocabulary|jargon)\b", re.IGNORECASE)
ABOUT_THE_DOCUMENT = re.compile(
    r"^(?:this|the|our) (?:guide|page|document|section|leaflet|faq|note|pack|talk|newsletter|file|write-up)\b"
    r".{0,120}?\b(?:explains?|sets? out|describes?|records?|covers?|tells? you|summari[sz]es|reflects?|is the first)\b"
    # ... or points to another one: "The full story of these changes is in the lessons-learned document ...",
    # "The figures come from the full project write-up (projects/sepsis-early-warning-pilot.docx)."
    r"|^(?:the (?:full|whole) (?:story|details|account)|the (?:figures|numbers|data) (?:come|are taken) from)\b"
    r".{0,120}?\b(?:document|write-up|report|guide|minutes|notes)\b"
    # ... or says whom it is for: "Practical answers for nurses, doctors ... who use one of the AI tools."
    r"|^(?:\w+ )?(?:answers|guidance|advice|tips|information|help) for (?:new |all )?(?:members|staff|nurses|doctors|"
    r"clinicians|colleagues|newcomers|facilitators|radiographers|pharmacists|everyone|anyone)\b"
    # ... or who may see it: "DRAFT — facilitators only. Do not share with members until ..."
    r"|^draft\b.{0,40}\bonly\b"
    r"|^(?:do not|please do not|don't) (?:share|circulate|forward|distribute) (?:this|it|with|until|outside|beyond)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unit:
    """One quotable piece of a section, with the chunk it is cited to."""

    text: str
    hit: SearchHit
    is_item: bool = False  # a list item or table row: quoted whole, shown on its own line
    ordered: bool = False
    is_lead: bool = False  # "To request access:" introduces the list after it; never quoted alone

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class SectionList:
    """A heading whose content is a run of subsections ("The stages": "Stage 1 — Proposal review",
    "Stage 2 — Assurance", ...): a list whose items are sections, each with its own heading."""

    path: str  # "Document title > Heading": what a question is matched against
    items: tuple[tuple[str, SearchHit], ...]  # each subsection's heading and the chunk that opens it

    @property
    def heading(self) -> str:
        """The path without the document's title: the headings that say what the items are."""
        return self.path.partition(" > ")[2]

    @property
    def top_level(self) -> bool:
        """The sections of the whole document (under its title), not of one heading."""
        return not self.heading

    @property
    def numbered_steps(self) -> bool:
        return all(NUMBERED_STEP.match(heading) for heading, _ in self.items)


# A top-level heading that is a numbered step of the whole document ("Step 1: Define the question"): the
# document is a procedure whose steps are its sections.
NUMBERED_STEP = re.compile(r"^(?:step|stage|phase)\s+\d+\b", re.IGNORECASE)


def section_lists(document: list[SearchHit]) -> list[SectionList]:
    """The headings of a document (in order) that hold two or more subsections (not FAQ questions), each
    opening a chunk; and the document's own sections under its title where they are numbered steps."""
    lists = []
    for parent, items in _sections_by_parent(document).items():
        kept = items if len(parent) > 1 else {heading: hit for heading, hit in items.items() if NUMBERED_STEP.match(heading)}
        if len(kept) >= 2:
            lists.append(SectionList(" > ".join(parent), tuple(kept.items())))
    return lists


def outline(document: list[SearchHit]) -> SectionList | None:
    """A document's sections at its first level of two or more (a meeting's agenda items, under its title or
    under a banner heading that repeats it), None where it has no such level."""
    levels = sorted(_sections_by_parent(document).items(), key=lambda level: len(level[0]))
    return next((SectionList(" > ".join(parent), tuple(items.items())) for parent, items in levels if len(items) >= 2), None)


def _sections_by_parent(document: list[SearchHit]) -> dict[tuple[str, ...], dict[str, SearchHit]]:
    """Each heading path's subsections (heading: the chunk opening it), in document order."""
    children: dict[tuple[str, ...], dict[str, SearchHit]] = {}
    for hit in document:
        meta = hit.metadata
        full = heading_path(str(meta.get("title", "")), str(meta.get("section", "")))
        path = tuple(part.strip() for part in full.split(" > "))
        # (title, heading, subsection): the chunk opening a subsection starts with its heading, so it can be
        # quoted; FAQ entries under a category heading are questions, not the items of a list.
        if len(path) >= 2 and hit.text.startswith(path[-1]) and not path[-1].endswith("?"):
            children.setdefault(path[:-1], {}).setdefault(path[-1], hit)
    return children


# Words that call one kind of document: an FAQ is "Frequently Asked Questions", a meeting's notes are its minutes, a
# talk's slides are its pptx.
SAME_KIND = tuple(
    (words, content_terms(words))
    for words in (
        "faq frequently asked questions", "minutes notes", "write-up writeup report", "slides slide deck presentation talk pptx",
        "guide guidance how-to", "spreadsheet csv xlsx",
    )
)
# A line that labels a field of the document ("Date: Tuesday 10 February 2026"), not one that says what it is.
FIELD_LINE = re.compile(r"^[\w ]{1,30}:\s")
OPENING_WORDS = 6


@dataclass(frozen=True)
class NamedDocument:
    """A document as named in answer to "Is there a template for proposals?": its title, the chunk that opens it and
    the sentence that says what it is ("Use this template to describe an idea for using AI in clinical practice.")."""

    title: str
    opening: SearchHit
    says_what_it_is: Unit | None

    @property
    def name(self) -> str:
        """What the document goes by (`document_name`), with what it says it is."""
        return document_name(self.opening.metadata, self.says_what_it_is.text if self.says_what_it_is else "")

    @property
    def name_terms(self) -> frozenset[str]:
        return content_terms(self.name)


def document_name(meta: Mapping[str, Any], said: str = "") -> str:
    """What a document goes by: its title, its file's path and type, `said` (what it says it is), and the other words
    for its kind ("slides" for a talk's pptx). Without `said`, what a question calls it by ("the evaluation guide" is
    not the go-live checklist, which says it is used "before an AI tool moves from evaluation" in the guides folder)."""
    name = f"{meta.get('title', '')} {re.sub(r'[/_.-]', ' ', str(meta.get('source', '')))} {meta.get('filetype', '')} {said}"
    terms = content_terms(name)
    return " ".join([name, *(words for words, kind in SAME_KIND if kind & terms)])


def named_document(document: list[SearchHit]) -> NamedDocument:
    """A document (its chunks in order) as named. The sentence that says what it is: one about the document in its
    first two chunks, else its first sentence that is neither a field's line nor a letterhead ("AI in Clinical
    Practice CoP, St. Brigid's University Hospital."), else its first line (a calendar's first row, the minutes'
    "Date and time: ...")."""
    opening = document[0]
    units = candidate_units(opening)
    about = next((unit for hit in document[:2] for unit in candidate_units(hit) if is_about_the_document(unit.text)), None)
    first = next((unit for unit in units if _says_something(unit)), None)
    return NamedDocument(str(opening.metadata.get("title", "")), opening, about or first or next(iter(units), None))


def _says_something(unit: Unit) -> bool:
    words = unit.text.split()
    capitalised = sum(word[0].isupper() for word in words)
    return not unit.is_item and len(words) >= OPENING_WORDS and not FIELD_LINE.match(unit.text) and capitalised < len(words) / 2


def section_heading(hit: SearchHit) -> str:
    """The innermost heading over a chunk (an FAQ entry's question), or the document title."""
    return str(hit.metadata.get("section") or hit.metadata.get("title") or "").split(" > ")[-1].strip()


def has_own_heading(hit: SearchHit) -> bool:
    """The chunk sits under a heading of its own, not only its document's title."""
    heading = section_heading(hit)
    return bool(heading) and heading != str(hit.metadata.get("title", "")).strip()


def candidate_units(hit: SearchHit) -> list[Unit]:
    """The units of one passage an answer may quote (a lead-in never is, alone)."""
    return [unit for unit in section_units([hit]) if not unit.is_lead]


def scored_texts(hit: SearchHit) -> list[str]:
    """Every text the evidence scorer embeds for a passage: its candidate units and its heading, in all its forms."""
    return [unit.text for unit in candidate_units(hit)] + list(dict.fromkeys(heading_forms(hit)))


class HeadingForms(NamedTuple):
    """The forms of a section's heading a question is matched with (the evidence scorer decides which count)."""

    written: str
    short: str  # each spelled-out name replaced by its acronym (`short_heading`)
    titled: str  # under its document's title (`titled_heading`)
    unnamed: str  # without the community's name (`unnamed_heading`)
    title: str  # the document's title alone: what the titled form adds to it


def heading_forms(hit: SearchHit) -> HeadingForms:
    heading = section_heading(hit)
    short = short_heading(heading)
    title = str(hit.metadata.get("title", "")).strip()
    titled = titled_heading(heading, title, str(hit.metadata.get("section", "")))
    return HeadingForms(heading, short, titled, unnamed_heading(short), title)


def titled_heading(heading: str, title: str, path: str) -> str:
    """The heading of a document without an outline (PDF, DOCX, plain text: its heading `path` does not start with its
    title) read under the title: "HOW TO REGISTER" says what it is about only there ("How do I sign up for AI Literacy
    Week?" asks "ANNOUNCEMENT: AI LITERACY WEEK, 18-22 MAY 2026 > HOW TO REGISTER", not the meeting notes' "5. AI
    Literacy Week 2026"). Reading a Markdown heading under its title too changed 16 probe answers, 4 for the worse."""
    return f"{title} > {heading}" if title and heading and not path.startswith(title) else heading


def short_heading(heading: str) -> str:
    """The heading with each spelled-out name replaced by its acronym: "When do I need a DPIA?" reads closer to
    "How long does a DPIA take?" than to "When do I need a Data Protection Impact Assessment (DPIA)?"."""
    return SPELLED_OUT.sub(r"\g<acronym>", heading)


def unnamed_heading(heading: str) -> str:
    """The heading without the community's name at its end, which every question is asked of: "How do I join the
    CoP?" is what a member means by "How do I join?" (to the encoder, "How do I join a working group?" reads closer:
    0.73 against 0.55). Unchanged where nothing would be left ("What is the CoP?")."""
    unnamed = THE_COMMUNITY.sub("", heading)
    return unnamed if content_terms(unnamed) else heading


def section_units(section: list[SearchHit]) -> list[Unit]:
    """The quotable units of a section's chunks, in document order, without the heading or junk."""
    if not section:
        return []
    meta = section[0].metadata
    headings = tuple(part.strip() for part in f"{meta.get('title', '')} > {meta.get('section', '')}".split(">"))
    units = [
        Unit(text, hit, is_item, ordered, is_lead)
        for hit in section
        for text, is_item, ordered, is_lead in _units_of(quotable_text(hit.text, hit.metadata), headings)
    ]
    return _without_repeats(units)


@lru_cache(maxsize=20_000)
def _units_of(text: str, headings: tuple[str, ...]) -> tuple[tuple[str, bool, bool, bool], ...]:
    """(text, is item, ordered, is lead) for each quotable piece of one chunk's text."""
    known = {heading_key(h) for h in headings if h}
    lines = text.splitlines()
    units: list[tuple[str, bool, bool, bool]] = []
    for raw in lines:
        line = raw.strip()
        if not line or heading_key(line) in known or is_junk(line):
            continue
        bullet = BULLET.match(line)
        if bullet or is_table_row(line):
            body = CHECKBOX.sub("", line[bullet.end() :] if bullet else line).strip()
            if body and not is_junk(body) and heading_key(body) not in known and not _is_example_row(body):
                units.append((body, True, bool(bullet and NUMBERED.match(line)), False))
            continue
        for sentence in with_their_questions(split_sentences(line)):
            if is_lead_in(sentence):
                units.append((sentence, False, False, True))
            elif is_quotable(sentence) and heading_key(sentence) not in known:
                units.append((sentence, False, False, False))
    return tuple(units)


def with_their_questions(sentences: tuple[str, ...]) -> list[str]:
    """A question the text asks itself stays with the sentence that answers it ("Want to write for CoP
    Pulse? Send 200 words to ..."), and so does a question it reports, with the reply it reports: alone the
    question is never quoted, and the answer alone does not say what it answers."""
    joined: list[str] = []
    previous = ""  # the sentence before this one, alone: only a question just asked takes its reply
    for sentence in sentences:
        asked = ASKS_THE_READER.search(previous) or (REPORTS_A_QUESTION.search(previous) and REPLIES.match(sentence))
        if joined and asked and not sentence.rstrip().endswith("?"):
            joined[-1] = f"{joined[-1]} {sentence}"
        else:
            joined.append(sentence)
        previous = sentence
    return joined


def is_lead_in(sentence: str) -> bool:
    """A short line ending in a colon: it introduces what follows and says nothing alone."""
    return sentence.rstrip().endswith(":") and len(sentence.split()) <= 12


def is_restriction(text: str) -> bool:
    return bool(RESTRICTION.search(text))


def in_glossary(hit: SearchHit) -> bool:
    """The passage is a glossary's (its title or section says so): its sentences define terms."""
    return bool(GLOSSARY.search(f"{hit.metadata.get('title', '')} {hit.metadata.get('section', '')}"))


def is_about_the_document(text: str) -> bool:
    return bool(ABOUT_THE_DOCUMENT.match(text))


# A section that only points to other documents: its lines name what they hold, in every word of the topic.
POINTERS_SECTION = re.compile(
    r"^(?:related (?:documents?|pages?|links?|reading|resources)|see also|further reading|useful links|links|references)$",
    re.IGNORECASE,
)


def points_elsewhere(hit: SearchHit) -> bool:
    """The passage is a "Related documents" or "See also" section."""
    return bool(POINTERS_SECTION.match(section_heading(hit)))


def refers_back(text: str) -> bool:
    return bool(BACK_REFERENCE.match(CHECKBOX.sub("", text)))


# A row's first header ("Key mitigations: ", "ID: ") and any header after a cell break.
ROW_OPENS = re.compile(r"^[A-Z][\w()/'’ -]{0,40}: \S")
NEXT_CELL = re.compile(r"; [A-Z][\w()/'’ -]{0,40}: ")


def _is_example_row(line: str) -> bool:
    """A template's worked example ("Benefit: e.g. faster reporting of urgent chest X-rays; ... Target: under 2
    hours"): what a form shows how to fill in, not what the community reports."""
    return is_table_row(line) and line.split("; ", 1)[0].partition(": ")[2].lstrip().casefold().startswith("e.g.")


def is_table_row(line: str) -> bool:
    """'Header: value; Header: value' — how ingestion renders a table row (see ingest/parsing.py); a value may
    itself hold '; ' ("Key mitigations: Threshold 65; repeat-alert suppression") when the row opens with a
    header and another follows."""
    cells = line.split("; ")
    return len(cells) >= 2 and (all(": " in cell for cell in cells) or bool(ROW_OPENS.match(line) and NEXT_CELL.search(line)))


def heading_key(text: str) -> str:
    """A heading compared without its numbering, case or closing punctuation ("3. The proposed AI use")."""
    return " ".join(HEADING_NUMBER.sub("", text).casefold().rstrip(" .:?!").split())


def _without_repeats(units: list[Unit]) -> list[Unit]:
    """A chunk split inside a long paragraph repeats some text in the next chunk: keep the first."""
    seen: set[str] = set()
    kept = []
    for unit in units:
        key = " ".join(unit.text.casefold().split())
        if key not in seen:
            seen.add(key)
            kept.append(unit)
    return kept
