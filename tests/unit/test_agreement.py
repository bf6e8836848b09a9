"""Agreement figures on fixed data, checked against scikit-learn, the krippendorff package and published values.

The arrays handed to the libraries here are written out by hand from the ratings below, not built by the code
under test: a wrong pairing (a review matched to another attempt's coach card, a pair counted twice, a month
mixed up) changes the figures and fails the comparison.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from coach.review.agreement import (
    ALL,
    COACH,
    Rated,
    Rating,
    agreement,
    krippendorff_alpha,
    pair_agreement,
)
from coach.rubric import COMPONENTS

MARCH, APRIL = datetime(2026, 3, 10, tzinfo=UTC), datetime(2026, 4, 2, tzinfo=UTC)


def _levels(*values: int) -> dict[str, int]:
    return dict(zip(COMPONENTS, values, strict=True))


# Four attempts, three reviewers (ann, bob, cy); the coach scored all but attempt 4.
RATED = [
    Rated(1, _levels(3, 2, 2, 1, 0), (
        Rating("ann@x", _levels(3, 3, 2, 1, 1), MARCH),
        Rating("bob@x", _levels(2, 2, 1, 1, 0), MARCH),
    )),
    Rated(2, _levels(4, 4, 3, 3, 2), (
        Rating("ann@x", _levels(4, 3, 3, 2, 2), MARCH),
        Rating("cy@x", _levels(2, 2, 1, 1, 0), APRIL),
    )),
    Rated(3, _levels(1, 1, 0, 0, 0), (Rating("bob@x", _levels(2, 1, 1, 0, 0), APRIL),)),
    Rated(4, None, (
        Rating("ann@x", _levels(1, 2, 3, 4, 0), APRIL),
        Rating("bob@x", _levels(1, 2, 2, 4, 1), APRIL),
        Rating("cy@x", _levels(0, 1, 3, 3, 0), APRIL),
    )),
    Rated(5, _levels(2, 2, 2, 2, 2), ()),  # not reviewed: counts for nothing
]  # fmt: skip


def _qwk(a: list[int], b: list[int]) -> float:
    return float(cohen_kappa_score(a, b, weights="quadratic", labels=[0, 1, 2, 3, 4]))


def test_coach_against_reviewers_per_component_matches_sklearn() -> None:
    found = agreement(RATED)
    assert (found.attempts, found.reviews) == (4, 8)
    # "analyze": coach vs each review of a scored attempt, in order: 1 ann, 1 bob, 2 ann, 2 cy, 3 bob.
    coach = [2, 2, 3, 3, 0]
    reviewers = [2, 1, 3, 1, 1]
    analyze = found.scope("analyze").coach_vs_reviewers
    assert analyze.n == 5
    assert analyze.kappa == pytest.approx(_qwk(coach, reviewers))
    assert analyze.exact == pytest.approx(2 / 5)  # 2=2, 3=3
    assert analyze.within_one == pytest.approx(4 / 5)  # only 3 vs 1 is two apart


def test_reviewer_against_reviewer_counts_each_pair_once() -> None:
    found = agreement(RATED)
    # "describe": attempt 1 (ann, bob), attempt 2 (ann, cy), attempt 4 (ann, bob), (ann, cy), (bob, cy).
    first = [3, 4, 1, 1, 1]
    second = [2, 2, 1, 0, 0]
    describe = found.scope("describe").between_reviewers
    assert describe.n == 5
    assert describe.kappa == pytest.approx(_qwk(first, second))
    assert describe.exact == pytest.approx(1 / 5)
    assert describe.within_one == pytest.approx(4 / 5)


def test_all_components_pool_every_pair() -> None:
    pooled = agreement(RATED).scope(ALL).coach_vs_reviewers
    coach = [3, 2, 2, 1, 0] * 2 + [4, 4, 3, 3, 2] * 2 + [1, 1, 0, 0, 0]
    # attempt 1: ann, bob; attempt 2: ann, cy; attempt 3: bob
    reviewers = [*[3, 3, 2, 1, 1], *[2, 2, 1, 1, 0], *[4, 3, 3, 2, 2], *[2, 2, 1, 1, 0], *[2, 1, 1, 0, 0]]
    assert pooled.n == 25
    assert pooled.kappa == pytest.approx(_qwk(coach, reviewers))


def test_alpha_over_every_rater_matches_the_krippendorff_package() -> None:
    found = agreement(RATED)
    nan = np.nan
    # "learn": raters (ann, bob, coach, cy) x attempts 1-4.
    matrix = [
        [1, 2, nan, 4],
        [1, nan, 0, 4],
        [1, 3, 0, nan],
        [nan, 1, nan, 3],
    ]
    expected = krippendorff.alpha(
        reliability_data=matrix, level_of_measurement="interval", value_domain=[0, 1, 2, 3, 4]
    )
    assert found.scope("learn").alpha == pytest.approx(expected)


def test_alpha_reproduces_krippendorffs_published_interval_example() -> None:
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units, values 1-5,
    alpha(interval) = 0.849. Shifted to 0-4 here (interval alpha does not move under a shift)."""
    observers = {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    }
    units = [
        {name: float(values[j] - 1) for name, values in observers.items() if values[j] is not None}
        for j in range(12)
    ]
    assert krippendorff_alpha(units) == pytest.approx(0.849, abs=5e-4)


def test_months_split_the_pairs_by_when_the_reviews_were_given() -> None:
    found = agreement(RATED)
    assert [m.month for m in found.months] == ["2026-03", "2026-04"]
    march, april = (next(s for s in m.scopes if s.scope == "describe") for m in found.months)
    # March: coach vs ann and bob on attempt 1, ann on attempt 2; the ann-bob pair of attempt 1.
    assert march.coach_vs_reviewers.n == 3 and march.between_reviewers.n == 1
    assert march.coach_vs_reviewers.kappa == pytest.approx(_qwk([3, 3, 4], [3, 2, 4]))
    # April: cy on 2 and bob on 3; the ann-cy pair of attempt 2 (cy came later) and attempt 4's three pairs.
    assert april.coach_vs_reviewers.n == 2 and april.between_reviewers.n == 4
    rows = found.month_rows("describe")
    assert {r["month"] for r in rows} == {"2026-03", "2026-04"}
    assert all(not math.isnan(r["value"]) for r in rows)


def test_each_reviewers_lean_against_the_coach_and_the_others() -> None:
    leans = {lean.reviewer: lean for lean in agreement(RATED).reviewers}
    assert list(leans) == ["ann@x", "bob@x", "cy@x"]
    cy = leans["cy@x"]
    assert cy.reviews == 2
    # cy on attempt 2 against the coach: (2-4) + (2-4) + (1-3) + (1-3) + (0-2) = -10 over 5 components.
    assert cy.gap_to_coach[ALL] == pytest.approx(-2.0)
    assert cy.gap_to_coach["describe"] == pytest.approx(-2.0)
    # cy against the others: attempt 2 vs ann; attempt 4 vs the mean of ann and bob.
    describe_gaps = [2 - 4, 0 - 1]
    assert cy.gap_to_others["describe"] == pytest.approx(sum(describe_gaps) / 2)
    assert cy.vs_coach.kappa == pytest.approx(_qwk([4, 4, 3, 3, 2], [2, 2, 1, 1, 0]))
    assert leans["bob@x"].gap_to_coach["describe"] == pytest.approx(((2 - 3) + (2 - 1)) / 2)


def test_undefined_figures_are_none_not_a_number() -> None:
    same = pair_agreement([2, 2, 2], [2, 2, 2])
    assert same.kappa is None and same.exact == 1.0 and same.within_one == 1.0
    assert pair_agreement([], []) == pair_agreement([], [])
    assert pair_agreement([], []).kappa is None and pair_agreement([], []).n == 0
    assert krippendorff_alpha([{"a": 1.0}, {"b": 2.0}]) is None  # no unit has two ratings
    assert krippendorff_alpha([{"a": 2.0, "b": 2.0}, {"a": 2.0, COACH: 2.0}]) is None  # all the same
    only_coach = agreement([Rated(1, _levels(1, 1, 1, 1, 1), ())])
    assert only_coach.attempts == 0 and only_coach.months == () and only_coach.reviewers == ()
    with pytest.raises(ValueError):
        pair_agreement([1, 2], [1])
