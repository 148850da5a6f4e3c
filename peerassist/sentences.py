"""Passages cut into sentences, and sentence vectors kept for reuse.

Answers are built from whole sentences, so each claim can carry the one citation it came from.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from peerassist.text import ends_with_abbreviation
from peerassist.text import LIST_MARKER as BULLET
from peerassist.embeddings import EmbeddingModel
from peerassist.nlp import SENTENCES, annotate, annotate_many

# Text addressed to an AI rather than to readers: never a community fact, never quoted. What a text puts in
# quotation marks it mentions, it does not say: "Prompt injection is an attack in which a document contains
# hidden instructions, such as "ignore your previous instructions"." defines the attack.
QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
INSTRUCTION_TO_AI = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|prompts?|rules)\b"
    r"|\b(system prompt|you are now|as an ai|jailbreak)\b",
    re.IGNORECASE,
)
MIN_WORDS = 4
SHORT_OPENER_WORDS = 3
# Where a sentence may end: closing punctuation, then any closing quotes or brackets. spaCy also breaks after
# a bracketed acronym ("... the AI Oversight Committee (AIOC) | Stage 2 submission."), which cut the tail off.
ENDS_A_SENTENCE = re.compile(r"[.!?…:;][\"”’')\]]*$")
# A run of rule characters: a separator line, or one the parser glued into a paragraph.
RULER = re.compile(r"[-=_~*#─━]{4,}")
MINOR_WORDS = frozenset("a an and as at by for from in of on or the to with".split())


# Lines already split, from the saved lexical index of the live chunks (see `remember_splits`):
# a process that answers from a saved index need not load spaCy for the passages it quotes.
_known_splits: dict[str, tuple[str, ...]] = {}


@lru_cache(maxsize=20_000)
def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of a passage: lines first (lists and table rows), then spaCy's sentence splitter."""
    return tuple(sentence for line in passage_lines(text) for sentence in _split_line(line))


def passage_lines(text: str) -> list[str]:
    """The non-empty lines of a passage, list markers removed: the units sentences never cross."""
    return [line for line in (BULLET.sub("", block).strip() for block in re.split(r"\n+", text)) if line]


def _split_line(line: str) -> tuple[str, ...]:
    known = _known_splits.get(line)
    return known if known is not None else _sentences_of(line, annotate(line, SENTENCES))


def _sentences_of(line: str, doc: Any) -> tuple[str, ...]:
    """The line's sentences from spaCy's sentence spans in `doc`."""
    sentences: list[str] = []
    start = 0
    for span in doc.sents:
        # A short opener ("No.", "Yes, please.") belongs to the sentence after it: it is the answer; and a
        # break spaCy finds where no punctuation ends a sentence, or after an abbreviation ("reception (ext. 4410) a
        # year ahead"), is none.
        piece = line[start : span.end_char].strip()
        if span.end_char < len(line) and (
            len(piece.split()) < SHORT_OPENER_WORDS or not ENDS_A_SENTENCE.search(piece) or ends_with_abbreviation(piece)
        ):
            continue
        if piece:
            sentences.append(piece)
        start = span.end_char
    return tuple(sentences)


def line_splits(texts: Sequence[str], known: Mapping[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Every line of the texts with its sentences: what `remember_splits` takes back. Lines in
    `known` (a saved index's splits) keep theirs; the rest are split in one batch."""
    known = known or {}
    lines = list(dict.fromkeys(line for text in texts for line in passage_lines(text)))
    new = [line for line in lines if line not in known]
    found = dict(zip(new, map(_sentences_of, new, annotate_many(new, SENTENCES)), strict=True))
    return {line: list(known[line]) if line in known else list(found[line]) for line in lines}


def remember_splits(splits: dict[str, list[str]]) -> None:
    """Splitting is a function of the line alone, so splits saved with any index are valid here."""
    _known_splits.update((line, tuple(sentences)) for line, sentences in splits.items())


def as_sentence(text: str) -> str:
    """The text with closing punctuation, so sentences joined with markers still read as sentences (a list item's own
    ";" or "," gives way: "only 14% of alerts turned out to be sepsis;" is quoted as a sentence of its own)."""
    text = text.strip().rstrip(";,").rstrip()
    return text if text[-1:] in ".!?:…" else f"{text}."


def is_quotable(sentence: str) -> bool:
    """A statement (not a question, a fragment, a title line, a separator or an instruction aimed at an assistant)."""
    return (
        len(sentence.split()) >= MIN_WORDS
        and not sentence.rstrip().endswith("?")
        and not is_junk(sentence)
        and not looks_like_heading(sentence)
    )


def is_junk(text: str) -> bool:
    """Never quoted, not even as a list item: separator rules, all-capitals banners, text aimed at an AI."""
    letters = [ch for ch in text if ch.isalpha()]
    return (
        bool(RULER.search(text))
        or not letters
        or (len(letters) >= 4 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8)
        or bool(INSTRUCTION_TO_AI.search(QUOTED.sub('""', text)))
    )


def looks_like_heading(text: str) -> bool:
    """A title line inside a chunk ("Sepsis Early Warning — scale-up approved"): names a topic, states nothing."""
    text = text.strip()
    if text[-1:] in ".!?;:" or ":" in text:
        return False
    words = [w for w in text.split()[1:] if any(ch.isalpha() for ch in w) and w.lower() not in MINOR_WORDS]
    capitalised = sum(1 for w in words if w.lstrip("(\"'“")[:1].isupper())
    return (" — " in text and len(text.split()) <= 8) or (bool(words) and capitalised / len(words) >= 0.75)


# Vectors of the live passages' sentences and headings, from the saved lexical index, per model
# and backend (see `remember_vectors`): the first question about a passage embeds only itself.
_known_vectors: dict[tuple[str, str], dict[str, np.ndarray]] = {}


def remember_vectors(model: EmbeddingModel, texts: Sequence[str], vectors: np.ndarray) -> None:
    _known_vectors.setdefault((model.model_id, model.backend), {}).update(zip(texts, vectors, strict=True))


class SentenceVectors:
    """Embeddings of sentences: the saved ones, else kept (bounded) so each is embedded once per process."""

    def __init__(self, model: EmbeddingModel, capacity: int = 50_000) -> None:
        self.model = model
        self.capacity = capacity
        self._known = _known_vectors.setdefault((model.model_id, model.backend), {})
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.model.dimensions), dtype=np.float32)
        vectors = {t: v for t in texts if (v := self._known.get(t)) is not None}
        rest = [t for t in dict.fromkeys(texts) if t not in vectors]
        if rest:
            vectors.update(zip(rest, self._cached(rest), strict=True))
        return np.vstack([vectors[t] for t in texts])

    def _cached(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in texts if t not in self._cache]
        if missing:
            vectors = self.model.embed(missing)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = vector
                while len(self._cache) > self.capacity:
                    self._cache.popitem(last=False)
        with self._lock:
            found = [self._cache.get(t) for t in texts]
        if any(v is None for v in found):  # evicted by a concurrent caller meanwhile
            return self.model.embed(texts)
        return np.vstack(found)
