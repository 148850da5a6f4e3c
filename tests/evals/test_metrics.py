"""Metrics against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from peerassist.evals.metrics import (
    contains_any,
    dedupe,
    hit_at,
    mrr_at,
    ndcg_at,
    percentile,
    recall_at,
    token_f1,
)


def test_ranking_metrics_by_hand() -> None:
    ranked = ["x", "g1", "y", "g2"]
    gold = {"g1", "g2"}
    assert hit_at(ranked, gold, 1) == 0.0 and hit_at(ranked, gold, 2) == 1.0
    assert mrr_at(ranked, gold) == 0.5
    # DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert ndcg_at(ranked, gold) == pytest.approx(expected)
    assert recall_at(ranked, gold, 2) == 0.5
    assert mrr_at(["a", "b"], {"z"}) == 0.0 and ndcg_at([], {"z"}) == 0.0


def test_answer_metrics_normalise_like_squad() -> None:
    assert contains_any("It was built in 1889, by Eiffel.", ["the 1889"]) == 1.0
    assert contains_any("It was built later.", ["1889"]) == 0.0
    # predicted tokens: built in 1889 (3); gold: in 1889 (2); common 2 -> P 2/3, R 1 -> F1 0.8
    assert token_f1("Built in 1889", ["in 1889", "nope"]) == pytest.approx(0.8)


def test_dedupe_and_percentile() -> None:
    assert dedupe(["a", "b", "a", "c"]) == ["a", "b", "c"]
    assert percentile([5, 1, 3, 2, 4], 50) == 3 and percentile([5, 1, 3, 2, 4], 95) == 5
