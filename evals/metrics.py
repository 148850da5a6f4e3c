"""Retrieval and answer metrics, judged per document, with no LLM judge."""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Sequence

PUNCTUATION = frozenset(string.punctuation) | set("–—‘’“”…€£")


def hit_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    return float(any(d in gold for d in ranked[:k]))


def mrr_at(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    return next((1.0 / i for i, d in enumerate(ranked[:k], start=1) if d in gold), 0.0)


def ndcg_at(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(i + 1) for i, d in enumerate(ranked[:k], start=1) if d in gold)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(gold), k) + 1))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    return len(set(ranked[:k]) & gold) / len(gold) if gold else 0.0


def normalize(text: str) -> str:
    """SQuAD's answer normalization (lower case, no punctuation, no articles, single spaces), except that
    punctuation becomes a space, so "4.5 minutes" never matches "45 minutes"."""
    text = "".join(" " if ch in PUNCTUATION else ch for ch in text.lower())
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def contains_any(answer: str, golds: Sequence[str]) -> float:
    norm = normalize(answer)
    return float(any(normalize(g) and normalize(g) in norm for g in golds))


def token_f1(answer: str, golds: Sequence[str]) -> float:
    """Best token F1 of the answer against any gold answer."""
    best = 0.0
    predicted = normalize(answer).split()
    for gold in golds:
        expected = normalize(gold).split()
        common = sum((Counter(predicted) & Counter(expected)).values())
        if common:
            precision, recall = common / len(predicted), common / len(expected)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def dedupe(ranked: Sequence[str]) -> list[str]:
    """Document ranking from a chunk ranking: each document at its best chunk's rank."""
    return list(dict.fromkeys(ranked))


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]
