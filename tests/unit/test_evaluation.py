"""Agreement metrics match their textbook definitions (checked against scikit-learn and scipy)."""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score

from coach.rubric import overall as overall_of
from coach.scoring.evaluation import agreement_report, quadratic_weighted_kappa, spearman


def test_qwk_matches_scikit_learn() -> None:
    rng = np.random.default_rng(0)
    a = rng.integers(0, 5, 200)
    b = np.clip(a + rng.integers(-1, 2, 200), 0, 4)
    assert abs(quadratic_weighted_kappa(a, b) - cohen_kappa_score(a, b, weights="quadratic")) < 1e-9


def test_spearman_matches_scipy_with_ties() -> None:
    a = [1, 2, 2, 3, 5, 5, 7]
    b = [2, 1, 3, 3, 6, 4, 9]
    assert abs(spearman(a, b) - spearmanr(a, b).statistic) < 1e-9


def test_overall_is_mean_level_times_25() -> None:
    assert overall_of({"describe": 4, "acknowledge": 3, "analyze": 3, "learn": 2, "apply": 1}) == 65


def test_report_counts_flag_precision_and_recall() -> None:
    gold = [dict.fromkeys(("describe", "acknowledge", "analyze", "learn", "apply"), 2)] * 3
    report = agreement_report(gold, gold, [{"blame"}, set(), {"blame"}], [{"blame"}, {"blame"}, set()])
    assert report["components"]["learn"]["exact"] == 1.0
    assert report["flags"]["blame"] == {"support": 2, "precision": 0.5, "recall": 0.5}
