"""Calibration: how far the scorer agrees with an organisation's trainers, per component, and where it does not.

Quadratic weighted kappa and the confusion matrix come from scikit-learn; exact and within-one agreement are
counted here. The scorer's level is the one stored on the attempt's newest scorecard (what the candidate saw).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coach.rubric import COMPONENTS, LEVELS
from coach.storage.records import AttemptRecord
from coach.storage.trainer_labels import LabelledAttempt

Levels = Mapping[str, int]


@dataclass(frozen=True)
class ComponentAgreement:
    component: str
    qwk: float | None  # None when kappa is undefined (one level only on both sides)
    exact: float
    within_one: float
    confusion: tuple[tuple[int, ...], ...]  # rows: the trainers' level 0-4, columns: the scorer's

    def as_dict(self) -> dict[str, Any]:
        return {
            "qwk": self.qwk,
            "exact": self.exact,
            "within_one": self.within_one,
            "confusion": [list(r) for r in self.confusion],
        }


@dataclass(frozen=True)
class Agreement:
    n: int
    components: tuple[ComponentAgreement, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "components": {c.component: c.as_dict() for c in self.components}}


@dataclass(frozen=True)
class Disagreement:
    attempt: AttemptRecord
    trainer: dict[str, int]
    scorer: dict[str, int]

    @property
    def distance(self) -> int:
        return sum(abs(self.trainer[c] - self.scorer[c]) for c in COMPONENTS)


@dataclass(frozen=True)
class Calibration:
    agreement: Agreement
    disagreements: tuple[Disagreement, ...]  # the largest distance first
    unscored: int  # labels whose attempt has no usable scorecard (left out)


def agreement(gold: Sequence[Levels], predicted: Sequence[Levels]) -> Agreement:
    """Per-component agreement of `predicted` with `gold` (the trainers' levels)."""
    # Imported here: scikit-learn's metrics bring SciPy, pandas and pyarrow (about 120 MB), and every practice
    # session imports this module through the organisation's scorer without computing any agreement.
    from sklearn.metrics import cohen_kappa_score, confusion_matrix

    components = []
    labels = list(LEVELS)
    for c in COMPONENTS:
        a = [int(g[c]) for g in gold]
        b = [int(p[c]) for p in predicted]
        if not a:
            components.append(ComponentAgreement(c, None, math.nan, math.nan, ()))
            continue
        qwk: float | None = float(cohen_kappa_score(a, b, labels=labels, weights="quadratic"))
        if qwk is not None and math.isnan(qwk):
            qwk = None
        diff = [abs(x - y) for x, y in zip(a, b, strict=True)]
        matrix = confusion_matrix(a, b, labels=labels)
        components.append(
            ComponentAgreement(
                c,
                None if qwk is None else round(qwk, 3),
                round(sum(d == 0 for d in diff) / len(diff), 3),
                round(sum(d <= 1 for d in diff) / len(diff), 3),
                tuple(tuple(int(v) for v in row) for row in matrix),
            )
        )
    return Agreement(len(gold), tuple(components))


def scorer_levels(attempt: AttemptRecord) -> dict[str, int] | None:
    """The levels of the attempt's newest scorecard, or None (not scored, or the scorer refused it)."""
    card = attempt.latest_scorecard
    if card is None or card.result.get("refused"):
        return None
    components = card.result.get("components") or {}
    try:
        return {c: int(components[c]["level"]) for c in COMPONENTS}
    except (KeyError, TypeError, ValueError):
        return None


def calibrate(labels: Sequence[LabelledAttempt], worst: int = 10) -> Calibration:
    """The scorer against every trainer label; the `worst` attempts where they disagree most."""
    gold, predicted, pairs = [], [], []
    unscored = 0
    for item in labels:
        levels = scorer_levels(item.attempt)
        if levels is None:
            unscored += 1
            continue
        gold.append(item.label.levels)
        predicted.append(levels)
        pairs.append(Disagreement(item.attempt, dict(item.label.levels), levels))
    ranked = sorted((p for p in pairs if p.distance > 0), key=lambda p: (-p.distance, p.attempt.id))
    return Calibration(agreement(gold, predicted), tuple(ranked[:worst]), unscored)
