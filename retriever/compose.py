"""The offline answerer: a coherent, cited answer quoted from the best passage.

It composes, it never writes: every sentence is quoted from a passage and carries its
citation, so nothing in an answer can be unsupported, and text inside a document (an
injected "ignore previous instructions") is only ever data. What it adds to quoting is
shape: the answer comes from one section and keeps its sense there —
- an FAQ entry or a section whose heading matches the question answers with its body;
- a list (steps, rules, items) comes whole, capped, with "…";
- otherwise the best sentence with the neighbours it needs (one that points back, the
  steps that follow it);
- a sentence that restricts it (never, only, unless, not) in the same section stays in,
  and for a yes/no question the restriction comes first;
- a second document is added only when it says something the first does not.
"""

from __future__ import annotations

import re
from dataclasses import replace

from peerassist.retriever.answer_type import (
    ASKS_FOR_DEFINITION,
    ASKS_TO_CONTACT,
    ROLE_LABEL,
    TELLING_SHARE,
    QuestionKind,
    answers_with_a_definition,
    defines_another_term,
    forbids_what_was_done,
    has_contact_detail,
    lacks_role_holder,
    main_verb,
    name_positions,
    people_named,
    products_named,
    type_match,
)
from peerassist.retriever.draft import Claim, Draft, Part
from peerassist.retriever.evidence import (
    ASKS_FOR_LATEST,
    DATED_BY_OPENING,
    Evidence,
    ScoredSentence,
    heading_asks_otherwise,
    months_named,
    names_its_own_month,
    names_other_parts,
)
from peerassist.retriever.lexical import LexicalIndex
from peerassist.store import shown_source
from peerassist.terms import content_terms
from peerassist.retriever.passages import (
    NamedDocument,
    SectionList,
    Unit,
    has_own_heading,
    heading_key,
    is_about_the_document,
    is_restriction,
    is_table_row,
    refers_back,
    section_heading,
    section_units,
)

# A section heading this close to the question is the question the section answers (an FAQ entry).
HEADING_MATCH = 0.62
MAX_WORDS = 110
# A restriction leads a yes/no answer only if it speaks to this share of what the answering sentence does
# (question terms, IDF-weighted). Golden: at 0.3 no answer changes but "Is ChestFlag CE marked?"; at 0.5 three
# more lead with their answer (the reporting-time result before "no flag does not mean normal"), which the
# restriction_not_first metric, counting any restriction of the section, scores as a miss.
RESTRICTION_SHARE = 0.3
# What a sentence added after the cap (the anchor beside its list, a restriction) may stretch an answer to.
STRETCHED_WORDS = MAX_WORDS + 30
MAX_ITEMS = 8
# Sentences around the best one: more for a procedure or a reason, whose sense runs on.
WINDOW = {QuestionKind.PROCEDURE: 4, QuestionKind.WHY: 3, QuestionKind.LIST: 3}
DEFAULT_WINDOW = 2
# A second document joins only if its best sentence scores nearly as well and is mostly new. (0.95: fewer stray
# lines, but golden member-style fact recall 75 -> 74 of 93, and 115 of ~1,100 probe answers lost an "Also", some of
# them the answer's second half.)
ALSO_RATIO = 0.9
ALSO_NOVELTY = 0.5
ELLIPSIS = "…"
# A lead-in too short to say what its list is ("Examples:", "For example:").
BARE_LEAD_WORDS = 2
# A lead-in adding its list to the sentence before it ("We also:", "In addition:").
ADDS_TO_BEFORE = re.compile(r"\b(?:also|too|as well|in addition)\b|^\W*(?:further|additionally|besides)\b", re.IGNORECASE)
OPENS_WITH_YES = re.compile(r"^\W*yes\b", re.IGNORECASE)
# "No." and the FAQ reply that is only a "no" in other words ("Not to regular meetings.", "Not yet.").
OPENS_WITH_NO = re.compile(r"^\W*(?:no\b[.,;:!]|not\b)", re.IGNORECASE)
# How far an answer reaches beyond its best sentence, by kind of question. Measured on the golden
# member-style questions (share holding every fact, before abstention) and HotpotQA citation
# precision (share of quoted sentences that are gold support), evals/bench_answers.py:
# reaching as far for a plain fact (who/which/what) gave 0.581 / 0.42; holding back as below,
# 0.581 / 0.583, and 0.599 with SHARED_TERMS (the earlier 1-3 best sentences: 0.56 on HotpotQA). Plain facts keep one sentence.
# A short section whose words all serve the answer: steps, reasons, lists.
WHOLE_SECTION = frozenset({QuestionKind.PROCEDURE, QuestionKind.WHY, QuestionKind.LIST})
# Neighbouring sentences sharing the question's words join (a yes/no needs the permission beside the restriction).
# (and not "when?": the neighbour with a date was the next sessions' dates on the golden set, but on
# HotpotQA mostly another date of the same subject: citation precision 0.597 -> 0.588)
JOINS_ON_TERMS = frozenset({QuestionKind.YES_NO, QuestionKind.PROCEDURE, QuestionKind.WHY, QuestionKind.LIST})
# A following sentence that points back joins; a restriction of the same section stays in.
CONTINUES = frozenset(QuestionKind) - {QuestionKind.FACT}
KEEPS_RESTRICTIONS = frozenset(QuestionKind) - {QuestionKind.FACT}
SHARED_TERMS = 2  # one shared word is usually just the topic ("ChestFlag"); HotpotQA citation precision 0.583 -> 0.599
# A "when?" answered by a schedule ("first Thursday of each month") takes a following sentence (within the window) if it offers a date
# and names more of the question ("The next sessions are on 2 April 2026 and 7 May 2026"). Only under a heading
# of its own: in an article's paragraph the next dated sentence was another subject's (HotpotQA citation
# precision 0.608 -> 0.600 without that condition, unchanged with it; golden member-style +1 question).
ADDS_ASKED = frozenset({QuestionKind.WHEN})
WANTS_LIST = frozenset({QuestionKind.PROCEDURE, QuestionKind.LIST})
# Whom to ask, when, what or whether, found in one item of a list (a contacts table's row) that scores well above the
# list's other items: that item answers, not the whole list, which the cap could cut before it. ("Who runs the
# CoP?" is answered by two rows of the roles table: close scores, so the whole table; "What is in Section D?"
# names the list's own section, so the whole list.)
ONE_ITEM = frozenset({QuestionKind.WHO, QuestionKind.WHEN, QuestionKind.FACT, QuestionKind.YES_NO})
ONE_ITEM_MARGIN = 0.3  # the Literacy Week row stands 0.45 above the next; the roles table's best row 0.24
# ... and for a "how do I?", under a heading the question does not match (not for a "why?": a reason
# follows the list it explains, "Write down, before you see any results: 1. ... Pre-registering ... moving the goalposts").
ONE_ITEM_UNDER_OTHER_HEADINGS = frozenset({QuestionKind.PROCEDURE})
LIST_HEADING_MATCH = 0.3
# A yes/no asks about one thing, whatever the list's heading: its best item answers if it leads the others by this much
# ("Do I have to say I used BrigidGPT?": "Say when you have used it: ..." 0.14 above the other good-practice items; the
# whole list before). Probes: 16 answers shorter and to the point, 2 lost an item that held the answer too ("does
# brigidgpt keep my prompts": "Prompts are retained for 90 days" was the fourth item, 0.26 below); golden: 2 answers
# shorter, none lost.
YES_NO_ITEM_MARGIN = 0.1
HE_OR_SHE = re.compile(r"^(?:he|she)\b", re.IGNORECASE)


def compose(evidence: Evidence, lexical: LexicalIndex) -> Draft:
    best = evidence.best
    if best is None:
        return Draft()
    if evidence.asked_document is not None:
        return _document_answer(evidence.asked_document)
    if evidence.section_list is not None:
        return _listed_sections(evidence.section_list)
    units = section_units(lexical.section_of(best.hit))
    anchor = _find(units, best)
    if anchor is None:  # the best sentence is always one of its section's units; be safe anyway
        return Draft(parts=[Part([_claim_of(best)])])
    kind = evidence.kind
    short = sum(unit.words for unit in units) <= MAX_WORDS
    body = _body(units)
    if units[anchor].is_item and _one_item_answers(evidence, best, units[anchor]) and _stands_out(evidence, best, units, anchor):
        chosen = [anchor]
    elif _answers_its_heading(evidence, best) and anchor in body:
        chosen = body
    elif short and kind in WHOLE_SECTION:
        chosen = body
    elif units[anchor].is_item or (kind in WANTS_LIST and any(unit.is_item for unit in units) and not _only_a_table_beside(units, kind, evidence.question)):
        chosen = _whole_list(units, _nearest_list(units, anchor), evidence.question)
        beside = anchor not in chosen and not units[anchor].is_item
        if beside and units[anchor].words + sum(units[i].words for i in chosen) <= STRETCHED_WORDS:
            chosen = sorted([anchor, *chosen])
    else:
        chosen = _window(units, anchor, kind, evidence.question)
    chosen = [i for i in chosen if i == anchor or not _about_the_document(units, i)] or [anchor]
    if kind in KEEPS_RESTRICTIONS:
        chosen = _with_restrictions(units, chosen, evidence, anchor)
    if kind is QuestionKind.YES_NO:
        chosen = _restriction_first(units, chosen, evidence, anchor)
    # (the rule broken never stands before what to do now: see evidence.gather)
    chosen = [i for i in chosen if i >= anchor or not forbids_what_was_done(evidence.question, units[i].text)]
    parts = _parts(units, chosen, _reply_to_its_heading(units, chosen, best, evidence))
    quoted = [units[i].text for i in chosen]
    if kind in WANTS_LIST and (referenced := _referenced_list(units, chosen, lexical, evidence.allowed_docs)):
        if _names_the_list(evidence.question, referenced):
            # "What are the five golden rules?": the list it names is the answer, not the line that sends members to it
            return Draft(parts=[replace(part, also=False) for part in referenced])
        parts.extend(referenced)
        quoted.extend(claim.text for part in referenced for claim in part.claims)
    also = _second_source(evidence, best, quoted, listed=any(part.is_list for part in parts))
    if also is not None:
        parts.append(Part([_claim_of(also)], also=True))
        quoted.append(also.text)
    if ASKS_TO_CONTACT.search(evidence.question) and (contact := _how_to_reach(evidence, quoted)) is not None:
        parts.append(Part([_claim_of(contact)], also=contact.hit.metadata.get("doc_id") != best.hit.metadata.get("doc_id")))
    return Draft(parts=parts)


def _how_to_reach(evidence: Evidence, quoted: list[str]) -> ScoredSentence | None:
    """For "who can I ask ...?" answered with a name and no way to reach them: the best sentence of the
    evidence that names the same person with a contact detail (an address, a number)."""
    if any(has_contact_detail(text) for text in quoted):
        return None
    surnames = {name.split()[-1] for text in quoted for name in people_named(text)}
    return next(
        (
            s for s in evidence.sentences
            if s.text not in quoted and has_contact_detail(s.text) and any(re.search(rf"\b{re.escape(n)}\b", s.text) for n in surnames)
        ),
        None,
    )


# --- spans of a section --------------------------------------------------------------------


def _answers_its_heading(evidence: Evidence, best: ScoredSentence) -> bool:
    """The best sentence's section has a heading of its own (not just the document title) that says what was asked
    (and, if it is a question, asks for the same kind of answer: "How do I join a working group?" reads like "How
    often do working groups meet?", but its steps do not say how often)."""
    return (
        has_own_heading(best.hit)
        and evidence.heading_similarity.get(best.hit.chunk_id, 0.0) >= HEADING_MATCH
        and not heading_asks_otherwise(evidence.kind, section_heading(best.hit))
    )


def _reply_to_its_heading(units: list[Unit], chosen: list[int], best: ScoredSentence, evidence: Evidence) -> int | None:
    """The quoted FAQ reply that opens "Yes." (or "No.", unless the entry's question is the member's):
    it answers the entry's own question, so it is quoted after that question (else a "yes" to "is it
    still personal data?" reads as a yes to "GDPR doesn't apply any more, right?", and a "no" to "Can I
    use BrigidGPT with patient data?" as a no to "Can I put our ward meeting's minutes into BrigidGPT?")."""
    heading = section_heading(best.hit)
    if not heading.endswith("?"):
        return None
    asked_alike = evidence.heading_similarity.get(best.hit.chunk_id, 0.0) >= HEADING_MATCH
    # (the reply's own chunk opens with that question, so the question is quoted from the passage it cites)
    return next(
        (
            i for i in chosen
            if heading in units[i].hit.text
            and (OPENS_WITH_YES.match(units[i].text) or (not asked_alike and OPENS_WITH_NO.match(units[i].text)))
        ),
        None,
    )


def _find(units: list[Unit], sentence: ScoredSentence) -> int | None:
    """The unit the sentence is, in its own chunk (the same text may recur in a neighbouring chunk)."""
    found = next((i for i, u in enumerate(units) if u.hit.chunk_id == sentence.hit.chunk_id and u.text == sentence.text), None)
    return found if found is not None else next((i for i, u in enumerate(units) if u.text == sentence.text), None)


def _about_the_document(units: list[Unit], i: int) -> bool:
    """A sentence about its document, or one pointing back to such a sentence: "This document explains the
    stages ... It summarises the AIOC Terms of Reference (version 3, October 2025)." (the second was quoted
    to "Can AI tools be used in the ED?")."""
    return is_about_the_document(units[i].text) or (
        i > 0 and refers_back(units[i].text) and is_about_the_document(units[i - 1].text)
    )


def _body(units: list[Unit]) -> list[int]:
    """The section from its start: the answer an FAQ entry gives to its own question."""
    return _capped(units, list(range(len(units))))


def _only_a_table_beside(units: list[Unit], kind: QuestionKind, question: str) -> bool:
    """A sentence answering "how do I?" beside no list but a table whose columns say nothing the question asks: its
    rows are no steps ("Room 4B is booked through Education Centre reception (ext. 4410) a year ahead" was followed by
    the meeting's run sheet, its times, items and who; "what if I'm not sure which colour my data is?" keeps the
    traffic light's colours)."""
    rows = [unit.text for unit in units if unit.is_item]
    if kind is not QuestionKind.PROCEDURE or not all(is_table_row(row) for row in rows):
        return False
    columns = {cell.split(": ", 1)[0] for row in rows for cell in row.split("; ") if ": " in cell}
    return not content_terms(" ".join(columns)) & content_terms(question)


def _nearest_list(units: list[Unit], anchor: int) -> int:
    """The item nearest the anchor, preferring one that follows it (the list a sentence introduces)."""
    items = [i for i, unit in enumerate(units) if unit.is_item]
    return min(items, key=lambda i: (abs(i - anchor) + (0.5 if i < anchor else 0), i))


def _one_item_answers(evidence: Evidence, best: ScoredSentence, item: Unit) -> bool:
    """Whether the best item may answer alone, when it stands out: for whom, when, what or whether (not one of
    numbered steps: "Can I record a consultation with my phone?" is answered by how recording works, step by step);
    and for how when the list sits under a heading the question does not match ("How do I escalate a safety
    concern?" is answered by the fifth of "The five golden rules", not by all five)."""
    kind = evidence.kind
    if best.named_context > 0 or (kind is QuestionKind.YES_NO and item.ordered):
        return False
    return kind in ONE_ITEM or (kind in ONE_ITEM_UNDER_OTHER_HEADINGS and best.heading_similarity < LIST_HEADING_MATCH)


def _stands_out(evidence: Evidence, best: ScoredSentence, units: list[Unit], anchor: int) -> bool:
    """The best sentence, the anchor item, scores `ONE_ITEM_MARGIN` above every other item of its list, or is a table's
    only row holding the product the question names or its rarest word ("How long is BrigidGPT chat history kept?": the
    retention table's BrigidGPT row; "Who do I ask about buddies?": the contacts table's "Meetings, onboarding,
    buddies" row; any word of the question was too many: "what colour is patient data?" took the Amber row's "without
    patient data"); never one lacking what another row holds ("does ScribeAssist keep the audio recordings?" is not
    answered by its transcript's row alone). Not a bulleted list's item: its items may all be about what is asked
    ("How many clinicians used ScribeAssist?": "14 clinicians" is in the line before the results bullets, one of which
    names ScribeAssist); nor one naming the holder of the role asked for where no other item does ("Who chairs the
    AIOC?": "Chair: Prof. Helen Carberry, ...", not the secretary and members beside it, scored alike)."""
    others = {units[i].text for i in _whole_list(units, anchor) if i != anchor and units[i].is_item}
    if not lacks_role_holder(evidence.question, [best.text]) and all(lacks_role_holder(evidence.question, [o]) for o in others):
        return True
    if is_table_row(best.text):
        rows = [content_terms(text) for text in others]
        in_other_rows = set().union(*rows)
        in_every_row = content_terms(best.text).intersection(*rows)
        distinguishing = _distinguishing_words(evidence, in_every_row)
        if (distinguishing & content_terms(best.text)) - in_other_rows:
            return True
        if (distinguishing & in_other_rows) - content_terms(best.text):
            return False  # another row holds what the question names and this one lacks
    margin = YES_NO_ITEM_MARGIN if evidence.kind is QuestionKind.YES_NO else ONE_ITEM_MARGIN
    return all(best.score - s.score >= margin for s in evidence.sentences if s.text in others)


def _distinguishing_words(evidence: Evidence, in_every_row: set[str]) -> set[str]:
    """The products the question names, and its rarest words a document uses (as rare as each other) besides those
    every row of the table holds, as terms ("who do I contact about literacy week?": "literacy", not the "Contact:" of
    every row)."""
    known = {term: weight for term, weight in evidence.term_weights.items() if term not in evidence.unknown}
    products = {term for name in products_named(evidence.question) for term in content_terms(name)}
    rarest = max((weight for term, weight in known.items() if term not in in_every_row), default=0.0)
    # (still nearly as rare as the question's rarest: "what colour is patient data?" is not answered by the one row
    # saying "without patient data", its "data" a third as rare as "colour")
    if rarest < TELLING_SHARE * max(known.values(), default=0.0):
        return products
    return products | {term for term, weight in known.items() if weight == rarest and term not in in_every_row}


def _of_the_asked_months(units: list[Unit], items: range, question: str, item: int) -> list[int]:
    """Without the items dated in other months when the question names a month ("What training is on in June?": the
    June row of the calendar, not September's and October's after it). An item is dated by its opening ("date:
    Thursday 17 September 2026; ...", "23 April 2026 — Training: ..."), not by a date it mentions ("Main item: ...
    assuming Stage 3 approval at the AIOC on 30 April", on the May meeting's agenda)."""
    asked = months_named(question)
    return [
        i for i in items
        if i == item or not asked or not (dated := months_named(units[i].text[:DATED_BY_OPENING])) or dated & asked
    ]


def _whole_list(units: list[Unit], item: int, question: str = "") -> list[int]:
    """Every item of the list holding `item` (items on consecutive lines), with the sentence that introduces it;
    from the item that introduces `item` when the list has one (nesting is lost in the text: a colon keeps it); of
    the month the `question` names, if it names one.

    If the cap would cut `item` itself, the list is quoted from `item` on ("Can patients opt out of the
    scribe?": the opt-out rate was the fifth item, after long ones)."""
    first = last = item
    # (up to the item that introduces the ones after it, if any: "Working groups: three standing groups do the
    # detailed work:" over its groups, not the charter's whole "How we work" list from the monthly meeting on)
    while first > 0 and units[first - 1].is_item and not units[first].text.rstrip().endswith(":"):
        first -= 1
    while last + 1 < len(units) and units[last + 1].is_item:
        last += 1
    lead = [first - 1] if first > 0 and not units[first - 1].is_item else []  # "To request access:"
    if lead and lead[0] > 0 and not units[lead[0] - 1].is_item and _leans_on_before(units[lead[0]].text):
        lead.insert(0, lead[0] - 1)  # "We raised the threshold to 65. We also:" - the list adds to that sentence
    items = _of_the_asked_months(units, range(first, last + 1), question, item)
    capped = _capped(units, [*lead, *items])
    return capped if item in capped else _capped(units, [*lead, *[i for i in items if i >= item]], keep=len(lead) + 1)


def _leans_on_before(lead: str) -> bool:
    """A list's lead says what the list is only with the sentence before it: "We also:", or too short to say anything
    ("Retention is set in each DPIA. Examples:")."""
    return bool(ADDS_TO_BEFORE.search(lead)) or len(lead.split()) <= BARE_LEAD_WORDS


def _window(units: list[Unit], anchor: int, kind: QuestionKind, question: str) -> list[int]:
    """The anchor and the neighbours that carry its sense: a sentence it points back to, and sentences
    around it that speak to the question (or, for a procedure or a reason, the steps that follow it)."""
    size = WINDOW.get(kind, DEFAULT_WINDOW)
    asked = content_terms(question)

    def joins(i: int, towards_anchor: int) -> bool:
        unit = units[i]
        if unit.is_item or unit.is_lead:
            return False
        points_back = refers_back(units[towards_anchor].text if i < towards_anchor else unit.text)
        return (
            points_back
            or (kind in JOINS_ON_TERMS and len(content_terms(unit.text) & asked) >= SHARED_TERMS)
            or (kind is QuestionKind.WHO and i > anchor and _names_the_one_meant(units[anchor].text, unit.text))
            or (kind is QuestionKind.WHO and i > anchor and has_own_heading(unit.hit) and _supplies_who(units[anchor].text, unit.text, question))
            or (kind in ADDS_ASKED and i > anchor and has_own_heading(unit.hit) and _adds_asked(units[anchor].text, unit.text, question))
            or _names_the_asked_product(question, units[anchor].text, unit.text)
        )

    span = [anchor]
    for before in range(anchor - 1, max(-1, anchor - 1 - size), -1):
        if joins(before, span[0]):
            span.insert(0, before)
        elif before == anchor - 1 and refers_back(units[anchor].text):
            break  # what the anchor points back to is not quotable on its own
    if span[0] == anchor and (named := _who_is_meant(units, anchor)) is not None:
        span.insert(0, named)
    for following in range(anchor + 1, min(len(units), anchor + 1 + size)):
        runs_on = kind in WINDOW and not units[following].is_item and not units[following].is_lead
        if runs_on or (kind in CONTINUES and joins(following, span[-1])) or _goes_on_with_the_asked(units, following, span[-1], question):
            span.append(following)
        elif kind in WINDOW:
            break
    return _capped(units, span, keep=span.index(anchor) + 1)


def _adds_asked(anchor: str, neighbour: str, question: str) -> bool:
    """The neighbour offers what was asked for and names question words the anchor does not."""
    shared = content_terms(neighbour) & content_terms(question)
    return len(shared) >= SHARED_TERMS and bool(shared - content_terms(anchor)) and type_match(question, neighbour) == 1.0


def _goes_on_with_the_asked(units: list[Unit], following: int, last: int, question: str) -> bool:
    """A sentence that points back to the one before it and does what the question asks, which that one does not, goes
    on with the answer whatever the kind: "The AI Essentials module is mandatory ..." then "It covers what AI and machine
    learning are, ..." for "What does AI Essentials cover?". (Not any word of the question the sentence before lacks:
    "The model is supplied by Auralis Health." then "It calculates ... from the Electronic Health Record (EHR)"
    answered "Which company supplies our electronic health record system?", which no document does.)"""
    unit = units[following]
    if unit.is_item or unit.is_lead or following != last + 1 or not refers_back(unit.text):
        return False
    if not (content_terms(unit.text) & content_terms(question)) - content_terms(units[last].text):
        return False  # (before the verb: finding it may parse the question)
    verb = main_verb(question)
    return bool(verb) and verb <= content_terms(unit.text) and not verb <= content_terms(units[last].text)


def _names_the_asked_product(question: str, anchor: str, neighbour: str) -> bool:
    """The neighbour names the product the question asks about and the anchor does not: "Report prolonged downtime to
    the IT Service Desk on extension 5000." answers "ChestFlag has been down for hours. Who do I ring?" with the
    sentence before it, "If ChestFlag is down, the reporting worklist reverts to its normal order."."""
    asked = products_named(question)
    return bool(asked) and not asked & products_named(anchor) and bool(asked & products_named(neighbour))


def _supplies_who(anchor: str, following: str, question: str) -> bool:
    """"If ChestFlag is down, who should I call?": the best sentence ("If ChestFlag is down, the worklist
    reverts to its normal order.") names no one to call, and one after it under the same heading does
    ("Report prolonged downtime to the IT Service Desk on extension 5000.")."""
    return type_match(question, anchor) == 0.0 and type_match(question, following) == 1.0


def _names_the_one_meant(anchor: str, following: str) -> bool:
    """"The Clinical Safety Officer ... signs off the safety case." then "The CSO at St. Brigid's is Dr. Conor
    Healy.": a "who?" answered with a role, and a sentence after it (within the window, even past one that
    does not) naming who holds it. Limiting it to the very next sentence cost SQuAD (1,000) answer-contains 0.7505 -> 0.7485.
    A label line naming someone needs no shared word: "The monthly newsletter of the CoP ..." then "Editor: Dr.
    Priya Raman." answers "Who edits CoP Pulse?"."""
    if name_positions(anchor) or not name_positions(following):
        return False
    return bool(content_terms(anchor) & content_terms(following)) or bool(ROLE_LABEL.match(following))


def _who_is_meant(units: list[Unit], anchor: int) -> int | None:
    """For an anchor that opens with "he" or "she", the section's nearest sentence before it naming someone: "She
    confirmed that the DischargeDraft DPIA is in its final review and she expects to sign it off this week." answers
    "Who signs off on a DPIA?" only after "Gráinne O'Sullivan explained when a DPIA is needed ...", a list earlier."""
    if not HE_OR_SHE.match(units[anchor].text):
        return None
    return next(
        (i for i in range(anchor - 1, -1, -1) if not units[i].is_item and not units[i].is_lead and name_positions(units[i].text)),
        None,
    )


def _capped(units: list[Unit], span: list[int], keep: int = 1) -> list[int]:
    """At most MAX_WORDS and MAX_ITEMS; the first `keep` units always stay."""
    kept: list[int] = []
    words = items = 0
    for i in span:
        unit = units[i]
        if len(kept) >= keep and (words + unit.words > MAX_WORDS or (unit.is_item and items >= MAX_ITEMS)):
            break
        kept.append(i)
        words += unit.words
        items += unit.is_item
    return kept


def _with_restrictions(units: list[Unit], chosen: list[int], evidence: Evidence, anchor: int) -> list[int]:
    """Add the section's sentences that limit what the answer says and speak to the question."""
    asked = content_terms(evidence.question) | content_terms(units[anchor].text)
    extra = [
        i
        for i, unit in enumerate(units)
        if i not in chosen
        and not unit.is_lead
        and is_restriction(unit.text)
        and content_terms(unit.text) & asked
        and not (unit.is_item and units[anchor].is_item)  # another row of the table restricts another record
    ]
    words = sum(units[i].words for i in chosen)
    for i in extra:
        if words + units[i].words > STRETCHED_WORDS:
            break
        chosen = sorted([*chosen, i])
        words += units[i].words
    return chosen


def _restriction_first(units: list[Unit], chosen: list[int], evidence: Evidence, anchor: int) -> list[int]:
    """For a yes/no question, the restriction closest to the question leads the answer; without one, the
    sentence that answers it does ("Can students join?" quoted with the joining steps: "Students on
    placement can join as Observers" first)."""
    asked = content_terms(evidence.question)
    weights = evidence.term_weights

    def shared(i: int) -> float:
        return sum(weights.get(t, 0.0) for t in content_terms(units[i].text) & asked)

    # (one that shares no word with the question restricts something else: "Slides must not include patient
    # information" does not lead "Can I bring a visitor to the monthly meeting?"; nor one that shares only the
    # subject: "ChestFlag does not write reports" does not lead "Is ChestFlag CE marked?" before "ChestFlag is a
    # CE-marked AI tool")
    least = RESTRICTION_SHARE * shared(anchor) if anchor in chosen else 0.0
    restrictions = [
        i for i in chosen
        if is_restriction(units[i].text) and not units[i].is_lead and content_terms(units[i].text) & asked and shared(i) >= least
    ]
    if not restrictions:
        # (a table quoted whole is read in its order: a row ahead of the line that introduces it reads as torn out)
        torn_out = len(chosen) > 1 and is_table_row(units[anchor].text)
        lead = anchor if anchor in chosen and not units[anchor].ordered and not torn_out else chosen[0]
        if OPENS_WITH_YES.match(units[chosen[0]].text) or OPENS_WITH_NO.match(units[chosen[0]].text):
            lead = chosen[0]  # an FAQ entry's "Yes, please." answers before its aside ("Slides must not include ...")
        while lead - 1 in chosen and refers_back(units[lead].text):
            lead -= 1  # "For the scribe, however, ..." follows the sentence it sets itself against
    elif anchor in restrictions:
        lead = anchor
    else:
        lead = max(restrictions, key=lambda i: (len(content_terms(units[i].text) & asked), -i))
    if units[lead].ordered:
        # A numbered step stays in its place (moved first, step 3 was shown as "1."); a restricting step answers
        # alone ("Does DischargeDraft write the medication list?": "The medication section is not generated by the
        # LLM ...", not the four steps of how it works with the answer third).
        # (one that speaks to the question at least as the anchor does: "Can I record a consultation with my phone?"
        # is not answered by step 3's label "AI draft — not yet reviewed")
        return [lead] if lead != chosen[0] and lead in restrictions and shared(lead) >= shared(anchor) else chosen
    return [lead, *(i for i in chosen if i != lead)]


def _parts(units: list[Unit], chosen: list[int], reply: int | None = None) -> list[Part]:
    """Consecutive items become one list part, other units paragraphs; a capped list ends with "…".

    A list part is numbered only from its list's first item: items picked out of a numbered list (the fifth of
    five rules, with the second kept as a restriction) read as steps 1 and 2 when numbered anew.
    The unit at `reply` answers its section's question: that question is quoted before it."""
    parts: list[Part] = []
    previous = None
    for i in chosen:
        unit = units[i]
        claim = Claim(text=unit.text, hit=unit.hit, quote=unit.text)
        follows, previous = previous is not None and i == previous + 1, i
        if i == reply:
            heading = section_heading(unit.hit)
            parts.append(Part([Claim(text=heading, hit=unit.hit, quote=heading), claim]))
            continue
        current = parts[-1] if parts else None
        if unit.is_item and current is not None and current.is_list and follows:
            current.claims.append(claim)
        elif unit.is_item:
            starts_its_list = i == 0 or not units[i - 1].is_item
            parts.append(Part([claim], is_list=True, ordered=unit.ordered and starts_its_list))
        elif current is not None and not current.is_list:
            current.claims.append(claim)
        else:
            parts.append(Part([claim]))
    last = chosen[-1] if chosen else -1
    # (not after the one row that answers "which tier is it?": it stands for what was cut, not for the rest of a table)
    if parts and parts[-1].is_list and len(parts[-1].claims) > 1 and last + 1 < len(units) and units[last + 1].is_item:
        parts[-1].claims.append(Claim(text=ELLIPSIS, hit=units[last].hit, quote=""))
    return parts


def _referenced_list(units: list[Unit], chosen: list[int], lexical: LexicalIndex, allowed_docs: set[str] | None) -> list[Part]:
    """The list a quoted sentence sends the member to by its heading, quoted after the answer: "What are the
    rules I'm expected to stick to?" was answered "2. Follow the five golden rules in the onboarding guide."
    without the five rules. (Only a heading `LexicalIndex.heading_references` holds: long, and one section's;
    and only in a document the asker may read, `allowed_docs`, None: any.)"""
    if lexical.heading_references is None:
        return []
    own = {(unit.hit.metadata.get("doc_id"), unit.hit.metadata.get("section")) for unit in units}
    for i in chosen:
        for found in lexical.heading_references.finditer(" ".join(units[i].text.casefold().split())):
            hit = lexical.sections_by_heading[found.group()]
            if (hit.metadata.get("doc_id"), hit.metadata.get("section")) in own:
                continue
            if allowed_docs is not None and hit.metadata.get("doc_id") not in allowed_docs:
                continue
            items = [unit for unit in section_units(lexical.section_of(hit)) if unit.is_item]
            if len(items) < 3:
                continue
            heading = section_heading(hit)
            claims = _capped_list([Claim(text=unit.text, hit=unit.hit, quote=unit.text) for unit in items])
            return [
                Part([Claim(text=f"{heading}:", hit=hit, quote=heading)], also=True),
                Part(claims, is_list=True, ordered=items[0].ordered, also=True),
            ]
    return []


def _names_the_list(question: str, referenced: list[Part]) -> bool:
    """The question names the referenced list by its heading (`_referenced_list`'s first part is "Heading:")."""
    heading = " ".join(re.findall(r"[\w'-]+", heading_key(referenced[0].claims[0].text).replace("’", "'")))
    asked = " ".join(re.findall(r"[\w'-]+", question.casefold().replace("’", "'")))
    return bool(heading) and f" {heading} " in f" {asked} "


def _second_source(evidence: Evidence, best: ScoredSentence, quoted: list[str], listed: bool = False) -> ScoredSentence | None:
    """The best sentence of another document, if it scores nearly as well and mostly says something new
    (and does not open with a bare "yes" or "no": that answers its own FAQ entry's question)."""
    doc = best.hit.metadata.get("doc_id")
    said = set().union(*(content_terms(text) for text in quoted)) if quoted else set()
    for sentence in evidence.sentences[1:]:
        if sentence.score < ALSO_RATIO * best.score:
            return None
        if sentence.hit.metadata.get("doc_id") == doc or refers_back(sentence.text):
            continue
        if OPENS_WITH_YES.match(sentence.text) or OPENS_WITH_NO.match(sentence.text):
            continue  # a bare "Yes." or "No." answers its own FAQ entry's question, which the "Also" does not quote
        if names_other_parts(evidence.question, sentence) or not _adds_to(evidence, best, sentence, listed):
            continue
        if _lacks_what_best_has(best, sentence, evidence.kind):
            continue
        terms = content_terms(sentence.text)
        if terms and len(terms - said) / len(terms) >= ALSO_NOVELTY:
            return sentence
    return None


def _lacks_what_best_has(best: ScoredSentence, sentence: ScoredSentence, kind: QuestionKind) -> bool:
    """The answer has the kind of detail or the shape the question asks for and the other document's sentence has not:
    "Also: Meet your buddy - paired for your first three months" after "The monthly meeting is on the second Tuesday of
    each month" for "How often do you meet?". (Not the shape of steps: "Members who leave the hospital are removed
    from the channel automatically" adds to "How do I leave the CoP?"'s "Email aicop@stbrigids.ie.")"""
    lacks_shape = kind is not QuestionKind.PROCEDURE and best.shape_match == 1.0 and sentence.shape_match < 1.0
    return lacks_shape or (best.type_match == 1.0 and sentence.type_match == 0.0)


def _adds_to(evidence: Evidence, best: ScoredSentence, sentence: ScoredSentence, listed: bool) -> bool:
    """Whether another document's sentence can add to the answer: not a question put to the reader ("People and
    time: Who will do the work?"), not a definition of a term the question only uses ("Who do I ask about a DPIA?" is
    not answered by what a DPIA is) or, asked what a term is, of another ("What's BrigidNet?": not BrigidLab; a
    definition of another thing may be the bridge to an answer elsewhere: "The Family Man is a 2000 ... film ...
    written by David Diamond and David Weissman", HotpotQA), and not an older record's word on what the question wants the
    newest of ("Next meeting: Tuesday 13 January 2026" from December's minutes for "When is the next meeting?")."""
    question = evidence.question
    return not (
        sentence.text.rstrip().endswith("?")
        or (ASKS_FOR_DEFINITION.search(question) and defines_another_term(question, sentence.text))
        or answers_with_a_definition(question, [sentence.text])
        or (ASKS_FOR_LATEST.search(question) and not sentence.newest and names_its_own_month(sentence.hit.metadata))
        # (nor, after a list, a line that sends the member to it by its heading: "Follow the five golden rules in the
        # onboarding guide." after the five rules)
        or (listed and has_own_heading(best.hit) and content_terms(section_heading(best.hit)) <= content_terms(sentence.text))
    )


def _listed_sections(found: SectionList) -> Draft:
    """A list question answered by a heading's subsections: their headings, each cited to its own section."""
    return Draft(parts=[Part(_capped_list([Claim(text=heading, hit=hit, quote=heading) for heading, hit in found.items]), is_list=True)])


def _document_answer(document: NamedDocument) -> Draft:
    """A question asking for a document answered by its title (quoted where its opening chunk holds it) with where it
    is ("AI Use-Case Proposal Template (guides/ai-use-case-proposal-template.md)"), and the sentence that says what
    it is."""
    title, opening = document.title, document.opening
    found_at = f"{title} ({shown_source(str(opening.metadata.get('source', '')))})"
    parts = [Part([Claim(text=found_at, hit=opening, quote=title if title in opening.text else "")], is_list=True)]
    if (said := document.says_what_it_is) is not None:
        parts.append(Part([Claim(text=said.text, hit=said.hit, quote=said.text)]))
    return Draft(parts=parts)


def _capped_list(claims: list[Claim]) -> list[Claim]:
    """A list's first MAX_ITEMS items, and "…" (cited to the last one kept) if there were more."""
    if len(claims) <= MAX_ITEMS:
        return claims
    return [*claims[:MAX_ITEMS], Claim(text=ELLIPSIS, hit=claims[MAX_ITEMS - 1].hit, quote="")]


def _claim_of(sentence: ScoredSentence) -> Claim:
    return Claim(text=sentence.text, hit=sentence.hit, quote=sentence.text)
