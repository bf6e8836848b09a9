"""How far the hiring team agrees: with the coach, reviewer with reviewer, over time, and each reviewer's lean.

Quadratic weighted kappa comes from scikit-learn and Krippendorff's alpha (interval: levels are equally spaced,
and the squared distance matches the kappa's quadratic weights) from the `krippendorff` package; this module
decides which ratings meet which. A figure that cannot be computed (no pairs, or every rating the same, where
both statistics divide by zero) is None, never a made-up 0 or 1.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from statistics import fmean
from typing import Any

import krippendorff
import numpy as np

from coach.rubric import COMPONENTS, LEVELS

ALL = "all"  # the five components pooled
SCOPES: tuple[str, ...] = (*COMPONENTS, ALL)
COACH = "the coach"


@dataclass(frozen=True)
class Rating:
    """One reviewer's levels for one attempt, as they stand now."""

    rater: str  # the reviewer's email; a deleted account's reviews each count as a rater of their own
    levels: Mapping[str, int]
    at: datetime


@dataclass(frozen=True)
class Rated:
    """An attempt's ratings: the coach's current levels (None while unscored or refused) and the reviews."""

    attempt_id: int
    coach: Mapping[str, int] | None
    reviews: tuple[Rating, ...]


@dataclass(frozen=True)
class PairAgreement:
    n: int  # rating pairs (attempt x component)
    kappa: float | None  # quadratic weighted
    exact: float | None  # share of pairs with the same level
    within_one: float | None  # share of pairs at most one level apart


@dataclass(frozen=True)
class ScopeAgreement:
    scope: str  # a rubric component, or ALL
    coach_vs_reviewers: PairAgreement
    between_reviewers: PairAgreement
    alpha: float | None  # Krippendorff's, every rater (the coach included) over every attempt


@dataclass(frozen=True)
class ReviewerLean:
    """Positive: the reviewer gives higher levels than the coach (or than the others); negative: harsher."""

    reviewer: str
    reviews: int
    vs_coach: PairAgreement  # the five components pooled
    gap_to_coach: dict[str, float | None]  # mean (reviewer - coach) in levels, per scope
    gap_to_others: dict[str, float | None]  # mean (reviewer - the other reviewers' mean), per scope


@dataclass(frozen=True)
class MonthAgreement:
    month: str  # "2026-03"
    scopes: tuple[ScopeAgreement, ...]


@dataclass(frozen=True)
class Agreement:
    attempts: int  # attempts with at least one review
    reviews: int
    scopes: tuple[ScopeAgreement, ...]
    months: tuple[MonthAgreement, ...]
    reviewers: tuple[ReviewerLean, ...]

    def scope(self, name: str) -> ScopeAgreement:
        return next(s for s in self.scopes if s.scope == name)

    def month_rows(self, scope: str = ALL) -> list[dict[str, Any]]:
        """Long form for a chart: one row per month and measure that could be computed."""
        rows = []
        for month in self.months:
            found = next(s for s in month.scopes if s.scope == scope)
            for measure, value, n in (
                ("kappa, coach vs reviewers", found.coach_vs_reviewers.kappa, found.coach_vs_reviewers.n),
                ("kappa, reviewer vs reviewer", found.between_reviewers.kappa, found.between_reviewers.n),
                ("Krippendorff's alpha", found.alpha, None),
            ):
                if value is not None:
                    rows.append({"month": month.month, "measure": measure, "value": value, "pairs": n})
        return rows


def _quiet(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def pair_agreement(a: Sequence[int], b: Sequence[int]) -> PairAgreement:
    """Two raters' levels for the same things, in the same order."""
    # Imported here: its import costs about 120 MB (see coach/practice/calibration.py).
    from sklearn.metrics import cohen_kappa_score

    if len(a) != len(b):
        raise ValueError("both raters need a level for the same items")
    if not a:
        return PairAgreement(0, None, None, None)
    first, second = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undefined kappa is reported as None below
        kappa = cohen_kappa_score(
            first, second, weights="quadratic", labels=list(LEVELS), replace_undefined_by=np.nan
        )
    gaps = np.abs(first - second)
    return PairAgreement(len(a), _quiet(kappa), float(np.mean(gaps == 0)), float(np.mean(gaps <= 1)))


def krippendorff_alpha(units: Sequence[Mapping[str, float]]) -> float | None:
    """Interval alpha over units, each a mapping rater -> level; a rater missing from a unit is missing data."""
    raters = sorted({r for unit in units for r in unit})
    if len(raters) < 2:
        return None
    row = {rater: i for i, rater in enumerate(raters)}
    matrix = np.full((len(raters), len(units)), np.nan)
    for j, unit in enumerate(units):
        for rater, level in unit.items():
            matrix[row[rater], j] = level
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 0/0 when every rating is the same: None below
            value = krippendorff.alpha(
                reliability_data=matrix, value_domain=list(LEVELS), level_of_measurement="interval"
            )
    except ValueError:  # no unit has two ratings
        return None
    return _quiet(float(value))


def _levels(levels: Mapping[str, int], scope: str) -> list[tuple[str, int]]:
    """(component, level) pairs in scope: one component, or all five for ALL."""
    return [(c, levels[c]) for c in (COMPONENTS if scope == ALL else (scope,))]


@dataclass
class _Collected:
    """One scope's ratings as they meet, each tagged with the month it counts in (see `agreement`)."""

    coach: list[tuple[str, int, int]]  # (month, coach's level, reviewer's level)
    peers: list[tuple[str, int, int]]  # (month, one reviewer's level, another's)
    units: list[tuple[str, dict[str, float]]]  # (month, rater -> level) for alpha


def _collect(rated: Sequence[Rated], scope: str) -> _Collected:
    found = _Collected([], [], [])
    components = COMPONENTS if scope == ALL else (scope,)
    for item in rated:
        for review in item.reviews:
            if item.coach is not None:
                found.coach += [(_month(review.at), item.coach[c], review.levels[c]) for c in components]
        for first, second in combinations(sorted(item.reviews, key=lambda r: r.rater), 2):
            month = _month(max(first.at, second.at))
            found.peers += [(month, first.levels[c], second.levels[c]) for c in components]
        if item.reviews:
            month = _month(max(r.at for r in item.reviews))
            for c in components:
                unit: dict[str, float] = {r.rater: r.levels[c] for r in item.reviews}
                if item.coach is not None:
                    unit[COACH] = item.coach[c]
                found.units.append((month, unit))
    return found


def _figures(scope: str, found: _Collected) -> ScopeAgreement:
    def pairs(rows: list[tuple[str, int, int]]) -> PairAgreement:
        return pair_agreement([a for _, a, _ in rows], [b for _, _, b in rows])

    return ScopeAgreement(
        scope, pairs(found.coach), pairs(found.peers), krippendorff_alpha([u for _, u in found.units])
    )


def _by_month(found: _Collected) -> dict[str, _Collected]:
    months: dict[str, _Collected] = defaultdict(lambda: _Collected([], [], []))
    for row in found.coach:
        months[row[0]].coach.append(row)
    for row in found.peers:
        months[row[0]].peers.append(row)
    for unit in found.units:
        months[unit[0]].units.append(unit)
    return months


def _month(at: datetime) -> str:
    return f"{at.year:04d}-{at.month:02d}"  # called per rating: plain ints, not strftime


def _mean(values: Iterable[float]) -> float | None:
    found = list(values)
    return fmean(found) if found else None


def _lean(rated: Sequence[Rated], reviewer: str) -> ReviewerLean:
    to_coach: dict[str, list[float]] = defaultdict(list)
    to_others: dict[str, list[float]] = defaultdict(list)
    mine_all: list[int] = []
    coach_all: list[int] = []
    count = 0
    for item in rated:
        mine = next((r for r in item.reviews if r.rater == reviewer), None)
        if mine is None:
            continue
        count += 1
        others = [r for r in item.reviews if r.rater != reviewer]
        for c in COMPONENTS:
            if item.coach is not None:
                to_coach[c].append(mine.levels[c] - item.coach[c])
                to_coach[ALL].append(mine.levels[c] - item.coach[c])
                mine_all.append(mine.levels[c])
                coach_all.append(item.coach[c])
            if others:
                gap = mine.levels[c] - fmean(r.levels[c] for r in others)
                to_others[c].append(gap)
                to_others[ALL].append(gap)
    return ReviewerLean(
        reviewer,
        count,
        pair_agreement(coach_all, mine_all),
        {s: _mean(to_coach[s]) for s in SCOPES},
        {s: _mean(to_others[s]) for s in SCOPES},
    )


def agreement(rated: Sequence[Rated]) -> Agreement:
    """Every figure the Agreement page shows, over the attempts given (those with no review count for nothing).

    By month: a coach-vs-reviewer pair counts in the month of the review, a reviewer-vs-reviewer pair in the
    month of the later of the two reviews, and an attempt's alpha unit in the month of its latest review.
    """
    reviewed = [r for r in rated if r.reviews]
    collected = {s: _collect(reviewed, s) for s in SCOPES}
    monthly = {s: _by_month(collected[s]) for s in SCOPES}
    months = sorted({_month(review.at) for item in reviewed for review in item.reviews})
    reviewers = sorted({review.rater for item in reviewed for review in item.reviews})
    return Agreement(
        attempts=len(reviewed),
        reviews=sum(len(r.reviews) for r in reviewed),
        scopes=tuple(_figures(s, collected[s]) for s in SCOPES),
        months=tuple(MonthAgreement(m, tuple(_figures(s, monthly[s][m]) for s in SCOPES)) for m in months),
        reviewers=tuple(_lean(reviewed, name) for name in reviewers),
    )
