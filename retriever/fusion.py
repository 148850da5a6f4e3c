"""How BM25 and dense scores become one ranking, with the measurements that chose the constants.

Each retriever's scores for a question are normalised over its own top `depth` hits, then
added with a lexical share. The share moves per question with two signals:
- each retriever's own confidence: the gap between its first and tenth score, relative to the
  first. BM25 is sure of itself when one passage holds the question's words and the rest do not
  (questions written from the text: SQuAD's median gap 0.59); keyword queries and questions in
  other words spread its scores flat (DBpedia-entity 0.20), and there the dense retriever leads;
- how much the two agree: the share of their first ten chunks they have in common. When they
  disagree, averaging two unrelated rankings put chunks that are middling in both above each
  one's best (DBpedia's "YMCA Tampa": BM25 0.40, dense 0.36, fused 0.28), so the share moves
  toward dense, the retriever that holds up on questions not written from the text.
A chunk one retriever did not return gets that retriever's lowest normalised score, except where BM25
returned fewer chunks than the dense retriever: the rest hold no query word and score 0 (`_unmatched`).

Measured by `python -m peerassist.evals.bench_fusion` (2026-12-06, 2 cores, ONNX embeddings): 288
variants (z-score; lexical share 0.1-0.8, depth 10/30/100, confidence 0-12, disagreement 0-6)
scored on the first half of each set's questions; the choice, `retrievers.FUSION` = share 0.8,
depth 30, confidence 12, disagreement 6, on the second half (nDCG@10):

    set (held-out n)        bm25    dense   old fixed 0.5   confidence only   chosen
    SQuAD (1611)            0.928   0.838   0.937           0.928             0.935
    DBpedia-entity (20)     0.462   0.617   0.578           0.606             0.631
    golden, sample KB (89)  0.734   0.745   0.817           0.813             0.814

It is the first choice above the better single retriever on every set (worst margin +0.006; the
confidence-only share 0.2 chosen on 2026-11-25 lost 0.011 to dense on DBpedia, the old fixed
share 0.039). With the halves swapped the choice is share 0.5, depth 100, confidence 12,
disagreement 4, which loses 0.008 to dense on the other DBpedia half (confidence only: 0.031
there); the shipped choice scores +0.001 on that half. DBpedia's 40 judged queries are too few to
choose finely (one query moves a half's mean by 0.025 to 0.05), so the choice is the one made on
the first half, like the calibration's. Min-max normalisation came within 0.001 of z-score at the
same settings (2026-11-25) and is no longer in the grid.

The complete alternative, scoring every candidate with both retrievers instead of giving a
missing chunk the floor, and reciprocal-rank fusion (k 5-60) were measured on the same halves
and lost to the floor on DBpedia (worst margins -0.015 and -0.024).

Counting BM25's unmatched chunks as 0 (2026-12-06, evening) changed no held-out figure by more than 0.001
(second half: SQuAD 0.9346, DBpedia 0.6310, golden 0.8132; first half: worst margin +0.0009) and no
golden answer; of 121 member questions tried by hand, one changed: "Is there a newsletter?" (two chunks
say "newsletter") went from refused to "You receive CoP Pulse, the monthly newsletter.". The grid's
first-half choice moved to share 0.6, confidence 8, disagreement 4, which does worse on the held-out half
(worst margin +0.0034 against +0.0063): the constants stay.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from peerassist.store import SearchHit

Normalisation = Literal["z", "minmax"]
CONFIDENCE_RANK = 10  # a retriever's confidence compares its first score with this one
RANK_OFFSET = 10  # rank_fused: how little the first few ranks differ (reciprocal-rank fusion's k)
AGREEMENT_RANK = 10  # how far down the two rankings are compared for agreement


@dataclass(frozen=True)
class Fusion:
    lexical_weight: float = 0.5
    normalisation: Normalisation = "z"
    depth: int = 30
    # Log-odds the lexical share moves per unit of (BM25 confidence - dense confidence); 0 = fixed share.
    adaptive: float = 0.0
    # Log-odds the share moves toward dense per unit of disagreement (1 - agreement of the first ten).
    disagreement: float = 0.0

    def scores(self, lexical: Mapping[str, float], dense: Mapping[str, float]) -> dict[str, float]:
        """Fused score per chunk id, from each retriever's raw scores (either may be empty)."""
        unmatched = _unmatched(lexical, dense)
        lexical_norm, lexical_floor = self._normalise(lexical, unmatched)
        dense_norm, dense_floor = self._normalise(dense)
        share = self.lexical_share(lexical, dense)
        return {
            chunk_id: share * lexical_norm.get(chunk_id, lexical_floor)
            + (1.0 - share) * dense_norm.get(chunk_id, dense_floor)
            for chunk_id in {**lexical, **dense}
        }

    def lexical_share(self, lexical: Mapping[str, float], dense: Mapping[str, float]) -> float:
        if not lexical:
            return 0.0
        if not dense:
            return 1.0
        if not self.adaptive and not self.disagreement:
            return self.lexical_weight
        base = math.log(self.lexical_weight / (1.0 - self.lexical_weight))
        lexical_scores = [*lexical.values(), *([0.0] * _unmatched(lexical, dense))]
        shift = self.adaptive * (confidence(lexical_scores) - confidence(dense.values()))
        shift -= self.disagreement * (1.0 - agreement(lexical, dense))
        return 1.0 / (1.0 + math.exp(-(base + shift)))

    def _normalise(self, scores: Mapping[str, float], zeros: int = 0) -> tuple[dict[str, float], float]:
        """Each chunk's normalised score, and the floor a chunk the retriever did not return gets: its lowest
        normalised score, or that of a score of 0 when `zeros` chunks it did not return score 0."""
        if not scores:
            return {}, 0.0
        values = np.fromiter(scores.values(), dtype=np.float64)
        padded = np.concatenate([values, np.zeros(zeros)])
        if self.normalisation == "minmax":
            low, spread = padded.min(), padded.max() - padded.min()
        else:
            low, spread = padded.mean(), padded.std()
        normalised = (values - low) / (spread or 1.0)
        floor = (0.0 - low) / (spread or 1.0) if zeros else float(normalised.min())
        return dict(zip(scores, normalised, strict=True)), floor


def _unmatched(lexical: Mapping[str, float], dense: Mapping[str, float]) -> int:
    """How many of the chunks the dense retriever ranked BM25 scored 0: BM25 returns only the chunks holding a
    query word, so a list shorter than the dense one means the rest hold none. Without counting them, "Is there
    a newsletter?" (two chunks say "newsletter") had its two BM25 hits normalised as +1 and -1, BM25's
    confidence read as low and the fusion followed the dense retriever, which had no idea (meeting notes at
    0.34): the answer was refused."""
    if not lexical or len(lexical) >= len(dense):
        return 0  # none, or BM25 may have more to give than it was asked for
    return sum(1 for chunk_id in dense if chunk_id not in lexical)


def confidence(scores: Iterable[float]) -> float:
    """(first - tenth) / first of a retriever's scores, best first (0 without a positive first)."""
    values = np.sort(np.fromiter(scores, dtype=np.float64))[::-1]
    if values.size < 2 or values[0] <= 0:
        return 0.0
    return float((values[0] - values[min(CONFIDENCE_RANK, values.size) - 1]) / values[0])


def agreement(lexical: Mapping[str, float], dense: Mapping[str, float]) -> float:
    """Share of the first `AGREEMENT_RANK` chunks the two retrievers have in common."""
    def first(scores: Mapping[str, float]) -> set[str]:
        return set(sorted(scores, key=scores.__getitem__, reverse=True)[:AGREEMENT_RANK])

    return len(first(lexical) & first(dense)) / AGREEMENT_RANK


def rank_fused(first: list[SearchHit], second: list[SearchHit], second_weight: float, offset: int = RANK_OFFSET) -> list[SearchHit]:
    """Two rankings of the same question in other words, merged by weighted reciprocal rank: a chunk scores
    1 / (offset + rank) in the first plus `second_weight` / (offset + rank) in the second. A chunk in both
    keeps the first's hit; the result is as long as the first."""
    scores: dict[str, float] = {}
    hits: dict[str, SearchHit] = {}
    for weight, ranking in ((1.0, first), (second_weight, second)):
        for rank, hit in enumerate(ranking, start=1):
            scores[hit.chunk_id] = scores.get(hit.chunk_id, 0.0) + weight / (offset + rank)
            hits.setdefault(hit.chunk_id, hit)
    return [hits[chunk_id] for chunk_id in sorted(scores, key=scores.__getitem__, reverse=True)[: len(first)]]
