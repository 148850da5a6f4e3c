"""Follow-up questions made to stand alone, so retrieval sees what the asker means.

"And who leads it?" after "What is the sepsis pilot?" becomes "who leads the sepsis pilot?".
Offline this is rule-based: find the previous question's topic (its main noun phrase) and
put it where the follow-up points back with a pronoun, or append it to an elliptic question.
"""

from __future__ import annotations

import re

from peerassist.nlp import POINTERS, POSSESSIVE, noun_phrases

LEADING_CONNECTIVE = re.compile(r"^\s*(and|but|also|so|then|ok(ay)?|thanks)\b[\s,]*", re.IGNORECASE)
WHAT_ABOUT = re.compile(r"^\s*(what|how)\s+about\s+(?P<topic>.+?)\s*\??\s*$", re.IGNORECASE)
# "When do I need one?" after "What is a DPIA?": a closing "one" stands for the topic (elsewhere it may count:
# "How long did one audit take?").
ONE_POINTER = re.compile(r"\bone(?=\s*[?.!]*\s*$)", re.IGNORECASE)
POINTER = re.compile(r"\b(" + "|".join(sorted(POINTERS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
# A noun phrase the question asks with: "What tier", "Which ward".
ASKS_WITH = re.compile(r"^(?:what|which|whose)\b", re.IGNORECASE)
# A name written with capitals after the question's first word ("BrigidGPT", "AI Literacy Week"), for a question whose
# parse finds no noun phrase: the tagger reads "What is BrigidGPT?" as an adjective after "is".
CAPITALISED_NAME = re.compile(r"(?<=\s)[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*")


def topic_of(question: str) -> str | None:
    """The main noun phrase of a question: the longest one (or, where the parse finds none, its longest name), and
    not the one it asks with ("What tier is ScribeAssist?" is about ScribeAssist, not "What tier")."""
    candidates = noun_phrases(question) or tuple(m.group() for m in CAPITALISED_NAME.finditer(question.strip()))
    return next(iter(sorted(_by_length(candidates), key=lambda phrase: bool(ASKS_WITH.match(phrase)))), None)


def _by_length(phrases: tuple[str, ...]) -> list[str]:
    return sorted(phrases, key=lambda c: len(c.split()), reverse=True)


def _as_named(phrase: str) -> str:
    """A noun phrase as a statement names it: "What threshold" -> "the threshold"."""
    return ASKS_WITH.sub("the", phrase)


def is_follow_up(question: str) -> bool:
    words = re.findall(r"[\w']+", question.lower())
    return (
        bool(LEADING_CONNECTIVE.match(question) or WHAT_ABOUT.match(question))
        or any(w in POINTERS for w in words)
        or bool(ONE_POINTER.search(question))
        or len(words) <= 3
        # ("Do I need to register?" after "When is AI Literacy Week?": nothing of its own to be about)
        or not noun_phrases(question)
    )


def condense(question: str, previous: str) -> str:
    """The follow-up rewritten with the previous question's topic; a self-contained question is left as is."""
    if not is_follow_up(question):
        return question
    about = WHAT_ABOUT.match(question)
    if about:
        old = topic_of(previous)
        new = about.group("topic")
        return previous.replace(old, new, 1) if old else f"{previous} {new}"
    topic = topic_of(previous)
    if not topic:
        return question
    rest = LEADING_CONNECTIVE.sub("", question).strip()
    # A second pointer stands for the previous question's other thing: "Why did they change it?" after "What
    # threshold did the sepsis pilot end up with?" is why the sepsis pilot changed the threshold.
    topics = iter([topic, *(_as_named(phrase) for phrase in _by_length(noun_phrases(previous)) if phrase != topic)][:2])
    # ("What does that tier need?": "that" before a noun points with it, the noun phrase "that tier"; no pronoun)
    pointing = {phrase.split()[0].casefold() for phrase in noun_phrases(rest) if len(phrase.split()) > 1} & DEMONSTRATIVES
    pointers = [m for m in POINTER.finditer(rest) if m.group(1).casefold() not in pointing][:2]
    replaced = rest
    for found, meant in reversed(list(zip(pointers, topics, strict=False))):
        replaced = f"{replaced[: found.start()]}{_topic_for(found.group(1), meant)}{replaced[found.end() :]}"
    count = len(pointers)
    if not count:
        replaced, count = ONE_POINTER.subn(topic, rest, count=1)
    standalone = replaced if count else f"{rest.rstrip('?').strip()} ({topic})?"
    return standalone[:1].upper() + standalone[1:]


def with_topic(question: str, previous: str) -> str | None:
    """The question with the previous question's topic after it, for a follow-up that leaves the topic unsaid
    ("What happens to the recordings?" after "What is ScribeAssist?"); None when there is no topic, or the question
    names it already."""
    topic = topic_of(previous)
    if not topic or topic.casefold() in question.casefold():
        return None
    return f"{question.rstrip().rstrip('?').strip()} ({topic})?"


def _topic_for(pointer: str, topic: str) -> str:
    return f"{topic}'s" if pointer.lower() in POSSESSIVE else topic
