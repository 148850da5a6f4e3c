"""Fusion against its parts: each retriever wins half the questions; hybrid must not lose either half.

The scores have the shapes the two retrievers give on real questions (evals/bench_fusion.py):
a question written from the text gets one BM25 score far above the rest while the dense
scores crowd together; a question in other words gets flat BM25 scores and a clear dense
winner.
"""

from __future__ import annotations

import numpy as np
import pytest

from peerassist.evals.metrics import ndcg_at
from peerassist.retriever.fusion import Fusion, agreement, confidence, rank_fused
from peerassist.store import SearchHit
from peerassist.retriever.retrievers import FUSION

CHUNKS = [f"c{i}" for i in range(30)]


def question(rng: np.random.Generator, gold: str, lexical_wins: bool) -> tuple[dict[str, float], dict[str, float]]:
    """(BM25 scores, dense scores) for one question; the winning retriever ranks `gold` first."""
    flat_bm25 = rng.uniform(3.0, 4.0, len(CHUNKS))
    flat_dense = rng.uniform(0.50, 0.56, len(CHUNKS))
    bm25 = dict(zip(CHUNKS, flat_bm25 * (0.4 if lexical_wins else 1.0), strict=True))
    dense = dict(zip(CHUNKS, flat_dense * (0.8 if not lexical_wins else 1.0), strict=True))
    decoy = CHUNKS[(CHUNKS.index(gold) + 7) % len(CHUNKS)]  # the losing retriever's favourite
    if lexical_wins:
        bm25[gold] = 11.0
        dense[decoy] = 0.58
        dense[gold] = 0.40
    else:  # a passage sharing the question's words (not its meaning) leads BM25
        dense[gold] = 0.60
        bm25[decoy] = 7.0
        bm25[gold] = 2.9
    return bm25, dense


def ranked(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=scores.__getitem__, reverse=True)


@pytest.mark.parametrize("fusion", [FUSION], ids=["shipped"])
def test_fusion_is_never_below_the_better_retriever_when_each_wins_half(fusion: Fusion) -> None:
    rng = np.random.default_rng(7)
    cases = [(gold, i % 2 == 0, *question(rng, gold, i % 2 == 0)) for i, gold in enumerate(CHUNKS[:20])]
    ndcg = {"bm25": [], "dense": [], "hybrid": []}
    for gold, _, bm25, dense in cases:
        ndcg["bm25"].append(ndcg_at(ranked(bm25), {gold}))
        ndcg["dense"].append(ndcg_at(ranked(dense), {gold}))
        ndcg["hybrid"].append(ndcg_at(ranked(fusion.scores(bm25, dense)), {gold}))
    means = {name: float(np.mean(values)) for name, values in ndcg.items()}
    assert means["bm25"] < 0.8 and means["dense"] < 0.8, "each retriever must lose half the questions"
    assert means["hybrid"] >= max(means["bm25"], means["dense"]) - 0.005, means
    lexical_wins = [score for (_, lexical, _, _), score in zip(cases, ndcg["hybrid"], strict=True) if lexical]
    assert np.mean(lexical_wins) == 1.0, "where BM25 is sure and right and dense is flat, hybrid follows BM25"


def test_a_fixed_equal_share_loses_to_dense_on_questions_in_other_words() -> None:
    """Why the share adapts: the old fixed half-and-half let a BM25 decoy outvote a clear dense winner."""
    rng = np.random.default_rng(3)
    dense_wins = [question(rng, gold, lexical_wins=False) + (gold,) for gold in CHUNKS[:10]]
    fixed = Fusion(lexical_weight=0.5, adaptive=0.0)
    adaptive = np.mean([ndcg_at(ranked(FUSION.scores(b, d)), {g}) for b, d, g in dense_wins])
    assert adaptive > np.mean([ndcg_at(ranked(fixed.scores(b, d)), {g}) for b, d, g in dense_wins]) + 0.1


def test_the_share_follows_each_retrievers_confidence_and_handles_empty_lists() -> None:
    sure, flat = {"a": 10.0, **{f"x{i}": 2.0 for i in range(9)}}, {f"y{i}": 0.5 + i / 1000 for i in range(10)}
    assert confidence(sure.values()) == pytest.approx(0.8) and confidence(flat.values()) < 0.02
    assert FUSION.lexical_share(sure, flat) > FUSION.lexical_weight > FUSION.lexical_share(flat, sure)
    assert FUSION.lexical_share({}, flat) == 0.0 and FUSION.lexical_share(sure, {}) == 1.0
    assert ranked(FUSION.scores(sure, {}))[0] == "a" and FUSION.scores({}, {}) == {}


def test_the_share_moves_toward_dense_as_the_two_rankings_disagree() -> None:
    """Keyword queries (DBpedia-entity) where BM25's first ten share little with dense's: fusing at the
    usual share ranked below both retrievers; the less they agree, the more dense leads."""
    lexical = {f"c{i}": 10.0 - i for i in range(10)}
    scores = [0.9 - i / 100 for i in range(10)]  # the same confidence in every dense ranking below
    same = dict(zip(lexical, scores, strict=True))
    half = dict(zip([*list(lexical)[:5], *(f"d{i}" for i in range(5))], scores, strict=True))
    other = dict(zip((f"d{i}" for i in range(10)), scores, strict=True))
    assert [agreement(lexical, dense) for dense in (same, half, other)] == [1.0, 0.5, 0.0]
    shares = [FUSION.lexical_share(lexical, dense) for dense in (same, half, other)]
    assert shares[0] > shares[1] > shares[2]
    assert Fusion(0.5, adaptive=1.0).lexical_share(lexical, other) == Fusion(0.5, adaptive=1.0).lexical_share(lexical, same)


def test_a_word_only_a_few_passages_hold_is_not_outvoted_by_a_clueless_dense_ranking() -> None:
    """BM25 returns only the chunks holding a query word: two hits for "Is there a newsletter?" mean the other
    28 chunks the dense retriever ranked score 0 for BM25, not as much as its second hit. Counted so, BM25 is
    sure of itself and its two hits lead; counted as a list of two, they were normalised to +1 and -1, BM25
    looked unsure, and the dense retriever's flat ranking of unrelated chunks won."""
    dense = {f"c{i}": 0.34 - i / 1000 for i in range(30)}  # flat: no idea
    lexical = {"n1": 2.6, "n2": 1.77}  # the only chunks holding the word
    assert ranked(FUSION.scores(lexical, dense))[:2] == ["n1", "n2"]
    assert FUSION.lexical_share(lexical, dense) > FUSION.lexical_weight


def _hits(*ids: str) -> list[SearchHit]:
    return [SearchHit(chunk_id, chunk_id, {}, 1.0 / rank) for rank, chunk_id in enumerate(ids, start=1)]


def test_rank_fusion_lifts_what_both_rankings_find() -> None:
    """A chunk second for the whole question and first for the sentence that asks overtakes one the whole
    question alone put first; one only the second ranking found joins low; the first ranking's hits are kept."""
    first, second = _hits("a", "b", "c", "d"), _hits("b", "e")
    fused = rank_fused(first, second, second_weight=0.3)
    assert [h.chunk_id for h in fused] == ["b", "a", "c", "d"]  # as long as the first ranking
    assert fused[0] is first[1]
    assert [h.chunk_id for h in rank_fused(first, second, second_weight=0.0)] == ["a", "b", "c", "d"]
    assert "e" in [h.chunk_id for h in rank_fused(_hits("a", "b", "c", "d", "f", "g", "h"), second, second_weight=1.0)]
