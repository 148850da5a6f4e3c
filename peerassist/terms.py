"""Terms of a text: the one tokenizer that BM25, term overlap and every feature's word matching share.

Lower-cased, stop-word-free, stemmed (PyStemmer, through bm25s's tokenizer); `content_terms`
also drops the words that only say what kind of answer is wanted.
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

from peerassist.imports import import_without

if TYPE_CHECKING:
    import Stemmer

# What members type to a chat box that asks nothing of the documents: greetings, thanks, a test, "who are you?".
SMALL_TALK = re.compile(
    r"^\W*(?:(?:hi|hiya|hello|hey|good (?:morning|afternoon|evening)|thanks?|thank you|many thanks|cheers|ok(?:ay)?|"
    r"test(?:ing)?|bye|goodbye|help|(?:can|could) you help(?: me)?|who are you|what (?:are|can) you(?: do)?|"
    r"are you (?:a bot|a robot|human|there))(?: (?:there|again|all|everyone|very much|so much|a lot))?\W*)+$",
    re.IGNORECASE,
)
# Words that say what kind of answer is wanted, not what it is about.
QUESTION_WORDS = frozenset("what which who whom whose when where why how does did do is are was were can could".split())
# ... and the hedges members wrap a question in ("I think one of our tools might have a security hole", "down for
# a couple of hours"): on a small corpus these words are rare, so as terms they outweighed "security". ("What did
# Luther think of ...?" keeps its "think"; nor asking leave, "is it OK to ...?", "is that fine?": "fine", a word no
# document uses, outweighed "screenshot" in "Is it fine to share a screenshot of the EHR ...?".)
HEDGES = re.compile(
    r"\b(?:i|we)\s+(?:think|guess|suppose|wonder|reckon)\b|\ba\s+couple\s+of\b"
    r"|\b(?:it|that|this)\s+(?:ok|okay|fine|alright)\b"
    r"|\b(?:might|maybe|perhaps|actually|really|just|quite|please)\b",
    re.IGNORECASE,
)
# ... and so the measure after "how": "How often does the CoP meet?" asks about meeting; "often" is the kind of
# answer ("monthly"), and weighed as a rare word the answer lacks, it made the right answer look like a miss.
HOW_MEASURE = re.compile(r"\b(how)\s+(?:often|long|soon|frequently)\b", re.IGNORECASE)
# ... and so "role" in "What is Gráinne O'Sullivan's role?": the answer names the role ("Data Protection Officer").
WHOSE_ROLE = re.compile(r"(['’]s)\s+(?:role|job)\b", re.IGNORECASE)
# ... and "behind" in "Who's the vendor behind ChestFlag?": who is responsible for it; as a word no document uses, it
# made the answer naming the vendor look like a miss (0.13; "the vendor of ChestFlag", 0.80).
WHO_IS_BEHIND = re.compile(r"\b(company|vendor|supplier|firm|team|people|person|brains)\s+behind\b", re.IGNORECASE)
# ... and the company asked for: "Which company makes ChestFlag?" is answered by "ChestFlag is a CE-marked AI tool
# from Lumina Imaging", with no word "company" (0.12, refused). (Not "who is the vendor of X?": there "vendor" is
# what the answer is, and "ScribeAssist, from the vendor Veritas Voice" says it.)
COMPANY = r"compan(?:y|ies)|vendors?|suppliers?|firms?|manufacturers?"
ASKED_COMPANY = re.compile(rf"\b(which)\s+(?:{COMPANY})\b", re.IGNORECASE)
# ... and the asking for a reason, and who is heard saying what is asked about ("People keep saying \"don't
# generate what you can retrieve\". What's the reasoning behind that?"): as rare words the answer lacks, "reasoning"
# and "behind" made the lesson that explains the saying look like a miss.
FRAMING = re.compile(
    r"\b(?:reasons?|reasoning|rationale|thinking|logic)\s+(?:behind|for)\b"
    # ("What does the charter say about vendors?", "according to the guide"; not "Can patients say no?")
    r"|\b(?:says?|said|mentions?|mentioned)\s+(?:about|on|regarding)\b|\baccording\s+to\b"
    r"|\b(?:people|everyone|everybody|they|colleagues)\s+(?:(?:keep|always|often|sometimes)\s+)?"
    r"(?:say(?:s|ing)?|said|tell(?:s|ing)?\s+me|told\s+me)\b",
    re.IGNORECASE,
)


# A negation written short ("doesn't", "isn't", "won't") as the words it stands for: the tokenizer keeps "doesn" and
# "isn" as terms no document uses, and "What doesn't the CoP do?" looked 85% unknown.
CONTRACTED_NOT = re.compile(r"\b(\w+?)n['’]t\b", re.IGNORECASE)
IRREGULAR_NOT = {"wo": "will", "ca": "can", "sha": "shall"}
# ... and so an auxiliary written short ("I've", "we're", "they'll"): "ve" was a term no document uses in "I've noticed
# the AI-drafted discharge letters sometimes get the dose wrong" ("'d", "'m" and "'s" are one letter, no term).
CONTRACTED_AUXILIARY = re.compile(r"(?<=\w)['’](?:ve|re|ll)\b", re.IGNORECASE)


def _spelled_out(match: re.Match[str]) -> str:
    verb = match.group(1)
    return f"{IRREGULAR_NOT.get(verb.lower(), verb)} not"


# Question words as members type them to a chat box: "wat is automation bias" asks what it is.
CHAT_SPELLINGS = {
    "wat": "what", "wht": "what", "whats": "what's", "wats": "what's", "whos": "who's", "wen": "when", "hw": "how",
    "hows": "how's", "wich": "which", "wheres": "where's", "whens": "when's",
}
CHAT_SPELLING = re.compile(r"\b(?:" + "|".join(CHAT_SPELLINGS) + r")\b", re.IGNORECASE)


def with_question_words(question: str) -> str:
    """The question with its chat spellings of question words written out ("wat" -> "what")."""
    return CHAT_SPELLING.sub(lambda m: CHAT_SPELLINGS[m.group().lower()], question)


def bm25s_module() -> ModuleType:
    """bm25s scores with its numpy backend; its import-time probe for numba costs 0.14 s (see `imports`).

    Its per-index debug line is kept out of members' terminals when a library sets up debug logging.
    """
    module = import_without("bm25s", optional=("numba",))
    logging.getLogger("bm25s").setLevel(logging.INFO)
    return module


@cache
def stop_words() -> frozenset[str]:
    """The function words BM25 drops ("to", "the", "in")."""
    bm25s_module()
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


@cache
def _stemmer() -> Stemmer.Stemmer:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, stemmed word tokens: the one tokenizer BM25 and term overlap share."""
    return bm25s_module().tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)


@cache
def _stemmed_question_words() -> frozenset[str]:
    return frozenset(_stemmer().stemWords(sorted(QUESTION_WORDS)))


@lru_cache(maxsize=50_000)
def content_terms(text: str) -> frozenset[str]:
    """The words that say what a text is about: tokens without question words or hedges.

    Cached: every question re-reads the sentences of the passages it retrieves.
    """
    text = CONTRACTED_AUXILIARY.sub("", CONTRACTED_NOT.sub(_spelled_out, text))
    text = ASKED_COMPANY.sub(r"\1", WHO_IS_BEHIND.sub(r"\1", text))
    text = FRAMING.sub(" ", HEDGES.sub(" ", WHOSE_ROLE.sub(r"\1", HOW_MEASURE.sub(r"\1", text))))
    return frozenset(tokenize([text])[0]) - _stemmed_question_words()


def is_small_talk(text: str) -> bool:
    """"hi", "thanks!", "test": said to a chat box, asking nothing (unlike "When?" after a question)."""
    return bool(SMALL_TALK.match(text))


def asks_nothing(question: str) -> bool:
    """Small talk, or no word about anything ("what is it?"): no document can answer it, and no facilitator
    should write one for it."""
    return is_small_talk(question) or not content_terms(question)
