"""A linear model over named binary features: fitted once by a developer, shipped as JSON, scored by lookup.

Scoring is a sum of the weights of the features present, so it costs microseconds and needs nothing but the
JSON at run time; each feature's weight is also its share of the verdict, which is what lets an explanation
say which words carried it. The weights are naive Bayes log-count ratios (on a few thousand short posts they
generalised to new writers better than a logistic regression over the same features: docs/tone.md), scaled by
a logistic fit on held-out margins (Platt scaling) so that the probability means what it says.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LinearModel:
    weights: dict[str, float]
    bias: float
    threshold: float  # the probability from which a verdict is positive
    corroborated: float  # the lower one that suffices when an independent reader (the tone rules) agrees

    def margin(self, features: Iterable[str]) -> float:
        return self.bias + sum(self.weights.get(f, 0.0) for f in set(features))

    def probability(self, features: Iterable[str]) -> float:
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, self.margin(features)))))

    def scaled(self, slope: float, intercept: float, threshold: float, corroborated: float) -> LinearModel:
        """The model whose margin is `slope` times this one's + `intercept`, with these thresholds."""
        weights = {f: w * slope for f, w in self.weights.items()}
        return LinearModel(weights, self.bias * slope + intercept, threshold, corroborated)

    def save(self, path: Path, about: dict[str, object]) -> None:
        kept = {f: round(w, 4) for f, w in sorted(self.weights.items()) if abs(w) >= 1e-4}
        body = {
            "about": about,
            "threshold": round(self.threshold, 4),
            "corroborated": round(self.corroborated, 4),
            "bias": round(self.bias, 4),
        }
        path.write_text(json.dumps({**body, "weights": kept}, indent=0, ensure_ascii=False) + "\n", "utf-8")

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        data = json.loads(path.read_text("utf-8"))
        return cls(data["weights"], data["bias"], data["threshold"], data["corroborated"])


def fit(
    rows: Sequence[Iterable[str]], labels: Sequence[int], smoothing: float = 1.0, min_count: int = 2
) -> LinearModel:
    """Naive Bayes over feature presence: a feature seen in `min_count` rows or more weighs the log of how much
    likelier it is in a positive row than in a negative one (add-`smoothing`); the bias is the prior's."""
    positive, negative = Counter[str](), Counter[str]()
    for row, label in zip(rows, labels, strict=True):
        (positive if label else negative).update(set(row))
    n_pos = sum(1 for label in labels if label)
    n_neg = len(labels) - n_pos
    weights = {
        f: math.log((positive[f] + smoothing) / (n_pos + 2 * smoothing))
        - math.log((negative[f] + smoothing) / (n_neg + 2 * smoothing))
        for f in positive.keys() | negative.keys()
        if positive[f] + negative[f] >= min_count
    }
    return LinearModel(weights, math.log(max(n_pos, 1) / max(n_neg, 1)), 0.5, 0.5)


def platt(margins: Sequence[float], labels: Sequence[int], steps: int = 100) -> tuple[float, float]:
    """Slope and intercept of the logistic curve that best turns held-out `margins` into probabilities
    (Newton's method on the log loss, with Platt's smoothed targets)."""
    n_pos = sum(1 for label in labels if label)
    n_neg = len(labels) - n_pos
    hi, lo = (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2)
    targets = [hi if label else lo for label in labels]
    a, b = 0.0, 0.0
    for _ in range(steps):
        g_a = g_b = h_aa = h_ab = h_bb = 0.0
        for m, t in zip(margins, targets, strict=True):
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, a * m + b))))
            d, w = p - t, max(p * (1 - p), 1e-12)
            g_a, g_b = g_a + d * m, g_b + d
            h_aa, h_ab, h_bb = h_aa + w * m * m, h_ab + w * m, h_bb + w
        det = h_aa * h_bb - h_ab * h_ab
        if det <= 0:
            break
        a -= (h_bb * g_a - h_ab * g_b) / det
        b -= (h_aa * g_b - h_ab * g_a) / det
    return a, b
