"""Answer confidence: a logistic model over evidence features, calibrated on labelled data.

`evals/bench_answers.py --calibrate` fits it on SQuAD 2.0 questions (answerable ones
labelled by whether the composed answer contains a gold answer, unanswerable ones as 0)
plus off-topic HotpotQA questions as 0, then writes `calibration.json` beside this file
with the threshold that meets the answered/refused targets on the calibration split.
The benchmark then reports on the held-out split.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class ConfidenceModel:
    weights: dict[str, float]
    bias: float
    threshold: float

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> ConfidenceModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(weights=data["weights"], bias=data["bias"], threshold=data["threshold"])

    def confidence(self, features: dict[str, float]) -> float:
        z = self.bias + sum(w * features.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))

    def answers(self, confidence: float) -> bool:
        return confidence >= self.threshold
