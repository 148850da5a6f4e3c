"""How BM25 and dense scores become one ranking, with the measurements that chose the constants.

Each retriever's scores for a question are normalised over its own top `depth` hits, then
added with a lexical share. The share may move per question with each retriever's own
confidence: how far its best hit stands above the rest (the z-score of its first score).
A chunk one retriever did not return gets that retriever's lowest normalised score.

Chosen by `python -m evals.bench_fusion` (fitted on one half of each set's questions, reported
on the other; see the table in that module's docstring).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

Normalisation = Literal["z", "minmax"]


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


def confidence(scores: object) -> float:
    """How far the best score stands above the others, in standard deviations (0 for fewer than 2)."""
    values = np.fromiter(scores, dtype=np.float64)  # type: ignore[call-overload]
    if values.size < 2 or not values.std():
        return 0.0
    return float((values.max() - values.mean()) / values.std())
