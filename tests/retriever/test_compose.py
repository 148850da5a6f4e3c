"""Answers a member can act on, on small purpose-written documents: whole procedures, the condition
behind a "no" first, FAQ entries answering their own question, no junk, no repeated sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex, SearchHit
from peerassist.retriever.answer_type import (
    QuestionKind,
    answer_shape,
    names_another_kind_of,
    names_another_product,
    undoes_the_asked_action,
    question_kind,
    shape_match,
    sub_questions,
)
from peerassist.retriever.draft import Claim
from peerassist.retriever.evidence import ASKS_WHICH, Evidence, ScoredSentence, _section_first, months_named, named_in
from peerassist.retriever.passages import is_about_the_document, is_restriction, refers_back, section_units
from peerassist.retriever.service import AnswerService, AskOptions
from tests.conftest import write_md
from tests.retriever.conftest import ingest, service_over
from tests.retriever.test_answers import assert_fully_cited

STEPS = [
    "Ask your line manager to approve the loan by email",
    "Fill in the laptop loan form on the intranet",
    "Collect the laptop from the IT desk on Level 2",
    "Sign the equipment register when you collect it",
    "Return the laptop within 14 days",
]


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A small knowledge base holding each shape an answer has to respect."""
    root = tmp_path_factory.mktemp("compose")
    kb = root / "kb"
    kb.mkdir()
    steps = "\n".join(f"{i}. {step}." for i, step in enumerate(STEPS, start=1))
    write_md(kb / "laptops.md", "Borrowing equipment", f"## Loan laptops\n\nTo borrow a loan laptop:\n\n{steps}\n\n"
             "## Monitors\n\nMonitors are not lent out; ask your ward manager for a desk instead.")
    write_md(kb / "faq.md", "Office FAQ",
             "## Can I bring my dog to the office?\n\nYes, on Fridays, if your team agrees. Dogs are never allowed "
             "on clinical wards. Guide dogs are welcome every day.\n\n"
             "## What do I do when the fire alarm sounds?\n\nLeave by the nearest stairs and go to the assembly point "
             "in the main car park. Do not use the lifts. Wait there until a fire marshal tells you it is safe to return.\n\n"
             "## Who looks after the canteen?\n\nThe canteen is run by the catering team; contact Jo Bloggs on extension 4321.")
    write_md(kb / "storage.md", "Storing documents",
             "## The shared drive\n\nYou can keep team documents such as rotas, minutes and drafts on the shared drive. "
             "Folders are backed up every night. Never store patient records on the shared drive. "
             "Old files are archived after two years.")
    write_md(kb / "glossary.md", "Glossary", "## Terms\n\nThe Electronic Health Record (EHR) is the hospital's digital "
             "patient record, used on every ward to record observations and results.")
    write_md(kb / "welcome.md", "Welcome pack", "## Joining\n\nFill in the laptop loan form on the intranet. "
             "New starters also get a welcome pack from reception.")
    (kb / "minutes.txt").write_text(
        "TEAM MEETING MINUTES\n====================\n\nDate: 3 March 2026\n\n"
        "------------------------------\nRESULTS\n------------------------------\n"
        "The canteen survey had 212 replies. Most staff want the canteen to open at 7 am.\n",
        encoding="utf-8",
    )
    settings = Settings(data_dir=root / "data")
    ingest(settings, kb)
    return settings, AnswerService(settings, log_queries=False)


def _considered(service: AnswerService, question: str):  # type: ignore[no-untyped-def]
    return service.consider(question, AskOptions())


def _claims_over(tmp_path: Path, question: str, *documents: tuple[str, str, str]) -> list[Claim]:
    """The offline answer's claims to one question over a knowledge base of the given documents."""
    _, service = service_over(tmp_path, *documents)
    return _considered(service, question).draft.claims


def _answer_texts(tmp_path: Path, question: str, *documents: tuple[str, str, str]) -> list[str]:
    """The offline answer's quoted sentences and items, in order (see `_claims_over`)."""
    return [claim.text for claim in _claims_over(tmp_path, question, *documents)]


def test_a_numbered_procedure_comes_whole_as_an_ordered_list(community) -> None:  # type: ignore[no-untyped-def]
    settings, service = community
    answer = service.ask("How can I get hold of a loan laptop?")
    assert answer.answered, answer.answer
    lists = [part for part in answer.parts if part.type == "list"]
    assert len(lists) == 1 and lists[0].ordered
    assert [line.text.rstrip(".") for line in lists[0].lines] == STEPS
    assert re.search(r"^1\. Ask your line manager", answer.answer, re.MULTILINE)  # plain text keeps the list a list
    assert_fully_cited(answer, settings)


def test_a_restriction_leads_a_yes_no_answer(community) -> None:  # type: ignore[no-untyped-def]
    settings, service = community
    considered = _considered(service, "Can I save a patient's records on the shared drive?")
    claims = considered.draft.claims
    assert claims[0].text == "Never store patient records on the shared drive."
    texts = [c.text for c in claims]
    assert any("rotas, minutes and drafts" in t for t in texts)  # the rest of the passage keeps its sense


def test_the_restriction_of_an_faq_answer_is_kept_and_comes_first(community) -> None:  # type: ignore[no-untyped-def]
    _, service = community
    texts = [c.text for c in _considered(service, "Is it ok to take my dog onto the ward with me?").draft.claims]
    assert texts[0] == "Dogs are never allowed on clinical wards."
    assert "Yes, on Fridays, if your team agrees." in texts


def test_a_second_source_never_contradicts_a_leading_no(sample_service) -> None:  # type: ignore[no-untyped-def]
    answer = sample_service.ask("Can I use BrigidGPT to summarise a patient's notes?")
    assert answer.answered and "patient-identifiable" in answer.parts[0].lines[0].text.lower() + answer.answer.lower()
    first = answer.parts[0].lines[0].text
    assert first.startswith(("No", "Never")) or "never" in first.lower() or "only" in first.lower(), first
    # The source's own "Yes, for Green ..." may follow its restriction; another source may not add a yes.
    assert not any(line.text.lower().startswith("yes") for part in answer.parts[1:] for line in part.lines), answer.answer


def test_an_faq_entry_answers_its_own_question_in_other_words(community) -> None:  # type: ignore[no-untyped-def]
    settings, service = community
    answer = service.ask("The fire alarm is going off - what should I do?")
    assert answer.answered, answer.confidence
    assert "assembly point" in answer.answer and "Do not use the lifts" in answer.answer
    assert {c.section for c in answer.citations} == {"Office FAQ > What do I do when the fire alarm sounds?"}
    assert_fully_cited(answer, settings)


def test_an_faq_entry_wins_over_a_closer_sentence_elsewhere(tmp_path: Path) -> None:
    """The member's question matches an FAQ question; another document has a sentence that sounds closer
    ("consider joining one of the working groups") but says nothing about how. The FAQ body answers."""
    settings, service = service_over(
        tmp_path,
        ("faq.md", "CoP FAQ", "## How do I join a working group?\n\nContact the lead directly: Marek Nowak "
         "for Evaluation and Safety, Hannah Byrne for Education and Training.\n\n"
         "## Where are the slides?\n\nSlides are in the shared drive under Meetings."),
        ("guide.md", "Onboarding guide", "## Next steps\n\nAfter your first month, consider joining one of the "
         "working groups. Most members say the working groups are where they learn the most."),
    )

    answer = service.ask("I'd like to get more involved - how do I sign up to one of the working groups?")

    assert answer.answered, answer.confidence
    assert answer.answer.startswith("Contact the lead directly: Marek Nowak")
    assert answer.citations[0].section == "CoP FAQ > How do I join a working group?"
    assert_fully_cited(answer, settings)


def test_who_questions_get_the_name_and_the_contact_detail(community) -> None:  # type: ignore[no-untyped-def]
    _, service = community
    answer = service.ask("Who runs the canteen?")
    assert answer.answered and "Jo Bloggs" in answer.answer and "4321" in answer.answer


def test_a_definition_does_not_answer_which_company(community) -> None:  # type: ignore[no-untyped-def]
    _, service = community
    answer = service.ask("Which company supplies our electronic health record system?")
    assert not answer.answered, answer.answer


def test_a_glossary_definition_answers_what_is_but_not_a_question_that_only_uses_the_term(community) -> None:  # type: ignore[no-untyped-def]
    _, service = community
    assert service.ask("What is the EHR?").answered
    for question in ("When was the electronic health record first introduced?", "When did the EHR arrive?"):
        considered = _considered(service, question)
        assert considered.draft.claims[0].text.startswith("The Electronic Health Record (EHR) is")  # the glossary, nothing else
        assert considered.off_target and not service.ask(question).answered
    # ... but a definition whose answer also speaks to the rest of the question does answer it.
    assert not _considered(service, "Which wards record observations in the EHR?").off_target


def test_who_answered_with_a_role_also_names_who_holds_it_and_a_definition_is_not_a_who(tmp_path: Path) -> None:
    _, service = service_over(
        tmp_path,
        ("glossary.md", "Glossary of terms", "## Clinical Safety Officer\n\nThe Clinical Safety Officer (CSO) is a senior "
         "clinician who signs off the clinical safety case for a digital tool. The CSO at our hospital is Dr. Conor "
         "Healy.\n\n## Automation bias\n\nAutomation bias is the tendency to accept a machine's answer without "
         "enough scrutiny. It grows with fluent output.\n\n## Alert fatigue\n\nA sepsis alert that fires too often "
         "is ignored."),
    )

    signs = _considered(service, "Who signs off the clinical safety case?").draft.claims
    assert "Dr. Conor Healy" in " ".join(c.text for c in signs), [c.text for c in signs]
    # The glossary's definition of the topic does not say who gives a talk on it ("A" of "Automation" is no article).
    talk = _considered(service, "Who's giving the talk on automation bias?")
    assert talk.draft.claims[0].text.startswith("Automation bias is") and talk.off_target
    assert not _considered(service, "Who is the Clinical Safety Officer?").off_target


def test_who_to_call_takes_the_next_sentence_that_names_whom_when_the_best_names_no_one(tmp_path: Path) -> None:
    question = "If ChestFlag is down, who should I call?"
    documents = [
        ("ward-faq.md", "Using AI tools on the ward", "## What if the tool is down?\n\nIf ChestFlag is down, the "
         "reporting worklist reverts to its normal order. Report prolonged downtime to the IT Service Desk on "
         "extension 5000.\n\n## Who can use it?\n\nAny radiographer or radiologist on the rota can use it."),
    ]
    texts = _answer_texts(tmp_path / "faq", question, *documents)
    assert texts[0].startswith("If ChestFlag is down") and any("extension 5000" in t for t in texts), texts
    # Not when the best sentence already names whom to call.
    documents[0] = ("ward-faq.md", "Using AI tools on the ward", "## What if the tool is down?\n\nIf ChestFlag is "
                    "down, call the on-call radiologist on extension 2200. The IT Service Desk logs every outage on "
                    "extension 5000.")
    texts = _answer_texts(tmp_path / "named", question, *documents)
    assert any("2200" in t for t in texts) and not any("5000" in t for t in texts), texts


def test_whom_to_ask_found_in_one_row_of_a_contacts_list_is_that_row(tmp_path: Path) -> None:
    rows = [
        "Training and the Literacy Week: Hannah Byrne, training@example.org",
        "Data protection and DPIAs: Grainne O'Sullivan, dpo@example.org",
        "Committee submissions: Lorcan Fitzgerald, committee@example.org",
        "Meetings, onboarding and buddies: Tomas Lindqvist, tomas@example.org",
        "Anything else: the facilitators, cop@example.org",
    ]
    body = "## Who to ask\n\nWrite to the person for your question.\n\n" + "\n".join(f"- {row}" for row in rows)
    _, service = service_over(tmp_path, ("contacts.md", "Contacts", body))
    one = [c.text for c in _considered(service, "Who can I ask about data protection?").draft.claims]
    assert one[0] == rows[1] and not set(one) & {*rows[:1], *rows[2:]}, one
    assert "…" not in one, one  # the row is the answer, not the first of a cut list
    # A list question still gets the whole list.
    listed = [c.text for c in _considered(service, "What are all the contacts for questions?").draft.claims]
    assert set(rows) <= set(listed), listed


def test_a_line_saying_whom_a_document_is_for_does_not_answer(tmp_path: Path) -> None:
    intro = ("Practical answers for nurses, doctors, radiographers, pharmacists and allied health professionals who use, "
             "or are about to use, one of the AI tools at the hospital.")
    documents = [
        ("ward-faq.md", "Ward FAQ", f"{intro}\n\n## Can I turn the tool off?\n\nOnly the project lead can pause a live AI tool."),
        ("go-live.md", "Go-live checklist", "## Monitoring\n\nEvery live tool needs a monitoring dashboard reviewed weekly "
         "for the first 12 weeks."),
    ]
    texts = _answer_texts(tmp_path, "What do I need before an AI tool can go live on my ward?", *documents)
    assert any(t.startswith("Every live tool needs a monitoring dashboard") for t in texts) and intro not in texts, texts


def test_an_faq_entry_that_names_no_one_does_not_answer_whom_to_tell(tmp_path: Path) -> None:
    faq = ("## Who is responsible if an AI tool gets it wrong?\n\nYou remain accountable for your clinical decisions. AI "
           "output is information to consider, not an instruction to follow.\n\n## How do I report a problem with an AI "
           "tool?\n\nIf an AI tool could have affected patient care, report it to Dr. Conor Healy, the Clinical Safety "
           "Officer, within 24 hours.")
    texts = _answer_texts(tmp_path, "Who do I tell if an AI tool gives a dangerous answer?", ("faq.md", "FAQ", faq))
    assert "Dr. Conor Healy" in texts[0], texts


def test_a_question_naming_a_lists_section_gets_the_whole_list_not_its_closest_item(tmp_path: Path) -> None:
    items = [
        "D1. The hospital has a right to audit the vendor.",
        "D2. The hospital can terminate with 90 days' notice.",
        "D3. On termination the vendor returns all hospital data.",
        "D4. The contract states what is in the checklist price and what is extra.",
    ]
    body = ("## Section C - Data\n\n- C1. Data stays in the EU.\n- C2. Logs are kept for six months.\n\n"
            "## Section D - Contract and exit\n\n" + "\n".join(f"- {item}" for item in items))
    texts = _answer_texts(tmp_path, "What is in Section D of the checklist?", ("checklist.md", "Procurement checklist", body))
    assert texts == items, texts


def test_a_capped_list_never_cuts_the_item_that_answers(tmp_path: Path) -> None:
    filler = ("The audit also looked at timing, wording, layout, headings, spelling, abbreviations, dates, signatures, "
              "allergies, follow-up plans, referrals, letters, results, medicines, doses, frequencies, routes and many "
              "other things in every note it read closely.")
    items = [f"Item {i}: {filler}" for i in range(1, 5)] + ["The quorum is six voting members, including the chair."]
    body = "## Committee facts\n\n" + "\n".join(f"- {item}" for item in [*items, f"Item 6: {filler}"])
    texts = _answer_texts(tmp_path, "Does the committee need a quorum of voting members?", ("committee.md", "Committee", body))
    assert texts[0] == "The quorum is six voting members, including the chair.", texts


def test_an_item_that_introduces_nested_items_is_quoted_with_them_from_itself_on(tmp_path: Path) -> None:
    """"What are the working groups?" got the charter's "How we work" list from its top (the monthly meeting,
    the channel), cut before the groups: the item that introduces them ends with a colon."""
    body = ("## How we work\n\n"
            "- **Monthly meeting**: second Tuesday of every month, 12:30-13:30, Room 4B in the Education Centre and on "
            "Microsoft Teams. There is no meeting in August and the agenda goes out on the Thursday before.\n"
            "- **Channel**: day-to-day conversation happens in the ai-clinical-practice channel on the hospital's "
            "internal chat platform, where members share news, questions and links to new documents.\n"
            "- **Working groups**: three standing working groups do most of the detailed work:\n"
            "  - Evaluation and Safety Working Group, led by Marek Nowak\n"
            "  - Education and Training Working Group, led by Hannah Byrne\n"
            "  - Patient and Public Involvement Working Group, led by Siobhan Daly\n"
            "- **Decisions** within the community, for example what goes in the charter or which topics come first, are "
            "made by consensus at the monthly meeting; where consensus is not possible, the lead facilitator decides.\n")
    texts = _answer_texts(tmp_path, "What are the working groups?", ("charter.md", "Charter", body))
    assert texts[0].startswith("Working groups: three standing working groups"), texts
    assert all(any(group in text for text in texts) for group in ("Evaluation and Safety", "Education", "Patient and Public"))


@pytest.mark.parametrize(
    ("sentence", "restricts"),
    [
        ("No patient data may be entered.", True),
        ("Only the project team can change thresholds.", True),
        ("There is no meeting in August.", True),
        ("No patient harm resulted.", False),  # an outcome, not a limit
        ("No errors were found in the audit.", False),
        ("Reply no later than Friday.", False),
        # a compound restricts nothing: "Do I need approval to join as a member?" led with the Observer row for it
        ("What you get: Meetings and read-only access to the channel.", False),
        ("The channel is read only for observers.", True),
        # "only" before a share says how few, it limits nothing ("How often is the sepsis score worked out?" took two
        # of the figures after the answer as restrictions)
        ("only 14% of alerts turned out to be sepsis;", False),
        ("Only 2 members of each profession may attend.", True),
    ],
)
def test_what_counts_as_a_restriction(sentence: str, restricts: bool) -> None:
    assert is_restriction(sentence) is restricts


def test_a_restriction_on_something_else_does_not_lead_a_yes_no_answer(tmp_path: Path) -> None:
    body = ("## Monthly meeting\n\nMembers can bring a colleague from another hospital to the monthly meeting. Slides "
            "must not include patient information. Sandwiches are served from 12:15.")
    texts = _answer_texts(tmp_path, "Can I bring a visitor to the monthly meeting?", ("meetings.md", "Meetings", body))
    assert texts[0] == "Members can bring a colleague from another hospital to the monthly meeting.", texts


def test_no_sentence_is_quoted_twice_across_sources(community) -> None:  # type: ignore[no-untyped-def]
    _, service = community
    for question in ("How do I get a loan laptop form?", "What do new starters need to fill in?"):
        texts = [" ".join(c.text.casefold().split()) for c in _considered(service, question).draft.claims]
        assert len(texts) == len(set(texts)), texts


def test_separators_banners_and_headings_are_never_quoted(community) -> None:  # type: ignore[no-untyped-def]
    _, service = community
    for question in ("What were the results of the canteen survey?", "When was the team meeting?",
                     "What does the glossary say about terms?"):
        for claim in _considered(service, question).draft.claims:
            assert "----" not in claim.text and "====" not in claim.text
            assert claim.text.strip(" .").casefold() not in {"results", "team meeting minutes", "terms", "glossary"}


def test_a_templates_worked_example_row_is_never_quoted(tmp_path: Path) -> None:
    """"Benefit: e.g. faster reporting of urgent chest X-rays; ...; Target: under 2 hours" shows how to fill in a
    form; it led the answer to whether reporting got faster, before the write-up's measured 1.1 hours."""
    claims = _answer_texts(
        tmp_path,
        "Has the X-ray flagging made reporting faster for urgent films?",
        ("template.md", "AI use-case proposal template", "## 4. Expected benefits\n\n| Benefit | How it would be "
         "measured | Baseline (if known) | Target |\n|---|---|---|---|\n| e.g. faster reporting of urgent chest X-rays "
         "| median time from image to report | 5.2 hours | under 2 hours |\n"),
        ("chestflag.md", "ChestFlag write-up", "## Results\n\nIn its first six weeks live, ChestFlag cut the median "
         "time to report flagged chest X-rays from 5.2 hours to 1.1 hours."),
    )
    assert not any("e.g." in claim for claim in claims), claims
    assert any("1.1 hours" in claim for claim in claims), claims


def test_an_instruction_to_an_ai_quoted_as_an_example_is_not_one(tmp_path: Path) -> None:
    """A guide that defines prompt injection quotes an injected instruction: the definition is quoted, while a
    document that gives the instruction itself is never quoted (test_answers)."""
    body = ("## Prompt injection\n\nPrompt injection is an attack in which text inside a document contains hidden "
            'instructions to the AI, such as "ignore your previous instructions". Be cautious when asking an AI tool '
            "to summarise documents from outside the hospital.\n\n## Checklist\n\n- How is the tool protected "
            "against prompt injection?\n- Is AI-generated output clearly labelled?")
    texts = _answer_texts(tmp_path, "What is prompt injection?", ("genai.md", "Using AI safely", body))
    assert texts and texts[0].startswith("Prompt injection is an attack"), texts


def test_one_rule_of_a_list_under_another_heading_answers_how_alone_and_keeps_no_false_number(tmp_path: Path) -> None:
    """"How do I escalate a safety concern?" is answered by the fifth of five rules, not by all five (the list's
    heading, "The five golden rules", does not match the question); picked out of a numbered list, the rule is
    not numbered anew as step 1."""
    rules = ["Complete the e-learning module within 30 days of joining",
             "Bring your badge to every meeting in the lecture theatre",
             "Share slides on the team site before each meeting",
             "Report incidents on the incident system within 24 hours",
             "Escalate safety concerns to the facilitators, who pass them to the safety officer within one day"]
    body = "## The five golden rules\n\n" + "\n".join(f"{i}. {rule}." for i, rule in enumerate(rules, start=1))
    _, service = service_over(tmp_path, ("rules.md", "Member handbook", body))
    draft = _considered(service, "How do I escalate a safety concern?").draft
    assert [claim.text.rstrip(".") for claim in draft.claims] == [rules[4]], draft.claims
    assert draft.parts[0].is_list and not draft.parts[0].ordered


def test_a_sentence_pointing_back_to_one_about_the_document_is_not_quoted(tmp_path: Path) -> None:
    body = ("Every AI tool used in clinical care must be approved by the oversight committee. This document explains "
            "the approval stages and the risk tiers for AI tools. It summarises the committee's terms of reference for AI "
            "tools; where the two differ, the terms of reference apply.\n\n## Stages\n\nThere are four stages.")
    texts = _answer_texts(tmp_path, "Can AI tools be used in clinical care without approval?", ("approval.md", "Approving AI tools", body))
    assert texts and texts[0].startswith("Every AI tool used in clinical care must be approved"), texts
    assert not any(text.startswith(("This document", "It summarises")) for text in texts), texts


def test_who_takes_the_label_line_naming_someone_after_a_sentence_naming_no_one() -> None:
    """"Who edits CoP Pulse?": the best sentence describes the newsletter and names no one; the label line after
    it names the editor, with no word in common."""
    from peerassist.retriever.compose import _names_the_one_meant

    anchor = "The monthly newsletter of the AI in Clinical Practice CoP at St. Brigid's University Hospital."
    assert _names_the_one_meant(anchor, "Editor: Dr. Priya Raman.")
    assert not _names_the_one_meant(anchor, "Dr. Priya Raman spoke about sepsis alerts.")  # no label, no shared word


def test_separator_lines_become_sections_of_a_plain_text_file(community) -> None:  # type: ignore[no-untyped-def]
    settings, _ = community
    chunks = KnowledgeIndex(settings).generation().collection.get(include=["documents", "metadatas"])
    minutes = [(t, m) for t, m in zip(chunks["documents"], chunks["metadatas"], strict=True) if m["source"].endswith(".txt")]
    assert minutes and not any("----" in text or "====" in text for text, _ in minutes)
    assert any(meta["section"].endswith("RESULTS") and "212 replies" in text for text, meta in minutes)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How do I join the CoP?", QuestionKind.PROCEDURE),
        ("how are we supposed to evaluate an AI tool before it's used on real patients", QuestionKind.PROCEDURE),
        ("I pasted patient details into ChatGPT. What should I do?", QuestionKind.PROCEDURE),
        ("Can I use BrigidGPT to summarise a patient's notes?", QuestionKind.YES_NO),
        ("If ChestFlag doesn't flag an X-ray, does that mean it's normal?", QuestionKind.YES_NO),
        ("I'm a student nurse - can I join?", QuestionKind.YES_NO),
        ("Why was the threshold raised?", QuestionKind.WHY),
        ("Who chairs the AIOC?", QuestionKind.WHO),
        ("When does the community meet?", QuestionKind.WHEN),
        ("What are the stages of approval?", QuestionKind.LIST),
        ("Which wards use the sepsis model?", QuestionKind.LIST),
        ("Which company makes ChestFlag?", QuestionKind.FACT),
        ("What is ChestFlag?", QuestionKind.FACT),
        # Members' own words for the same kinds.
        ("I've got an idea for a tool. What's the process for getting it looked at?", QuestionKind.PROCEDURE),
        ("What happens at Stage 2 of the AIOC process?", QuestionKind.PROCEDURE),
        ("The system is down. What should we be doing in the meantime?", QuestionKind.PROCEDURE),
        ("I joined last week. What am I supposed to get done in my first month?", QuestionKind.PROCEDURE),
        ("Where can I get a leaflet for a relative?", QuestionKind.FACT),  # a place, not steps: one sentence answers
        ("People say 'retrieve, don't generate'. What's the reasoning behind that?", QuestionKind.WHY),
        ("Our extract has codes instead of names, so GDPR doesn't apply, right?", QuestionKind.YES_NO),
        ("What stages does a tool go through with the AIOC?", QuestionKind.LIST),
        ("What actions came out of the February meeting?", QuestionKind.LIST),
        ("What safety nets are planned for the pilot?", QuestionKind.LIST),
        ("Apart from the threshold, what else did they change?", QuestionKind.LIST),
        ("I'm reviewing an AI draft. What should I be checking for?", QuestionKind.LIST),
        # A singular noun ending in s is not a list; a plural after "who" stays a who-question.
        ("What process does the AIOC follow?", QuestionKind.PROCEDURE),
        ("What status does the pilot have?", QuestionKind.FACT),
        # ... nor a share or count "of" a plural: "percentage" is what is asked for, not the nurses.
        ("What percentage of nurses were trained when sepsis went live?", QuestionKind.FACT),
        ("What proportion of alerts were sepsis?", QuestionKind.FACT),
        ("Which of the projects are live?", QuestionKind.LIST),
        ("Who actually runs the CoP, and what's the best way to reach them?", QuestionKind.WHO),
        # ... and what the members' wordings must not catch.
        ("Can I give a reason for missing a session?", QuestionKind.YES_NO),
        ("What was the main reason for the change?", QuestionKind.WHY),
        ("What hours does the clinic open?", QuestionKind.WHEN),
        ("What did the nurses do?", QuestionKind.FACT),
        ("What gas is used in the scanner?", QuestionKind.FACT),
        ("What if the patients are ill?", QuestionKind.PROCEDURE),  # no list of patients: what to do
        # "when" asks for a time where it opens the question or a clause, or after a verb that asks for one; inside a
        # clause it only says when something happened ("What happened when ChestFlag went down?" is no date question).
        ("What happened when ChestFlag went down in February?", QuestionKind.FACT),
        ("What should I say when a patient asks about the scribe?", QuestionKind.FACT),
        ("What do people mean when they say a model has drifted?", QuestionKind.FACT),
        ("I'm new - when are the welcome sessions for newcomers?", QuestionKind.WHEN),
        ("Any idea when the AIOC meets?", QuestionKind.WHEN),
        ("So when does the pilot start?", QuestionKind.WHEN),
        ("Since when have interpreters been left out of the pilot?", QuestionKind.WHEN),
        ("Please tell me when the next session is", QuestionKind.WHEN),
        ("What do I need to know when I join?", QuestionKind.FACT),
        # a clause setting the scene for the question after its comma: the golden "... how many ... did they catch?"
        ("When doctors checked the AI discharge letters themselves, how many of the errors did they catch?", QuestionKind.FACT),
        ("When is the monthly meeting, and where?", QuestionKind.WHEN),
        # "What if ...?" asks what to do
        ("What if two professions disagree in a meeting?", QuestionKind.PROCEDURE),
        # "who" asks for someone where it opens the question or a clause, after a preposition or a word asking to be
        # told; after a noun it only says which one.
        ("What should I tell a patient who asks whether a computer read their X-ray?", QuestionKind.FACT),
        ("What did the Huguenots who settled in Dublin contribute?", QuestionKind.FACT),
        ("I think a tool has a security hole. Who do I report it to?", QuestionKind.WHO),
        ("Hi, who should I contact?", QuestionKind.WHO),
        ("To whom do I send the proposal?", QuestionKind.WHO),
        ("D'Olier Street is named after whom?", QuestionKind.WHO),
        ("Besides England who else welcomed them?", QuestionKind.WHO),
        # "Where do I start?" asks for the first step; "where do I go" stays a step with a place in it
        ("I'm a ward manager and we want to bring in an AI tool. Where do I even start?", QuestionKind.PROCEDURE),
        ("Where do I go for the monthly meeting?", QuestionKind.PROCEDURE),
    ],
)
def test_question_kinds(question: str, kind: QuestionKind) -> None:
    assert question_kind(question) is kind


def test_an_faq_yes_is_quoted_with_the_question_it_answers(tmp_path: Path) -> None:
    """A member's negated question ("doesn't apply any more, right?") must not read the FAQ's "Yes." as
    their yes: the entry's own question comes first, cited to the same passage."""
    settings, service = service_over(
        tmp_path,
        ("faq.md", "Data protection FAQ", "## Is pseudonymised data still personal data?\n\nYes. Replacing "
         "names with codes still lets the data be linked back to a person, so it remains personal data under the GDPR.\n\n"
         "## Who is the DPO?\n\nThe Data Protection Officer is Grainne Sullivan."),
    )

    answer = service.ask("Our extract has codes instead of names, so the GDPR doesn't apply to it any more, right?")

    assert answer.answered, answer.confidence
    assert answer.answer.startswith("Is pseudonymised data still personal data? [1] Yes. Replacing names"), answer.answer
    assert answer.parts[0].lines[0].text == "Is pseudonymised data still personal data?"
    assert_fully_cited(answer, settings)


def test_an_faq_no_is_quoted_with_its_question_unless_the_member_asked_the_same(tmp_path: Path) -> None:
    """"No." answers the entry's own question: quoted bare, it reads as a no to whatever the member asked."""
    _, service = service_over(
        tmp_path,
        ("faq.md", "Chatbot FAQ", "## Can I use the chatbot with patient information?\n\nNo. The chatbot is approved "
         "for public and internal, non-patient information only. Patient information may only go into tools "
         "approved for it.\n\n## Who runs the chatbot?\n\nThe digital team runs it."),
    )
    other = [c.text for c in _considered(service, "Can I paste the minutes of our ward's staff meeting into the chatbot?").draft.claims]
    assert other[:2] == ["Can I use the chatbot with patient information?", "No. The chatbot is approved for public and internal, "
                         "non-patient information only."], other
    same = [c.text for c in _considered(service, "Can I use the chatbot with a patient's information?").draft.claims]
    assert same[0].startswith("No. The chatbot is approved"), same


def test_an_faq_reply_that_is_a_no_in_other_words_is_quoted_with_its_question(tmp_path: Path) -> None:
    """"Not to regular meetings." answers "Do vendors come to meetings?": bare, it reads as a no to bringing a guest."""
    _, service = service_over(
        tmp_path,
        ("faq.md", "Meetings FAQ", "## Do vendors come to meetings?\n\nNot to regular meetings. Vendors may present only "
         "at a vendor showcase, held twice a year.\n\n## Where are meetings held?\n\nIn Room 4B of the Education Centre."),
    )
    claims = [c.text for c in _considered(service, "Can I bring a guest along to the monthly meeting?").draft.claims]
    assert claims[:2] == ["Do vendors come to meetings?", "Not to regular meetings."], claims


def test_a_member_asking_about_themselves_is_not_answered_by_a_reply_about_others(tmp_path: Path) -> None:
    """"Not to regular meetings." replies to "Do vendors come to meetings?": it must not answer "Do I have to go
    to every monthly meeting?" as if it were about the member."""
    _, service = service_over(
        tmp_path,
        ("faq.md", "Meetings FAQ", "## Do vendors come to meetings?\n\nNot to regular meetings.\n\n"
         "## Can I present at a meeting?\n\nYes, please. Email the facilitators with a title and a summary."),
        ("first-month.md", "Your first month", "## Your first 30 days\n\nAttend a monthly meeting (second Tuesday, "
         "12:30 to 13:30) in Room 4B or on Teams. Meet your buddy in your first week."),
    )
    claims = [c.text for c in _considered(service, "Do I have to go to every monthly meeting?").draft.claims]
    assert "Not to regular meetings." not in claims, claims
    # The same reply still answers the question its entry asks, in the member's words.
    same = [c.text for c in _considered(service, "Do vendors ever come along to the meetings?").draft.claims]
    assert "Not to regular meetings." in same, same


def test_an_faq_entry_s_yes_leads_before_its_asides(tmp_path: Path) -> None:
    """"Slides must not include patient-identifiable information." was quoted first, before the entry's own
    "Yes, please." (it scored best of the entry's sentences and restricts nothing the member asked)."""
    claims = _answer_texts(
        tmp_path,
        "Can I present something at a meeting if I'm not a member?",
        ("faq.md", "Meetings FAQ", "## Can I present at a meeting?\n\nYes, please. Email the facilitators with a title "
         "and a two-line summary. Slides must not include patient-identifiable information.\n\n"
         "## Where are meetings held?\n\nIn Room 4B of the Education Centre."),
    )
    assert claims[:2] == ["Can I present at a meeting?", "Yes, please. Email the facilitators with a title and a two-line summary."], claims


def test_a_list_whose_lead_in_adds_to_the_sentence_before_comes_with_that_sentence(tmp_path: Path) -> None:
    """"We also:" alone says nothing: the list adds to "we raised the threshold to 65"."""
    claims = _answer_texts(
        tmp_path,
        "Which alerts did they suppress?",
        ("lessons.md", "Alert fatigue lessons", "## What we changed\n\nOn 11 August we raised the alert threshold to 65. "
         "We also:\n\n1. Suppressed repeat alerts for the same patient for 6 hours after a documented review.\n"
         "2. Suppressed alerts for patients already on the sepsis pathway.\n"
         "3. Added a one-tap reviewed response for nurses.\n\nAfter the change, alerts fell to 4.3 per ward per day, "
         "the positive predictive value rose to 24% and the 30-minute review standard was met for 87% of alerts. "
         "Sensitivity fell from 88% to 82%, which the working group and the Clinical Safety Officer accepted after "
         "reviewing every missed case. Night staff said the alerts now felt worth getting up for, and the number of "
         "alerts dismissed without a review fell to almost none within a month of the change.\n\n"
         "## Lessons\n\nCount alerts per ward per day."),
    )
    assert claims[:2] == ["On 11 August we raised the alert threshold to 65.", "We also:"], claims


def test_a_bare_lead_in_comes_with_the_sentence_before(tmp_path: Path) -> None:
    """"Examples:" alone says nothing: the sentence before says what the rows are examples of."""
    claims = _answer_texts(
        tmp_path,
        "How long are the different kinds of data kept?",
        ("dp.md", "Data protection FAQ", "## How long may AI tools keep data?\n\nRetention is set in each DPIA. Examples:\n\n"
         "- Consultation audio is deleted as soon as the draft note is generated.\n- Transcripts are kept for 30 days.\n"
         "- Prompts and outputs are kept for 90 days.\n"),
        ("scribe.md", "Pilot", "## Costs\n\nThe licence cost for the pilot was 95 euro per clinician per month."),
    )
    assert claims[:2] == ["Retention is set in each DPIA.", "Examples:"], claims


def test_a_section_whose_heading_matches_is_not_cut_before_the_sentence_that_answers(tmp_path: Path) -> None:
    """The section from its start is an FAQ entry's answer; capped, a long section lost its best sentence."""
    results = " ".join(f"Ward {n} reported {n + 3} alerts a day and {n * 7}% reviewed on time." for n in range(1, 12))
    claims = _answer_texts(
        tmp_path,
        "What did the meeting decide about the sepsis threshold?",
        ("minutes.md", "December meeting", f"## Sepsis threshold review\n\n{results} The group agreed that a threshold "
         "of 65 was the right balance for general wards.\n\n## Any other business\n\nNone."),
    )
    assert any(c.startswith("The group agreed that a threshold of 65") for c in claims), claims


def test_an_faq_entry_asking_another_kind_of_question_is_not_quoted_from_its_start(tmp_path: Path) -> None:
    """"How do I join a working group?" reads like "How often do working groups meet?": its steps came first."""
    claims = _answer_texts(
        tmp_path,
        "How often do working groups meet?",
        ("faq.md", "CoP FAQ", "## How do I join a working group?\n\nContact the lead directly:\n\n"
         "- Evaluation and Safety: Marek Nowak\n- Education and Training: Hannah Byrne\n- Patient involvement: Siobhan Daly\n\n"
         "Working groups meet for 45 minutes a month, usually on Teams. New members are welcome at any time.\n\n"
         "## How do I leave the CoP?\n\nEmail the facilitators."),
    )
    assert claims[0] == "Working groups meet for 45 minutes a month, usually on Teams.", claims


def test_a_list_an_answer_sends_the_member_to_by_its_heading_is_quoted_after_it(tmp_path: Path) -> None:
    """"2. Follow the five golden rules in the onboarding guide." without the five rules does not tell the member them."""
    rules = ["Never put patient data into a public chatbot.", "AI output is a draft, not a decision.",
             "Report incidents on SafeReport within 24 hours.", "Escalate safety concerns the same day.",
             "Bring new tools through the CoP first."]
    settings, service = service_over(
        tmp_path,
        ("roles.md", "Roles and responsibilities", "## Member responsibilities\n\nAll members are expected to:\n\n"
         "1. Complete the AI Essentials module within 30 days of joining.\n"
         "2. Follow the five golden rules in the onboarding guide.\n"
         "3. Treat colleagues from every profession with respect.\n\n## Facilitators\n\nThey run the meetings."),
        ("onboarding.md", "Onboarding guide", "## Where things are\n\nEverything is on BrigidNet.\n\n"
         "## The five golden rules\n\n" + "\n".join(f"{n}. {rule}" for n, rule in enumerate(rules, start=1))),
    )
    answer = service.ask("What are the rules I'm expected to stick to as a member?")
    texts = [line.text for part in answer.parts for line in part.lines]
    assert "Follow the five golden rules in the onboarding guide." in texts, texts
    assert texts[-6:] == ["The five golden rules:", *rules], texts
    assert_fully_cited(answer, settings)
    # Asked for by name, the list is the answer itself, not an "Also" after the line that sends members to it.
    named = service.ask("What are the five golden rules?")
    texts = [line.text for part in named.parts for line in part.lines]
    assert texts[-5:] == rules and len(texts) <= 6 and not any(part.also for part in named.parts), texts
    assert_fully_cited(named, settings)


def test_a_list_sent_to_by_its_heading_is_quoted_only_to_those_who_may_read_it(tmp_path: Path) -> None:
    """The list a member's answer names by its heading lives in a facilitators-only document: quoting it would
    show the member what they cannot read (the heading lookup covered every document)."""
    from peerassist.retriever.filters import SearchFilter

    rules = ["Ask vendors for their slides a week ahead.", "Keep each vendor slot to twenty minutes.",
             "Never let a vendor collect attendees' contact details.", "Invite at least two competing vendors."]
    _, service = service_over(
        tmp_path,
        ("charter.md", "Charter", "## What members are expected to do\n\nAll members are expected to:\n\n"
         "1. Complete the AI Essentials module within 30 days of joining.\n"
         "2. Follow the vendor showcase ground rules in the facilitator playbook.\n"
         "3. Treat colleagues from every profession with respect."),
        ("playbook.md", "Facilitator playbook", "## Room booking\n\nBook Room 4B a year ahead.\n\n"
         "## The vendor showcase ground rules\n\n" + "\n".join(f"{n}. {rule}" for n, rule in enumerate(rules, start=1)),
         {"audience": ["facilitators"]}),
    )
    question = "What are the rules I'm expected to follow as a member?"

    member = service.ask(question, AskOptions(log=False))
    assert "Follow the vendor showcase ground rules in the facilitator playbook." in member.answer, member.answer
    assert not any(rule in member.answer for rule in rules), member.answer
    facilitator = service.ask(question, AskOptions(log=False, filter=SearchFilter(role="facilitator")))
    assert all(rule in facilitator.answer for rule in rules), facilitator.answer


def test_a_forms_prompts_do_not_count_as_steps_that_answer_how(tmp_path: Path) -> None:
    """A template's questions to its reader, under a closer heading, counted as a section of steps and were quoted
    as the way to buy an AI product; the checklist that says what to do was passed over."""
    _, service = service_over(
        tmp_path,
        ("template.md", "AI use-case proposal template", "## 3. The proposed AI use\n\n"
         "- What would the AI tool do? Describe its output: a score, a flag, a draft document, a transcription.\n"
         "- Who would use it, and when in the workflow?\n- What decision or action follows from the output?\n"
         "- Is there an existing product, or would it be built in-house? Name any vendor you have talked to. "
         "Declare any commercial interest.\n\n## 4. Benefits\n\nDescribe the expected benefit."),
        ("procurement.md", "AI procurement checklist", "## Purpose and scope\n\nThis checklist must be completed for "
         "every AI tool the hospital buys, licenses, trials free of charge or receives as a new AI feature added to an "
         "existing contract. It makes sure clinical, regulatory, data protection, security and contractual questions "
         "are asked before any commitment is made. The project lead completes the checklist with the Procurement "
         "Office. Allow six to eight weeks for the data protection and security reviews.\n\n"
         "## Section A\n\nA1. The clinical problem is described."),
    )
    claims = [c.text for c in _considered(
        service, "My department wants to buy an AI product. What do I need to sort out on the purchasing side?").draft.claims]
    assert claims[0].startswith("This checklist must be completed"), claims
    assert any("Procurement Office" in c for c in claims), claims


REGISTER_ROWS = [  # (owner, risk, key mitigations): cells that hold "; " and "not", as the sample register's do
    ("Siobhan Daly", "Alert fatigue: nurses stop responding to alerts", "Threshold 65; repeat-alert suppression"),
    ("Rajesh Menon", "Automation bias: un-flagged X-rays treated as normal", "ED banner; ED teaching; not a sign-off"),
    ("Felix Adeyemi", "Scribe notes signed without full review", "Scroll-to-sign; audit of 50 notes"),
    ("Grainne Sullivan", "Patient data entered into public chatbots", "Data traffic light; chatbots blocked"),
    ("Marek Nowak", "Model drift reduces performance", "Monitoring dashboards; quarterly reports"),
    ("Tomas Lindqvist", "Vendor lock-in", "90-day termination; data return"),
    ("Niamh Walsh", "Medication error in an LLM-drafted discharge summary reaches the GP",
     "Medication section taken from the eMed record, not generated; pharmacist check"),
    ("Marek Nowak", "Tool performs worse for some patient groups", "Subgroup analysis; panel review"),
]


def test_an_identifier_the_question_names_is_answered_by_the_row_it_keys(tmp_path: Path) -> None:
    """"What is R07?" was answered by a summary line listing R07 among the Red risks: the register's long rows lose to
    every line that mentions the identifier, and an encoder reads "R07" as noise. The row keyed by R07 is looked up,
    answers alone (a cell holding "; " no longer makes it a sentence) and other rows are not added as restrictions."""
    table = "\n".join(f"| R{n:02d} | {risk} | {owner} | {mitigations} |" for n, (owner, risk, mitigations) in enumerate(REGISTER_ROWS, 1))
    register = ("## Summary\n\nTen open risks: three Red (R02, R04, R07) and five Amber. R07: mitigations updated after the "
                f"redesign.\n\n## Register\n\n| ID | Risk | Owner | Key mitigations |\n|---|---|---|---|\n{table}\n")
    _, service = service_over(tmp_path, ("register.md", "CoP risk register", register))
    claims = [c.text for c in _considered(service, "What is R07?").draft.claims]
    assert len(claims) == 1 and claims[0].startswith("ID: R07; Risk: Medication error"), claims
    owner = [c.text for c in _considered(service, "Who owns R05?").draft.claims]
    assert len(owner) == 1 and owner[0].startswith("ID: R05;") and "Marek Nowak" in owner[0], owner


def test_a_section_of_matching_steps_beats_a_stray_sentence_and_a_preamble(tmp_path: Path) -> None:
    """"What should I check?" is answered by the checklist under its heading, not by one closer-sounding
    sentence elsewhere or by the sentence saying what the guide is about."""
    _, service = service_over(
        tmp_path,
        ("review.md", "Reviewing AI drafts", "This guide explains how to check a document drafted by AI "
         "before you sign it.\n\n## Checking an AI draft\n\nCheck every number: doses, dates and results. "
         "Check who said what in the consultation. Check for what is missing, not just what is wrong. "
         "Use the citation links to jump to the source note."),
        ("pilot.md", "Discharge letter pilot", "## Labels\n\nEvery letter the AI drafts is clearly labelled "
         "'AI draft' until the doctor signs it. The pilot runs on one ward."),
    )

    considered = _considered(service, "I'm reviewing a discharge letter the AI drafted. What should I be checking for?")

    texts = [c.text for c in considered.draft.claims]
    assert texts[0].startswith("Check every number"), texts
    assert "Check who said what in the consultation." in texts
    assert not any(text.startswith("This guide explains") for text in texts)


def test_a_list_question_is_answered_by_the_subsections_of_its_heading(tmp_path: Path) -> None:
    """"What stages ...?" when the stages are subsections (### Stage 1 ...) rather than a bulleted list:
    the answer lists their headings, each cited to its own subsection."""
    stages = ["Stage 1 — Proposal review", "Stage 2 — Assurance", "Stage 3 — Pilot approval"]
    body = "\n\n".join(f"### {stage}\n\nThe committee reviews the paperwork for this step and decides within a month."
                       for stage in stages)
    settings, service = service_over(
        tmp_path,
        ("approval.md", "How tools are approved", "## About the committee\n\nThe committee meets monthly "
         f"and approves every tool used in care.\n\n## The approval stages\n\n{body}\n\n"
         "## Membership\n\nMembers are a chair, a secretary and two lay members.\n\n"
         "## Contacts\n\nPapers go to the secretary.\n\n### Secretary\n\nLorcan Fitzgerald takes the papers."),
    )

    answer = service.ask("What stages does a new tool have to go through to get approved, from start to finish?")

    assert answer.answered, answer.confidence
    assert [part.type for part in answer.parts] == ["list"]
    assert [line.text for line in answer.parts[0].lines] == stages
    assert answer.answer.startswith("- Stage 1 — Proposal review [1]\n- Stage 2 — Assurance [2]")  # names, not sentences
    assert [c.section.split(" > ")[-1] for c in answer.citations] == stages
    assert_fully_cited(answer, settings)
    # A list question that the subsections do not answer is answered from its own section.
    members = _considered(service, "What members are on the committee?")
    assert members.evidence.kind is QuestionKind.LIST and members.evidence.section_list is None
    assert "Members are a chair, a secretary and two lay members." in [c.text for c in members.draft.claims]
    # "Which Xs ...?" needs a heading naming the Xs: the document's title ("How tools are approved") names
    # tools, but the stages are not tools ("Which tools has the AIOC approved?" was answered with them).
    assert _considered(service, "Which tools has the committee approved?").evidence.section_list is None
    assert _considered(service, "Which approval stages are there?").evidence.section_list is not None
    # ... and so does "What Xs ...?", but not "What happens ...?", which asks for no list of happenings
    assert _considered(service, "What stages are there to get approved?").evidence.section_list is not None
    assert ASKS_WHICH.search("What happens at each approval stage?") is None
    # ... and "What were the Xs ...?" ("What were the costs of the sepsis pilot?" was answered "4.2 Clinical process,
    # 4.3 Staff experience"), though steps are what any list's items are
    assert _considered(service, "What are the costs of the approval stages?").evidence.section_list is None
    assert ASKS_WHICH.search("What are the steps to get approved?") is None


def test_one_subsection_named_is_asked_for_not_its_list(tmp_path: Path) -> None:
    """"What were the practicalities of the scribe pilot?" was answered with the four headings under "What did not go
    well", one of them "Practicalities": a "what were the Xs?" names a list's items only where its heading or two of
    its items name them."""
    _, service = service_over(
        tmp_path,
        ("pilot.md", "Scribe pilot lessons", "## What went well\n\nClinicians saved time on every consultation.\n\n"
         "## What did not go well\n\n### Skim-signing\n\nSome clinicians signed drafts after only skimming them.\n\n"
         "### Interpreters\n\nAccuracy was poor when an interpreter was present.\n\n"
         "### Practicalities\n\nThe phones ran out of battery in long afternoon clinics."),
    )

    considered = _considered(service, "What were the practicalities of the scribe pilot?")

    assert considered.evidence.section_list is None
    assert considered.draft.claims[0].text.startswith("The phones ran out of battery"), considered.draft.claims


def test_a_table_beside_how_to_do_something_is_no_steps(tmp_path: Path) -> None:
    """"How do I book the room?" was answered by how it is booked and then the run sheet's times, the table beside it."""
    rows = "".join(f"| {time} | {item} | {who} |\n" for time, item, who in [
        ("12:15", "Room open; sandwiches arrive (order by 10:00 on the day before, cost code CC-7731)", "Co-facilitator"),
        ("12:30", "Welcome, newcomers, housekeeping (5 min)", "Chair"),
        ("12:35", "Working group updates, 2 minutes each (6 min)", "WG leads"),
        ("12:41", "Main item(s): project update or guest (30 min)", "Presenter"),
        ("13:23", "Actions and close (7 min)", "Chair and note-taker"),
    ])
    texts = _answer_texts(
        tmp_path,
        "How do I book the room?",
        ("playbook.md", "Facilitator playbook", "## The monthly meeting: run sheet\n\nThe meeting is on the second Tuesday of "
         "each month, 12:30-13:30, in Room 4B, Education Centre (Level 4), with a Teams link. Room 4B is booked through "
         "Education Centre reception (ext. 4410) a year ahead; the 2026 bookings were confirmed on 5 December 2025. Room 4B "
         f"seats 40; if registrations exceed 40, move to the Main Lecture Theatre.\n\n| Time | Item | Who |\n|---|---|---|\n{rows}"),
        ("scribe.md", "ScribeAssist pilot", "## Costs\n\nThe licence cost for the pilot was €95 per clinician per month."),
    )
    assert texts[0].startswith("Room 4B is booked through Education Centre reception"), texts
    assert not any(text.startswith("Time:") for text in texts), texts
    # (a table whose columns hold what is asked is the answer: all of the traffic light's colours)
    colours = _answer_texts(
        tmp_path / "colours",
        "What if I'm not sure which colour my data is?",
        ("genai.md", "Using GenAI safely", "## The data traffic light\n\nBefore you paste anything into a GenAI tool, decide "
         "which colour the information is. When in doubt, treat it as Red and ask the DPO. Most clinical notes are Red, "
         "and most rotas, agendas and draft policies are Amber; published guidance is Green. Removing the patient's name is "
         "not enough to make information Green or Amber: a rare diagnosis, a date and a ward can identify someone.\n\n"
         "| Colour | Examples | Which tools may be used |\n|---|---|---|\n| Green — public | Published guidelines | Any tool |\n"
         "| Amber — internal | Draft policies, rotas | BrigidGPT only |\n| Red — patient-identifiable | Anything about a "
         "patient | Approved clinical tools only |\n"),
        ("scribe.md", "ScribeAssist pilot", "## Costs\n\nThe licence cost for the pilot was €95 per clinician per month."),
    )
    assert len([text for text in colours if text.startswith("Colour:")]) == 3, colours


def test_a_list_of_sections_headed_by_something_else_is_no_list_of_what_was_asked(tmp_path: Path) -> None:
    """"what conditions did the AIOC set for sepsis scale-up?" was answered "4.2 Clinical process, 4.3 Staff
    experience": the sepsis report's "4. Results" subsections, its title matching the question 0.66."""
    results = "\n\n".join(f"### {heading}\n\n{text}" for heading, text in [
        ("4.1 Alerts", "Alerts fell from 9.1 to 4.3 per ward per day after the change."),
        ("4.2 Clinical process", "Antibiotics were given within 148 minutes of the first alert."),
        ("4.3 Staff experience", "Most nurses said the alerts helped them spot deteriorating patients."),
    ])
    claims = _claims_over(
        tmp_path,
        "what conditions did the AIOC set for sepsis scale-up?",
        ("sepsis.md", "Sepsis early warning scale-up", f"## 4. Results\n\n{results}\n\n## 5. Decision\n\nThe AIOC "
         "approved the scale-up with three conditions:\n\n- at least 80% of nurses trained before go-live\n"
         "- the threshold stays at 65\n- a monthly performance report to the AIOC"),
        ("scribe.md", "ScribeAssist pilot", "## Costs\n\nThe licence cost for the pilot was €95 per clinician per month."),
    )
    texts = [claim.text for claim in claims]
    assert "4.2 Clinical process" not in texts and any("80% of nurses" in text for text in texts), texts


def test_a_why_question_is_answered_by_the_reason_not_by_what_happened(tmp_path: Path) -> None:
    claims = _claims_over(
        tmp_path,
        "Why has a warning banner suddenly appeared on the ED X-ray viewer?",
        ("ed.md", "Chest X-ray triage", "## Emergency Department\n\nSince April every image on the ED viewer "
         "carries a red warning banner. It sits above the image.\n\n## Safety reports\n\nThe warning banner on the ED "
         "X-ray viewer was added because two junior doctors treated un-flagged images as normal."),
    )

    assert claims[0].text.startswith("The warning banner on the ED X-ray viewer was added because"), [c.text for c in claims]


def test_of_a_summary_and_its_source_the_sentence_that_says_more_answers(tmp_path: Path) -> None:
    claims = _claims_over(
        tmp_path,
        "What does the sepsis model actually look at to work out its risk score?",
        ("lessons.md", "Lessons learned: alert fatigue", "## What happened\n\nThe model calculates the sepsis risk score "
         "every 15 minutes from vital signs and laboratory results in the record. Nurses found the alerts too frequent."),
        ("report.md", "Sepsis pilot report", "## The tool\n\nThe vendor supplies the model. It calculates the sepsis "
         "risk score every 15 minutes from vital signs and laboratory results in the record: heart rate, respiratory "
         "rate, temperature, white cell count and lactate."),
    )

    answer = " ".join(c.text for c in claims)
    assert "heart rate" in answer and "lactate" in answer, answer
    assert all(c.hit.metadata["title"] == "Sepsis pilot report" for c in claims)


def test_the_minutes_of_the_month_asked_about_answer_whatever_k(tmp_path: Path) -> None:
    december = "Community meeting notes — 9 December 2025"
    february = "Community meeting notes — 10 February 2026"
    _, service = service_over(
        tmp_path,
        ("2025-12.md", december, "## Attendance\n\nChair: Tomás Lindqvist.\n\n## Actions\n\n- Draft the "
         "charter update - Amara - 20 Jan 2026\n\nNext meeting: Tuesday 13 January 2026."),
        ("2026-02.md", february, "## Attendance\n\nChair: Dr. Amara Okafor.\n\n## Actions\n\n- A1 — Write the "
         "scribe lessons-learned report - Felix - 6 Mar 2026\n- A2 — Rerun the DischargeDraft evaluation - Marek - "
         "20 Mar 2026\n\nNext meeting: Tuesday 10 March 2026."),
        ("2026-03.md", "Community meeting notes — 10 March 2026", "## Actions\n\n- Publish the scribe report - "
         "Felix - 1 Apr 2026\n\nNext meeting: Tuesday 14 April 2026."),
    )

    drafts = [
        service.consider("What actions came out of the February 2026 meeting?", AskOptions(k=k)).draft for k in (1, 5, 10)
    ]

    assert {c.hit.metadata["title"] for c in drafts[0].claims} == {february}, [c.text for c in drafts[0].claims]
    assert "Rerun the DischargeDraft evaluation" in " ".join(c.text for c in drafts[0].claims)
    assert [c.text for c in drafts[0].claims] == [c.text for c in drafts[1].claims] == [c.text for c in drafts[2].claims]


def test_each_part_of_a_compound_question_is_answered(tmp_path: Path) -> None:
    _, service = service_over(
        tmp_path,
        ("rollout.md", "Sepsis alert roll-out", "## Go-live\n\nThe sepsis alert goes live on Wards 5A and 5B on "
         "Monday 20 April 2026. It has run on Wards 7A and 7B since June 2025.\n\n## Training\n\nTraining sessions "
         "for nurses on Wards 5A and 5B start on 23 March and run in the ward seminar room.\n\n## Parking\n\n"
         "Staff parking is in the multi-storey car park behind the Education Centre."),
    )

    answer = " ".join(c.text for c in _considered(
        service, "I'm a nurse on 5A. When does the sepsis alert go live for us, and when does the training start?"
    ).draft.claims)

    assert "20 April 2026" in answer and "23 March" in answer, answer
    assert "car park" not in answer


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("I'm a nurse on 5A. When does it go live for us, and when does the training start?",
         ["I'm a nurse on 5A. When does it go live for us?", "I'm a nurse on 5A. When does the training start?"]),
        # A second part that points back keeps the first as its context.
        ("Who runs the CoP, and what's the best way to reach them?",
         ["Who runs the CoP?", "Who runs the CoP? What's the best way to reach them?"]),
        ("Which policy covers AI, and since when have chatbots been blocked?",
         ["Which policy covers AI?", "Since when have chatbots been blocked?"]),
        ("What salt and pepper do we use?", ["What salt and pepper do we use?"]),
        # without a comma, where a question clause follows ("one" points back)
        ("What's a DPIA and when do I need one?", ["What's a DPIA?", "What's a DPIA? When do I need one?"]),
        # (typed without its question mark, as members often do)
        ("what's a DPIA and when do I need one", ["what's a DPIA?", "what's a DPIA? When do I need one"]),
        ("Who runs BrigidLab and how do I get access?", ["Who runs BrigidLab?", "How do I get access?"]),
        ("I work nights and when do I get trained?", ["I work nights and when do I get trained?"]),  # one question
        # "Dr." ends no sentence: the question is not "Okafor, and how do I reach her?"
        ("Who is Dr. Okafor, and how do I reach her?", ["Who is Dr. Okafor?", "Who is Dr. Okafor? How do I reach her?"]),
        ("What's the difference between what we log and what the vendor logs?",
         ["What's the difference between what we log and what the vendor logs?"]),
        # the difference between two things: what each one is
        ("Whats the diffrence between BrigidGPT and BrigidLab?", ["What is BrigidGPT?", "What is BrigidLab?"]),
        ("I'm new. What's the difference between a member and an associate?",
         ["I'm new. What is a member?", "I'm new. What is an associate?"]),
        ("difference between a DPIA and the procurement checklist - do I need both?",
         ["What is a DPIA?", "What is the procurement checklist?"]),
        ("how is BrigidLab different from BrigidGPT?", ["What is BrigidLab?", "What is BrigidGPT?"]),
        ("amber vs red data - what's the difference?", ["What is amber?", "What is red data?"]),
        ("Is BrigidGPT vs ChatGPT safer?", ["Is BrigidGPT vs ChatGPT safer?"]),  # (asks which, not what each is)
    ],
)
def test_sub_questions(question: str, parts: list[str]) -> None:
    assert sub_questions(question) == parts


def test_a_question_the_text_puts_to_its_reader_stays_with_its_answer(tmp_path: Path) -> None:
    claims = _claims_over(
        tmp_path,
        "I'd love to write a short piece for the newsletter. How do I send something in?",
        ("pulse.md", "CoP Pulse, March", "## Get involved\n\nWant to write for CoP Pulse? Send 200 words to "
         "pulse@example.org by the 20th of the month.\n\n## Meetings\n\nThe monthly meeting is on the "
         "second Tuesday of each month in Room 4B."),
    )

    assert claims[0].text == "Want to write for CoP Pulse? Send 200 words to pulse@example.org by the 20th of the month."


@pytest.mark.parametrize(
    ("sentences", "units"),
    [
        (("Want to write for CoP Pulse?", "Send 200 words."), ["Want to write for CoP Pulse? Send 200 words."]),
        (("Not sure where to start?", "Read the onboarding guide."), ["Not sure where to start? Read the onboarding guide."]),
        # A question the text lists or discusses is not put to the reader.
        (("C12. How is the tool protected?", "C13. Is its output labelled?"), ["C12. How is the tool protected?", "C13. Is its output labelled?"]),
        (("How is the tool protected against prompt injection?", "The vendor tests it."),
         ["How is the tool protected against prompt injection?", "The vendor tests it."]),
        # Minutes reporting a question and the reply it got.
        (("Radiographers have asked whether they will see the flag.", "Answer: no, only radiologists see it."),
         ["Radiographers have asked whether they will see the flag. Answer: no, only radiologists see it."]),
        (("A member asked whether sensitivity fell.", "Marek Nowak replied that it fell slightly."),
         ["A member asked whether sensitivity fell. Marek Nowak replied that it fell slightly."]),
        (("A member asked whether sensitivity fell.", "The pilot ends in May."),
         ["A member asked whether sensitivity fell.", "The pilot ends in May."]),  # no reply follows
        # only the reply joins, not every reply-like sentence after it, nor "This explained ..."
        (("Radiographers asked whether they will see the flag.", "Answer: no, only radiologists will.",
          "Dr. Healy confirmed the go-live date."), ["Radiographers asked whether they will see the flag. Answer: no, only "
          "radiologists will.", "Dr. Healy confirmed the go-live date."]),
        (("A member asked whether sensitivity fell.", "This explained the delay."),
         ["A member asked whether sensitivity fell.", "This explained the delay."]),
    ],
)
def test_questions_put_to_the_reader(sentences: tuple[str, ...], units: list[str]) -> None:
    from peerassist.retriever.passages import with_their_questions

    assert with_their_questions(sentences) == units


def test_a_yes_no_answer_without_a_restriction_leads_with_the_sentence_that_answers(tmp_path: Path) -> None:
    claims = _claims_over(
        tmp_path,
        "Can students join the CoP?",
        ("faq.md", "CoP FAQ", "## How do I join the CoP?\n\nFill in the joining form on the intranet or email "
         "cop@example.org with your name and role. The co-facilitator adds you to the chat channel within two working "
         "days. Then attend a welcome session in your first month. Students on placement can join as Observers.\n\n"
         "## When do we meet?\n\nThe second Tuesday of each month."),
    )

    assert claims[0].text == "Students on placement can join as Observers.", [c.text for c in claims]
    assert any(c.text.startswith("Fill in the joining form") for c in claims)  # the steps still follow


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("Who chaired the February 2026 meeting?", {2}),
        ("What was decided at the March meeting?", {3}),
        ("Community meeting notes — 9 Dec 2025", {12}),
        ("May I use BrigidGPT for rotas?", set()),  # "may" that is not a month
        ("Can we march on with the pilot?", set()),
        # A full month name needs no date after it ("May" and "March" do, or a word before them that makes them one).
        ("What happened when ChestFlag went down in February?", {2}),
        ("What did the CoP do in November?", {11}),
        ("What was agreed in March?", {3}),
        ("Is the literacy week still planned for mid May?", {5}),
        ("This may take six weeks.", set()),
        # a date written year first, as a calendar's rows hold it
        ("date: 2026-04-23; session: Prompting safely with BrigidGPT", {4}),
        ("Version 2026-13-40 of the file", set()),  # no month 13
    ],
)
def test_months_named(text: str, months: set[int]) -> None:
    assert months_named(text) == months


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("What happens at Stage 2 of the AIOC process?", {("stage", "2")}),
        ("Section D - Contract, cost and exit", {("section", "d")}),
        ("Step 1: Define the question", {("step", "1")}),
        ("Who chaired the February 2026 meeting?", {("month", "2")}),
        ("What stage is the pilot at?", set()),  # a stage, but no number
        ("Who decides which tier a tool is in?", set()),  # "tier a": an article, not a part lettered A
    ],
)
def test_the_months_and_numbered_parts_a_text_names(text: str, named: set[tuple[str, str]]) -> None:
    assert named_in(text) == named


def test_who_is_answered_by_a_committee_known_by_its_acronym(tmp_path: Path) -> None:
    """spaCy names nobody in "The AIOC assigns ...": the documents spell the AIOC out as a committee, so it
    answers "who?" as an organisation would, ahead of a sentence about tiers that names no one."""
    tiers = ("## Risk tiers\n\nThe tier decides how much evidence is needed. The AIOC assigns every use case to a "
             "risk tier at Stage 1.")
    about = ("## About\n\nThe AI Oversight Committee (AIOC) is the hospital committee that decides whether an AI tool "
             "may be used.")
    texts = _answer_texts(tmp_path, "Who decides which tier a tool is in?", ("tiers.md", "Risk tiers", tiers),
                          ("aioc.md", "The committee", about))
    assert texts and texts[0].startswith("The AIOC assigns"), texts


def test_a_question_naming_a_numbered_part_is_answered_from_the_section_that_names_it(tmp_path: Path) -> None:
    body = ("Every AI tool goes through the approval process, stage by stage, before it is used in clinical care.\n\n"
            "## Stage 1 — Proposal review\n\nThe committee reviews the proposal and assigns a risk tier.\n\n"
            "## Stage 2 — Assurance\n\nThe project completes the impact assessment and the safety case. The local "
            "evaluation happens here.\n\n## Stage 3 — Pilot\n\nA supervised pilot on one ward follows.")
    texts = _answer_texts(tmp_path, "What happens at Stage 2 of the approval process?", ("stages.md", "Approval stages", body))
    assert texts == ["The project completes the impact assessment and the safety case.", "The local evaluation happens here."], texts


@pytest.mark.parametrize(
    ("sentence", "about_the_document"),
    [
        ("This page on BrigidNet explains how to join the CoP.", True),
        ("This guide is the first document every new member should read.", True),
        ("This document records what went wrong and what we changed.", True),
        ("This document reflects the views of the 14 pilot clinicians, gathered at two debrief sessions.", True),
        ("The policy covers all clinical staff, including agency nurses.", False),  # content, not a document
        ("The report gives a PPV of 0.82 for ChestFlag.", False),
        ("The talk is for nurses new to AI.", False),
        # ... or one that points to another document for what the member wants
        ('The full story of these changes is in the lessons-learned document "Alert Fatigue".', True),
        ("The figures come from the full project write-up (projects/sepsis-pilot.docx).", True),
        ("The figures come from 200 discharge episodes reviewed by consultants.", False),
        # ... or whom it is for
        ("Practical answers for nurses, doctors and pharmacists who use, or are about to use, one of the AI tools.", True),
        ("Guidance for new members of the CoP.", True),
        ("Answers for patients are given by the ward nurse.", False),
        # ... or who may see it ("Do not share ..." answered "what's on the agenda for the april 2026 meeting?", 1.00)
        ("DRAFT — facilitators only.", True),
        ("Do not share with members until the executive sponsor has agreed the budget.", True),
        ("Do not share patient data in the channel.", False),
        ("Draft notes are checked by the doctor.", False),
    ],
)
def test_a_sentence_about_its_document(sentence: str, about_the_document: bool) -> None:
    assert is_about_the_document(sentence) is about_the_document


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Why was it raised?", "It was raised because nurses were getting too many alerts.", 1.0),
        ("Why were they left out?", "Interpreter consultations were excluded to avoid recording errors.", 1.0),
        ("Why is the button grey?", "The button becomes active after the clinician has scrolled.", 0.0),  # "after" is a time
        ("How do I get access?", "Email Marek Nowak with the project name.", 1.0),
        ("How do I get access?", "If you want access, you should ask your manager first.", 1.0),
        ("How do I get access?", "BrigidLab is the hospital's secure research environment.", 0.0),
        # an instruction in a step that follows another, and verbs of sharing and filing results
        ("What should we do with the results?", "Present results at a monthly CoP meeting first.", 1.0),
        ("What should we do with the results?", "Then attach the report to your Stage 3 submission.", 1.0),
        ("What should we do with the results?", "The results were presented in May.", 0.0),
        ("Who runs BrigidLab?", "Marek Nowak manages BrigidLab.", 0.5),  # who-questions are matched by entity instead
        # "how often?" wants a frequency, not any date
        ("How often does the CoP meet?", "The meeting is on the second Tuesday of each month.", 1.0),
        ("How often does the CoP meet?", "The CoP had 142 members on 1 March 2026.", 0.0),
        ("How often do you meet?", "One year later we have 142 members from every profession in the hospital.", 0.0),
        # "when does X <verb>?" wants X doing it, not a date beside the word as a noun
        ("When does the AIOC meet?", "It is chaired by the CCIO and meets on the last Thursday of each month.", 1.0),
        ("When does the AIOC meet?", "The charter was approved by the AIOC on 29 January, after the launch meeting.", 0.0),
        ("When does the CoP meet?", "Meet your buddy - paired for your first three months.", 0.0),  # an instruction
        # "which company supplies X?" wants the one that supplies it, not any organisation beside X
        ("Which company supplies the sepsis model?", "The model is supplied by Auralis Health.", 1.0),
        ("Which company supplies the sepsis model?", "The AIOC approved the scale-up of the sepsis model.", 0.0),
        # ... or the one a name after "from" or "by" gives, whatever the verb
        ("Who makes ChestFlag?", "ChestFlag is a CE-marked AI tool from Lumina Imaging.", 1.0),
        ("Who makes ChestFlag?", "ChestFlag went live for chest X-rays from the Emergency Department.", 0.0),
        ("How often does Auralis retrain the model?", "Auralis retrains the model every six months.", 1.0),
        # "how long does it take?" wants how long it lasts, not the deadline it must meet
        ("How long does the AI Essentials module take?", "Complete the module (45 minutes) on LearnBrigid.", 1.0),
        ("How long does the AI Essentials module take?", "It must be completed within 30 days of joining.", 0.0),
        ("How long does a DPIA take?", "The DPO's target is 20 working days from receipt.", 1.0),
        ("how long is the ai essentials course", "Complete the module (45 minutes) on LearnBrigid.", 1.0),
        ("how long is the ai essentials course", "It must be completed within 30 days of joining.", 0.0),
        ("How long should silent mode run for?", "Minimum duration or size: At least 8 weeks", 1.0),
        ("How long should silent mode run for?", "ChestFlag ran in silent mode from 1 September to 30 November 2025.", 0.0),
        # "what is X?" wants X defined, by name or by its acronym
        ("What is a DPIA?", "A Data Protection Impact Assessment (DPIA) is a structured assessment.", 1.0),
        ("What's BrigidLab?", "BrigidLab is the hospital's secure analytics sandbox.", 1.0),
        ("What does RAG mean?", "RAG means answering from retrieved passages.", 1.0),
        ("What is a DPIA?", "A DPIA is required for any AI tool.", 0.0),
        # "what was decided?" wants the decision, not how things are
        ("What was decided about DischargeDraft in February?", "At the February meeting, the team decided to stop.", 1.0),
        ("What was decided about DischargeDraft in February?", "The medication section is pulled from the eMed record.", 0.0),
        ("What did the meeting agree on the threshold?", "The group agreed that 65 was the right balance.", 1.0),
        ("What did the meeting agree on the threshold?", "Alerts fell from 9.1 to 4.3 per ward per day.", 0.0),
        # "where can I find it?" wants a place (it was answered from the template itself: "A completed proposal is ...")
        ("Where can I find the proposal template?", "Start with the proposal template in the guides folder.", 1.0),
        ("Where can I find the proposal template?", "A completed proposal is usually two to three pages long.", 0.0),
    ],
)
def test_the_shape_an_answer_needs(question: str, sentence: str, expected: float) -> None:
    assert shape_match(answer_shape(question, question_kind(question)), sentence) == expected


@pytest.mark.parametrize(
    ("question", "instruction", "other"),
    [
        # a list of what to do is answered by instructions ("Check every number ..."), not by minutes about checks
        ("I'm reviewing a discharge letter the AI drafted. What should I be checking for?", "Check every dose.", "Doses were checked in May."),
        ("What are the three working groups?", None, None),
        ("Why was the threshold raised?", "It was raised to reduce alerts.", "Check every dose."),
    ],
)
def test_a_list_of_what_to_do_wants_instructions(question: str, instruction: str | None, other: str | None) -> None:
    shape = answer_shape(question, question_kind(question))
    if instruction is None:
        assert shape is None
    else:
        assert shape_match(shape, instruction) == 1.0 and shape_match(shape, other) == 0.0


@pytest.mark.parametrize(
    "question",
    [
        "I work for the Community Health Network rather than the hospital itself. Am I allowed to join the CoP?",
        "We want to test an AI model on our own patients' data before anyone relies on it. What steps should we follow?",
    ],
)
def test_a_sentence_about_its_document_does_not_answer(sample_service, question: str) -> None:  # type: ignore[no-untyped-def]
    """"This page explains how to join ..." matches every question on its topic and answers none of them
    (it is quoted only if nothing else in the evidence scores higher)."""
    texts = [c.text for c in _considered(sample_service, question).draft.claims]
    assert texts and not any(is_about_the_document(text) for text in texts), texts


def test_list_items_keep_a_bullet_in_the_stored_text(tmp_path: Path) -> None:
    from peerassist.ingest.chunking import chunk_elements
    from peerassist.ingest.parsing import parse_file
    from peerassist.store import DocumentVersion

    path = write_md(tmp_path / "rules.md", "Rules", "## Golden rules\n\nAll members are expected to:\n\n"
                    "- Never put patient data into a public chatbot\n- Report incidents on SafeReport")
    parsed = parse_file(path, path.read_bytes())
    version = DocumentVersion(doc_id="d", source=str(path), title="Rules", filetype="md", doc_hash="h" * 16, size_bytes=1)
    text = "\n".join(c.text for c in chunk_elements(parsed.elements, version, chunk_size=800, chunk_overlap=80))
    assert "- Never put patient data into a public chatbot" in text and "- Report incidents on SafeReport" in text


def test_a_section_heading_does_not_outvote_the_sentence_that_answers(tmp_path: Path) -> None:
    """Steps under a heading that sounds like the question ("How do I respond to a sepsis alert?") lose to
    the FAQ sentence that answers it clearly better (evidence.SECTION_MARGIN)."""
    claims = _claims_over(
        tmp_path,
        "The sepsis scores haven't updated on our ward all morning, looks like the system is down. "
        "What should we be doing in the meantime?",
        ("ward-faq.md", "Clinicians' FAQ", "## How do I respond to a sepsis alert?\n\nWhen the sepsis risk score "
         "reaches 65, the nurse in charge gets an alert on the handheld. The nurse must review the patient "
         "within 30 minutes and record the review. The alert is a prompt to look at the patient, not a diagnosis. "
         "The model is live on Wards 7A and 7B.\n\n## What if the tool is down?\n\nEvery live tool has a downtime "
         "procedure. If the sepsis system is down, keep doing normal observations and the early warning score in the meantime. "
         "Report prolonged downtime to the IT Service Desk on extension 5000."),
        ("pilot.md", "Sepsis pilot", "## Dates\n\nThe sepsis pilot ran on Wards 7A and 7B from June to November 2025."),
    )

    answer = " ".join(c.text for c in claims)
    assert "keep doing normal observations" in answer, answer
    assert "gets an alert" not in answer


def test_a_when_answered_by_a_schedule_takes_the_dates_that_follow(tmp_path: Path) -> None:
    claims = _claims_over(
        tmp_path,
        "When are the next couple of newcomer welcome sessions?",
        ("join.md", "How to join", "## Step 3: Attend a welcome session\n\nNewcomer Welcome Sessions run on Teams on "
         "the first Thursday of each month from 13:00 to 13:30. The next sessions are on 2 April 2026 and 7 May 2026. "
         "The calendar invitation is sent automatically.\n\n## Step 4: Complete the e-learning\n\nComplete the AI "
         "Essentials module within 30 days of joining."),
    )

    answer = " ".join(c.text for c in claims)
    assert "first Thursday of each month" in answer and "2 April 2026 and 7 May 2026" in answer, answer
    assert "calendar invitation" not in answer


EVALUATION_GUIDE = (
    "evaluate.md", "How to Evaluate an AI Tool Before It Touches Patients",
    "## Why local evaluation matters\n\nA tool that works elsewhere may not work here.\n\n"
    "## Step 1: Define the question\n\nWrite down the decision the tool supports and what would count as success.\n\n"
    "## Step 2: Get access to the sandbox\n\nAsk the data team for an account on the sandbox.\n\n"
    "## Step 3: Build a reference standard\n\nAgree with two clinicians how each case should have been handled.\n\n"
    "## Step 4: Look for inequity\n\nCompare results by age, sex and ethnicity.",
)


def test_a_question_asking_for_the_steps_gets_the_documents_numbered_steps(tmp_path: Path) -> None:
    claims = _claims_over(
        tmp_path,
        "We want to test an AI model on our own patients' data before anyone relies on it. What steps should we follow?",
        EVALUATION_GUIDE,
        ("faq.md", "CoP FAQ", "## How do I propose an idea?\n\nSend the proposal template to the facilitators "
         "five working days before the monthly meeting."),
    )

    assert [c.text for c in claims] == [
        "Step 1: Define the question", "Step 2: Get access to the sandbox", "Step 3: Build a reference standard",
        "Step 4: Look for inequity",
    ]
    assert all(c.hit.metadata["section"].endswith(c.text) for c in claims)  # each step cited to its own section


def test_how_do_i_is_answered_by_the_steps_of_the_document_whose_title_it_asks(tmp_path: Path) -> None:
    """"How do I evaluate an AI tool before using it on patients?" was answered with the guide's opening ("A tool that
    works elsewhere may not work here."); its steps are the answer. A how-to question that only touches the guide's
    topic is not answered with its steps."""
    faq = ("faq.md", "CoP FAQ", "## How do I report a problem with an AI tool?\n\nReport it on SafeReport within 24 hours "
           "and tell the project lead.")
    claims = _claims_over(tmp_path / "a", "How do I evaluate an AI tool before using it on patients?", EVALUATION_GUIDE, faq)
    assert [c.text for c in claims][0] == "Step 1: Define the question", [c.text for c in claims]
    other = _claims_over(tmp_path / "b", "What do I do if an AI tool gives a wrong answer about a patient?", EVALUATION_GUIDE, faq)
    assert not any(c.text.startswith("Step") for c in other), [c.text for c in other]


def test_who_to_ask_is_answered_with_a_way_to_reach_them(tmp_path: Path) -> None:
    claims = _claims_over(
        tmp_path,
        "Who can I ask about the training sessions or AI Literacy Week?",
        ("minutes.md", "Community meeting notes", "## AI Literacy Week\n\nHannah Byrne (Education Working Group) proposed "
         "an AI Literacy Week in spring with a lunchtime training session each day. The meeting agreed the dates."),
        ("announcement.md", "AI Literacy Week announcement", "## How to register\n\nRegistration opens on 1 April on "
         "LearnBrigid. Questions: Hannah Byrne, Education Working Group lead, or aicop@example.org."),
    )

    answer = " ".join(c.text for c in claims)
    assert "Hannah Byrne" in answer and "aicop@example.org" in answer, answer



@pytest.mark.parametrize(
    ("other", "added"),
    [
        # a bare "No." or "Yes." answers its own FAQ entry's question (about BrigidGPT), which an "Also" does not quote
        ("No. BrigidGPT is approved for public and internal information only.", False),
        ("Yes. BrigidGPT is approved for public and internal information.", False),
        ("BrigidGPT is approved for public and internal information only.", True),
    ],
)
def test_an_also_never_opens_with_a_bare_no(other: str, added: bool) -> None:
    from peerassist.retriever.compose import _second_source
    from peerassist.retriever.evidence import Evidence, ScoredSentence
    from peerassist.store import SearchHit

    def sentence(text: str, doc: str) -> ScoredSentence:
        return ScoredSentence(text, SearchHit(f"{doc}-0", text, {"doc_id": doc}, 1.0), 1, similarity=0.5, coverage=0.3)

    best = sentence("Nothing leaves BrigidLab without a disclosure check.", "lab")
    evidence = Evidence("Can I bring a patient's X-ray into BrigidLab?", [], sentences=[best, sentence(other, "faq")])
    assert (_second_source(evidence, best, [best.text]) is not None) is added


@pytest.mark.parametrize(
    ("kind", "shape", "type_match", "added"),
    [
        # the answer says how often; another document's line that does not is no "Also" ("Meet your buddy ...")
        ("when", 0.0, 1.0, False),
        ("when", 1.0, 1.0, True),
        # the answer holds the kind of detail asked for (a date, a count) and the other line holds none
        ("when", 1.0, 0.0, False),
        # steps may take a line of context ("Members who leave the hospital are removed automatically")
        ("procedure", 0.0, 0.5, True),
    ],
)
def test_an_also_has_what_the_answer_was_asked_for(kind: str, shape: float, type_match: float, added: bool) -> None:
    from peerassist.retriever.compose import _second_source
    from peerassist.retriever.evidence import Evidence, ScoredSentence
    from peerassist.store import SearchHit

    def sentence(text: str, doc: str, shape: float, type_match: float, similarity: float) -> ScoredSentence:
        hit = SearchHit(f"{doc}-0", text, {"doc_id": doc}, 1.0)
        return ScoredSentence(text, hit, 1, similarity=similarity, coverage=0.3, type_match=type_match, shape_match=shape)

    # (the other line scores as well as the answer: only what it holds decides)
    best = sentence("The monthly meeting is on the second Tuesday of each month.", "faq", 1.0, 1.0 if kind == "when" else 0.5, 0.5)
    other = sentence("Working groups meet for 45 minutes once a month, usually on Teams.", "join", shape, type_match, 0.9)
    evidence = Evidence("How often do you meet?", [], sentences=[best, other], kind=QuestionKind(kind))
    assert (_second_source(evidence, best, [best.text]) is not None) is added


@pytest.mark.parametrize(
    ("sentence", "points_back"),
    [
        ("For the ambient scribe, however, patients are asked for verbal agreement.", True),
        ("However, patients are asked for verbal agreement.", True),
        ("The scribe, by contrast, records the whole consultation.", True),
        ("Paris, the capital, is the largest city.", False),
        ("Patients are asked for verbal agreement, however short the visit.", False),
        # "there" as a place points back; "there will be" introduces (it led "What's the Ask the CoP stand?" with
        # the sentence before it, about lunch)
        ("There, the working group met the vendor.", True),
        ('There will also be an "Ask the CoP" stand in the main atrium every day.', False),
        ("There is no meeting in August.", False),
    ],
)
def test_a_sentence_setting_itself_against_the_one_before_points_back(sentence: str, points_back: bool) -> None:
    assert refers_back(sentence) is points_back


def test_a_sentence_that_points_back_is_quoted_after_what_it_points_to(tmp_path: Path) -> None:
    """"For the scribe, however, ..." answers "Do patients have to agree?" only after the sentence it contrasts with."""
    texts = _answer_texts(
        tmp_path,
        "Do patients have to agree to the scribe?",
        ("consent.md", "Data protection FAQ", "## Do patients need to consent to AI tools?\n\nIt depends on the tool. "
         "The legal basis for processing health data for direct care is not consent, so a triage tool that supports "
         "radiologists does not need individual consent. For the ambient scribe, however, patients are told and asked "
         "for verbal agreement before recording, because being recorded is intrusive. In the pilot, 6.8% declined."),
    )
    scribe = next(i for i, text in enumerate(texts) if text.startswith("For the ambient scribe, however"))
    assert scribe > 0 and texts[scribe - 1].startswith("The legal basis"), texts


def test_who_answered_from_a_section_naming_no_one_turns_to_a_close_sentence_naming_someone(tmp_path: Path) -> None:
    """"Who sorts out buddies?": the first-month table says only "the facilitators pair every newcomer"; the
    contacts list names the person for buddies, and answers."""
    _, service = service_over(
        tmp_path,
        ("guide.md", "Onboarding guide", "## Your first month\n\n"
         "| When | What to do |\n|---|---|\n| Day 1 | Join the channel and introduce yourself |\n"
         "| Week 1 | Meet your buddy: the facilitators pair every newcomer with an experienced member |\n"
         "| By day 30 | Complete the e-learning module |\n\n"
         "## Who to ask\n\n- Meetings, onboarding and buddies: Tomás Lindqvist, co-facilitator\n"
         "- Data protection: Gráinne O'Sullivan, Data Protection Officer\n"),
        ("roles.md", "Safety roles", "## Clinical Safety Officer\n\nThe Clinical Safety Officer signs off the safety case "
         "of every new tool. The Clinical Safety Officer at the hospital is Dr. Conor Healy.\n\n"
         "## Committee\n\n- Chair: Prof. Helen Carberry\n- Secretary: Lorcan Fitzgerald\n"),
    )
    buddies = " ".join(c.text for c in _considered(service, "Who sorts out buddies for newcomers?").draft.claims)
    assert "Tomás Lindqvist" in buddies, buddies
    # A section that names someone keeps its own answer.
    safety = [c.text for c in _considered(service, "Who signs off the safety case of a new tool?").draft.claims]
    assert any("Dr. Conor Healy" in text for text in safety) and not any("Carberry" in text for text in safety), safety


def test_every_sentence_of_a_paragraph_split_across_chunks_is_quoted_whole(tmp_path: Path) -> None:
    """A paragraph over one chunk is split anywhere, with overlap: answers still quote whole sentences."""
    clinics = ["Cardiology", "Dermatology", "Neurology", "Oncology", "Urology", "Rheumatology", "Haematology",
               "Nephrology", "Endocrinology", "Gastroenterology", "Respiratory", "Geriatrics", "Paediatrics",
               "Orthopaedics", "Ophthalmology", "Radiology", "Psychiatry", "Obstetrics", "Gynaecology", "Audiology"]
    sentences = [f"The {clinic} clinic reviews its alert list every {n + 2} hours on weekdays." for n, clinic in enumerate(clinics)]
    _, service = service_over(tmp_path, ("reviews.md", "Alert reviews", "## Reviews\n\n" + " ".join(sentences)))
    lexical = service.view.current().lexical
    assert len(lexical.chunks) >= 2
    for chunk in lexical.chunks:  # what the answerer may quote, passage by passage
        hit = SearchHit(chunk.id, chunk.text, chunk.metadata, 1.0)
        assert all(unit.text in sentences for unit in section_units([hit])), chunk.text
    for clinic in clinics[::4]:
        texts = [c.text for c in _considered(service, f"How often does the {clinic} clinic review its alert list?").draft.claims]
        assert texts and all(text in sentences for text in texts), (clinic, texts)


def test_how_often_is_answered_by_a_frequency_not_by_any_dated_sentence(tmp_path: Path) -> None:
    texts = _answer_texts(
        tmp_path,
        "How often does the CoP meet?",
        ("minutes.md", "Community meeting notes, 10 March", "## Welcome and membership\n\nThe CoP had 142 members "
         "on 1 March 2026, up from 38 founding members at launch on 11 March 2025: the CoP's first birthday is "
         "tomorrow."),
        ("faq.md", "CoP FAQ", "## When and where are the meetings?\n\nThe monthly meeting is on the first Monday of "
         "each month in the library. There is no meeting in August."),
    )

    assert texts and texts[0].startswith("The monthly meeting is on the first Monday of each month"), texts


DPIA_FAQ = (
    "dp-faq.md", "Data protection FAQ",
    "## How long does a DPIA take?\n\nThe DPO's target is 20 working days from receipt of a complete DPIA.\n\n"
    "## When do I need a Data Protection Impact Assessment (DPIA)?\n\nYou need a DPIA for any AI tool that processes "
    "patient-identifiable data, including audio recordings. It must be approved before live patient data is processed.",
)
DPIA_GLOSSARY = (
    "glossary.md", "Glossary",
    "## Data Protection Impact Assessment (DPIA)\n\nA Data Protection Impact Assessment (DPIA) is a structured "
    "assessment of the privacy risks of processing personal data. A DPIA is required for any AI tool that processes "
    "patient-identifiable data.",
)


def test_what_is_a_term_is_answered_by_its_definition_not_by_a_sentence_that_only_uses_it(tmp_path: Path) -> None:
    texts = _answer_texts(tmp_path, "What is a DPIA?", DPIA_FAQ, DPIA_GLOSSARY)

    assert texts and texts[0].startswith("A Data Protection Impact Assessment (DPIA) is a structured assessment"), texts


def test_an_faq_entry_asking_for_another_kind_of_answer_does_not_answer(tmp_path: Path) -> None:
    """"How long does a DPIA take?" reads close to "When do I need a DPIA?" (and to "What is a DPIA?"), closer than
    the entry that answers, whose heading spells the acronym out."""
    texts = _answer_texts(tmp_path, "When do I need a DPIA?", DPIA_FAQ, DPIA_GLOSSARY)

    assert texts and texts[0].startswith("You need a DPIA for any AI tool"), texts


def test_a_heading_asking_another_kind_of_question_does_not_lift_its_section(tmp_path: Path) -> None:
    """Steps under "How do I respond to a sepsis alert?" read like the topic of "Why ...?" but give no reason."""
    texts = _answer_texts(
        tmp_path,
        "Why did nurses ignore the sepsis alerts?",
        ("faq.md", "Clinicians' FAQ", "## How do I respond to a sepsis alert?\n\nReview the patient within 30 minutes. "
         "Record your review in the app. Escalate to the medical team if you suspect sepsis."),
        ("lessons.md", "Sepsis alert lessons", "## What happened\n\nWithin a month each ward was receiving nine sepsis "
         "alerts a day, and only 14% of them turned out to be sepsis. Nurses stopped trusting them."),
    )

    assert texts and texts[0].startswith("Within a month each ward was receiving nine sepsis alerts"), texts


def test_a_which_question_is_not_answered_by_a_list_of_sections_not_named_for_what_it_asks(tmp_path: Path) -> None:
    """"Which wards ...?": the report's "Results" subsections are not wards (they matched on the title)."""
    texts = _answer_texts(
        tmp_path,
        "Which wards have the sepsis alert?",
        ("report.md", "The sepsis alert pilot", "## Background\n\nThe model is live on Wards 7A and 7B and will go "
         "live on Wards 5A and 5B in April.\n\n## Results\n\n### Model performance\n\nSensitivity of the "
         "sepsis alert was 82%.\n\n### Clinical process\n\nReviews within 30 minutes rose to 87%.\n\n### Staff "
         "experience\n\nNurses found the alerts useful once they were fewer."),
    )

    assert texts and not {"Model performance", "Clinical process", "Staff experience"} & set(texts), texts


def test_a_restriction_sharing_only_the_subject_does_not_lead_a_yes_no_answer(tmp_path: Path) -> None:
    texts = _answer_texts(
        tmp_path,
        "Is ChestFlag CE marked?",
        ("chestflag.md", "Chest X-ray triage with ChestFlag", "## Summary\n\nChestFlag does not write reports and does not "
         "clear any image as normal. ChestFlag is a CE-marked AI tool from Lumina Imaging that flags urgent chest X-rays."),
        # (as in any community's documents, the tool is named far more often than what is asked about it)
        ("minutes.md", "January meeting", "## ChestFlag goes live\n\nChestFlag went live in January for ED chest X-rays."),
        ("faq.md", "Clinicians' FAQ", "## What does ChestFlag look for?\n\nChestFlag looks for pneumothorax and effusion."),
    )

    assert texts and texts[0].startswith("ChestFlag is a CE-marked AI tool"), texts


def test_a_definition_answers_is_x_a_y_but_not_a_yes_no_question_that_only_uses_the_term(community) -> None:  # type: ignore[no-untyped-def]
    _, service = community
    assert service.ask("Is the EHR a digital patient record?").answered
    considered = _considered(service, "Can nurses switch off the EHR?")
    assert considered.draft.claims[0].text.startswith("The Electronic Health Record (EHR) is")
    assert considered.off_target and not service.ask("Can nurses switch off the EHR?").answered


def test_an_faq_entry_on_another_product_does_not_answer(tmp_path: Path) -> None:
    """BrigidLab and BrigidGPT read alike to the encoder; a "No." about one is not an answer about the other."""
    _, service = service_over(
        tmp_path,
        ("dp-faq.md", "Data protection FAQ", "## Can I use BrigidGPT with patient information?\n\nNo. BrigidGPT is "
         "approved for public and internal non-patient information only. Patient-identifiable information may only "
         "be processed by tools approved for that purpose."),
        ("glossary.md", "Glossary", "## Local systems\n\nBrigidLab is the hospital's secure analytics sandbox. It holds "
         "de-identified records for evaluating AI tools."),
    )

    assert not service.ask("Can I use BrigidLab for patient data?").answered
    assert service.ask("Can I use BrigidGPT with patient data?").answered


def test_an_faq_entry_on_another_product_does_not_lead_over_what_the_documents_say_of_the_asked_one(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"Can I use BrigidGPT with patient information?" read so like the question that its entry led, and the
    answer was then refused as being about BrigidGPT, while the evaluation guide says what BrigidLab holds."""
    answer = sample_service.ask("Can I use real patient data in BrigidLab?")
    assert answer.answered, answer.confidence
    assert "de-identified" in answer.answer and "BrigidGPT is approved" not in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("question", "heading", "another"),
    [
        ("Can I use BrigidLab for patient data?", "Data protection FAQ > Can I use BrigidGPT with patient information?", True),
        ("Can I use BrigidLab for patient data?", "Glossary > Local systems > BRIGIDLAB", False),
        ("Are chatbots like ChatGPT blocked?", "CoP risk register > Risks", False),  # a row naming BrigidGPT in passing
        ("How do I get access to BrigidLab?", "FAQ > How do I get access?", False),  # names no product: not judged
    ],
)
def test_a_lead_under_a_heading_naming_another_product(question: str, heading: str, another: bool) -> None:
    assert names_another_product(question, heading) is another


def test_a_lead_naming_the_asked_product_is_about_it_whatever_its_heading() -> None:
    """"What ward is DischargeDraft piloting on?" was refused: its answer, a slide's line, sat under the line before it
    taken for its heading ("Our projects > ScribeAssist ambient scribe - outpatient pilot, Oct 2025 to Jan 2026")."""
    heading = "Our projects > ScribeAssist ambient scribe - outpatient pilot, Oct 2025 to Jan 2026"
    lead = "DischargeDraft - LLM discharge summaries, preparing a pilot on Ward 6B"
    assert not names_another_product("What ward is DischargeDraft piloting on?", heading, lead)
    assert names_another_product("What ward is DischargeDraft piloting on?", heading, "The pilot ran in three clinics.")


@pytest.mark.parametrize(
    ("question", "entry", "opposite"),
    [
        ("How do I get on the mailing list?", "FAQ > How do I leave the CoP?\nYou will be removed from the mailing list.", True),
        ("How do I unsubscribe from the newsletter?", "FAQ > How do I join the CoP?\nFill in the joining form.", True),
        ("How do I leave the CoP?", "FAQ > How do I leave the CoP?\nEmail aicop@stbrigids.ie.", False),
        ("How do I join the CoP?", "Joining > Step 2\nTomás will add you to the channel; leave it any time.", False),
        ("Can I join and later leave?", "FAQ > How do I leave the CoP?\nEmail aicop@stbrigids.ie.", False),  # asks both
        ("Who chairs the meeting?", "FAQ > How do I leave the CoP?\nEmail aicop@stbrigids.ie.", False),  # no action
    ],
)
def test_an_entry_that_undoes_the_asked_action(question: str, entry: str, opposite: bool) -> None:
    assert undoes_the_asked_action(question, entry) is opposite


@pytest.mark.parametrize(
    ("question", "quote", "heading", "another"),
    [
        ("Does the CoP have a Teams channel?", "The CoP is not a sales channel.", "Charter > What the CoP does not do", True),
        ("Does the CoP have a Teams channel?", "The CoP is not a sales channel.", "Meetings on Teams", False),  # heading names it
        ("Is there a BrigidChat channel?", "The CoP channel is #ai-clinical-practice on BrigidChat.", "Glossary", False),
        ("Does the CoP have a Teams channel?", "Join the channel on day one.", "Joining", False),  # no other kind named
        ("Does the CoP have a channel?", "The CoP is not a sales channel.", "Charter", False),  # no proper name asked
        ("Who is the Rock singer born in 1945?", "Seger is an American singer-songwriter.", "Bob Seger", False),  # not yes/no
        ("Is the Wigan Athletic F.C. season over?", "The 2017-18 season is their 86th.", "Wigan Athletic F.C. season", False),
        # a word in lower case is no proper name, whatever the tagger says ("our chat channel")
        ("Can a vendor join our chat channel?", "Vendor staff may not join the BrigidChat channel.", "FAQ", False),
    ],
)
def test_a_quote_naming_another_kind_of_the_asked_thing(question: str, quote: str, heading: str, another: bool) -> None:
    assert names_another_kind_of(question, [quote], heading) is another


def test_a_restricting_step_of_a_numbered_procedure_answers_a_yes_no_alone_and_is_not_renumbered(tmp_path: Path) -> None:
    """Moved first to lead a yes/no answer, step 3 was shown as "1."; kept in its place, the "no" came third after
    steps that do not answer. It now answers alone, as a bullet."""
    _, service = service_over(
        tmp_path,
        ("drafting.md", "DraftWriter project", "## How DraftWriter works\n\n1. DraftWriter retrieves the clerking, "
         "progress notes and results.\n2. The model drafts the narrative sections of the summary.\n3. The medication "
         "section is not generated by the model; it is pulled from the pharmacy record.\n4. The draft is labelled "
         "\"AI draft\" until the doctor signs it."),
    )
    considered = _considered(service, "Can I use DraftWriter for the medication section?")
    steps = [c.text for c in considered.draft.claims]
    assert steps == ["The medication section is not generated by the model; it is pulled from the pharmacy record."], steps
    assert not any(part.ordered for part in considered.draft.parts)


def test_a_heading_counts_once_per_sentence_under_it_that_scores_close_to_the_best() -> None:
    """"Which clinics are next ...?": three sentences under the meeting's "Ambient scribe: lessons learned" (0.55
    alike) outvoted the project's one sentence listing the clinics, though two of the three were far behind."""
    def sentence(text: str, section: str, similarity: float, heading: float) -> ScoredSentence:
        hit = SearchHit(section, text, {"doc_id": section, "section": f"Doc > {section}", "title": "Doc"}, 1.0)
        return ScoredSentence(text, hit, 1, similarity, 0.0, heading_similarity=heading)

    listing = sentence("Next are Cardiology, Gastroenterology, Neurology and Dermatology.", "Next steps", 1.0, 0.2)
    meeting = [
        sentence("The AIOC will consider extending the scribe to four more clinics.", "Scribe news", 0.8, 0.55),
        sentence("Dr. Adeyemi introduced the report.", "Scribe news", 0.5, 0.55),
        sentence("The proposal changes the sign button.", "Scribe news", 0.45, 0.55),
    ]
    ranked = sorted([listing, *meeting], key=lambda s: s.score, reverse=True)
    evidence = Evidence("Which clinics are next?", [], ranked, kind=QuestionKind.LIST)

    assert _section_first(evidence, {})[0] is listing
    # ... while three close sentences under a matching heading still beat one stray sentence
    close = [sentence(s.text, s.hit.metadata["doc_id"], 0.88, 0.55) for s in meeting]
    evidence = Evidence("Which clinics are next?", [], sorted([listing, *close], key=lambda s: s.score, reverse=True),
                        kind=QuestionKind.LIST)
    assert _section_first(evidence, {})[0] in close


def test_where_to_find_a_document_is_answered_from_it_but_not_a_form_no_document_is(tmp_path: Path) -> None:
    _, service = service_over(
        tmp_path,
        ("checklist.md", "Fire Safety Checklist for Wards", "## Before each shift\n\nThis checklist is used by the nurse "
         "in charge at the start of each shift. Check that every fire door closes."),
        ("faq.md", "Incident FAQ", "## How do I report an incident?\n\nReport every incident within 24 hours and tell the nurse in charge."),
    )

    found = _considered(service, "Where do I find the fire safety checklist?")
    assert found.draft.claims[0].hit.metadata["title"] == "Fire Safety Checklist for Wards"
    assert not found.off_target  # (the citation is where to find it)
    assert _considered(service, "Where can I download a blank incident form?").off_target


def _meeting_notes(month: str, day: int, items: list[str]) -> tuple[str, str, str, dict[str, object]]:
    body = "\n\n".join(f"## {item}\n\nThe group talked about {item.lower()} for a while." for item in items)
    return (f"2026-{month}.md", f"Ward Meeting Notes — {day} {month} 2026", body, {"date": f"2026-{MONTH_NUMBERS[month]}-{day:02d}"})


MONTH_NUMBERS = {"May": "05", "June": "06"}


def test_what_a_meeting_covered_is_its_records_items_in_order(tmp_path: Path) -> None:
    """"What did we talk about in June?" and "What happened at the last meeting?" are answered by the June notes'
    items, each cited to its own section; a plan written later whose title names months ahead is no record of a
    meeting, and a question naming more than the meeting asks about one item, not for the list."""
    may = ["1. Rota changes", "2. New hoist training"]
    june = ["1. Falls audit results", "2. Handover sheet redesign", "3. Summer leave"]
    plan = ("plan.md", "Ward Plan (July–August 2026)", "## Goals\n\nCut falls by a third.\n\n## Staffing\n\nTwo more nurses.",
            {"date": "2026-06-20"})
    settings, service = service_over(tmp_path, _meeting_notes("May", 12, may), _meeting_notes("June", 9, june), plan)
    for question in ("What did we talk about in June?", "What happened at the last meeting?", "What was discussed at the May meeting?"):
        answer = service.ask(question, AskOptions(log=False))
        expected = may if "May" in question else june
        lines = [line.text for part in answer.parts if part.type == "list" for line in part.lines]
        assert answer.answered and lines == expected, (question, answer.answer)
        assert [c.section.split(" > ")[-1] for c in answer.citations] == expected
    one_item = service.ask("What was discussed about the handover sheet in June?", AskOptions(log=False))
    assert "Falls audit results" not in one_item.answer, one_item.answer


def test_what_an_issue_of_a_newsletter_covered_is_its_items(tmp_path: Path) -> None:
    """"What was in the March newsletter?" was refused: "newsletter" is not in the title "CoP Pulse — Issue 12, March
    2026", and a question naming more than the record and its month asked about one item. Like "meeting" or
    "minutes", "newsletter" says which kind of record, not what in it."""
    issue = ("bulletin.md", "Ward Bulletin — June 2026", "The monthly newsletter of Ward 7A.\n\n## New starters\n\nWelcome to "
             "two new nurses.\n\n## Falls audit\n\nFalls fell by a third.\n\n## Summer barbecue\n\nFriday at six.",
             {"date": "2026-06-01"})
    _, service = service_over(tmp_path, _meeting_notes("May", 12, ["1. Rota changes", "2. New hoist training"]), issue)
    answer = service.ask("What was in the June newsletter?", AskOptions(log=False))
    lines = [line.text for part in answer.parts if part.type == "list" for line in part.lines]
    assert answer.answered and lines == ["New starters", "Falls audit", "Summer barbecue"], answer.answer


def test_she_who_answers_comes_with_the_sentence_that_names_her(tmp_path: Path) -> None:
    """"She confirmed ... she expects to sign it off this week." answered "Who signs off on a DPIA?" alone: who she
    is was said in the section's opening sentence, a list earlier."""
    body = (
        "## Guest talk: clinical audits\n\n"
        "Dr. Orla Brennan explained when a clinical audit is needed and how to register one.\n\n"
        "- An audit needs a named lead.\n- Audits use the hospital's audit template.\n- Results go to the quality committee.\n\n"
        "She confirmed that she signs off every ward audit before it starts."
    )
    texts = _answer_texts(tmp_path, "Who signs off a ward audit?", ("talk.md", "Quality meeting notes", body))
    assert texts[0].startswith("Dr. Orla Brennan explained") and texts[1].startswith("She confirmed"), texts


def test_a_question_asking_for_a_document_by_its_kind_is_answered_by_naming_it(tmp_path: Path) -> None:
    """"Do we have a template for proposals?" was answered with three of the template's declarations ("I have declared
    any commercial interest."): the question asks for the document, and its answer is the document's name, where it is
    and what it says it is. A template for something no document covers is not that one."""
    _, service = service_over(
        tmp_path,
        ("incident-review-template.md", "Incident Review Template",
         "Use this template to write up a review after a patient safety incident.\n\n"
         "## Declarations\n\n- I have removed every patient identifier.\n- I have told my line manager about this review.\n"
         "- I have declared any conflict of interest."),
        ("rota-guide.md", "Rota Guide", "## Swapping shifts\n\nSwaps are agreed with the ward manager a week ahead. "
         "Night shifts are swapped only for night shifts."),
    )
    answer = service.ask("Do we have a template for incident reviews?", AskOptions(log=False))
    lines = answer.answer.splitlines()
    assert answer.answered and lines[0].startswith("- Incident Review Template (incident-review-template.md)"), answer.answer
    assert lines[1].startswith("Use this template to write up a review"), answer.answer
    assert_fully_cited(answer, service.settings)
    other = service.consider("Is there a template for rota requests?", AskOptions(log=False))
    assert other.evidence.asked_document is None


def test_slides_are_a_talk_s_pptx_and_answer_where_to_find_them(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"Where can I find the slides from the onboarding talk?" was refused (0.08), and then as lacking a place to find
    them: "slides" is in no title; the talk is a pptx."""
    answer = sample_service.ask("Where can I find the slides from the onboarding talk?", AskOptions(log=False))
    assert answer.answered and "(start-here/onboarding-talk.pptx)" in answer.answer.splitlines()[0], answer.answer
    assert not sample_service.ask("Where can I find the slides from the last meeting?", AskOptions(log=False)).answered


def test_a_glossary_definition_of_the_topic_gives_way_to_the_sentence_that_says_what_is_asked(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"What did the ambient scribe pilot cost?" was answered "ScribeAssist is the ambient scribe piloted in outpatients."
    (the glossary entry "Ambient scribe", 0.01 above the cost): a definition says what the topic is, not what it cost. A
    question nothing answers better is still refused for the definition (the pilot never paused), and an entry that goes
    on to answer still answers ("The DPO is Gráinne O'Sullivan")."""
    considered = sample_service.consider("what did the ambient scribe pilot cost", AskOptions(log=False))  # (as typed to a chat box)
    assert considered.draft.claims[0].text.startswith("The licence cost for the pilot was €95"), considered.draft.claims[0].text
    assert not sample_service.ask("Why did the ambient scribe pilot pause?", AskOptions(log=False)).answered
    dpo = sample_service.ask("Who is the DPO?", AskOptions(log=False))
    assert dpo.answered and "Gráinne O'Sullivan" in dpo.answer, dpo.answer
    assert dpo.citations[0].title == "Glossary of AI and Governance Terms", dpo.citations


def test_a_definition_of_a_term_used_in_asking_leave_gives_way_to_the_rule(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"Is it fine to share a screenshot of the EHR in BrigidChat?" was answered "The Electronic Health Record (EHR) is
    the hospital's digital patient record ...": its "Is ..." was read as asking what something is, and "fine", a word
    no document uses, outweighed "screenshot". Nor does another entry's definition ("BrigidChat is the hospital's
    internal chat platform"), or a sentence that names the sharing but not the screenshot, say what is asked."""
    for asked in ("Is it fine to share a screenshot of the EHR in BrigidChat?", "Can I share a screenshot of the EHR in BrigidChat?"):
        answer = sample_service.ask(asked, AskOptions(log=False))
        assert answer.answered and answer.answer.startswith("Tomás reminded everyone that screenshots from clinical systems must never be posted"), answer.answer
    # An entry saying only the commoner words asked ("... drafts the clinical note for the clinician to review and sign")
    # does not say what happens to the audio: the sentence saying the rarest word a nearby sentence says leads.
    audio = sample_service.ask("what happens to the audio recordings from the ambient scribe once the note is signed off?", AskOptions(log=False))
    assert audio.answered and audio.answer.startswith("Audio is deleted as soon as the draft note is generated"), audio.answer


def test_what_was_learned_is_the_lessons_not_the_lessons_document_s_opening(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"What did we learn from the sepsis alert pilot?" was answered with the lessons document's opening, "The Sepsis
    Early Warning (SEW) pilot ran on Wards 7A and 7B ..." (0.99), and "What did the ambient scribe pilot teach us?" was
    refused for the glossary's definition of an ambient scribe: the lessons are under headings that name them."""
    sepsis = sample_service.ask("What did we learn from the sepsis alert pilot?", AskOptions(log=False))
    assert sepsis.answered and sepsis.answer.startswith("- 1. Do not go live with the vendor's default threshold"), sepsis.answer
    assert "- 5. Listen to night staff" in sepsis.answer
    thing = sample_service.ask("what did we learn from the sepsis thing", AskOptions(log=False))
    assert thing.answered and thing.answer.startswith("- 1. Do not go live with the vendor's default threshold"), thing.answer
    # (and "takeaways", no word of theirs, asks for them too: the lessons' sections are searched for it, wherever the
    # search ranked them)
    for asked in (
        "What did the ambient scribe pilot teach us?",
        "What did we learn from the ambient scribe pilot?",
        "What are the key takeaways from the scribe pilot?",
        "any takeaways from the scribe pilot?",  # ("takeaways", no word of theirs, asks for lessons: not refused)
    ):
        scribe = sample_service.ask(asked, AskOptions(log=False))
        assert scribe.answered and scribe.answer.startswith("1. Design review into the software."), scribe.answer
        assert "6. Measure well-being, not just minutes." in scribe.answer


def test_asked_whether_a_tool_is_live_the_sentence_saying_so_leads(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"Is DischargeDraft live yet?" got how DischargeDraft works (0.84 to the encoder), and "Is the xray triage AI
    actually live in ED now ...?" the banner added in April: a sentence saying what state the tool is in answers
    (and "xray" is the documents' "X-ray", no word they never use)."""
    discharge = sample_service.ask("Is DischargeDraft live yet?", AskOptions(log=False))
    assert discharge.answered and "preparing for a pilot on Ward 6B" in discharge.answer.splitlines()[0], discharge.answer
    xray = sample_service.ask("Is the xray triage AI actually live in ED now or still being trialled?", AskOptions(log=False))
    assert xray.answered and xray.answer.startswith("ChestFlag went live on 12 January 2026"), xray.answer


def test_names_are_read_as_the_documents_spell_them(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"can i use brigidlab for patient data" got "No. BrigidGPT is approved for Green ... information only." (1.00):
    typed in lower case, BrigidLab was no product name to the check that an answer under another product's heading does
    not answer. Words the documents also write in lower case stay as typed ("it", and "id" for "I'd")."""
    lexical = sample_service.view.current().lexical
    assert lexical.spelled_as_in_the_documents("can i use brigidlab? id like a dpia from it") == "can i use BrigidLab? id like a DPIA from it"
    assert lexical.spelled_as_in_the_documents("is the xray ai live? what about golive") == "is the X-ray ai live? what about go-live"
    answer = sample_service.ask("can i use brigidlab for patient data", AskOptions(log=False))
    assert answer.answered and not any("BrigidGPT" in c.section for c in answer.citations), answer.answer


def test_a_name_misspelt_is_read_as_the_documents_spell_it(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"Does ScribeAsist store audio?": a name no document uses is refused as one the documents do not speak of, but
    one letter short of ScribeAssist it is ScribeAssist. A word the documents write, or a short one, stays as typed
    ("checklist" is no slip of "ChestFlag")."""
    lexical = sample_service.view.current().lexical
    assert lexical.spelled_as_in_the_documents("does scribeasist or ChestFlg use the checklist?") == (
        "does ScribeAssist or ChestFlag use the checklist?"
    )
    answer = sample_service.ask("Does ScribeAsist store audio?", AskOptions(log=False))
    assert answer.answered and "Deleted as soon as the draft note is generated" in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("question", "title", "holds"),
    [
        # the glossary's "Silent mode is an evaluation phase ..." (its heading matching 0.79) was refused
        ("what does the evaluation guide say about silent mode", "How to Evaluate an AI Tool Before It Touches Patients", "Route: Silent mode"),
        # refused: the glossary's definition, asked "about" the glossary, seemed to answer another question
        ("what does the glossary say about hallucination", "Glossary of AI and Governance Terms", "A hallucination is"),
        # refused: the register's row ranked sixth, below the glossary's and the evaluation guide's model drift
        ("what does the risk register say about model drift", "CoP Risk Register", "ID: R05"),
        # the lesson's "The go-live readiness checklist now requires at least 80%.", which only points to it
        ("what does the go-live checklist say about training", "Go-Live Readiness Checklist for Clinical AI Tools", "At least 80% of staff"),
    ],
)
def test_a_question_asking_what_a_document_says_is_answered_from_it(sample_service, question, title, holds) -> None:  # type: ignore[no-untyped-def]
    answer = sample_service.ask(question, AskOptions(log=False))
    assert answer.answered and answer.citations[0].title == title and holds in answer.answer, answer.answer


def test_what_a_numbered_part_is_is_answered_by_its_own_section_or_row(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"What is Stage 4?" got the projects table ("Current stage: Stage 4 approved 26 Feb 2026"), "What does tier 2
    mean?" the Tier 3 row ("Everything for Tier 2, plus ..."): a part is said by the section it heads or the row it keys."""
    stage = sample_service.ask("what is stage 4?", AskOptions(log=False))
    assert stage.answered and stage.answer.startswith("After the pilot, the AIOC may approve wider use."), stage.answer
    assert stage.citations[0].section.endswith("Stage 4 — Scale-up")
    tier = sample_service.ask("what does tier 2 mean?", AskOptions(log=False))
    assert tier.answered and "Tier: Tier 2 — moderate" in tier.answer and "Tier: Tier 3" not in tier.answer, tier.answer


def test_the_nearest_heading_naming_a_month_decides_which_month_a_section_is(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"Who's on the agenda for the April meeting?" got the "Tuesday 12 May 2026" plan: every section of "Draft Budget
    2026 and Agenda Planning (April–July 2026)" counted as naming April, by its document's title."""
    from peerassist.retriever.filters import SearchFilter

    answer = sample_service.ask(
        "who's on the agenda for the April meeting?", AskOptions(filter=SearchFilter(role="facilitator"), log=False)
    )
    assert answer.answered and answer.citations[0].section.endswith("Tuesday 14 April 2026"), answer.citations[0].section


def test_when_does_something_happen_is_answered_by_its_schedule(sample_service) -> None:  # type: ignore[no-untyped-def]
    """"When does the community meet?" (the README's sample question) led with December's "Next meeting: Tuesday 13
    January 2026.": what a body does as a rule is its schedule. And a schedule that is one item of a section answering
    the question is that item: "When does the AIOC meet?" got the whole "About the AIOC" list (chair, secretary,
    members, ...), its meetings fourth."""
    community = sample_service.ask("When does the community meet?", AskOptions(log=False))
    assert community.answered and community.answer.startswith("The monthly meeting is on the second Tuesday"), community.answer
    aioc = sample_service.ask("When does the AIOC meet?", AskOptions(log=False))
    assert aioc.answered and aioc.answer.startswith("- Meetings: last Thursday of each month"), aioc.answer


def test_a_sentence_naming_the_asked_product_joins_the_answer_that_does_not(tmp_path: Path) -> None:
    """The IT Service Desk is whom to ring; the sentence before it says what it means for ChestFlag, which the
    question names (a general answer read as being about some other tool)."""
    texts = _answer_texts(
        tmp_path,
        "ChestFlag has been down for a couple of hours now. Who do I ring?",
        ("faq.md", "FAQ for clinicians", "## What if the tool is down?\n\nEvery live tool has a downtime procedure. If the "
         "sepsis model is down, continue observations as usual. If ChestFlag is down, the reporting worklist reverts to its "
         "normal order. Report prolonged downtime to the IT Service Desk on extension 5000."),
        ("scribe.md", "ScribeAssist pilot", "## Costs\n\nThe licence cost for the pilot was €95 per clinician per month."),
    )
    assert any("IT Service Desk" in text for text in texts), texts
    assert "If ChestFlag is down, the reporting worklist reverts to its normal order." in texts, texts


def test_the_row_naming_the_asked_product_answers_alone(tmp_path: Path) -> None:
    """A retention table's rows name one product each: asked about BrigidGPT, its row is the answer, not the table."""
    texts = _answer_texts(
        tmp_path,
        "How long is BrigidGPT chat history kept?",
        ("dp.md", "Data protection FAQ", "## How long may AI tools keep data?\n\nRetention is set in each DPIA. Examples:\n\n"
         "| Tool | Data | Retention |\n|---|---|---|\n| ScribeAssist | Transcript | 30 days |\n"
         "| BrigidGPT | Prompts and outputs | 90 days (audit) |\n| BrigidLab | Project workspaces | 12 months |\n"),
        ("scribe.md", "ScribeAssist pilot", "## Costs\n\nThe licence cost for the pilot was €95 per clinician per month."),
    )
    assert texts == ["Tool: BrigidGPT; Data: Prompts and outputs; Retention: 90 days (audit)"], texts


def test_a_yes_no_question_is_answered_by_the_item_it_asks_about(tmp_path: Path) -> None:
    """Under a heading naming the same tool, the list's items are separate rules: one answers whether."""
    texts = _answer_texts(
        tmp_path,
        "Do I have to say I used BrigidGPT?",
        ("genai.md", "Using GenAI safely", "## Good practice when using BrigidGPT\n\n"
         "- BrigidGPT is the hospital's enterprise assistant. Prompts stay inside the hospital's cloud tenancy.\n"
         "- Check every fact, reference and number. BrigidGPT can invent references.\n"
         "- Do not use it to make clinical decisions about individual patients.\n"
         "- Say when you have used it: add \"Drafted with the help of BrigidGPT\" to documents you share.\n"
         "- Prompts are retained for 90 days for audit and then deleted.\n"),
        ("scribe.md", "ScribeAssist pilot", "## Costs\n\nThe licence cost for the pilot was €95 per clinician per month."),
    )
    assert texts == ['Say when you have used it: add "Drafted with the help of BrigidGPT" to documents you share.'], texts


CONTACT_ROWS = "".join(f"| {topic} | {contact} |\n" for topic, contact in [
    ("Anything about the CoP", "aicop@example.org (read by both facilitators)"),
    ("Meetings, onboarding, buddies", "Tomás Lindqvist, co-facilitator"),
    ("Direction, priorities, clinical escalation", "Dr. Amara Okafor, lead facilitator"),
    ("Data protection and DPIAs", "Gráinne O'Sullivan, Data Protection Officer"),
    ("Training and AI Literacy Week", "Hannah Byrne, Education and Training lead"),
])


@pytest.mark.parametrize(
    ("question", "row"),
    [
        ("Who do I ask about buddies?", "Question about: Meetings, onboarding, buddies; Contact: Tomás Lindqvist, co-facilitator"),
        # (not by "contact", the question's rarest word, which every row's "Contact:" holds)
        ("who do I contact about literacy week?", "Question about: Training and AI Literacy Week; Contact: Hannah Byrne, Education and Training lead"),
    ],
)
def test_the_only_row_holding_the_questions_rarest_word_answers_alone(tmp_path: Path, question: str, row: str) -> None:
    """A contacts table: asked whom to ask about buddies, the one row that says buddies, not all five."""
    texts = _answer_texts(
        tmp_path,
        question,
        ("guide.md", "Onboarding guide", f"## Who to ask\n\n| Question about | Contact |\n|---|---|\n{CONTACT_ROWS}"),
        ("scribe.md", "ScribeAssist pilot", "## Costs\n\nThe licence cost for the pilot was €95 per clinician per month."),
        # (where, as in a real knowledge base, the week is written of more often than anyone says "contact")
        *((f"notes{i}.md", f"Meeting notes {i}", f"## AI Literacy Week\n\nThe literacy week programme had {i} changes this week.")
          for i in range(1, 2)),
        *((f"other{i}.md", f"Other notes {i}", f"## Item {i}\n\nThe sepsis model was reviewed on ward {i}.") for i in range(1, 7)),
    )
    assert texts == [row], texts


def test_a_row_holding_only_a_common_word_of_the_question_does_not_answer_alone(tmp_path: Path) -> None:
    """Every row says "Colour"; only Amber's says "data" ("rotas without patient data"), a word a third as rare: the
    whole traffic light answers "what colour is patient data?", not the Amber row."""
    texts = _answer_texts(
        tmp_path,
        "what colour is patient data?",
        ("genai.md", "Using GenAI safely", "## The data traffic light\n\n| Colour | Examples | Which tools may be used |\n|---|---|---|\n"
         "| Green — public | Published guidelines, journal abstracts | Any tool |\n"
         "| Amber — internal, non-patient | Draft policies, rotas without patient data | BrigidGPT only |\n"
         "| Red — patient-identifiable | Anything about an identifiable patient | Approved clinical tools only |\n"),
        ("scribe.md", "ScribeAssist pilot", "## Costs\n\nThe licence cost for the pilot was €95 per clinician per month."),
        # (where, as in a real knowledge base, patient data is written of everywhere and colours hardly anywhere)
        *((f"dp{i}.md", f"Data protection {i}", f"## Patient data\n\nPatient data from ward {i} is kept for {i} years.")
          for i in range(1, 5)),
    )
    assert len([text for text in texts if text.startswith("Colour:")]) > 1, texts


def test_a_sentence_that_goes_on_with_what_was_asked_joins_a_fact(tmp_path: Path) -> None:
    """"It covers ..." points back to the module and holds the question's "cover", which the sentence before lacks."""
    texts = _answer_texts(
        tmp_path,
        "What does AI Essentials cover?",
        ("guide.md", "Onboarding guide", "## Your first 30 days\n\nThe AI Essentials module is mandatory for all members "
         "and must be completed within 30 days of joining. It covers what AI and machine learning are, common failure "
         "modes such as hallucination, and the hospital's data classification rules. Most members finish it in a week."),
        ("scribe.md", "ScribeAssist pilot", "## Costs\n\nThe licence cost for the pilot was €95 per clinician per month."),
    )
    assert any(text.startswith("It covers what AI and machine learning are") for text in texts), texts
    assert not any(text.startswith("Most members") for text in texts), texts


def test_a_sentence_holding_only_the_topic_the_answer_lacks_does_not_join(tmp_path: Path) -> None:
    """"It calculates ... from the Electronic Health Record" supplies the words the question names, not what it asks
    (who supplies the record system): joined, it made "The model is supplied by Auralis Health." look like an answer."""
    texts = _answer_texts(
        tmp_path,
        "Which company supplies our electronic health record system?",
        ("sepsis.md", "Sepsis pilot", "## The model\n\nThe model is supplied by Auralis Health. It calculates a risk score "
         "every 15 minutes from vital signs and laboratory results in the Electronic Health Record (EHR)."),
        ("scribe.md", "ScribeAssist pilot", "## Costs\n\nThe licence cost for the pilot was €95 per clinician per month."),
    )
    assert not any(text.startswith("It calculates") for text in texts), texts


@pytest.mark.parametrize(
    ("question", "sentence", "shaped"),
    [
        # whether something changed is answered by the change, not by how things stood
        ("Did the X-ray AI actually make reporting faster?", "The median time to report fell from 5.2 hours to 1.1 hours.", 1.0),
        ("Did the X-ray AI actually make reporting faster?", "An audit found a median of 5.4 hours from image to report.", 0.0),
        ("Did the X-ray AI actually make reporting faster?", "Gráinne explained how to make the DPIA process faster.", 0.0),
        ("Did raising the threshold reduce alerts?", "Alerts have fallen from 9.1 to 4.3 per ward per day.", 1.0),
        # (not a yes/no that asks no change: "Can I raise a concern?")
        ("Can I reduce my hours in the CoP?", "Facilitators give about four hours a week.", 0.5),
    ],
)
def test_whether_something_changed_is_answered_by_the_change(question: str, sentence: str, shaped: float) -> None:
    assert shape_match(answer_shape(question, question_kind(question)), sentence) == shaped


def test_the_forms_of_a_heading_a_question_is_matched_with() -> None:
    """Under its title only where the document has no outline to put it under (a Markdown heading's path starts with
    its title); without the community's name only where something is left to ask about."""
    from peerassist.retriever.passages import heading_forms

    title = "ANNOUNCEMENT: AI LITERACY WEEK, 18-22 MAY 2026"
    flat = heading_forms(SearchHit("a-1", "Registration opens on 1 April.", {"title": title, "section": "HOW TO REGISTER"}, 1.0))
    assert (flat.written, flat.titled, flat.title) == ("HOW TO REGISTER", f"{title} > HOW TO REGISTER", title)
    faq = {"title": "CoP Frequently Asked Questions"}
    joining = heading_forms(SearchHit("f-1", "Fill in the form.", {**faq, "section": "CoP Frequently Asked Questions > How do I join the CoP?"}, 1.0))
    assert (joining.titled, joining.unnamed) == ("How do I join the CoP?", "How do I join?")
    what = heading_forms(SearchHit("f-2", "A group of people.", {**faq, "section": "CoP Frequently Asked Questions > What is the CoP?"}, 1.0))
    assert what.unnamed == "What is the CoP?"
    acronym = heading_forms(SearchHit("f-3", "Ask the DPO.", {**faq, "section": "When do I need a Data Protection Impact Assessment (DPIA)?"}, 1.0))
    assert acronym.short == "When do I need a DPIA?"


@pytest.mark.parametrize(
    ("sentence", "by_headings", "dated"),
    [
        ("23 April 2026 — Training: Prompting safely with BrigidGPT, Teams", -1, 1),  # the March newsletter's diary
        ("date: Thursday 23 April 2026; session: Prompting safely", 0, 1),
        ("Registration opens on 1 April 2026 on LearnBrigid.", -1, -1),  # of the May announcement: its title decides
        ("The pilot ended on 30 April.", 1, 1),  # the April minutes' sentence about another date is theirs
        ("18–22 May 2026 — AI Literacy Week", 1, -1),
    ],
)
def test_a_sentence_opening_with_its_date_is_of_that_month(sentence: str, by_headings: int, dated: int) -> None:
    from peerassist.retriever.evidence import dated_by_sentence

    assert dated_by_sentence(named_in("Is there any training in April?"), sentence, by_headings) == dated
