"""Passages cut into sentences, and sentence vectors kept for reuse.

Answers are built from whole sentences, so each claim can carry the one citation it came from.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ingest.chunking import LIST_MARKER as BULLET
from peerassist.embeddings import EmbeddingModel
from peerassist.nlp import SENTENCES, annotate

# Text addressed to an AI rather than to readers: never a community fact, never quoted.
INSTRUCTION_TO_AI = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|prompts?|rules)\b"
    r"|\b(system prompt|you are now|as an ai|jailbreak)\b",
    re.IGNORECASE,
)
MIN_WORDS = 4
SHORT_OPENER_WORDS = 3
# A run of rule characters: a separator line, or one the parser glued into a paragraph.
RULER = re.compile(r"[-=_~*#─━]{4,}")
MINOR_WORDS = frozenset("a an and as at by for from in of on or the to with".split())


@lru_cache(maxsize=20_000)
def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of a passage: lines first (lists and table rows), then spaCy's sentence splitter."""
    sentences: list[str] = []
    for block in re.split(r"\n+", text):
        block = BULLET.sub("", block).strip()
        if not block:
            continue
        doc = annotate(block, SENTENCES)
        start = 0
        for span in doc.sents:
            # A short opener ("No.", "Yes, please.") belongs to the sentence after it: it is the answer.
            if len(block[start : span.end_char].split()) < SHORT_OPENER_WORDS and span.end_char < len(block):
                continue
            if block[start : span.end_char].strip():
                sentences.append(block[start : span.end_char].strip())
            start = span.end_char
    return tuple(sentences)


def as_sentence(text: str) -> str:
    """The text with closing punctuation, so sentences joined with markers still read as sentences."""
    text = text.strip()
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
        or bool(INSTRUCTION_TO_AI.search(text))
    )


def looks_like_heading(text: str) -> bool:
    """A title line inside a chunk ("Sepsis Early Warning — scale-up approved"): names a topic, states nothing."""
    text = text.strip()
    if text[-1:] in ".!?;:" or ":" in text:
        return False
    words = [w for w in text.split()[1:] if any(ch.isalpha() for ch in w) and w.lower() not in MINOR_WORDS]
    capitalised = sum(1 for w in words if w.lstrip("(\"'“")[:1].isupper())
    return (" — " in text and len(text.split()) <= 8) or (bool(words) and capitalised / len(words) >= 0.75)


class SentenceVectors:
    """Embeddings of sentences, kept (bounded) so a passage is embedded once per process."""

    def __init__(self, model: EmbeddingModel, capacity: int = 50_000) -> None:
        self.model = model
        self.capacity = capacity
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
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
            return self.model.embed(list(texts))
        return np.vstack(found) if found else np.zeros((0, self.model.dimensions), dtype=np.float32)
