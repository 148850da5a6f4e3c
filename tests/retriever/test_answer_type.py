"""A question that names the detail it wants is refused when the answer holds none of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peerassist.ingest.pipeline import Ingestor
from peerassist.retriever.answer_type import (
    QuestionKind,
    as_the_encoder_should_read,
    asked_sentence,
    document_asked_for,
    document_references,
    lacks_asked_detail,
    lessons_subject,
    names_lessons_of,
    question_kind,
)
from peerassist.retriever.filters import SearchFilter
from peerassist.retriever.service import AnswerService, AskOptions, compose_text
from peerassist.settings import Settings
from peerassist.store import KnowledgeIndex
from tests.conftest import write_md


@pytest.mark.parametrize(
    ("question", "quote", "missing"),
    [
        ("What's Marek Nowak's email address?", "Email Marek Nowak with the project name.", "an email address"),
        ("What's Marek Nowak's email address?", "Marek Nowak (marek.nowak@stbrigids.ie) runs BrigidLab.", None),
        ("Who do I email to join?", "Email aicop@stbrigids.ie with your name.", None),  # asks who, not an address
        ("What's the web address for SafeReport?", "SafeReport is the incident reporting system.", "a web address"),
        ("What's the web address for SafeReport?", "Report at https://safereport.stbrigids.ie.", None),
        ("What's the CSO's phone extension?", "The CSO is Dr. Conor Healy.", "a phone number"),
        ("What's the CSO's phone extension?", "Call Dr. Conor Healy on extension 4417.", None),
        ("How much does a licence cost per user?", "BrigidGPT is the hospital's assistant.", "an amount of money"),
        ("How much does a licence cost per user?", "A licence costs €25 per user per month.", None),
        # (what someone is paid is money too: "Project leads are not CoP roles" answered at 0.77)
        ("How much extra do CoP leads get paid?", "Project leads are not CoP roles, but they present regularly.", "an amount of money"),
        ("How much time do I need to spend on the CoP?", "Working groups meet for 45 minutes a month.", None),
        ("What is the specificity of the sepsis model?", "The model scores every 15 minutes.", "a proportion"),
        ("What is the specificity of the sepsis model?", "Specificity was 91% on the pilot wards.", None),
        ("Why count alerts if the sensitivity is good?", "Alert volume drives fatigue.", None),  # names a metric, asks why
        # a rate, but another one
        ("What's ScribeAssist's word error rate?", "Members debated whether a 3% significant-error rate is acceptable.",
         "the measure asked for"),
        ("What's ScribeAssist's word error rate?", "The word error rate was 4% in the pilot.", None),
        ("What is the current error rate?", "The error rate is 3%.", None),  # "current" says when, not which
        ("What was the applicant admission rate?", "The college admitted 5.3% of applicants.", None),  # names no rate
        # a rate named in other words may be the same rate
        ("What is the applicant admission rate for 2019?", "It accepted 5.3% of applicants, its lowest acceptance rate.", None),
        ("Which company supplies our EHR?", "The EHR is the hospital's digital patient record.", "an organisation"),
        ("How do I join the CoP?", "Fill in the joining form.", None),
        ("Is there a cap on how many CPD hours I can earn in a year?", "Each meeting counts as 1 CPD hour.", "a limit"),
        ("Is there a cap on how many CPD hours I can earn in a year?", "You can claim up to 20 CPD hours a year.", None),
        ("Is there a limit to how many people can come?", "The room holds at most 40 people.", None),
        ("What is the maximum dose?", "The dose is 2 g a day.", None),  # a maximum asked as the value, not a limit's existence
        ("What score do I need to pass AI Essentials?", "AI Essentials is mandatory for all members.", "a pass mark"),
        ("What score do I need to pass AI Essentials?", "The pass mark is 80% on the final quiz.", None),
        ("What's the pass mark for the quiz?", "You need 8 out of 10 to pass.", None),
        ("When is the multilingual model going to be tested?", "The vendor's multilingual model supports Polish and Irish.",
         "a date or time"),
        ("When is the multilingual model going to be tested?", "It will be tested in BrigidLab in June.", None),
        ("When does the group meet?", "It meets on the first Thursday of each month.", None),
        ("When does the zebrafish lab meet?", "The zebrafish lab meets on Fridays.", None),
        ("When I break results down by subgroup, how small is too small?", "Groups under 30 say little.", None),  # a clause
        ("Do I have to redo the AI Essentials module every year?", "It must be completed within 30 days of joining.", "how often"),
        ("Do I have to redo the AI Essentials module every year?", "Members repeat it every two years.", None),
        # the frequency of what was asked (its main verb), not of something else the subject does
        ("How often does Auralis retrain the sepsis model?", "It calculates the risk score every 15 minutes.", "how often"),
        ("How often does Auralis retrain the sepsis model?", "Auralis retrains the model every six months.", None),
        ("How often does the CoP meet?", "The CoP meets on the second Tuesday of each month.", None),
        ("How often do I need to renew my training?", "Training must be renewed every year.", None),  # the verb is "renew"
        ("Where can I download a blank DPIA form?", "You need a DPIA for any tool that processes patient data.",
         "where to find it"),
        ("Where can I download a blank DPIA form?", "The DPIA form is in the governance folder.", None),
        ("Where can I get a leaflet for a relative?", "Leaflets are available from the ward clerk or on BrigidNet.", None),
        ("Where do I find the training calendar?", "Training calendar: guides/training-calendar-2026.csv lists all "
         "sessions for 2026.", None),  # a file of the knowledge base
        ("Where do I find the training calendar?", "The training calendar lists all sessions for 2026.", "where to find it"),
        # The holder of a role: a person named beside that role, not just someone.
        ("Who's the ethicist that sits on the AIOC?", "- Chair: Prof. Helen Carberry, Chief Clinical Information Officer.",
         "the person in that role"),
        ("Who's the ethicist that sits on the AIOC?", "Members include an ethicist from the partner university and two lay "
         "members. The CoP lead facilitator, Dr. Amara Okafor, attends as a non-voting member.", "the person in that role"),
        ("Who's the ethicist that sits on the AIOC?", "The ethicist, Dr. Ruth Byrne, joined the AIOC in 2025.", None),
        ("And who's the secretary?", "- Secretary: Lorcan Fitzgerald, AI governance lead.", None),  # a name spaCy misses
        ("Who chairs the Medical Board?", "Tier 1 needs only Chair's action; no clinical safety case.", "the person in that role"),
        ("Who chairs the committee that signs off AI tools?", "- Chair: Prof. Helen Carberry, CCIO.", None),
        ("Who is the clinical lead for the sepsis pilot?", "Siobhán Daly (clinical lead) reported on the pilot.", None),
        ("Who runs the tender?", "A formal tender is run by the Procurement Office.", None),  # a team may run it
        ("Who is the lead for the Sepsis Early Warning pilot?", "The lead for the Sepsis Early Warning pilot is yet to be "
         "appointed.", "the person in that role"),  # "Sepsis Early" is no name
        ("Where can I get a copy of the form?", "Email Marek for a copy.", None),
        ("When can I use BrigidGPT?", "Staff may use BrigidGPT for drafting rotas.", "a date or time"),  # "may" is no month
        ("When does registration open?", "Registration opens in May.", None),
        # what a measure is, not its value (the glossary's definition was refused as lacking a proportion)
        ("What does PPV mean?", "Positive Predictive Value (PPV) is the proportion of alerts that are true cases.", None),
        ("What is PPV?", "Positive Predictive Value (PPV) is the proportion of alerts that are true cases.", None),
        ("What is the PPV of ChestFlag?", "Positive Predictive Value (PPV) is the proportion of alerts that are true "
         "cases.", "a proportion"),
        ("What share of flags are real? I mean its PPV.", "A low PPV means many false alarms.", "a proportion"),
        # a length of time: how long something takes, not what it is or how it works
        ("How much time did DischargeDraft save per discharge summary?", "1. When the doctor opens the discharge "
         "summary in the EHR, DischargeDraft retrieves the admission clerking.", "a length of time"),
        ("How much time does being a facilitator take?", "A facilitator is a member who takes responsibility for "
         "keeping the community healthy.", "a length of time"),
        ("how much time does the co-facilitator spend?", "Role: Co-facilitator; Time commitment: ~4 hours/week.", None),
        ("how much time did the scribe save", "Time saved: an average of 4.5 minutes per consultation.", None),
        ("how many days annual leave do band 5 nurses get?", "At least 80% of nurses on each ward must be trained.",
         "a length of time"),
    ],
)
def test_asked_detail(question: str, quote: str, missing: str | None) -> None:
    assert lacks_asked_detail(question, [quote]) == missing


def _service_over(settings: Settings, kb: Path) -> AnswerService:
    """An answer service over the documents written to `kb`, ingested."""
    Ingestor(KnowledgeIndex(settings)).run([kb])
    return AnswerService(settings, log_queries=False)


def test_a_contact_question_the_documents_cannot_answer_is_refused(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    write_md(kb / "lab.md", "BrigidLab", "## Access\n\nTo get access to BrigidLab, email Marek Nowak with the project "
             "name and the AIOC approval date. Marek Nowak runs BrigidLab for the data team.")
    service = _service_over(embedded_settings, kb)
    assert service.ask("How do I get access to BrigidLab?").answered
    refused = service.ask("What's Marek Nowak's email address?")
    assert not refused.answered and refused.citations == []


def test_a_role_the_documents_mention_but_never_fill_is_refused(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    write_md(kb / "committee.md", "The Oversight Committee", "## Membership\n\n- Chair: Prof. Helen Carberry, Chief "
             "Clinical Information Officer.\n- Secretary: Lorcan Fitzgerald, AI governance lead.\n- Members: the Chief "
             "Pharmacist, a consultant radiologist, an ethicist from the partner university and two lay members.\n")
    service = _service_over(embedded_settings, kb)
    # (on a one-document corpus confidence is low either way: what matters is which answer is on target)
    named = service.consider("Who is the secretary of the Oversight Committee?", AskOptions())
    assert "Lorcan Fitzgerald" in compose_text(named.draft) and not named.off_target
    unfilled = service.consider("Who's the ethicist that sits on the Oversight Committee?", AskOptions())
    assert unfilled.off_target


@pytest.mark.parametrize(
    ("question", "off_target"),
    [
        ("Who's giving the talk on automation bias?", True),
        ("I'm new here. Who is Niamh Walsh?", False),  # who someone is, after a preamble
        ("Who is Fleming?", False),  # a name ending in -ing is not a verb
        ("What does the AIOC do?", False),  # a body's definition says what it does
        ("When does the AIOC meet?", True),
        ("automation bias", False),  # the term alone, as typed into a search box
        ("AIOC", False),
        # what it is doing is not what it is ("A Community of Practice (CoP) is a group of people ..." answered this)
        ("What is the CoP trying to achieve long term?", True),
        ("What is the CoP?", False),
        ("What is automation bias?", False),
    ],
)
def test_who_questions_a_definition_answers(question: str, off_target: bool) -> None:
    from peerassist.retriever.answer_type import answers_with_a_definition

    quote = {"automation": "Automation bias is the tendency to trust a machine's answer too readily.",
             "Niamh": "Niamh Walsh is the Senior Pharmacist who co-leads DischargeDraft.",
             "Fleming": "Fleming is the lead facilitator of the CoP.",
             "AIOC": "The AI Oversight Committee (AIOC) is the hospital committee that approves AI tools.",
             "CoP": "A Community of Practice (CoP) is a group of people who share a professional concern."}
    term = next(key for key in quote if key.casefold() in question.casefold())
    assert answers_with_a_definition(question, [quote[term]]) is off_target


@pytest.mark.parametrize(
    ("question", "wants_a_date"),
    [
        ("When does the community meet?", True),
        ("I'm new - when are the welcome sessions?", True),
        ("Since when have public chatbots been blocked?", True),
        ("Do I need to tell patients when I use the scribe?", False),  # "when" joins a clause, asks no date
        ("What do I do when a sepsis alert fires?", False),
        ("How soon will I hear back about my proposal?", True),  # "within ten working days"
        ("How quickly is access set up?", True),
    ],
)
def test_when_asks_for_a_date_only_where_it_opens_the_question(question: str, wants_a_date: bool) -> None:
    from peerassist.retriever.answer_type import expected_types

    assert (expected_types(question) == frozenset({"DATE", "TIME"})) is wants_a_date


@pytest.mark.parametrize(
    ("question", "sentence", "matches"),
    [
        # "Who do I ring?" wants a number; a person without one does not answer it
        ("ChestFlag is down. Who do I ring?", "Report prolonged downtime to the IT Service Desk on extension 5000.", True),
        ("ChestFlag is down. Who do I ring?", "Dr. Rajesh Menon reported that ChestFlag is running.", False),
        ("Who should I email about the newsletter?", "Send 200 words to pulse@stbrigids.ie by the 20th.", True),
        ("Who should I email about the newsletter?", "Hannah Byrne edits the newsletter.", False),
        # any "who?" is answered by a contact detail as well as by a name
        ("Who handles security problems?", "Write to security@stbrigids.ie.", True),
        ("Who handles security problems?", "Hannah Byrne edits the newsletter.", True),
        ("ChestFlag is down. Who do I ring?", "Call the IT Service Desk on 5000.", True),
        ("Who do I ring about access?", "Contact Marek Nowak on 0161 234 5678.", True),
        ("Who do I ring about access?", "The 2019 call for 2020 budgets closed.", False),
        # a product's name, which the tagger takes for an organisation, says who leads or sells nothing ...
        ("Who is leading the discharge summary project?", "DischargeDraft is an in-house tool that drafts summaries.", False),
        ("Who sells the ambient scribe?", "ScribeAssist is the ambient scribe piloted in outpatients.", False),
        ("Who sells the ambient scribe?", "ScribeAssist, from the vendor Veritas Voice, was piloted in outpatients.", True),
        # ... but a system may be where something is found
        ("Where can I get them a leaflet?", "Leaflets are available from the ward clerk or on BrigidNet.", True),
    ],
)
def test_contact_details_answer_who_to_ring_or_email(question: str, sentence: str, matches: bool) -> None:
    from peerassist.retriever.answer_type import type_match

    assert (type_match(question, sentence) == 1.0) is matches


@pytest.mark.parametrize(
    ("question", "sentence", "matches"),
    [
        ("How many clinicians used ScribeAssist?", "The pilot ran until 30 January 2026 with 14 clinicians.", True),
        ("How many clinicians used ScribeAssist?", "Its extension is decided by the AIOC on 26 March 2026.", False),
        ("How many days does a DPIA take?", "The DPO's target is 20 working days.", True),  # a DATE to the tagger
        ("How much does ScribeAssist cost?", "The licence cost was €95 per clinician per month.", True),
        # a cost is an amount of money, not any number
        ("How much does the X-ray triage tool cost us?", "In 2024 the department reported around 61,000 chest X-rays.", False),
        # (the currency's code before the amount)
        ("how much would extending the scribe cost a year?", "About 20 clinicians at EUR 95 per month, about EUR 22,800 a year.", True),
        ("What percentage of pneumothoraces did ChestFlag miss?", "ChestFlag missed 3 of the 51 pneumothoraces.", True),
    ],
)
def test_how_many_is_answered_by_a_count_not_by_a_date(question: str, sentence: str, matches: bool) -> None:
    from peerassist.retriever.answer_type import type_match

    assert (type_match(question, sentence) == 1.0) is matches


@pytest.mark.parametrize(
    ("question", "sentence", "matches"),
    [
        ("which company makes the sepsis model?", "The model is supplied by Auralis Health.", True),
        # a committee, an office or a team of ours is no company ...
        ("which company makes the sepsis model?", "The AI Oversight Committee approved the scale-up of the sepsis model.", False),
        ("Which vendor did we buy it from?", "The IT Service Desk logs every outage.", False),
        # ... though it may be the organisation asked for
        ("Which organisation approves AI tools?", "The AI Oversight Committee approves every AI tool.", True),
    ],
)
def test_a_company_is_no_committee_of_ours(question: str, sentence: str, matches: bool) -> None:
    from peerassist.retriever.answer_type import type_match

    assert (type_match(question, sentence) == 1.0) is matches


@pytest.mark.parametrize(
    ("question", "sentence", "matches"),
    [
        # a length says how long, not when (a TIME or a DATE to the tagger)
        ("When does the discharge pilot start?", "Primary measure: time to complete a discharge summary (target: median under 20 minutes).", False),
        ("When does the pilot run?", "Monitoring: weekly review of 20 summaries for the first 8 weeks.", True),  # ("weekly")
        ("When does the pilot start?", "Duration: 8 weeks from 11 May 2026.", True),
        # ... unless a word makes it a time
        ("When should I report an incident?", "Report it on SafeReport within 24 hours.", True),
        ("When will I hear back?", "You will hear back after two weeks.", True),
        # and "how soon?" may be answered by a length
        ("How soon will I hear back?", "Most decisions take 20 working days.", True),
    ],
)
def test_when_is_answered_by_a_time_not_by_a_length(question: str, sentence: str, matches: bool) -> None:
    from peerassist.retriever.answer_type import type_match

    assert (type_match(question, sentence) == 1.0) is matches


def test_a_group_who_call_themselves_something_asks_for_no_one() -> None:
    """A relative "who" asks for nothing: not a telephone number, nor a person."""
    from peerassist.retriever.answer_type import expected_types, type_match

    question = "What country has a group who call themselves Huguenots?"
    assert expected_types(question) is None
    assert type_match(question, "The Huguenot Society of London was founded in 1885.") == 0.5


def test_an_asked_detail_in_a_list_item_counts_only_if_the_item_speaks_to_the_question() -> None:
    question = "When is the scribe vendor's multilingual model going to be tested?"
    lead = ["The extension proposal includes:"]
    items = ["continued exclusion of interpreted consultations until the vendor's multilingual model has been tested;",
             "a monthly audit of 50 notes by the project team."]
    assert lacks_asked_detail(question, lead, items) == "a date or time"  # the "monthly" is another item's
    assert lacks_asked_detail(question, lead, [*items, "the multilingual model will be tested in June."]) is None
    # an organisation or a person counts in any item
    assert lacks_asked_detail("Which company supplies the scribe tool?", [], ["Nuance Communications", "Microsoft"]) is None
    # a sentence counts wherever it is: the date may answer the sentence before it
    assert lacks_asked_detail("When was there an attempt to reform the law of the EU?", [
        "Following the Nice Treaty, there was an attempt to reform the constitutional law of the European Union.",
        "The Treaty establishing a Constitution for Europe was signed in 2004."]) is None


@pytest.mark.parametrize(
    ("question", "title", "lacks"),
    [
        # the document whose title names what is looked for is where to find it: its citation links it
        ("Where do I find the go-live checklist?", "Go-Live Readiness Checklist for Clinical AI Tools", None),
        ("Where can I get the latest procurement checklist?", "AI Procurement Checklist", None),
        # a document about the topic is not the thing asked for
        ("Where can I download a blank DPIA form?", "Data Protection and AI: Frequently Asked Questions", "where to find it"),
        ("Where do I find the go-live checklist?", "How to Evaluate an AI Tool", "where to find it"),
    ],
)
def test_where_to_find_a_document_is_answered_by_that_document(question: str, title: str, lacks: str | None) -> None:
    assert lacks_asked_detail(question, ["This checklist is used by project teams."], titles=[title]) == lacks


def test_the_detail_asked_for_must_be_the_answers_own_not_an_also_lines() -> None:
    """"When does the DischargeDraft pilot start?" was answered "DischargeDraft - LLM discharge summaries, preparing a
    pilot on Ward 6B." (0.96): a ward's code read as a date, and the sepsis line added from another document had one."""
    question = "When does the DischargeDraft pilot start?"
    lead = ["DischargeDraft - LLM discharge summaries, preparing a pilot on Ward 6B"]
    also = ["Sepsis Early Warning pilot - approved for scale-up to four more wards from 20 April 2026."]
    assert lacks_asked_detail(question, lead, also=also) == "a date or time"
    assert lacks_asked_detail(question, ["The pilot runs for 8 weeks from 11 May 2026."], also=also) is None
    # (the organisation or the person asked for may come from another document's line)
    assert lacks_asked_detail("Which company supplies the sepsis model?", ["The model is in use on two wards."],
                              also=["The model is supplied by Auralis Health."]) is None


@pytest.mark.parametrize(
    ("question", "quotes", "others"),
    [
        # the golden unanswerable: ChestFlag's PPV is in no document, its sensitivity and specificity are
        ("What proportion of ChestFlag's flags turn out to be real findings? I mean its PPV.",
         ["Pneumothorax: sensitivity 94%, specificity 89%."], True),
        ("What was the PPV of the sepsis alerts?", ["Only 14% of alerts turned out to be sepsis (Positive Predictive Value, PPV)."], False),
        ("What's the positive predictive value?", ["PPV rose from 14% to 24%."], False),  # named the other way
        ("How sensitive is ChestFlag?", ["Sensitivity 94%, specificity 89%."], False),  # names no measure
        ("What is ChestFlag's specificity?", ["ChestFlag detected 48 of 51 pneumothoraces."], False),  # no measure named
    ],
)
def test_a_measure_the_question_names_is_not_answered_by_the_others(question: str, quotes: list[str], others: bool) -> None:
    from peerassist.retriever.answer_type import gives_other_measures

    assert gives_other_measures(question, quotes) is others


@pytest.mark.parametrize(
    ("question", "quotes", "lacks"),
    [
        ("How many nurses on Ward 5A have done the training so far?",
         ["At least 80% of nurses on each ward must be trained before go-live."], True),
        ("When does the sepsis model go live on 5A?", ["It goes live on Wards 5A, 5B, 6A and 6B on 20 April 2026."], False),
        ("What does clause C12 ask?", ["C12. How is the tool protected against prompt injection?"], False),
        ("How do I join the CoP?", ["Fill in the joining form."], False),  # names no code
        ("What did we report in Q3?", ["We reported growth."], False),  # "Q3", "3D", "5G" are no ward or clause
        # an identifier of a letter and two digits, alone
        ("What's the risk score for R04?", ["The risk score is L multiplied by I."], True),
        ("What's the risk score for R04?", ["ID: R04; Risk: Patient data in public chatbots; Score: 15."], False),
    ],
)
def test_a_code_the_question_names_must_be_in_the_answer(question: str, quotes: list[str], lacks: bool) -> None:
    from peerassist.retriever.answer_type import lacks_named_code

    assert lacks_named_code(question, quotes) is lacks



def test_a_yes_no_question_about_an_acronym_no_document_uses_is_refused(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    write_md(kb / "chestflag.md", "ChestFlag", "## Summary\n\nChestFlag is a CE-marked AI tool from Lumina Imaging that "
             "flags chest X-rays likely to show a pneumothorax. ChestFlag does not clear any image as normal.")
    service = _service_over(embedded_settings, kb)
    assert service.ask("Is ChestFlag CE-marked?").answered
    refused = service.ask("Is ChestFlag FDA-cleared as well as CE-marked?")  # no document says anything about the FDA
    assert not refused.answered, refused.answer


@pytest.mark.parametrize(
    ("question", "names_it"),
    [
        ("Is ChestFlag FDA-cleared?", True),
        ("Is it OK to use ScribeAssist with an interpreter?", False),  # "OK" is a word, not an acronym
        ("Is ChestFlag CE-marked?", False),  # the documents use "CE"
        ("does the sepsis early warning tool replace NEWS2 scoring?", True),  # a score's version is part of its name
        # ... and a name: "the children's hospital in Manchester" is not ours, whatever the question asks of it
        ("What's the sepsis alert threshold for the children's hospital in Manchester?", True),
        ("How much does a Nuance licence cost?", True),
        ("Manchester uses what threshold?", False),  # a sentence's first word is capitalised, named or not
        ("Are consumer chatbots like ChatGPT blocked?", False),  # the documents speak of public chatbots by their kind
        ("Does ChestFlag check the films that GPs send in?", False),  # an acronym's plural ("GP" is known)
    ],
)
def test_unknown_names(question: str, names_it: bool) -> None:
    from peerassist.retriever.answer_type import names_unknown_name

    unknown = frozenset({"fda", "ok", "news2", "manchest", "nuanc", "chatgpt", "gps"})
    assert names_unknown_name(question, unknown) is names_it


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("How do I join the CoP?", None),
        ("I'm a physio student on placement. How do I get set up with the CoP?", "How do I get set up with the CoP?"),
        ("The scribe keeps crashing. Who do I ring? It's urgent.", "Who do I ring?"),  # the sentence that asks
        ("I'm new here. Tell me where to start.", "Tell me where to start."),  # no "?": the last sentence
        ("Was Roger O. Egeberg at the Dept. of Health in 1969?", None),  # initials and abbreviations end nothing
    ],
)
def test_the_sentence_that_asks(question: str, asked: str | None) -> None:
    assert asked_sentence(question) == asked


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("When does the CoP meet?", "When does the Community of Practice (CoP) meet?"),
        ("What is GenAI, and does the CoP use it?", "What is Generative AI (GenAI), and does the Community of Practice (CoP) use it?"),
        ("Who chairs the AIOC?", "Who chairs the AIOC?"),  # all capitals: read as the documents use it
        ("Is the Community of Practice (CoP) open to students?", "Is the Community of Practice (CoP) open to students?"),
        ("Does ChestFlag read CT scans?", "Does ChestFlag read CT scans?"),  # a product name the documents never spell out
    ],
)
def test_mixed_case_acronyms_are_spelled_out_for_the_encoder(question: str, read: str) -> None:
    long_forms = {"CoP": "Community of Practice", "GenAI": "Generative AI", "AIOC": "AI Oversight Committee"}
    assert as_the_encoder_should_read(question, long_forms) == read


@pytest.mark.parametrize(
    ("question", "quotes", "heading", "lacks"),
    [
        ("What's the difference between Stage 2 and Stage 3?",
         ["Tier 1 is low risk, Tier 2 is moderate risk and Tier 3 is high risk."], "Onboarding Talk > Risk tiers", True),
        # one of the parts asked about is enough; the heading over the quote counts as much as the quote
        ("What's the difference between Stage 2 and Stage 3?", ["Stage 3 is a pilot on one ward."], "Approvals", False),
        ("What happens at Stage 2?", ["The safety case and the DPIA are reviewed."], "AIOC process > Stage 2 - Assurance", False),
        ("When does the AIOC meet?", ["The AIOC meets on the last Thursday of each month."], "FAQ", False),  # names no part
    ],
)
def test_a_numbered_part_the_question_names_must_be_in_the_answer_or_over_it(
    question: str, quotes: list[str], heading: str, lacks: bool
) -> None:
    from peerassist.retriever.evidence import lacks_named_part

    assert lacks_named_part(question, quotes, heading) is lacks


def test_a_question_about_two_stages_is_not_answered_with_the_risk_tiers(sample_service) -> None:  # type: ignore[no-untyped-def]
    answer = sample_service.ask("What's the difference between Stage 2 and Stage 3?", AskOptions(log=False))
    # (the stage may be named by the section quoted, "... > The stages > Stage 2 — Assurance", as by the answer)
    named = [answer.answer, *(citation.section for citation in answer.citations[:1])]
    assert not answer.answered or re.search(r"\bStage [23]\b", " ".join(named)), answer.answer
    assert "Tier" not in answer.answer


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Who is Marek Nowak?", "Marek Nowak"),
        ("What does Marek Nowak do?", "Marek Nowak"),
        ("What is Dr. Okafor's role?", "Okafor"),
        ("Who is Gráinne O'Sullivan?", "Gráinne O'Sullivan"),
        ("I'm new here. Who is Niamh Walsh?", "Niamh Walsh"),  # the sentence that asks
        ("Who is the DPO?", None),  # a role
        ("What is BrigidLab?", None),  # a thing
        ("Who is responsible?", None),  # not written as a name
        ("Who's doing the talk on medicines safety that week?", None),
    ],
)
def test_a_question_about_someone_by_name(question: str, name: str | None) -> None:
    from peerassist.retriever.answer_type import named_person

    assert named_person(question) == name


@pytest.mark.parametrize(
    ("text", "describes_him"),
    [
        ("Marek Nowak, Evaluation and Safety Working Group lead", True),
        ("Evaluation and Safety Working Group — led by Marek Nowak (Clinical Data Platform team)", True),
        ("Role: Working group lead; Current holder: Marek Nowak; Main responsibilities: Runs evaluations", True),
        ("Marek Nowak is the data lead of the sepsis pilot.", True),
        ("A2 — Rerun the DischargeDraft evaluation - Marek Nowak, Dr. Priya Raman - 17 Feb 2026", False),  # names
        ("#: 2; Action: Circulate the slides; Owner: Marek Nowak; Due: 16 Jan 2026", False),  # a task, not a role
        ("Email Marek Nowak with the project name.", False),
        ("Marek Nowak is preparing the final analysis.", False),
    ],
)
def test_a_line_describes_someone_when_it_gives_their_role(text: str, describes_him: bool) -> None:
    from peerassist.retriever.answer_type import describes

    assert bool(describes("Marek Nowak").search(text)) is describes_him


def test_who_someone_is_is_answered_with_their_role_from_what_the_asker_may_read(embedded_settings, kb) -> None:  # type: ignore[no-untyped-def]
    """A name means little to the encoder and BM25 finds it in every note that mentions her: the line that gives
    her role is found in the documents, wherever the search ranked it, and only in those the asker may read."""
    write_md(kb / "team.md", "Team", "## Working groups\n\nThe CoP has three working groups. Each meets for 45 "
             "minutes a month, usually on Teams, and new members are welcome at any time. Each keeps its own page in "
             "the knowledge base with its terms of reference, its current work and its minutes.\n\n"
             "- Evaluation and Safety — led by Zoe Quinn (Clinical Data Platform team).\n"
             "- Education and Training — led by Hannah Byrne (Senior Radiographer).\n"
             "- Patient and Public Involvement — led by Siobhan Daly (Clinical Nurse Manager).\n")
    for month, note in enumerate(["Zoe Quinn presented the sepsis audit.", "Zoe Quinn will circulate the DPIA slides.",
                                  "Zoe Quinn asked for volunteers.", "Thanks to Zoe Quinn for the room booking.",
                                  "Zoe Quinn showed the new dashboard.", "Zoe Quinn reported on the chest X-ray pilot."], 1):
        write_md(kb / f"notes-{month}.md", f"Meeting notes {month}", f"## Updates\n\n{note}")
    write_md(kb / "private" / "succession.md", "Succession", "## Notes\n\nZoe Quinn is the budget holder for 2026 "
             "and will step down in June.")
    service = _service_over(embedded_settings, kb)
    people = service.view.current().lexical.people
    assert people["zoe quinn"] == people["quinn"] == people["zoe"] == "Zoe Quinn"

    for question in ("What does Zoe Quinn do?", "who is zoe quinn", "Who is Quinn?"):
        answer = service.ask(question, AskOptions(log=False))
        assert "Evaluation and Safety" in answer.answer and "budget" not in answer.answer, (question, answer.answer)
    facilitator = service.consider("Who is Zoe Quinn?", AskOptions(filter=SearchFilter(role="facilitator")))
    assert "budget holder" in compose_text(facilitator.draft)  # what a facilitator may read, they get


@pytest.mark.parametrize(
    ("question", "wants_a_place"),
    [
        ("Where do I even start?", False),  # the first step, not a place: "Every clinician at St. Brigid's ..." led
        ("Where should we begin with a new tool?", False),
        ("Where do I go for the monthly meeting?", True),
        ("Where is Room 4B?", True),
    ],
)
def test_where_to_start_asks_for_no_place(question: str, wants_a_place: bool) -> None:
    from peerassist.retriever.answer_type import expected_types

    assert ("FAC" in (expected_types(question) or ())) is wants_a_place


@pytest.mark.parametrize(
    ("question", "sentence", "shaped"),
    [
        # "Where are the sessions held?" is answered by the room or channel, not by who proposed them
        ("where are the AI literacy week sessions held?", "Five lunchtime sessions in the Main Lecture Theatre, also streamed on Teams.", True),
        ("where are the AI literacy week sessions held?", "Hannah Byrne (Education and Training Working Group) proposed an AI Literacy Week.", False),
        ("Where does the AIOC meet?", "The AIOC meets monthly in the Boardroom, Level 2.", True),
        ("Where does the AIOC meet?", "The AIOC meets on the last Thursday of each month.", False),
        ("Where is the newcomer session?", "Newcomer sessions run online on Microsoft Teams.", True),
        # "what time?" is answered by a clock time, not by the season the sessions were proposed for
        ("what time are the literacy week talks?", "Every day at 12:30 there will be a one-hour lunchtime session.", True),
        ("what time are the literacy week talks?", "Hannah proposed a lunchtime session each day in spring 2026.", False),
        ("What time does the canteen open?", "The canteen opens at 7am.", True),
        ("What time of year is the audit?", "The audit runs every autumn.", None),  # (a time of year: any shape)
        # an instruction answers "how do I?", in brackets too: where to register, and what to search for there
        ("How do I sign up for AI Literacy Week?", "Fill in the joining form on BrigidNet.", True),
        ("How do I sign up for AI Literacy Week?", 'Registration opens on 1 April 2026 on LearnBrigid (search "AI Literacy Week").', True),
        ("How do I sign up for AI Literacy Week?", "Questions go to aicop@stbrigids.ie (read by both facilitators).", False),
        ("How do I sign up for AI Literacy Week?", "Hannah Byrne proposed an AI Literacy Week in spring 2026 (a lunchtime session each day).", False),
        # what people liked most is said as what they valued most, not as a recommendation that reads alike
        ("What did clinicians like most about the scribe?", "After-hours documentation was the benefit clinicians valued most.", True),
        ("What did clinicians like most about the scribe?", "We recommend extending ScribeAssist to four more clinics.", False),
        # ... not any superlative: the worst error is the error itself
        ("What was the worst error the scribe made?", "A methotrexate dose was recorded as 25 mg instead of 2.5 mg.", None),
    ],
)
def test_an_answer_has_the_shape_asked_for(question: str, sentence: str, shaped: bool | None) -> None:
    from peerassist.retriever.answer_type import answer_shape, question_kind, shape_match

    assert shape_match(answer_shape(question, question_kind(question)), sentence) == (0.5 if shaped is None else float(shaped))


@pytest.mark.parametrize(
    ("question", "sentence", "shaped"),
    [
        ("Who do I contact if ChestFlag is down for hours?", "Report prolonged downtime to the IT Service Desk on extension 5000.", True),
        ("Who do I contact if ChestFlag is down for hours?", "On 3 February 2026 ChestFlag was unavailable after a PACS update.", False),
        ("Who should we tell about a near miss?", "Tell the project lead the same day.", True),
        # ... or a way to reach someone
        ("Who do I report a security problem to?", "ICT Security: security@stbrigids.ie", True),
        ("Who do I report a security problem to?", "ICT Security reviews every new tool.", False),
    ],
)
def test_whom_to_turn_to_is_an_instruction(question: str, sentence: str, shaped: bool) -> None:
    from peerassist.retriever.answer_type import answer_shape, question_kind, shape_match

    assert shape_match(answer_shape(question, question_kind(question)), sentence) == float(shaped)


@pytest.mark.parametrize(
    ("question", "sentence", "forbids"),
    [
        ("What do I do if I accidentally pasted a patient letter into ChatGPT?", "Never put patient data into a public chatbot.", True),
        ("I've shared a screenshot with patient details by mistake, what now?", "Public chatbots are not approved for clinical use.", True),
        ("What do I do if I accidentally pasted a patient letter into ChatGPT?", "Tell your line manager and the DPO the same day.", False),
        ("I posted a screenshot by mistake, what now?", "Screenshots from clinical systems must never be posted.", True),
        # (before the fact, the rule is the answer)
        ("Can I paste a patient letter into ChatGPT?", "Never put patient data into a public chatbot.", False),
    ],
)
def test_a_rule_does_not_answer_a_question_asked_after_breaking_it(question: str, sentence: str, forbids: bool) -> None:
    from peerassist.retriever.answer_type import forbids_what_was_done

    assert forbids_what_was_done(question, sentence) is forbids


def test_an_faq_entry_asking_leave_is_not_the_question_asked_after_the_fact() -> None:
    from peerassist.retriever.answer_type import asked_before_the_fact

    entry = "Can I paste a de-identified case into a public chatbot to get a second opinion?"
    assert asked_before_the_fact("What should I do if I accidentally pasted a patient's name into a public AI chatbot?", entry)
    assert not asked_before_the_fact("Can I paste a patient's name into a public AI chatbot?", entry)
    assert not asked_before_the_fact("I pasted a name into ChatGPT by mistake, what now?", "What do I do if patient data ends up somewhere it should not?")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What's on the agenda for the next meeting?", True),
        ("What are the latest sepsis figures?", True),
        ("How many came to the last community meeting?", True),
        ("Which clinics are next in line for the scribe?", False),
        ("ChestFlag has been down for a couple of hours now. Who do I ring?", False),
        ("Is the meeting on the last Thursday of the month?", False),
    ],
)
def test_asking_for_the_newest(question: str, asks: bool) -> None:
    from peerassist.retriever.evidence import ASKS_FOR_LATEST

    assert bool(ASKS_FOR_LATEST.search(question)) is asks


@pytest.mark.parametrize(
    ("question", "kinds", "topic"),
    [
        ("Do we have a template for proposals?", {"templat"}, {"propos"}),
        ("have we got a glossary?", {"glossari"}, set()),
        ("Where can I find the slides from the onboarding talk?", {"slide"}, {"onboard", "talk"}),
        ("Is there a document about the sepsis pilot?", set(), {"sepsi", "pilot"}),  # any document: its topic decides
        ("Is there a meeting in August?", None, None),  # a meeting is no document
        ("Is there a cap on how many CPD hours I can earn?", None, None),
        ("Where is the hands-on BrigidLab training held?", None, None),
        # (a document that says where the thing asked for is: the workshops are asked for, not the calendar)
        ("Are there any prompt-writing workshops on the training calendar this spring", None, None),
        ("Do we have an FAQ on data protection?", {"faq"}, {"data", "protect"}),
    ],
)
def test_a_question_asking_for_a_document_by_its_kind(question: str, kinds: set[str] | None, topic: set[str] | None) -> None:
    asked = document_asked_for(question)
    assert (asked.kinds, asked.topic) == (kinds, topic) if asked is not None else kinds is None


def test_a_question_a_sentence_reports_is_not_its_reason() -> None:
    """"Why did they bump the sepsis alert threshold up?" took "Discussion: a member from Ward 7B asked whether raising
    the threshold had caused missed cases." for a reason ("caused"): the question it reports gives none."""
    from peerassist.retriever.answer_type import QuestionKind, answer_shape, shape_match

    why = answer_shape("Why did they raise the threshold?", QuestionKind.WHY, {})
    assert shape_match(why, "A member asked whether raising the threshold had caused missed cases.") == 0.0
    assert shape_match(why, "The threshold was raised because nurses were getting nine alerts a day.") == 1.0


@pytest.mark.parametrize(
    ("question", "references"),
    [
        ("What does the procurement checklist say about where data is stored?", [{"procur", "checklist"}]),
        ("According to the GenAI guide, can I use BrigidGPT for rotas?", [{"genai", "guid"}]),
        ("In the onboarding guide, what should I do in my first week?", [{"onboard", "guid"}]),
        ("What does the document say about vendors?", []),  # a kind any document is names none
        ("What's the biggest risk on the register?", []),  # asks no document what it says
        ("Where can I find the slides from the last meeting?", []),
    ],
)
def test_a_question_asking_what_a_document_says_names_it(question: str, references: list[set[str]]) -> None:
    assert document_references(question) == references


@pytest.mark.parametrize(
    ("key", "line", "keys"),
    [
        ("R07", "ID: R07; Risk: Medication error in an LLM-drafted discharge summary", True),
        ("Tier 2", "Tier: Tier 2 — moderate; Description: Decision support", True),  # a key with a descriptor after it
        ("C12", "C12. How is the tool protected against prompt injection?", True),
        ("R07", "R07: mitigations updated after the audit", False),  # a note about it, not its row
        ("Tier 2", "Tier: Tier 3 — high; Extra requirements: Everything for Tier 2, plus ...", False),
    ],
)
def test_a_row_or_item_keyed_by_an_identifier(key: str, line: str, keys: bool) -> None:
    from peerassist.retriever.answer_type import keyed_by

    assert bool(re.match(keyed_by(key), line, re.IGNORECASE)) is keys


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("When does the community meet?", {"meet"}),
        ("When does the ScribeAssist pilot end?", {"end"}),  # a noun to the tagger, which found no verb
        ("When does the sepsis model go live?", {"go"}),  # the verb before its particle
        ("When does the next newsletter come out?", {"come"}),
    ],
)
def test_when_does_a_subject_do_something_is_read_without_a_parse(question: str, verb: set[str]) -> None:
    from peerassist.retriever.answer_type import WHEN_DOES_SUBJECT_VERB, main_verb

    assert WHEN_DOES_SUBJECT_VERB.match(question) and main_verb(question) == verb


@pytest.mark.parametrize(
    ("question", "asks_what_it_is"),
    [
        ("What is a DPIA?", True),
        ("What's BrigidLab?", True),
        ("What does PPV mean?", True),
        # something of something's is not what the something is
        ("what's the CoP's vision?", False),
        ("What is St. Brigid's policy on chatbots?", False),
    ],
)
def test_what_something_of_something_is_asks_no_definition(question: str, asks_what_it_is: bool) -> None:
    from peerassist.retriever.answer_type import ASKS_WHAT_TERM_IS

    assert bool(ASKS_WHAT_TERM_IS.match(question)) is asks_what_it_is


@pytest.mark.parametrize(
    ("question", "quote", "lacks"),
    [
        ("Which company makes ChestFlag?", "ChestFlag is a CE-marked AI tool from Lumina Imaging.", False),
        ("which vendor supplies the sepsis model?", "The model is supplied by Auralis Health.", False),
        # a body, but not named as the maker: the record the model reads from
        ("which company makes the sepsis model?",
         "The Electronic Health Record (EHR) is the hospital's digital patient record, from which the sepsis model reads.", True),
        # ... and companies, in the plural, are asked for too
        ("Which companies supply the chest X-ray triage tool and the sepsis model?",
         "During silent mode ChestFlag ran on every eligible chest X-ray, but its flags were hidden from clinicians.", True),
        ("How does ChestFlag work?", "During silent mode ChestFlag ran on every eligible chest X-ray.", False),  # asks no body
        # "who is the vendor of X?" names no verb: the company's trade is the doing asked, or a row's label
        ("who's the vendor behind the sepsis model",
         "The sepsis model's PPV at the vendor's default threshold was 14% locally, compared with 31% in the vendor's material.", True),
        ("Who is the supplier of the sepsis model?", "The model is supplied by Auralis Health.", False),
        ("Who is the manufacturer of ChestFlag?", "Dr. Rajesh Menon announced that ChestFlag went live in the Emergency Department.", True),
        # a maker's verb in the passive says who only with "by"
        ("which firm built DischargeDraft?", "DischargeDraft is built on an LLM.", True),
        ("which firm built DischargeDraft?", "DischargeDraft was built by Northwind Analytics.", False),
    ],
)
def test_an_organisation_asked_for_is_named_as_doing_what_is_asked(question: str, quote: str, lacks: bool) -> None:
    from peerassist.retriever.answer_type import lacks_asked_organisation

    assert lacks_asked_organisation(question, [quote]) is lacks


@pytest.mark.parametrize(
    ("question", "quote", "title", "lacks"),
    [
        # a row's label names the maker, of what its document is about
        ("Who is the vendor of ChestFlag?", "Vendor: Lumina Imaging; Hosting: Vendor cloud, EU region",
         "Project Write-up: Chest X-ray Triage with ChestFlag", False),
        ("Who is the vendor of ChestFlag?", "Vendor: Lumina Imaging; Hosting: Vendor cloud, EU region",
         "Project Write-up: Ambient Scribe Pilot in Outpatients (ScribeAssist)", True),
        # the maker of another thing: the sepsis model's, for the record system it reads from ("Health" is its name's)
        ("Which company supplies our electronic health record system?", "The model is supplied by Auralis Health.",
         "Project Write-up: Sepsis Early Warning Pilot", True),
        ("Which company supplies the sepsis model?", "The model is supplied by Auralis Health.",
         "Project Write-up: Sepsis Early Warning Pilot", False),
    ],
)
def test_an_organisation_asked_for_makes_the_thing_asked_about(question: str, quote: str, title: str, lacks: bool) -> None:
    from peerassist.retriever.answer_type import lacks_asked_organisation

    assert lacks_asked_organisation(question, [quote], [title]) is lacks


@pytest.mark.parametrize(
    ("question", "trade"),
    [
        ("who's the vendor behind the sepsis model?", "who sells, supplies or makes the sepsis model?"),
        ("Who is the supplier of ChestFlag", "who sells, supplies or makes ChestFlag"),
        ("Which company makes ChestFlag?", None),  # (it names its verb)
        ("Who is the lead facilitator?", None),
    ],
)
def test_a_vendor_asked_for_is_searched_for_by_its_trade(question: str, trade: str | None) -> None:
    from peerassist.retriever.answer_type import as_a_trade

    assert as_a_trade(question) == trade


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("What did we learn from the sepsis alert pilot?", {"sepsi", "alert", "pilot"}),
        ("What were the key takeaways from ChestFlag?", {"chestflag"}),
        ("What did the pilot cost?", None),
    ],
)
def test_what_was_learned_is_asked_of_a_subject(question: str, subject: set[str] | None) -> None:
    found = lessons_subject(question)
    assert (found if found is None else set(found)) == subject


def test_lessons_are_named_under_a_title_naming_most_of_the_subject() -> None:
    subject = lessons_subject("What did we learn from the sepsis alert pilot?")
    assert subject is not None
    assert names_lessons_of(subject, "Lessons Learned: Alert Fatigue in the Sepsis Early Warning Pilot > Lessons > 2. Count alerts")
    assert not names_lessons_of(subject, "Lessons Learned: Alert Fatigue in the Sepsis Early Warning Pilot > What happened")
    assert not names_lessons_of(subject, "Lessons Learned from the Ambient Scribe Pilot > Lessons and recommendations")
    # (at least half of it: a member's "thing" is in no title)
    thing = lessons_subject("what did we learn from the sepsis thing")
    assert thing is not None and names_lessons_of(thing, "Lessons Learned: Alert Fatigue in the Sepsis Early Warning Pilot > Lessons")
    for asked in ("What did we learn from the sepsis alert pilot?", "What's in the lessons learned on alert fatigue?", "any takeaways?"):
        assert question_kind(asked) is QuestionKind.LIST, asked  # (the lessons)


@pytest.mark.parametrize(
    ("question", "sentence", "says"),
    [
        ("Is DischargeDraft live yet?", "DischargeDraft is a project preparing for a pilot on Ward 6B.", True),
        ("Is DischargeDraft live yet?", "When the doctor opens the summary, DischargeDraft retrieves the notes.", False),
        ("Is DischargeDraft live yet?", "ChestFlag went live on 12 January 2026.", False),  # another tool's state
        ("Is the xray AI live in ED now?", "ChestFlag went live on 12 January 2026 for ED.", True),
        ("Is the sepsis model live on Ward 5A?", "The sepsis model will go-live on Ward 5A on 20 April 2026.", True),
        ("What does DischargeDraft do?", "DischargeDraft is a project preparing for a pilot.", None),  # not asked
    ],
)
def test_whether_a_tool_is_live_is_said_by_its_state(question: str, sentence: str, says: bool | None) -> None:
    from peerassist.retriever.answer_type import says_if_live

    assert says_if_live(question, sentence) is says
