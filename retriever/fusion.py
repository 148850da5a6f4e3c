"""How BM25 and dense scores become one ranking, with the measurements that chose the constants.

Each retriever's scores for a question are normalised over its own top `depth` hits, then
added with a lexical share. The share moves per question with each retriever's own
confidence: the gap between its first and tenth score, relative to the first. BM25 is sure
of itself when one passage holds the question's words and the rest do not (questions written
from the text: SQuAD's median gap 0.59); keyword queries and questions in other words spread
its scores flat (DBpedia-entity 0.20), and there the dense retriever leads. A chunk one
retriever did not return gets that retriever's lowest normalised score.

Measured by `python -m peerassist.evals.bench_fusion` (2026-11-25, 2 cores, ONNX embeddings): 150
variants (lexical share 0.1-0.5, z-score or min-max, depth 10/30/100, adaptivity 0-12) scored
on the first half of each set's questions; the choice, `retrievers.FUSION` = share 0.2, z-score,
depth 30, adaptivity 4, on the second half (nDCG@10):

    set (held-out n)        bm25    dense   old fixed 0.5   chosen
    SQuAD (1611)            0.928   0.841   0.938           0.932
    DBpedia-entity (20)     0.462   0.617   0.578           0.606
    golden, sample KB (89)  0.734   0.741   0.807           0.813

The old fixed share lost 0.039 to dense retrieval on keyword queries; the chosen one loses 0.011
there (one query in that half of 20 moves the mean by 0.025 to 0.05) and keeps SQuAD above
BM25 alone. Min-max and z-score normalisation came within 0.001 of each other at the same
settings; depth 30 beat 100 and 10 (the best variant of each depth, by its worst margin on
either half: 30 -0.003, 100 -0.010, 10 -0.014). The best fixed share (0.2, depth 100) still
fell 0.017 below the better retriever on some set and half. With the halves swapped the choice is a fixed share of 0.4 (depth 100),
which loses 0.031 to dense on the other DBpedia half: DBpedia's 40 judged queries are too few
to choose finely, so the choice is the one made on the first half, like the calibration's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

Normalisation = Literal["z", "minmax"]
CONFIDENCE_RANK = 10  # a retriever's confidence compares its first score with this one


@dataclass(frozen=True)
class Fusion:
    lexical_weight: float = 0.5
    normalisation: Normalisation = "z"
    depth: int = 30
    # Log-odds the lexical share moves per unit of (BM25 confidence - dense confidence); 0 = fixed share.
    adaptive: float = 0.0

    def scores(self, lexical: Mapping[str, float], dense: Mapping[str, float]) -> dict[str, float]:
        """Fused score per chunk id, from each retriever's raw scores (either may be empty)."""
        lexical_norm, dense_norm = self._normalise(lexical), self._normalise(dense)
        share = self.lexical_share(lexical, dense)
        lexical_floor = min(lexical_norm.values(), default=0.0)
        dense_floor = min(dense_norm.values(), default=0.0)
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
        if not self.adaptive:
            return self.lexical_weight
        base = math.log(self.lexical_weight / (1.0 - self.lexical_weight))
        shift = self.adaptive * (confidence(lexical.values()) - confidence(dense.values()))
        return 1.0 / (1.0 + math.exp(-(base + shift)))

    def _normalise(self, scores: Mapping[str, float]) -> dict[str, float]:
        if not scores:
            return {}
        values = np.fromiter(scores.values(), dtype=np.float64)
        if self.normalisation == "minmax":
            low, spread = values.min(), values.max() - values.min()
        else:
            low, spread = values.mean(), values.std()
        return dict(zip(scores, (values - low) / (spread or 1.0), strict=True))


def confidence(scores: Iterable[float]) -> float:
    """(first - tenth) / first of a retriever's scores, best first (0 without a positive first)."""
    values = np.sort(np.fromiter(scores, dtype=np.float64))[::-1]
    if values.size < 2 or values[0] <= 0:
        return 0.0
    return float((values[0] - values[min(CONFIDENCE_RANK, values.size) - 1]) / values[0])
