"""What kind of answer a question asks for, and whether a text offers one.

The kind of question decides the answer's shape: a procedure wants its steps, a yes/no
question the condition behind the "no", a list question the whole list. "Who ...?" wants a
person or an organisation, "how many ...?" a number, "when ...?" a date: a text with no such
entity (other than ones the question already names) is unlikely to answer it. spaCy's
packaged English NER finds the entities, offline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache

from peerassist.nlp import ENTITIES, NOUN_PHRASES, annotate, annotate_many, kind_names, named_kinds
from peerassist.terms import COMPANY, content_terms
from peerassist.text import ACRONYM_FORM, REPORTS_A_QUESTION, sentences_of


class QuestionKind(StrEnum):
    PROCEDURE = "procedure"
    YES_NO = "yes/no"
    WHY = "why"
    WHO = "who"
    WHEN = "when"
    LIST = "list"
    FACT = "fact"


AUXILIARY = r"(?:can|could|may|might|am|is|are|was|were|do|does|did|should|must|will|would|have|has|shall)"
# "When" and "where" ask for a date or a place only where they open the question (or a clause of it): in
# "Do I need to tell patients when I use the scribe?" or "What happened when ChestFlag went down?" they ask neither.
OPENS_CLAUSE = r"(?:^\W*|[.?!,;:\-–—]\s*|\b(?:and|or|but|so)\s+)"
# ... but not a clause that sets the scene for the question after its comma ("When doctors checked the letters
# themselves, how many errors did they catch?" asks for a count; "When is it, and where?" still asks when).
ASKED_AFTER_IT = rf"(?!\s+{AUXILIARY}\b)[^?]*,\s*(?:how|what|which|who|whom|where|why|do|does|did|is|are|was|were|can|could|should|will|would)\b"
# ... or after words that ask for one, in a question no other question word opens: "Any idea when the AIOC meets?",
# "Please tell me when the next session is" (not "What do I need to know when I join?").
WHEN_ASKED_FOR = (
    r"^(?!\W*(?:what|which|how|who|whom|whose|where|why)\b)"
    r".*\b(?:tell (?:me|us)|know|find out|remind (?:me|us)|wonder(?:ing)?|sure|idea) when\b"
)
# "Who" asks for someone where it opens the question or a clause of it, or follows a word asking to be told ("Do
# you know who runs it?", "To whom ...?", "Is there anyone who can help?", "Who else ...?"); after a noun it only
# says which one ("What should I tell a patient who asks whether a computer read their X-ray?" wants words to
# say, and was answered with whom to tell of a data breach).
ASKS_WHO = (
    rf"{OPENS_CLAUSE}(?:who|whom|whose)\b"
    r"|\b(?:know|tell (?:me|us)|ask(?:ing)?|wonder(?:ing)?|sure|idea|out|check|confirm|is|was|to|for|with|from|by|"
    r"after|against|about|of|besides|anyone|anybody|someone|somebody)\s+(?:who|whom|whose)\b|\b(?:who|whom) else\b"
)
# "Where do I even start?" asks for the first step.
STARTING = r" (?:do|should|can|would) (?:i|we) (?:even |actually |best |first )?(?:start|begin)\b"
# "What did we learn from the scribe pilot?", "What's in the lessons learned on alert fatigue?", "any takeaways from
# ...?": a list of lessons (see ASKS_WHAT_WAS_LEARNED).
WHAT_WAS_LEARNED = (
    r"\bwhat (?:did|have|has) (?:[\w'-]+ ){1,6}?(?:learn(?:ed|t)?|teach|taught)\b"
    r"|(?:\bwhat(?:'s| is| are| were)? (?:in |on )?|^\W*any )(?:the |our |any )?(?:key |main )?(?:lessons|learnings|take-?aways)\b"
)
# First match wins: "why" before "how", "how do I" before the yes/no auxiliaries it starts like.
KINDS: list[tuple[QuestionKind, re.Pattern[str]]] = [
    (
        QuestionKind.WHY,
        re.compile(
            r"\bwhy\b|\bwhat(?:'s| is| was| are| were) the (?:reasons?|reasoning|point|rationale|thinking|logic|purpose)\b"
            r"|\bwhat (?:is|was|are|were) (?:a|an|one|another|the main)? ?(?:[\w-]+ )?reasons? (?:for|behind)\b|\bhow come\b",
            re.IGNORECASE,
        ),
    ),
    (
        QuestionKind.PROCEDURE,
        re.compile(
            r"\bhow (?:do|can|should|would|could|shall|must|to)\b|\bhow (?:is|are) \w+ (?:done|made|requested|reported)\b"
            r"|\bwhat (?:do|should|must|can) (?:i|we|you|they|staff|nurses|members)\b.*\bdo\b"
            r"|\bwhat (?:are|is) the (?:steps?|process|procedure)\b|\bwhat happens (?:if|when|after|at|in|during|before)\b"
            r"|^\W*what if\b"  # ("What if two professions disagree in a meeting?": what to do)
            rf"|\bwhere{STARTING}|\bwhere do i go\b|\bsteps? (?:to|for)\b"
            r"|\bwhat(?:'s| is| are) (?:the |our )?(?:steps?|process|procedure|routine|drill)\b|\bwhat (?:steps|process|procedure)\b"
            r"|\bwhat (?:should|do|must|can) (?:i|we|you|they) (?:\w+ ){0,3}?(?:do|doing|follow|sort out|prepare|get done)\b"
            r"|\bwhat (?:am|are) (?:i|we) (?:supposed|meant|expected) to\b"
            # ("how are we supposed to evaluate an AI tool before it's used on real patients": how to)
            r"|\bhow (?:am|are|is) (?:i|we|you|staff|nurses|doctors|clinicians|teams?) (?:supposed|meant|expected) to\b",
            re.IGNORECASE,
        ),
    ),
    (
        QuestionKind.YES_NO,
        re.compile(
            rf"(?:^|[.?!,;:\-–—]\s*|^(?:so|and|also|but|then|please|ok|okay|hi)\s+){AUXILIARY}\s+\w"
            r"|\bis it (?:ok|okay|allowed|possible|fine|true)\b|,\s*(?:right|correct|true|yes)\s*\?\s*$",
            re.IGNORECASE,
        ),
    ),
    (QuestionKind.WHO, re.compile(rf"{ASKS_WHO}|\b(?:contact|email) (?:for|about)\b|\bwhich (?:person|people|team)\b", re.IGNORECASE)),
    (
        QuestionKind.WHEN,
        re.compile(
            rf"{OPENS_CLAUSE}(?:since |until )?when\b(?!{ASKED_AFTER_IT})|{WHEN_ASKED_FOR}"
            r"|\bwhat (?:times?|dates?|days?|year|month|hours)\b|\bhow (?:soon|long|often|quickly|fast)\b|\bdeadline\b",
            re.IGNORECASE,
        ),
    ),
    (
        QuestionKind.LIST,
        re.compile(
            r"^(?:\w+,?\s+)?(?:what|which) (?:are|were)\b|\bwhat (?:kinds?|types?|sorts?) of\b|\bwhich \w+s\b(?! (?:is|was|does)\b)"
            r"|^(?:list|name)\b|\bwhat (?:\w+ )?(?:things|items|criteria|conditions|requirements|rules|options)\b"
            # "what stages does ...", "what safety nets are ...": a plural noun asked for (not "process", "status",
            # nor the nurses of "what percentage of nurses were ...")
            r"|(?:^|[.?!,;:]\s*)(?:what|which) (?![a-z-]+ of\b)(?:(?!(?:do|does|did|is|are|was|were|if|have|has|had)\b)[a-z-]+ ){0,2}?"
            r"(?!(?:does|this|yes|news|series|species)\b)[a-z-]+[^isu\W']s "
            r"(?:are|were|do|does|did|should|must|can|could|will|would|have|has|came|come)\b"
            r"|\bwhat else\b|\bwhat should (?:i|we) (?:be )?(?:check|checking|look(?:ing)? (?:out )?for|watch(?:ing)? (?:out )?for|make sure)\b"
            rf"|{WHAT_WAS_LEARNED}",
            re.IGNORECASE,
        ),
    ),
]


# "When does it go live for us, and when does the training start?": two questions in one, each to be answered.
# Without the comma only where a question clause follows ("What's a DPIA and when do I need one?"), not a
# noun clause ("the difference between what we log and what the vendor logs").
SECOND_QUESTION = re.compile(
    r",\s+and\s+(?=(?:since\s+)?(?:when|what|who|where|how|which|why)\b)"
    rf"|\s+and\s+(?=(?:when|what|who|where|how|why)(?:'s|\s+{AUXILIARY})\b)",
    re.IGNORECASE,
)
# "What's the difference between BrigidGPT and BrigidLab?", "How is BrigidLab different from BrigidGPT?", "amber vs red
# data - what's the difference?": what each one is, side by side (answered before with only the first of the two, or
# refused); not between what clauses say ("the difference between what we log and what they log").
NOT_A_CLAUSE = r"(?!(?:what|how|who|when|where|why|which)\b)"
THING = r"(?:(?!\b(?:and|vs|versus)\b)[\w'’ -]){2,40}?"
# (each names its two things `first` and `second`; the one found earliest in the question counts)
COMPARISONS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\bdiff?e?rr?ence\s+between\s+{NOT_A_CLAUSE}(?P<first>{THING})\s+and\s+{NOT_A_CLAUSE}(?P<second>{THING})"
        r"\s*(?:[?.,;:!]|\s[-–—]|$)",
        rf"\bhow (?:is|are|does|do) (?P<first>{THING}) (?:different from|differ from) (?P<second>{THING})"
        r"\s*(?:[?.,;:!]|$)",
        rf"^\W*{NOT_A_CLAUSE}(?!{AUXILIARY}\b)(?P<first>{THING})\s+(?:vs\.?|versus)\s+(?P<second>{THING})"
        r"\s*(?:[?,]|\s[-–—]|$)",
    )
)
# A second question that points back ("... and what's the best way to get hold of them?") keeps the first as context.
POINTS_BACK = re.compile(r"\b(?:it|its|they|them|their|this|that|he|him|his|she|her|one)\b", re.IGNORECASE)
OPENS_A_QUESTION = re.compile(rf"^(?:when|what|who|where|how|which|why|{AUXILIARY})\b", re.IGNORECASE)
MIN_CLAUSE_WORDS = 3


def sub_questions(question: str) -> list[str]:
    """The questions a compound question asks, each after the sentences before it (the member's context:
    "I'm a nurse on 5A."); what each of two things is, for the difference between them (asking the comparison itself
    first, which judged off target refused the whole, answered 2 fewer of 14 probes); a plain question is its own only
    one."""
    sentences = sentences_of(question.strip())
    last = sentences[-1]
    context = " ".join(sentences[:-1])
    found_any = [found for pattern in COMPARISONS if (found := pattern.search(last))]
    if compared := min(found_any, key=re.Match.start, default=None):
        return [f"{context} What is {compared[part].strip()}?".strip() for part in ("first", "second")]
    found = SECOND_QUESTION.search(last)
    if found is None or not OPENS_A_QUESTION.match(last):  # (with or without its "?": members often leave it off)
        return [question]
    first, second = last[: found.start()].rstrip(" ,"), last[found.end() :]
    if min(len(first.split()), len(second.split())) < MIN_CLAUSE_WORDS:
        return [question]
    first = f"{context} {first}?".strip()
    second = f"{second[:1].upper()}{second[1:]}"
    return [first, f"{first} {second}" if POINTS_BACK.search(second) else f"{context} {second}".strip()]


@lru_cache(maxsize=20_000)
def asked_sentence(question: str) -> str | None:
    """The sentence that asks, when sentences before it give the member's context ("I'd like to present our
    ward's audit at a monthly meeting. How do I get a slot?"): the last one ending in "?", else the last one;
    None for a question of one sentence."""
    sentences = sentences_of(question.strip())
    if len(sentences) < 2:
        return None
    return next((s for s in reversed(sentences) if s.endswith("?")), sentences[-1])


# A phrase the member quotes ("People keep saying \"don't generate what you can retrieve\"."): at least two words.
QUOTED = re.compile(r"[\"“”]([^\"“”]+?\s[^\"“”]+?)[\"“”]")


def quoted_phrases(question: str) -> list[str]:
    return [found.strip(" .,;:!?") for found in QUOTED.findall(question)]


# A coinage written in mixed case ("CoP", "GenAI").
MIXED_CASE_ACRONYM = re.compile(rf"\b(?=[A-Za-z0-9-]*[a-z][A-Za-z0-9-]*[A-Z]){ACRONYM_FORM}\b")


def as_the_encoder_should_read(question: str, long_forms: Mapping[str, str]) -> str:
    """The question with each mixed-case acronym it uses spelled out where the documents spell it out: "When
    does the CoP meet?" as "When does the Community of Practice (CoP) meet?". The encoder lowercases its
    input, so it read "CoP" as "cop": the member count ("The CoP had 142 members") outscored the meeting
    schedule, 0.52 against 0.28. An all-caps acronym ("DPIA", "AIOC") reads as itself, as the documents use
    it; spelling those out too cost golden member-style answers (71 -> 69 of 93)."""
    spelled = question
    for acronym in dict.fromkeys(MIXED_CASE_ACRONYM.findall(question)):
        name = long_forms.get(acronym)
        if name and name.casefold() not in question.casefold():
            spelled = re.sub(rf"\b{re.escape(acronym)}\b", f"{name} ({acronym})", spelled, count=1)
    return spelled


@lru_cache(maxsize=20_000)
def question_kind(question: str) -> QuestionKind:
    """The shape of answer a question wants, from its wording (first matching rule)."""
    return next((kind for kind, pattern in KINDS if pattern.search(question)), QuestionKind.FACT)


# A question naming the kind of organisation it wants: an answer without one does not answer it. A company is no
# committee, office or team of ours: "which company makes the sepsis model?" is not answered by "The AI Oversight
# Committee (AIOC) approved the scale-up of the Sepsis Early Warning model" (an organisation may be).
# (and "who's the vendor behind ChestFlag?", "who is the supplier?": a company, not a person in a role)
MAKER = rf"\bwho (?:makes|sells|supplies|manufactures)\b|\bwho(?:'s|’s| is| was) (?:the|their|its) (?:{COMPANY})\b"
ASKS_FOR_ORGANISATION = re.compile(rf"\bwhich (?:{COMPANY}|organi[sz]ations?)\b|{MAKER}", re.IGNORECASE)
# "Who is the vendor / supplier / manufacturer of X?" names no verb: the company's trade is the doing asked for ("The
# sepsis model's PPV at the vendor's default threshold ..." names the vendor but not who it is; "ChestFlag, from
# Lumina Imaging" and "Vendor: Lumina Imaging" do).
COMPANY_NOUN_ASKED = re.compile(rf"\bwho(?:'s|’s| is| was) (?:the|their|its) (?:{COMPANY})\b", re.IGNORECASE)
COMPANY_VERBS = r"sell|suppl|make|made|manufactur|develop|built|build|provid|produc"
ASKS_FOR_COMPANY = re.compile(rf"\bwhich (?:{COMPANY})\b|{MAKER}", re.IGNORECASE)


def _asked_by_trade(question: str) -> re.Match[str] | None:
    """"Who is the vendor of X?": a company asked for by its noun, with no verb saying what it does (where the noun is)."""
    noun = COMPANY_NOUN_ASKED.search(question)
    return noun if noun and not main_verb(question) else None


def as_a_trade(question: str) -> str | None:
    """"Who is the vendor of the sepsis model?" asked with the company's trade, for a search: the documents say who
    supplies a thing ("The model is supplied by Auralis Health", 10th to the question as written, under the passages
    about "the vendor's" figures). None for any other question."""
    if not (noun := _asked_by_trade(question)):
        return None
    thing = re.sub(r"^\W*(?:of|behind|for)\b", "", question[noun.end() :]).strip()
    return f"who sells, supplies or makes {thing}"

# "Who do I ring?" wants a number to ring, "who do I email?" an address; any "who?" is answered by either.
CONTACT_DETAILS = {
    "PHONE": re.compile(
        r"\b(?:extension|ext\.?|bleep|tel\.?)\s*:?\s*\d{3,}|\+\d[\d ]{6,}\d\b"
        # "Call the IT Service Desk on 5000", "Contact Marek on 0161 234 5678"
        r"|\b(?:call|ring|phone|telephone|contact|reach)\b[^.;]{0,60}?\bon\s+(?:ext(?:ension)?\.?\s*)?\d[\d ]{2,}\d\b",
        re.IGNORECASE,
    ),
    "EMAIL": re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
}
ASKER = r"\bwho (?:do|should|can|could|shall|would|will) (?:i|we|you) (?:\w+ )?"
ASKS_TO_RING = re.compile(rf"{ASKER}(?:ring|call|phone|telephone|bleep)\b", re.IGNORECASE)
ASKS_TO_EMAIL = re.compile(rf"{ASKER}(?:e-?mail|write to)\b", re.IGNORECASE)
# "Who do I contact if ChestFlag is down for hours?" is answered by whom to turn to, an instruction ("Report prolonged
# downtime to the IT Service Desk on extension 5000"), not by a report of the outage that names the PACS.
ASKS_WHOM_TO_TURN_TO = re.compile(rf"{ASKER}(?:contact|tell|report|ask|notify|inform|escalate|speak|talk|turn|go)\b", re.IGNORECASE)
# "When ...?" (not "how soon?", which a length may answer: "Decisions take 20 working days")
ASKS_WHEN = re.compile(rf"{OPENS_CLAUSE}(?:since |until )?when\b|{WHEN_ASKED_FOR}|\bwhat (?:year|date|day|time|month)\b", re.IGNORECASE)
# "What time are the talks?" asks for a clock time ("Every day at 12:30"), not a date ("in spring 2026").
ASKS_WHAT_TIME = re.compile(r"\b(?:what|which) times?\b(?!\s+(?:of|in)\s+(?:the\s+)?(?:year|month|week)\b)", re.IGNORECASE)
CLOCK_TIME = re.compile(
    r"\b(?:[01]?\d|2[0-3])[:.][0-5]\d\b|\b\d{1,2}(?:\s?(?:am|pm)\b|\s?[ap]\.m\.)|\b(?:noon|midday|midnight|o'clock)\b",
    re.IGNORECASE,
)
EXPECTED: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (ASKS_FOR_ORGANISATION, frozenset({"ORG"})),
    (ASKS_WHAT_TIME, frozenset({"TIME"})),
    (ASKS_TO_RING, frozenset({"PHONE"})),
    (ASKS_TO_EMAIL, frozenset({"EMAIL"})),
    (re.compile(ASKS_WHO, re.IGNORECASE), frozenset({"PERSON", "ORG", "NORP", *CONTACT_DETAILS})),
    # "How many clinicians used ScribeAssist?" is a count, not a date ("... decided by the AIOC on 26 March 2026");
    # "how many days?", "how much time?" may be answered by one ("20 working days" is a DATE to the tagger).
    (
        re.compile(
            r"\bhow (?:many|much)\b(?!\s+(?:more\s+|extra\s+)?(?:time|years?|months?|weeks?|days?|hours?|minutes?|seconds?|"
            r"decades?|centur(?:y|ies)|working days?)\b)|\bwhat (?:percentage|proportion|share|number|amount)\b",
            re.IGNORECASE,
        ),
        frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}),
    ),
    (
        re.compile(
            r"\bhow (many|much|long|often|far|old)\b",
            re.IGNORECASE,
        ),
        frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"}),
    ),
    (
        # "How soon will I hear back?": "within ten working days"
        re.compile(
            rf"{ASKS_WHEN.pattern}|\bhow (?:soon|quickly|fast)\b",
            re.IGNORECASE,
        ),
        frozenset({"DATE", "TIME"}),
    ),
    # (not "Where do I even start?": the first step, not a place)
    (re.compile(rf"{OPENS_CLAUSE}where\b(?!{STARTING})", re.IGNORECASE), frozenset({"GPE", "LOC", "FAC", "ORG", "CARDINAL"})),
]

@lru_cache(maxsize=20_000)
def expected_types(question: str) -> frozenset[str] | None:
    """Entity labels an answer should contain; None when the question does not say (or asks who someone
    it names is: what answers is a role, not another name)."""
    if named_person(question) is not None:
        return None
    return next((types for pattern, types in EXPECTED if pattern.search(question)), None)


# "Who is Marek Nowak?", "What does Hannah Byrne do?", "What's Dr. Okafor's role?": a question about someone by name.
NAME_WORD = r"[A-Za-zÀ-ÿ-]+(?:['’][A-Za-zÀ-ÿ]{2,}[A-Za-zÀ-ÿ-]*)?"  # "O'Sullivan", not "Okafor's"
ASKS_ABOUT_SOMEONE = re.compile(
    rf"^\W*(?:who(?:'s|’s| is| was)|what does|what(?:'s|’s| is) the (?:role|job) of|tell me about|what(?:'s|’s| is))\s+"
    rf"(?:(?:dr|prof|mr|mrs|ms)\.?\s+)?(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}}?)"
    r"(?:(?:'s|’s)\s+(?:role|job)|\s+do)?\s*\??\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=20_000)
def _asked_name(question: str) -> str | None:
    """What a "who is ...?" question names, as written; "Who is the DPO?" names a role, "What is BrigidLab?" a thing."""
    found = ASKS_ABOUT_SOMEONE.match(asked_sentence(question) or question)  # ("I'm new here. Who is Niamh Walsh?")
    if found is None or re.match(r"(?:the|a|an|our|your|my|this|that|in|on|at|for|to)\b", found["name"], re.IGNORECASE):
        return None
    if not re.search(r"(?:'s|’s)\s+(?:role|job)|\bwho|\bdo\s*\??\s*$|tell me about", question, re.IGNORECASE):
        return None
    return found["name"]


def named_person(question: str) -> str | None:
    """The name a "who is ...?" question asks about, when it is written as a name ("Who is Hannah Byrne?", not
    "Who is responsible?")."""
    name = _asked_name(question)
    return name if name is not None and all(word[:1].isupper() for word in name.split()) else None


def asked_person(question: str, people: Mapping[str, str]) -> str | None:
    """The person a "who is ...?" question asks about, as the documents spell the name (`people`: the index's
    `LexicalIndex.people`, full names and the first names and surnames that mean one person, casefolded),
    however the member cased it; None for any other question, or a name no document gives anyone."""
    name = _asked_name(question)
    return None if name is None else people.get(name.casefold())


def describes(name: str) -> re.Pattern[str]:
    """A sentence saying what the person does: their name with a role beside it ("Marek Nowak, Evaluation and
    Safety Working Group lead", "Hannah Byrne (Education and Training Working Group)", "led by Marek Nowak",
    "Marek Nowak is the data lead"), or a table row that gives a role and names them. Not a list of names
    ("Marek Nowak, Dr. Priya Raman"), nor a date after a dash."""
    named = re.escape(name)
    title = r"(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?"
    return re.compile(
        rf"\b{named}\s*(?:,|\(|—|–|\s-\s)\s*(?!(?:Dr|Prof|Mr|Mrs|Ms)\b|and\b|or\b)[A-Za-z]"
        rf"|\b(?:led|run|chaired|managed|coordinated|headed|maintained|owned)\s+by\s+{title}{named}\b"
        rf"|\b{named}\s+(?:is (?:the|a|an|our)|leads|runs|chairs|manages|coordinates|heads|maintains|owns)\b"
        rf"|\b(?:role|responsibilit\w*|position)\s*:.*\b{named}\b|\b{named}\b.*\b(?:role|responsibilit\w*|position)\s*:",
        re.IGNORECASE,
    )


# Entities of the live chunks' sentences, from the saved lexical index (see `remember_entities`).
_known_entities: dict[str, tuple[tuple[str, str], ...]] = {}
# Acronyms the documents spell out as a body or an office (see `remember_bodies`), as one pattern.
_known_bodies: set[str] = set()
_bodies_named: re.Pattern[str] | None = None


def entities(sentence: str) -> tuple[tuple[str, str], ...]:
    """(text, label) of each named entity; from the saved index when known, else spaCy's NER; and each
    acronym of a body the documents name ("the AIOC"), as an organisation."""
    known = _known_entities.get(sentence)
    found = known if known is not None else _recognised(sentence)
    if _bodies_named is None:
        return found
    return found + tuple((m.group(), "ORG") for m in _bodies_named.finditer(sentence) if all(m.group() not in t for t, _ in found))


# What a body or an office is called: "AI Oversight Committee", "Data Protection Officer", "IT Service Desk".
BODY = re.compile(
    r"\b(?:committee|office|officer|board|team|group|desk|service|department|unit|panel|council|authority|agency)$",
    re.IGNORECASE,
)


def remember_bodies(long_forms: Mapping[str, str]) -> None:
    """spaCy takes "The AIOC assigns every use case to a risk tier" for a sentence naming nobody, so "Who decides
    which tier a tool is in?" found no answer in it: an acronym the documents spell out as a body or an office
    ("AI Oversight Committee (AIOC)") names an organisation wherever it is used."""
    global _bodies_named
    _known_bodies.update(acronym for acronym, name in long_forms.items() if BODY.search(name))
    if _known_bodies:
        _bodies_named = re.compile(rf"\b(?:{'|'.join(map(re.escape, sorted(_known_bodies)))})\b")


@lru_cache(maxsize=50_000)
def _recognised(sentence: str) -> tuple[tuple[str, str], ...]:
    return tuple((e.text, e.label_) for e in annotate(sentence, ENTITIES).ents)


def sentence_entities(
    sentences: Iterable[str], known: Mapping[str, list[list[str]]] | None = None
) -> dict[str, list[list[str]]]:
    """Each sentence's entities, as JSON-ready lists: what `remember_entities` takes back.
    Sentences in `known` (a saved index's entities) keep theirs; the rest are found in one batch."""
    known = known or {}
    wanted = list(dict.fromkeys(sentences))
    new = [s for s in wanted if s not in known]
    found = {s: [[e.text, e.label_] for e in doc.ents] for s, doc in zip(new, annotate_many(new, ENTITIES), strict=True)}
    return {s: known[s] if s in known else found[s] for s in wanted}


def remember_entities(found: dict[str, list[list[str]]]) -> None:
    """Recognition is a function of the sentence alone, so entities saved with any index hold here."""
    _known_entities.update((s, tuple((text, label) for text, label in pairs)) for s, pairs in found.items())


def type_match(question: str, sentence: str) -> float:
    """1 when the sentence offers an entity of the wanted kind, 0 when it offers none, 0.5 when nothing is wanted.
    A question naming the detail it wants wants that ("How much does the X-ray triage tool cost?": "€38,000 per year",
    not "around 61,000 chest X-rays", also a number)."""
    if (detail := asked_detail(question)) is not None and detail[0] in VALUES:
        return float(bool(detail[1].search(sentence)))
    wanted = expected_types(question)
    if wanted is None:
        return 0.5
    contacts = ((m.group(), label) for label, pattern in CONTACT_DETAILS.items() if label in wanted for m in pattern.finditer(sentence))
    products_say_nothing = wanted.isdisjoint(PLACES)  # (where something is found, a system may be the answer)
    asks_when = ASKS_WHEN.search(question) is not None
    asks_for_company = ASKS_FOR_COMPANY.search(question) is not None
    return float(
        any(
            label in wanted and not _named_in(text, question)
            and not (products_say_nothing and _product_taken_for_organisation(text, label))
            and not (asks_for_company and _is_a_body(text))
            and not (asks_when and _a_length_only(text, sentence))
            for text, label in [*entities(sentence), *contacts]
        )
    )


PLACES = frozenset({"FAC", "LOC", "GPE"})


def _is_a_body(text: str) -> bool:
    name = text.strip()
    return bool(BODY.search(name)) or name in _known_bodies


def _product_taken_for_organisation(text: str, label: str) -> bool:
    """The tagger takes a product's name for an organisation ("DischargeDraft is an in-house tool ..."), and the
    sentence then seemed to say who leads the discharge summary project ("on BrigidNet" may still say where)."""
    return label == "ORG" and PRODUCT_NAME.fullmatch(text) is not None


# What an answer to a "why?" or a "how do I?" looks like, whatever its words: a reason, an instruction.
SHAPES: dict[QuestionKind, re.Pattern[str]] = {
    QuestionKind.WHY: re.compile(
        r"\b(?:because|due to|owing to|as a result|result(?:s|ed)? in|led to|leads? to|caused|so that|in order to|"
        r"reasons?|(?:which|that|this) is why|in response to|prompted|to (?:avoid|reduce|prevent|stop|protect|ensure|make sure))\b",
        re.IGNORECASE,
    ),
    QuestionKind.PROCEDURE: re.compile(
        # (or in brackets: "Registration opens on 1 April on LearnBrigid (search "AI Literacy Week")", not "(read by ...)")
        r"(?:^(?:(?:please|then|first|next|finally|also),?\s+)?|\()(?!read by\b)(?:add|agree|apply|arrange|ask|attach|attend|book|bring|call|check|choose|complete|confirm|contact|copy|"
        r"describe|discuss|email|e-mail|escalate|explain|file|fill|find|follow|get|give|include|inform|join|keep|log|make|"
        r"meet|notify|open|phone|prepare|present|provide|read|record|register|replace|report|request|review|ring|save|"
        r"search|send|share|sign|speak|start|stop|submit|take|talk|tell|update|upload|use|visit|wait|write)\b|\byou (?:should|must|need to|have to|can)\b",
        re.IGNORECASE,
    ),
}


# Whom to turn to: an instruction, or a way to reach someone.
TURN_TO = re.compile(
    "|".join(f"(?:{pattern.pattern})" for pattern in (SHAPES[QuestionKind.PROCEDURE], *CONTACT_DETAILS.values())), re.IGNORECASE
)


# "What should I be checking for?", "What do we need to have in place?": a list of things to do wants instructions.
ASKS_WHAT_TO_DO = re.compile(r"\bwhat (?:should|must|do|shall) (?:i|we|you)\b", re.IGNORECASE)


def answer_shape(question: str, kind: QuestionKind, people: Mapping[str, str] | None = None) -> re.Pattern[str] | None:
    """What a sentence answering the question looks like (SHAPES), None when any shape will do: the record of an
    identifier the question names, a list of
    what to do is answered by instructions, "how often?" by a frequency ("How often does the CoP meet?" by
    "on the second Tuesday of each month", not by "the CoP had 142 members on 1 March", a date as well),
    "who is Marek Nowak?" by his role (`people`: as `asked_person` takes them), "how long does it take?" by a
    duration, not a deadline."""
    if people and (person := asked_person(question, people)) is not None:
        return describes(person)
    if identifiers := [found.group(2) for found in CODE.finditer(question) if found.group(2)]:
        # "What's the risk score for R04?", "Who owns R10?": the register's row for it ("ID: R04; ...; Score: 15")
        return re.compile("|".join(keyed_by(code) for code in identifiers), re.IGNORECASE)
    if kind is QuestionKind.LIST and ASKS_WHAT_TO_DO.search(question):
        return SHAPES[QuestionKind.PROCEDURE]
    if ASKS_WHOM_TO_TURN_TO.search(question):
        return TURN_TO  # ("Report prolonged downtime to the IT Service Desk ...", "ICT Security: security@stbrigids.ie")
    if HOW_OFTEN.search(question):
        return FREQUENCY
    if ASKS_WHAT_TIME.search(question):
        return CLOCK_TIME
    if (done := _doing_the_asked(question, kind)) is not None:
        return done
    if TAKES_TIME.search(question):
        return DURATION
    if asked := ASKS_WHICH_PART.search(question):
        # "What tier is ChestFlag?": "It is classed as a Tier 2 tool", not "ChestFlag is a CE-marked AI tool ..."
        return re.compile(rf"\b{asked.group(1)}(?::\s*|\s+){PART_NUMBER}\b", re.IGNORECASE)  # (or a row's "Tier: 2")
    if ASKS_FOR_DECISION.search(question):
        return DECISION
    if kind is QuestionKind.YES_NO and ASKS_FOR_CHANGE.search(question):
        return CHANGE
    if WHERE_TO_FIND.search(question):
        return PLACE_TO_FIND  # "Where can I find the proposal template?": "in the guides folder"
    if ASKS_WHERE_HELD.search(question):
        return VENUE  # "Where are the literacy week sessions held?": "in the Main Lecture Theatre, also streamed on Teams"
    if kind is QuestionKind.FACT and (asked := ASKS_WHAT_TERM_IS.match(question)):  # ("What are the stages?": a list)
        return defines(asked.group("term"))
    if kind is QuestionKind.FACT and ASKS_WHAT_MOST.search(question):
        return SUPERLATIVE  # "What did clinicians like most?": "the benefit clinicians valued most"
    return SHAPES.get(kind)


# "What did clinicians like most about the scribe?", "What helped most?": what stands out, said so ("After-hours
# documentation was the benefit clinicians valued most", not "We recommend extending ScribeAssist ..."). Not any
# superlative: "What was the worst error the scribe made?" is answered by the error, not by a sentence saying "worst".
ASKS_WHAT_MOST = re.compile(r"^\W*what\b.*\b(?:did|do|does)\b.*\b[a-z]+\s+(?:the\s+)?most\b", re.IGNORECASE)
SUPERLATIVE = re.compile(r"\b(?:most|biggest|greatest|main)\b", re.IGNORECASE)


# The kinds of numbered part a document is divided into, and a part's number or (a capital) letter: "Stage 2", "Section D".
PART_KINDS = "stage|step|phase|tier|section|part|module"
PART_NUMBER = r"(?:\d{1,2}|(?-i:[A-Z]))"
# A numbered part ("Stage 2", "Step 3", "Section D", "Tier 1"), its kind and its number.
PART = re.compile(rf"\b({PART_KINDS})\s+({PART_NUMBER})\b", re.IGNORECASE)


def is_a_part(term: str) -> bool:
    """The term is a numbered part ("Stage 4", "tier 2")."""
    return PART.fullmatch(term.strip()) is not None


# "What tier is ChestFlag?", "Which stage is DischargeDraft at?": a numbered part of that kind, by its number.
ASKS_WHICH_PART = re.compile(rf"\b(?:what|which)\s+({PART_KINDS})\b(?!\s+\d)", re.IGNORECASE)


# "What is a DPIA?", "What's skim-signing?", "What does RAG mean?": only a term, answered by its definition (not
# by "A DPIA is required for any AI tool ...", which reads as close).
ASKS_WHAT_TERM_IS = re.compile(
    # (not something of something's: "What's the CoP's vision?" asks for the vision, not what a CoP is)
    r"^\W*what(?:'s| is| are| does)\s+(?!.*\w['’]s\s)(?:an?\s+|the\s+)?(?P<term>[\w'-]+(?:\s+[\w'-]+){0,3}?)"
    r"(?:\s+(?:mean|stand for))?\s*\?*\s*$",
    re.IGNORECASE,
)


def defines(term: str, keyed: bool = True) -> re.Pattern[str]:
    """A sentence defining `term`, by name or by the acronym in brackets after its name; or (`keyed`) a table row or
    list item keyed by it ("ID: R07; Risk: Medication error ...", "C12. How is the tool protected ...?")."""
    named = re.escape(term.strip())
    return re.compile(
        rf"^(?:(?:an?|the)\s+)?(?:{named}|[\w\s'-]{{2,60}}?\(\s*{named}\s*\))\s+(?:(?:is|are)\s+(?:an?|the|one of)\b|means\b|refers to\b|stands for\b)"
        + (rf"|{keyed_by(term.strip())}" if keyed else ""),
        re.IGNORECASE,
    )


def keyed_by(code: str) -> str:
    """A pattern for a table row or list item whose key is `code`: a row's first cell ("ID: R07; Risk: ...", "Tier:
    Tier 2 — moderate; ..."), or a numbered item ("C12. How is ..."). Not "R07: mitigations updated ...", a note about
    it in a changelog."""
    return rf"^\s*(?:(?:[-*•]+|\d+[.)])\s+)?(?:[\w ]{{1,20}}:\s*{re.escape(code)}(?:;|\s+[-–—])|{re.escape(code)}(?:[.;)]|\s+[-–—]))"


def shape_match(shape: re.Pattern[str] | None, sentence: str) -> float:
    """1 when the sentence has the shape the question wants (answer_shape), 0 when it has not, 0.5 when
    the question wants no particular shape. A question it reports is not its shape: "a member asked whether raising
    the threshold had caused missed cases" gives no reason."""
    if shape is None:
        return 0.5
    return float(bool(shape.search(sentence[: reported.start()] if (reported := REPORTS_A_QUESTION.search(sentence)) else sentence)))


# A quote this short naming a body is a bare name, a list's item ("Nuance Communications"): it says who as it stands.
BARE_NAME_WORDS = 4


def lacks_asked_organisation(question: str, quotes: list[str], titles: Sequence[str] = ()) -> bool:
    """A "which company ...?" question whose answer names no organisation the question does not already name, or
    none doing what is asked the way a maker is named (`_doing_the_asked`: "The Electronic Health Record (EHR) is ...,
    from which the sepsis model reads vital signs" names a body, but not as the model's maker), of the thing asked
    about: "The model is supplied by Auralis Health", in the sepsis project's write-up, names no maker of "our
    electronic health record system" (the quote, or the title of a document quoted, names the thing; `titles`)."""
    if not ASKS_FOR_ORGANISATION.search(question):
        return False
    maker = _doing_the_asked(question, QuestionKind.FACT)
    thing = _thing_made(question)
    context = content_terms(" ".join(titles))
    return not any(
        type_match(question, quote)
        and (
            maker is None
            or (maker.search(quote) and (not thing or thing & (context | content_terms(MAKER_NAMED.sub(" ", quote)))))
            or len(quote.split()) <= BARE_NAME_WORDS
        )
        for quote in quotes
    )


# The maker's name in a sentence naming it ("from the vendor Veritas Voice", "supplied by Auralis Health", "Vendor:
# Lumina Imaging"): its words ("Health") say nothing of what it makes.
MAKER_NAMED = re.compile(
    rf"(?i:\b(?:from|by|{COMPANY})\b)\s*:?\s*(?:(?i:the (?:{COMPANY}))\s+)?[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*"
)


def _thing_made(question: str) -> frozenset[str]:
    """What a "which company makes X?" question asks about: its terms but the company and the making."""
    return content_terms(question) - _organisation_terms() - main_verb(question)


@cache
def _organisation_terms() -> frozenset[str]:
    return content_terms("company vendor supplier firm manufacturer organisation organization")  # (stems: plurals too)


MONTHS = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
# A month as a date, and "May" only where it cannot be the verb ("18 May", "May 2026", "in May").
MONTH_AS_DATE = (
    rf"\b(?!may\b)(?:{MONTHS})\b|(?<=\d )may\b|\bmay\b(?=[\s,]+\d)|\b(?:in|of|by|until|since|from|early|late|mid|during) may\b"
)
DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday|weekend"
# A date or a time in words or digits: "20 April 2026", "the first Thursday of each month", "12:30", "next spring"
# (not a ward's or a bay's code: "Ward 6B").
DATE_OR_TIME = (
    rf"\d(?!\d*(?-i:[A-Z])\b)|{MONTH_AS_DATE}|\b(?:{DAYS})s?\b|\b(?:today|tomorrow|yesterday|tonight|noon|midday|midnight|lunchtime|morning|afternoon|"
    r"evening|night|spring|summer|autumn|fall|winter|monthly|weekly|daily|annually|quarterly|yearly|century|decade|era|"
    r"year|month|week|day|hour|minute|period|age|reign|war|dynasty)s?\b"
)
# "Every" and "each" of a period: "each month", "every six months", "every Tuesday" (not "every profession").
FREQUENCY = re.compile(
    r"\b(?:every|each)\s+(?:(?:other|single|few|couple of|\d+|two|three|four|five|six|eight|ten|twelve)\s+)?"
    rf"(?:year|month|week|fortnight|quarter|day|hour|minute|second|morning|afternoon|evening|night|shift|term|time|{DAYS})s?\b"
    r"|\b(?:annual(?:ly)?|yearly|monthly|weekly|daily|quarterly|once|twice|again|refresher|repeat\w*|renew\w*)\b"
    r"|\b(?:a|per) (?:year|month|week|day)\b|\btimes a\b",
    re.IGNORECASE,
)
# "How often does Auralis retrain the model?" is not answered by how often the model calculates its score: the
# frequency must be of what the question asks about, its main verb.
HOW_OFTEN = re.compile(r"\bhow often\b", re.IGNORECASE)
# "How long does the AI Essentials module take?" (or "last", "run") asks how long it lasts, answered by "(45 minutes)", not by the
# deadline "must be completed within 30 days of joining" ("How long do I have to ...?" asks for the deadline).
TAKES_TIME = re.compile(
    r"\bhow long (?:does|do|did|will|would|should|must|is|are)\b(?:(?!\bhave to\b).)*\b(?:take|last|run)\b"
    # ... as "How long is the AI Essentials course?" (not "How long is it open for?": a date may answer that)
    r"|\bhow long (?:is|are|was|were) (?:the |an? |each |every )?[\w' -]{0,40}?\b(?:course|module|session|training|meeting|talk|"
    r"video|webinar|workshop|e-learning)s?\s*\??\s*$",
    re.IGNORECASE,
)
# "What was decided about DischargeDraft in February?" is answered by the decision ("the team decided that the LLM
# would no longer generate the medication section"), not by how the tool works now.
ASKS_FOR_DECISION = re.compile(
    r"\bwhat (?:was|were|has been|have been|got) (?:decided|agreed|resolved|concluded)\b"
    r"|\bwhat did (?:[\w.'’-]+ ){1,3}?(?:decide|agree|conclude|resolve)\b|\bwhat (?:decisions?|conclusions?|outcome)\b",
    re.IGNORECASE,
)
DECISION = re.compile(
    r"\b(?:decided|decision|agreed|agreement|approved|resolved|concluded|consensus|endorsed|rejected|voted)\b"
    r"|^\W*(?:decision|agreed|action|outcome)\s*:",
    re.IGNORECASE,
)
# "Did the X-ray AI actually make reporting faster?" asks whether something changed: answered by the change ("the
# median time ... fell from 5.2 hours to 1.1 hours"), not by how things stood ("a median of 5.4 hours ... in March 2025").
ASKS_FOR_CHANGE = re.compile(
    r"^\W*(?:did|does|has|have|will)\b[^?]*?(?:\b(?:make|makes|made|get|gets|got)\b[^?]*\b(?:faster|slower|quicker|"
    r"better|worse|easier|harder|safer|shorter|longer)\b|\b(?:improve|reduce|cut|speed up|slow down|increase|decrease|"
    r"lower|shorten|halve|save)[sd]?\b)",
    re.IGNORECASE,
)
CHANGE = re.compile(
    r"\bfrom\b[^.;]*?\bto\b[^.;]*?\d|\b(?:fell|fallen|dropped|rose|risen|cut|reduced|increased|decreased|improved|"
    r"halved|doubled|shortened|saved)\b",
    re.IGNORECASE,
)
NUMBER_WORD = r"\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty(?:-five)?|sixty|ninety"
DURATION = re.compile(
    rf"(?<!within )(?<!by )(?<!after )(?<!before )\b(?:{NUMBER_WORD})(?:\s|-)+(?:working\s+)?(?:minutes?|hours?|days?|weeks?|months?)\b",
    re.IGNORECASE,
)
# A length of time the tagger calls a DATE or a TIME: "the first 8 weeks", "under 20 minutes".
LENGTH = re.compile(
    r"(?:(?:the|under|over|about|around|almost|nearly|at least|at most|less than|more than|up to|only|first|last|next)\s+)*"
    rf"(?:{NUMBER_WORD})(?:\s|-)+(?:working\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?)",
    re.IGNORECASE,
)
# The words that make a length a time: "within 24 hours", "after two weeks".
ANCHORS_A_LENGTH = frozenset({"within", "in", "after", "before", "by", "every", "each", "until", "till"})


def _a_length_only(entity: str, sentence: str) -> bool:
    """A length that says how long, not when: "Primary measure: ... (target: median under 20 minutes)" answered
    "When does the discharge pilot start?" (a TIME to the tagger); "within 24 hours" still says when to report."""
    if not LENGTH.fullmatch(entity):
        return False
    before = sentence[: sentence.find(entity)].split()[-1:]
    return not before or before[0].casefold() not in ANCHORS_A_LENGTH


# "What's ScribeAssist's word error rate?" is not answered by its "significant-error rate": an answer naming a
# rate (ratio, score ...) must name the one asked for, with the words that say which.
ASKS_FOR_MEASURE = re.compile(
    r"\bwhat(?:'s| is| was| are| were)\s+(?:the\s+|its\s+|their\s+|[\w-]+'s\s+)?"
    r"(?P<which>(?:[\w-]+\s+){1,3}?)(?P<measure>rate|ratio|score|percentage|accuracy|sensitivity|specificity)\b",
    re.IGNORECASE,
)
# Words that say how a measure is reported, not which measure it is ("the current error rate").
NOT_WHICH = "current overall average latest typical actual usual expected reported total mean median"
WHERE_TO_FIND = re.compile(
    r"\bwhere (?:can|do|should|would|could) (?:i|we|you|they) (?:\w+ )?(?:download|find|get|access|obtain|pick up)\b",
    re.IGNORECASE,
)
FINDING_WORDS = "where find get download access obtain pick up copy latest current blank"
# Where a thing is found: a link, an address, a folder or site, a file, a person or desk to ask.
PLACE_TO_FIND = re.compile(
    r"https?://|www\.|@|\b(?:folders?|intranet|page|site|website|portal|drive|library|office|desk|clerk|"
    r"reception|channel|app|download\w*|email|ask|contact|knowledge base)\b|\b(?:on|from|in|at|via) (?:the )?(?-i:[A-Z])\w+"
    # a file in the knowledge base: "guides/training-calendar-2026.csv lists all sessions"
    r"|\b[\w-]+\.(?:pdf|docx?|xlsx?|csv|pptx?|md|html?|txt)\b",
    re.IGNORECASE,
)


# Where something happens: a session, a meeting, a course, held somewhere, and the room or channel it is held in.
ASKS_WHERE_HELD = re.compile(
    rf"{OPENS_CLAUSE}where\b(?!{STARTING})[^?]*\b(?:held|take place|taking place|happen(?:s|ing)?|meet(?:s|ing|ings)?|"
    r"sessions?|talks?|training|courses?|workshops?|events?|lectures?|classes?|stand)\b",
    re.IGNORECASE,
)
VENUE = re.compile(
    r"\b(?:rooms?|boardroom|theatre|theater|hall|centre|center|atrium|auditorium|ward|building|floor|wing|campus|online|in[ -]person|"
    r"hybrid|teams|zoom|webinar|virtual(?:ly)?)\b",
    re.IGNORECASE,
)


# "Is there a template for proposals?", "Do we have an FAQ on data protection?", "Where are the slides from the
# onboarding talk?": a question about a document itself, answered by naming it (see evidence.DOCUMENT_MATCH), not by a
# sentence inside it ("I have declared any commercial interest.", the template's declarations) or one that mentions it.
ASKS_FOR_A_DOCUMENT = re.compile(
    r"^\W*(?:(?:so|and|hi|hey|ok|okay)\W+)?(?:is there|are there|do (?:we|you|they) have|have (?:we|you) got"
    r"|does (?:the |our )?(?:cop|community) have|where(?:'s| is| are| can i (?:find|get|see)| do i (?:find|get)))"
    r"\s+(?P<asked>[^?]+)",
    re.IGNORECASE,
)
# ... by the kind of document it is ("Is there a cap on CPD hours?", "Is there a meeting in August?" ask for none).
DOCUMENT_KINDS = (
    r"(?:template|guide|guidance|checklist|glossar(?:y|ies)|faq|polic(?:y|ies)|form|calendar|write-?up|report|newsletter"
    r"|slide deck|slide|deck|presentation|playbook|charter|register|handbook|manual|leaflet|minutes|notes|toolkit"
    r"|lessons learned|document|doc)s?"
)
DOCUMENT_KIND = re.compile(rf"\b{DOCUMENT_KINDS}\b", re.IGNORECASE)
# "What does the procurement checklist say about ...?", "According to the GenAI guide, ...": a document named by its
# kind and the words before it (see LexicalIndex.documents_named).
DOCUMENT_REFERENCE = re.compile(rf"\b(?:the|our)\s+(?P<name>(?:[\w-]+\s+){{0,3}}?{DOCUMENT_KINDS})\b", re.IGNORECASE)
# Kinds that any document is ("Is there a document on ...?"): what it is about decides.
GENERIC_KINDS = content_terms("document doc")
# ... and words that say nothing of what it is about (the tokenizer keeps "from", "about").
NOT_THE_TOPIC = content_terms(f"any some from about over under after before {FINDING_WORDS}")


@dataclass(frozen=True)
class DocumentAsked:
    """What "Is there a template for proposals?" asks for: the phrase ("a template for proposals"), its kind's words
    (none for "a document") and the rest, what the document is about ("proposals")."""

    phrase: str
    kinds: frozenset[str]
    topic: frozenset[str]


# ... and asks what it says: "What does the charter say about vendors?", "According to the GenAI guide, ...", "In the
# onboarding guide, what ...?", "Does the proposal template ask about costs?", "What's on the go-live checklist?".
ASKS_WHAT_IT_SAYS = re.compile(
    r"\b(?:says?|said|mentions?|asks?|covers?|tells? (?:us|me|you))\s+(?:about|on|regarding)\b|\baccording to\b|^\W*in (?:the|our)\b"
    r"|\bwhat(?:'s|’s| is) (?:in|on) (?:the|our)\b",
    re.IGNORECASE,
)


# "What did we learn from the scribe pilot?", "What were the lessons ...?", "the key takeaways", "What did it teach
# us?": what a community writes down as its lessons learned, under headings that name them ("Lessons", "Lessons and
# recommendations", "Two smaller lessons"); a lessons document's opening ("The Sepsis Early Warning (SEW) pilot ran on
# Wards 7A and 7B ...", 0.99) is no answer.
ASKS_WHAT_WAS_LEARNED = re.compile(rf"{WHAT_WAS_LEARNED}|\blessons?\b|\blearnings\b|\btake-?aways?\b", re.IGNORECASE)
LESSON = content_terms("lesson")
# ... and its words for asking and for who learned, not what it was learned from
LEARNING_WORDS = content_terms("learn learned learnt learning learnings teach taught takeaway takeaways key we us our from")


def lessons_subject(question: str) -> frozenset[str] | None:
    """For a question asking what was learned, the words of what it was learned from ("sepsi", "pilot"); None for
    any other question."""
    if not ASKS_WHAT_WAS_LEARNED.search(question):
        return None
    return content_terms(question) - LESSON - LEARNING_WORDS


def names_lessons_of(subject: frozenset[str], heading_path: str) -> bool:
    """The path names lessons (its heading or one above it) under a title naming at least half of the subject (a
    question's "from" is in few titles, its "thing" in none: "what did we learn from the sepsis thing")."""
    parts = heading_path.split(" > ")
    title, headings = content_terms(parts[0]), content_terms(" ".join(parts[1:]))
    return bool(LESSON & headings) and bool(subject) and 2 * len(subject & (title | headings)) >= len(subject)


def document_references(question: str) -> list[frozenset[str]]:
    """The words of each document a question asking what a document says names by its kind ("the procurement
    checklist": "procur", "checklist"), not by a kind any document is ("the document"). None for other questions:
    "What's the biggest risk on the register?" may be answered from any document, and "the slides from the last
    meeting" are not the onboarding talk's, the only slides there are."""
    if not ASKS_WHAT_IT_SAYS.search(question):
        return []
    references = [content_terms(found.group("name")) for found in DOCUMENT_REFERENCE.finditer(question)]
    return [terms for terms in references if terms - GENERIC_KINDS]


# Where a phrase says where its thing is, not what it is: "any prompt-writing workshops on the training calendar" asks
# for workshops (the calendar's rows), not for the calendar.
LOCATED = re.compile(r"\s(?:on|in|at|within|inside)\s", re.IGNORECASE)


def document_asked_for(question: str) -> DocumentAsked | None:
    """The document a question asks for by its kind, None for any other question."""
    found = ASKS_FOR_A_DOCUMENT.search(question)
    if not found:
        return None
    phrase = found.group("asked").strip()
    asked = LOCATED.split(phrase, maxsplit=1)[0]  # ("an FAQ on data protection" asks for the FAQ)
    kinds = content_terms(" ".join(m.group() for m in DOCUMENT_KIND.finditer(asked)))
    if not kinds:
        return None
    return DocumentAsked(phrase, kinds - GENERIC_KINDS, content_terms(phrase) - kinds - NOT_THE_TOPIC)


def is_named_by(title: str, question: str) -> bool:
    """Every word the question uses for the thing it looks for is in the title ("the go-live checklist":
    "Go-Live Readiness Checklist for Clinical AI Tools"; "a blank DPIA form" is in no title)."""
    asked = document_asked_for(question)
    wanted = asked.kinds | asked.topic if asked is not None else content_terms(question) - content_terms(FINDING_WORDS)
    return bool(wanted) and wanted <= content_terms(title)


# A question that names the kind of detail it wants, and what that detail looks like in text. An
# answer with none of it does not answer, however close its topic: "What's Marek's email address?"
# is not answered by "Email Marek Nowak with the project name" (members' in-domain questions
# whose specific fact the documents lack were answered this way).
ASKED_DETAILS: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    (
        "an email address",
        re.compile(r"\be-?mail address(?:es)?\b|\bwhat(?:'s| is) (?:the |their |his |her |[A-Z]\w+'s )?e-?mail\b", re.IGNORECASE),
        re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    ),
    (
        "a web address",
        re.compile(r"\b(?:web ?address|url|web ?site address|web ?link)\b", re.IGNORECASE),
        re.compile(r"https?://|\bwww\.|\b[\w-]+\.(?:ie|com|org|net|gov|eu|uk|io)\b", re.IGNORECASE),
    ),
    (
        "a phone number",
        re.compile(r"\b(?:phone|telephone|bleep|pager|mobile) (?:number|no\.?|extension)\b|\bphone extension\b"
                   r"|\bwhat(?:'s| is) (?:the |their |his |her )?(?:phone|extension|number to call)\b", re.IGNORECASE),
        re.compile(r"\d{3,}|\bext(?:ension|\.)? ?\d+", re.IGNORECASE),
    ),
    (
        "an amount of money",
        # (not "the price of X" alone: "how much did the price of oil rise?" wants a rate, "until when?" a date)
        # ("How much extra do CoP leads get paid?", not "How much time do I need to spend on it?")
        re.compile(r"\bhow much (?:(?!time\b)\w+ )?(?:does|do|did|will|would|is|are)\b[^?]*\b(?:cost|costs|charge|pay|paid|spend|earn)\b"
                   r"|\bhow much money\b|\bwhat (?:does|will|would) [^?]* cost\b", re.IGNORECASE),
        # (a currency's code before the number too: "about EUR 22,800 a year")
        re.compile(r"[€$£]\s?\d|\b(?:eur|gbp|usd|chf)\s?\d|\b\d[\d,.]*\s?(?:euro|eur|pounds?|dollars?|million|billion|k)\b"
                   r"|\bfree of charge\b|\bno cost\b", re.IGNORECASE),
    ),
    (
        "a proportion",
        re.compile(r"\bwhat (?:percentage|proportion|percent|fraction|share)\b"
                   r"|\bwhat(?:'s| is| was| are)? (?:the |its |their )?(?:[\w-]+ ){0,3}"
                   r"(?:ppv|positive predictive value|specificity|sensitivity|auroc|auc)\b", re.IGNORECASE),
        re.compile(r"\d(?:[.,]\d+)?\s?(?:%|percent|per cent)|\b0\.\d+\b|\b\d+ (?:in|of|out of) (?:every |the )?\d+\b", re.IGNORECASE),
    ),
    (
        # "Is there a cap on how many CPD hours ...?" is not answered by "each meeting counts as 1 CPD hour".
        "a limit",
        re.compile(r"\b(?:is|are) there (?:a|an|any) (?:cap|limit|maximum|ceiling|upper limit)\b|\b(?:cap|limit|ceiling) on\b"
                   r"|\bhow (?:many|much) \w+(?: \w+)? (?:at most|max(?:imum)?)\b", re.IGNORECASE),
        re.compile(r"\b(?:cap|capped|limit|limited|maximum|max|ceiling|up to|at most|no more than|unlimited)\b", re.IGNORECASE),
    ),
    (
        # "What score do I need to pass?" wants the mark, not that the module is mandatory.
        "a pass mark",
        re.compile(r"\bpass(?:ing)? (?:mark|score|grade|threshold)\b|\b(?:what|which) (?:score|mark|grade)\b[^?]*\bpass\b",
                   re.IGNORECASE),
        re.compile(r"\bpass(?:ing)? (?:mark|score|grade|threshold)\b|\d+\s?(?:%|percent|per cent|out of|/)|\bscore of \d", re.IGNORECASE),
    ),
    (
        # "How much time does being a facilitator take?" wants the hours ("Time commitment: ~4 hours/week"), not what
        # a facilitator is; "How much time did DischargeDraft save?" is not answered by how it works.
        "a length of time",
        re.compile(r"\bhow much (?:of (?:my|your|our|their) )?time\b|\bhow many (?:minutes|hours|days|weeks|months|years)\b",
                   re.IGNORECASE),
        re.compile(r"\b(?:\d[\d.,]*|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|"
                   r"forty|sixty|ninety|half an?|a few|few|several|couple of)\s*(?:(?:-|–|to)\s*\d[\d.,]*\s*)?"
                   r"(?:working |calendar )?(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b", re.IGNORECASE),
    ),
    (
        "a date or time",
        re.compile(r"(?:^|[.?!]\s+|\b(?:and|so|but)\s+)when(?:'s| is| are| was| were| does| do| did| will| would| should| can| has| have)\b",
                   re.IGNORECASE),
        re.compile(DATE_OR_TIME, re.IGNORECASE),
    ),
    (
        "how often",
        re.compile(r"\bhow often\b|\bevery (?:year|month|week|day)\b|\b(?:annually|yearly)\b|\bredo\b|\brefresher\b", re.IGNORECASE),
        FREQUENCY,
    ),
    (
        "where to find it",
        WHERE_TO_FIND,
        PLACE_TO_FIND,
    ),
]


# "What is X?", "what does X mean?", "define X", "what are Xs?": questions a definition answers.
# ... and "What does the AIOC do?": a body's or a role's definition says what it does.
ASKS_FOR_DEFINITION = re.compile(
    # (not "What is the CoP trying to achieve?", a verb in -ing going on: what it does, not what it is)
    r"^\W*(?:so,? )?(?:what(?:'s| is| are| was| were)\b"
    r"(?!(?:\s+[\w'-]+){1,4}?\s+(?-i:[a-z]+ing)\s+(?:to|for|about|on|with|at|in|into|from|by|up|out)\b)"
    r"|what does .+ (?:mean|stand for)\b|define\b|meaning of\b|explain\b"
    r"|what (?:does|do) (?:the |an? )?[\w' -]{2,60} do\W*$)",
    re.IGNORECASE,
)
MEANS = re.compile(r"\bwhat (?:does|do|did) .+ (?:mean|stand for)\b", re.IGNORECASE)
# A sentence that defines its subject: "A Large Language Model (LLM) is a machine learning model ...".
DEFINITION = re.compile(r"^(?:(?:an?|the)\s+)?(?P<term>[\w\s'-]{2,60}?)(?:\s*\((?P<acronym>[A-Z][\w-]*)\))?\s+(?:is|are|means|refers to)\s+(?:an?|the)\b", re.IGNORECASE)


TELLING_SHARE = 0.5  # of the rest of the question, words at least half as rare as its rarest say what is asked
# "Is ChestFlag an AI tool?" is answered well by a sentence that defines; "Can patients refuse the ambient
# scribe?" is not ("An ambient scribe is a tool that listens ..." was its answer, at 0.97), nor is "Is it fine to
# share a screenshot of the EHR ...?", whose "it" is no thing ("The Electronic Health Record (EHR) is ..." led).
ASKS_WHAT_SOMETHING_IS = re.compile(
    r"^\W*(?:is|are|was|were|isn't|aren't)\b(?!\s+it\s+[\w-]+\s+(?:to|for|if|that|when)\b)(?!\s+there\b)", re.IGNORECASE
)
# ... and so is "Who is Niamh Walsh?", "Who are the PPI panel?": not "Who's giving the talk on automation bias?",
# which the glossary's definition of automation bias does not answer.
ASKS_WHO_SOMEONE_IS = re.compile(
    r"(?:^|[.?!]\s+)\W*(?:and |so )?who(?:'s| is| are| was| were)\b(?!(?-i: [a-z]+ing\b))", re.IGNORECASE
)


def answers_with_a_definition(
    question: str, quotes: list[str], weights: Mapping[str, float] | None = None, entry: str = ""
) -> bool:
    """The answer opens by defining a term the question only uses ("Which LLM is DischargeDraft built on?"
    answered with the glossary's "A Large Language Model (LLM) is ..."): it does not address the question. The
    glossary `entry` the definition sits under names the term too ("ScribeAssist is the ambient scribe piloted in
    outpatients." under "Ambient scribe" does not say what the ambient scribe pilot cost).

    Used for answers quoted from a glossary only: encyclopedic text opens with definitions that do
    hold answers (SQuAD, first 1,000 questions: applied everywhere it cost 0.021 answer-contains)."""
    asked = asked_beyond_the_term(question, quotes[0], weights, entry) if quotes else None
    # (an answer that also speaks to the rest of the question, "... meets monthly" for "when does it meet?", answers it)
    return bool(asked) and not asked & content_terms(" ".join(quotes))


def asked_beyond_the_term(
    question: str, definition: str, weights: Mapping[str, float] | None = None, entry: str = ""
) -> frozenset[str] | None:
    """What the question asks beyond the term `definition` defines: the rest of its words, without the common ones
    ("use", "hospital": `weights` are IDF); None when the question asks what something is or `definition` defines
    no term it names (nor its glossary `entry`); empty when the question is the term alone ("alert fatigue": a search
    for what it is)."""
    if ASKS_FOR_DEFINITION.search(question) or ASKS_WHO_SOMEONE_IS.search(question) or ASKS_WHAT_SOMETHING_IS.search(question):
        return None
    found = DEFINITION.match(definition)
    if not found:
        return None
    acronym = found.group("acronym")
    named = _named_in(found.group("term"), question) or (acronym and re.search(rf"\b{re.escape(acronym)}\b", question))
    if not (named or (entry and _names_entry(entry, question))):
        return None
    # (the document it names is not asked about: "What does the glossary say about hallucination?")
    rest = content_terms(question).difference(content_terms(f"{found.group('term')} {acronym or ''} {entry}"), *document_references(question))
    if weights and rest:
        telling = max(weights.get(t, 0.0) for t in rest) * TELLING_SHARE
        rest = frozenset(t for t in rest if weights.get(t, 0.0) >= telling)
    return rest


def _names_entry(entry: str, question: str) -> bool:
    """The question names a glossary entry ("Generative AI (GenAI)") by its name or the acronym in its brackets."""
    acronyms = re.findall(r"\(([^)]+)\)", entry)
    name = re.sub(r"\s*\([^)]*\)", "", entry)
    return _named_in(name, question) or any(re.search(rf"\b{re.escape(acronym)}\b", question) for acronym in acronyms)


def defines_another_term(question: str, sentence: str) -> bool:
    """The sentence defines a term the question does not name: "BrigidLab is the hospital's secure analytics
    sandbox ..." beside an answer to "What's BrigidNet?"."""
    found = DEFINITION.match(sentence)
    if not found:
        return False
    acronym = found.group("acronym")
    return not (_named_in(found.group("term"), question) or (acronym and re.search(rf"\b{re.escape(acronym)}\b", question)))


# "Who's the ethicist on the AIOC?", "Who chairs the Medical Board?": the holder of a named role. An answer
# naming people, none of them beside that role ("Chair: Prof. Helen Carberry" for the ethicist), names the
# wrong one; the golden set's in-domain questions about a role the documents mention but never fill were
# answered this way.
CONNECTOR = r"(?:that|who|which|of|on|for|at|in|from|sits|is|was|we|our)\b"
ASKS_FOR_HOLDER = re.compile(
    rf"^\W*(?:and |so |ok,? )?who(?:'s| is| was)? (?:the|our|their) (?P<role>[a-z][\w-]*(?: (?!{CONNECTOR})[a-z][\w-]*)?)"
    rf"(?=\s*\?|\s+{CONNECTOR})"
    r"|\bwho (?P<verb>chair)(?:s|ed)? (?:the|our)\b",  # (a team may lead or run something: "the Procurement Office")
    re.IGNORECASE,
)
# How close (in characters) a person's name must be to the role for the text to say who holds it:
# "Secretary: Lorcan Fitzgerald", "the Clinical Safety Officer (Dr. Conor Healy)".
HOLDER_REACH = 40
# "Editor: Dr. Priya Raman.", "Contact: Hannah Byrne": a role, a colon, and who holds it.
ROLE_LABEL = re.compile(r"^[A-Z][\w'-]*(?:\s[\w'-]+){0,3}:\s")
# A name as spaCy's small model misses it ("Lorcan Fitzgerald" comes back as an organisation): two
# capitalised words, neither of them a word of a title or a body ("Chief Pharmacist", "Medical Board").
TWO_NAMES = re.compile(r"\b[A-Z][a-zà-ÿ'’-]+ (?:[A-Z]['’])?[A-Z][a-zà-ÿ'’-]+\b")
NOT_A_NAME = re.compile(
    r"\b(?:Chief|Officer|Director|Head|Lead|Manager|Chair|Committee|Board|Group|Office|Desk|Teams?|Service|Unit|Ward|"
    r"Hospital|Health|Clinical|Medical|Nursing|Safety|Data|Protection|Information|Oversight|University|Centre|Week|"
    r"Session|Meeting|Module|Tier|Stage|Step|The|This|Our|All|Each|Every|Extra|If|On|In|At|For|When|After|Before|"
    r"From|With|By|As|Sepsis|Early|Warning|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|"
    r"February|March|April|May|June|July|August|September|October|November|December)\b"
)


def name_positions(text: str) -> list[int]:
    """Where a person's name starts in the text (spaCy's PERSON, or two capitalised words it missed)."""
    found = [m.start() for name in people_named(text) for m in re.finditer(re.escape(name), text)]
    return found + [m.start() for m in TWO_NAMES.finditer(text) if not NOT_A_NAME.search(m.group())]


# "Who can I ask about the training?", "How do I get hold of the CSO?": the member wants to reach someone.
ASKS_TO_CONTACT = re.compile(
    r"\bwho (?:can|could|should|do|shall) (?:i|we) (?:\w+ )?(?:ask|contact|talk to|speak to|reach|go to|get in touch with|"
    r"e-?mail|ring|call|phone)\b|\bhow (?:do|can|should) (?:i|we) (?:contact|reach|get in touch with|get hold of)\b",
    re.IGNORECASE,
)


def has_contact_detail(text: str) -> bool:
    return any(pattern.search(text) for pattern in CONTACT_DETAILS.values())


def people_named(text: str) -> list[str]:
    """The people a text names (spaCy's PERSON), without titles spaCy mistakes for names."""
    return [name for name, label in entities(text) if label == "PERSON" and not NOT_A_NAME.fullmatch(name)]


def lacks_role_holder(question: str, quotes: list[str]) -> bool:
    """The question asks who holds a role and no quote names a person right beside that role."""
    asked = ASKS_FOR_HOLDER.search(question)
    if asked is None or ASKS_FOR_ORGANISATION.search(question):  # ("who is the vendor?" asks for a company)
        return False
    role = (asked.group("role") or asked.group("verb")).casefold()
    stem = re.escape(role.split()[-1].removesuffix("s") if asked.group("role") else role)
    for quote in quotes:
        people = name_positions(quote)
        for found in re.finditer(rf"\b{stem}", quote, re.IGNORECASE):
            if any(found.start() - HOLDER_REACH <= at <= found.end() + HOLDER_REACH for at in people):
                return False
    return True


# The asked details that are a value of their own kind, which a sentence holds or not (a date, a frequency or a place
# the tagger's entities and the answer's shape judge).
VALUES = frozenset({"an email address", "a web address", "a phone number", "an amount of money", "a proportion"})


@lru_cache(maxsize=20_000)
def asked_detail(question: str) -> tuple[str, re.Pattern[str]] | None:
    """The kind of detail the question names (ASKED_DETAILS) and what it looks like in text; None if it names none."""
    # ("What does PPV mean?", "What is PPV?" ask what the measure is, not its value: "What is the PPV of ChestFlag?")
    term = ASKS_WHAT_TERM_IS.match(question)
    defines_a_term = bool(MEANS.search(question) or (term and not re.search(r"\b(?:of|for|in|on|at)\b", term["term"], re.I)))
    return next(
        (
            (kind, looks) for kind, asks, looks in ASKED_DETAILS
            if asks.search(question) and not (defines_a_term and kind == "a proportion")
        ),
        None,
    )


def lacks_asked_detail(
    question: str, quotes: list[str], items: Sequence[str] = (), titles: Sequence[str] = (), also: Sequence[str] = ()
) -> str | None:
    """The kind of detail the question asks for and no quote offers (None when it is offered, or not asked).

    `items` are quoted list items: each is its own thing, so for a detail one counts only if it speaks to the question
    (shares a word with it): "When will the multilingual model be tested?" is not answered by the "monthly
    audit" item beside the one that says it will be. A sentence counts wherever it is (its date may be the
    answer to the sentence before it). `titles` are those of the documents quoted: for "where do I find the
    go-live checklist?" a quote from the document whose title names it all is where to find it (the citation
    links it). `also` are the sentences an answer adds from other documents: they may name the organisation or the
    person asked for, but the detail asked for must be the answer's own ("When does the DischargeDraft pilot start?"
    is not answered by "preparing a pilot on Ward 6B" because the sepsis line beside it has a date)."""
    if WHERE_TO_FIND.search(question) and any(is_named_by(title, question) for title in titles):
        return None
    everything = [*quotes, *items, *also]
    if lacks_asked_organisation(question, everything, titles):
        return "an organisation"
    if lacks_role_holder(question, everything):
        return "the person in that role"
    asked = content_terms(question)
    quotes = [*quotes, *(item for item in items if content_terms(item) & asked)]
    detail = asked_detail(question)
    missing = detail[0] if detail is not None and not detail[1].search(" ".join(quotes)) else None
    if missing is None and _names_another_measure(question, quotes):
        return "the measure asked for"
    if missing is None and HOW_OFTEN.search(question) and (action := main_verb(question)):
        if not any(FREQUENCY.search(quote) and action <= content_terms(quote) for quote in quotes):
            return "how often"
    return missing


# A ward, bay or clause code ("Ward 5A", "item C12"; not "3D" or "Q3"), or an identifier of a letter and two digits
# ("R04", "C12"): a question naming one asks about that one, and an answer that never names it ("at least 80% of
# nurses on each ward must be trained", "The risk score is L multiplied by I" for "the risk score for R04") is about another.
CODE = re.compile(
    r"\b(?i:wards?|bays?|beds?|clauses?|items?|sections?|rooms?|units?|theatres?)\s+(\d{1,2}[A-Z]|[A-Z]\d{1,2})\b"
    r"|\b([A-Z]\d{2})\b"
)


# An acronym ("FDA", "NICE") names a body, a standard or a product: if no document uses it, the documents do not say.
ACRONYM = re.compile(r"\b(?!OK\b|AM\b|PM\b)[A-Z]{2,6}\d?\b")  # (a score's version too: "NEWS2")


# A name: a capitalised word within a sentence ("in Manchester", "a Nuance licence"), not its first word, nor an
# acronym's plural ("GPs").
NAME_WITHIN = re.compile(r"(?<=[\w,;:)'’]\s)(?!I\b|OK\b|[A-Z]{2,}s\b)[A-Z][\w'’-]*")
# The public chatbots a member may name, which the documents speak of by their kind ("public chatbots").
PUBLIC_CHATBOTS = re.compile(r"\b(?:(?:the|a|an)\s+)?(?P<name>chat\s?gpt|gemini|claude|perplexity|deepseek|grok|bard)\b", re.IGNORECASE)


def names_unknown_name(question: str, unknown: frozenset[str]) -> bool:
    """The question names an acronym or a name no document uses ("Is ChestFlag FDA-cleared?", "the children's
    hospital in Manchester"); a public chatbot is known by its kind."""
    names = [*ACRONYM.findall(question), *NAME_WITHIN.findall(PUBLIC_CHATBOTS.sub("", question))]
    return any(content_terms(name) & unknown for name in names)


# A product or system's name, written as one word with a capital inside ("BrigidLab", "ChestFlag", "SafeReport").
PRODUCT_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b|\b[A-Z][a-z]+[A-Z]{2,}\b")


def products_named(text: str) -> frozenset[str]:
    """The product names a text writes ("BrigidGPT", "ChestFlag"), as written."""
    return frozenset(PRODUCT_NAME.findall(text))


def as_of_any_tool(question: str) -> str:
    """The question with each product it names read as "the tool": "How do I report a problem with the tool?"."""
    return PRODUCT_NAME.sub("the tool", question)


def names_another_product(question: str, heading: str, lead: str = "") -> bool:
    """The answer's lead sits under a heading (its title and section path) that names another product where
    the question names one the heading never mentions: "Can I use BrigidLab for patient data?" is not
    answered by the FAQ entry "Can I use BrigidGPT with patient information?", however alike the names read
    to the encoder. (A quote that names another product in passing may still answer: a risk register row on
    "public chatbots or BrigidGPT" answers whether ChatGPT is blocked.) Nor is a `lead` that names the asked product
    itself: "DischargeDraft - LLM discharge summaries, preparing a pilot on Ward 6B", a slide's line under the line
    before it ("ScribeAssist: ambient pilot, Oct 2025 to Jan 2026") taken for its heading."""
    if not products_named(question) or names_asked_product(question, f"{heading}\n{lead}"):
        return False
    return bool(PRODUCT_NAME.search(heading))


def names_asked_product(question: str, text: str) -> bool:
    """The text names a product the question names (in any case: "chestflag")."""
    return any(re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE) for name in products_named(question))


# Joining and leaving, starting and stopping: an entry that undoes the member's action answers the opposite
# question. "How do I get on the mailing list?" was answered from "How do I leave the CoP?" ("You will be removed
# from the channel and mailing list"), the nearest entry naming the list.
JOINING = re.compile(
    r"\b(?:join(?:s|ed|ing)?|subscrib\w*|sign(?:s|ed|ing)? (?:up|on)|get(?:s|ting)? (?:on|onto|into|added)|(?:be|being|get|getting) added|"
    r"enrol\w*|opt(?:s|ed|ing)? in|start(?:s|ed|ing)?|switch(?:es|ed|ing)? on|turn(?:s|ed|ing)? on)\b",
    re.IGNORECASE,
)
LEAVING = re.compile(
    r"\b(?:leav(?:e|es|ing)|left|unsubscrib\w*|remov(?:e|es|ed|al|ing)|come off|get(?:s|ting)? off|opt(?:s|ed|ing)? out|"
    r"withdraw\w*|quit(?:s|ting)?|stop(?:s|ped|ping)?|switch(?:es|ed|ing)? off|turn(?:s|ed|ing)? off|cancel\w*)\b",
    re.IGNORECASE,
)


def undoes_the_asked_action(question: str, entry: str) -> bool:
    """The answer's entry (its heading and lead quote) does the opposite of what the member asks to do: it
    speaks only of leaving where they ask to join, or only of joining where they ask to leave."""
    for asked, opposite in ((JOINING, LEAVING), (LEAVING, JOINING)):
        if asked.search(question) and not opposite.search(question):
            return bool(opposite.search(entry)) and not asked.search(entry)
    return False


# "What should I do if I accidentally put patient details into a public chatbot?": the member has done it already.
AFTER_THE_FACT = re.compile(
    r"\b(?:accidentally|by (?:mistake|accident)|mistakenly|inadvertently)\b"
    r"|\bI(?:'ve| have) (?:already |just )?(?:put|pasted|sent|shared|uploaded|posted|entered|typed)\b",
    re.IGNORECASE,
)
# A sentence forbidding something: "Never put patient data into a public chatbot", "Public chatbots are not approved",
# "screenshots ... must never be posted".
FORBIDS = re.compile(
    r"^\W*(?:never|do not|don't)\b|\b(?:must|should|may) (?:not|never)\b|\bmustn't\b|\b(?:is|are) not (?:allowed|approved|permitted)\b",
    re.IGNORECASE,
)


def forbids_what_was_done(question: str, sentence: str) -> bool:
    """A question asked after the fact is not answered by the rule that was broken: "Never put patient data into a
    public chatbot" (0.79 to "What should I do if I accidentally put patient details into a public chatbot?") says
    nothing of what to do now; telling the DPO the same day does."""
    return bool(AFTER_THE_FACT.search(question)) and bool(FORBIDS.search(sentence))


# "Is DischargeDraft live yet?", "Is the xray triage AI actually live in ED now?": whether a tool is in use now. A
# sentence saying it ("ChestFlag went live on 12 January 2026 ...", "... a large language model (LLM) project
# preparing for a pilot on Ward 6B") answers; how the tool works ("When the doctor opens the discharge summary ...",
# 0.84) does not.
ASKS_IF_LIVE = re.compile(r"\b(?:live|switched on|rolled out|up and running)\b", re.IGNORECASE)
SAYS_IF_LIVE = re.compile(
    r"\b(?:went|goes|go|gone|is|are|now|been|be)[\s-]live\b|\blive (?:in|on|since|for|from)\b|\bpreparing for\b|\bplans? to\b"
    r"|\bpilot (?:start|began|ran|ends|ended)\b|\b(?:rolled out|switched (?:on|off)|withdrawn|paused)\b",
    re.IGNORECASE,
)


def says_if_live(question: str, sentence: str) -> bool | None:
    """For a yes/no question asking whether something is live, whether the sentence says it is, or what it is
    preparing for (of the product the question names, if it names one); None for any other question."""
    if question_kind(question) is not QuestionKind.YES_NO or not ASKS_IF_LIVE.search(question):
        return None
    return bool(SAYS_IF_LIVE.search(sentence)) and products_named(question) <= products_named(sentence)


def asked_before_the_fact(question: str, entry: str) -> bool:
    """A question asked after the fact is not the FAQ entry asking leave to do it: "Can I paste a de-identified case
    into a public chatbot ...?" reads like "What should I do if I accidentally pasted a patient's name into a public AI
    chatbot?" (0.71), and its "No. Public consumer chatbots are not approved ..." led the answer."""
    return bool(AFTER_THE_FACT.search(question)) and entry.endswith("?") and question_kind(entry) is QuestionKind.YES_NO


# Words before a noun that say nothing about which one it is ("the channel", "our own channel").
NOT_A_KIND = r"(?:a|an|the|this|that|these|those|our|your|my|its|their|own|same|new|one|any|no|each|every|other)"


def names_another_kind_of(question: str, quotes: list[str], heading: str) -> bool:
    """The question names a thing by a proper name ("a Teams channel") that neither the quotes nor their heading
    mention, while the quotes name another kind of that thing ("The CoP is not a sales channel"): a no about
    the other kind reads as a no to the member's. Judged for yes/no questions, where that harm lies."""
    if question_kind(question) is not QuestionKind.YES_NO:
        return False
    said = f"{heading}\n{' '.join(quotes)}"
    if all(_mentions(said, word) for word in kind_names(question)):
        return False  # (without a parse: every name it could find is mentioned)
    for name, noun in named_kinds(question):  # (cached: one parse per question, however often it is asked)
        if _mentions(said, name):
            continue
        if re.search(rf"\b(?!{NOT_A_KIND}\b)[A-Za-z][\w-]*\s+{re.escape(noun)}s?\b", " ".join(quotes), re.IGNORECASE):
            return True
    return False


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None  # ("F.C." ends in no word)


def named_codes(question: str) -> list[str]:
    """The codes (CODE) a question names: "5A" in "Ward 5A", "R04"."""
    return [found.group(1) or found.group(2) for found in CODE.finditer(question)]


def lacks_named_code(question: str, quotes: list[str]) -> bool:
    """The question names a code (a ward, a clause) the answer's own quotes never name."""
    text = " ".join(quotes)
    return any(not re.search(rf"\b{code}\b", text) for code in named_codes(question))


def _names_another_measure(question: str, quotes: list[str]) -> bool:
    """A quote names the asked measure with some of the question's words for which one, never all of them
    ("3% significant-error rate" for "word error rate"). A measure named in other words ("acceptance rate"
    for "admission rate") may be the same one, and is not judged."""
    asked = ASKS_FOR_MEASURE.search(question)
    if asked is None:
        return False
    which = content_terms(asked["which"]) - content_terms(NOT_WHICH)
    measure = re.compile(rf"\b{asked['measure']}\b", re.IGNORECASE)
    # the (up to) three words before each mention of the measure, "significant-error" as two
    named = [
        content_terms(" ".join(re.split(r"[\s-]+", quote[max(0, found.start() - 60) : found.start()])[-4:]))
        for quote in quotes
        for found in measure.finditer(quote)
    ]
    return bool(named) and not any(which <= terms for terms in named) and any(which & terms for terms in named)


# A test's measures, each by its names: a question naming one is not answered by the others' figures.
MEASURES = [
    re.compile(rf"\b(?:{names})\b", re.IGNORECASE)
    for names in (
        r"ppv|positive predictive values?",
        r"npv|negative predictive values?",
        r"sensitivity|sensitivities",
        r"specificity|specificities",
        r"auroc|auc|area under the (?:roc )?curve",
        r"f1(?:[ -]score)?",
    )
]


def gives_other_measures(question: str, quotes: list[str]) -> bool:
    """The question names a test's measure and the quotes give only others: "ChestFlag ... sensitivity 94%,
    specificity 89%" does not say what share of its flags are real findings, "I mean its PPV"."""
    text = " ".join(quotes)
    return (
        bool(measures_asked(question))
        and not names_asked_measure(question, text)
        and any(measure.search(text) for measure in MEASURES)
    )


def measures_asked(question: str) -> list[re.Pattern[str]]:
    return [measure for measure in MEASURES if measure.search(question)]


def names_asked_measure(question: str, text: str) -> bool:
    return any(measure.search(text) for measure in measures_asked(question))


MODAL_VERBS = frozenset({"need", "needs", "have", "has", "had", "want", "wants", "got", "ought"})


# "When does the AI Oversight Committee meet?": what it does, and when.
WHEN_DOES = re.compile(r"\bwhen (?:do|does)\b", re.IGNORECASE)


@lru_cache(maxsize=20_000)
def _doing_the_asked(question: str, kind: QuestionKind) -> re.Pattern[str] | None:
    """For "when does X <verb>?" and "which company <verb>s X?", a sentence that does what is asked: the verb in a
    form that is no noun ("meets", not "meeting": "Version 2.0 of the charter was approved by the AIOC on 29 January
    ... at the launch meeting" holds a date and the word, and answered "When does the AI Oversight Committee meet?";
    "The model is supplied by Auralis Health", not the committee that "approved the scale-up of the model")."""
    maker = ASKS_FOR_ORGANISATION.search(question)
    asks = (kind is QuestionKind.WHEN and WHEN_DOES.search(question)) or maker
    by_trade = bool(maker) and _asked_by_trade(question) is not None  # "who is the vendor of X?": who sells, supplies or makes X
    if not asks or not (by_trade or main_verb(question)):
        return None
    stem = COMPANY_VERBS if by_trade else re.escape(next(iter(main_verb(question))))
    # (for an organisation, a name after "from" or "by" says who, whatever the verb: "a CE-marked AI tool from Lumina
    # Imaging" answers "Who makes ChestFlag?", "from the Emergency Department" does not; nor does "from the vendor
    # Veritas Voice" hide the name)
    by_name = r"|\b(?:from|by)\s+(?:the (?:vendor|supplier|company|manufacturer|firm) )?(?-i:[A-Z])" if maker else ""
    if by_trade:  # (and a row's label: "Vendor: Lumina Imaging")
        by_name += rf"|\b(?:{COMPANY})\s*(?::|\bis\b|\bwas\b)\s*(?-i:[A-Z])"
    # (and "when does X <verb>?" asks what X does as a rule: a schedule says it, "The monthly meeting is on the second
    # Tuesday of each month", where one record's "Next meeting: Tuesday 13 January 2026" does not)
    schedule = "" if maker else rf"|{FREQUENCY.pattern}"
    # (not as the sentence's first word, an instruction to the reader: "Meet your buddy - paired for your first three
    # months" says nothing of when the CoP meets)
    # (and a maker's verb in the passive names the maker only with "by": "DischargeDraft is built on an LLM" says
    # what it is made of)
    passive = r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbeen )(?<!\bbe )" if maker else ""
    return re.compile(rf"(?<!^){passive}\b(?:{stem})(?:e|s|es|ed|d|y|ies|ied)?\b{by_name}{schedule}", re.IGNORECASE)


# "When does the community meet?": after "when do/does" and its subject, the last word is the verb (or the one before
# a particle: "go live", "come out"); read without a parse, spaCy's load (0.6 s) is not spent on the commonest
# when-question, and "the pilot end", "registration open" (nouns to the tagger) keep their verb.
WHEN_DOES_SUBJECT_VERB = re.compile(
    r"^\W*when (?:do|does) (?:[\w'-]+ ){0,4}?(?P<verb>(?-i:[a-z]+))(?: (?:out|up|live|off|on|back|down|in|over|away))?\W*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=20_000)
def main_verb(question: str) -> frozenset[str]:
    """The question's main verb, as terms ("retrain"); empty when its root is no verb."""
    if (simple := WHEN_DOES_SUBJECT_VERB.match(question)) and len(question.split()) > 3:
        return content_terms(simple.group("verb"))
    root = next((token for token in annotate(question, NOUN_PHRASES) if token.dep_ == "ROOT"), None)
    if root is not None and root.lower_ in MODAL_VERBS:  # "How often do I need to renew ...": the verb is "renew"
        root = next((child for child in root.children if child.dep_ == "xcomp" and child.pos_ == "VERB"), None)
    return content_terms(root.text) if root is not None and root.pos_ == "VERB" else frozenset()


def _named_in(entity: str, question: str) -> bool:
    """The question already names it, in full or as the initials of its words ("EHR")."""
    words, initials = _words_and_initials(question)
    name = " ".join(re.findall(r"[a-z0-9]+", re.sub(r"^the\s+", "", entity.casefold().strip())))
    return name in words or name.replace(" ", "") in initials


@lru_cache(maxsize=1024)
def _words_and_initials(question: str) -> tuple[str, frozenset[str]]:
    """The question's words, and the initials of each run of two to six of them (asked once per
    candidate sentence's entity: a fifth of the time spent matching answer types)."""
    words = re.findall(r"[a-z]+", question.casefold())
    initials = frozenset(
        "".join(w[0] for w in words[i : j + 1]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 6))
    )
    return " ".join(words), initials
