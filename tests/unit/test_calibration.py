"""Calibration figures: kappa, exact and within-one agreement, confusion, and the worst disagreements."""

from __future__ import annotations

from datetime import UTC, datetime

from coach.practice.assignment_progress import progress_tables
from coach.practice.calibration import agreement, calibrate, scorer_levels
from coach.storage.assignments import AssignedItem, AssignmentView, ItemStatus
from coach.storage.records import AttemptRecord, ScorecardRecord
from coach.storage.trainer_labels import LabelledAttempt, TrainerLabel

NOW = datetime(2026, 3, 2, tzinfo=UTC)
C = ("describe", "acknowledge", "analyze", "learn", "apply")


def levels(*values: int) -> dict[str, int]:
    return dict(zip(C, values, strict=True))


def attempt(attempt_id: int, scored: dict[str, int] | None, refused: bool = False) -> AttemptRecord:
    cards = ()
    if scored is not None:
        result = {
            "refused": "injection" if refused else None,
            "components": {c: {"level": v} for c, v in scored.items()},
        }
        cards = (ScorecardRecord(1, "builtin-test", result, NOW),)
    return AttemptRecord(attempt_id, 1, 1, "q", "Q", "A", True, "scored", NOW, NOW, (), cards)


def labelled(
    attempt_id: int, trainer: dict[str, int], scorer: dict[str, int] | None, refused: bool = False
) -> LabelledAttempt:
    return LabelledAttempt(
        TrainerLabel(attempt_id, attempt_id, 7, trainer, (), NOW), attempt(attempt_id, scorer, refused)
    )


def test_agreement_matches_hand_counts() -> None:
    gold = [levels(4, 3, 2, 1, 0), levels(2, 2, 2, 2, 2), levels(0, 1, 2, 3, 4)]
    pred = [levels(4, 3, 2, 1, 0), levels(3, 2, 0, 2, 2), levels(0, 1, 2, 3, 1)]
    got = {c.component: c for c in agreement(gold, pred).components}
    assert got["describe"].exact == round(2 / 3, 3) and got["describe"].within_one == 1.0
    assert got["analyze"].within_one == round(2 / 3, 3)
    assert got["describe"].confusion[2][3] == 1  # trainer 2, scorer 3
    assert got["acknowledge"].qwk == 1.0  # perfect agreement
    assert got["apply"].qwk is not None and got["apply"].qwk < got["describe"].qwk  # type: ignore[operator]


def test_calibrate_ranks_disagreements_and_leaves_unscored_out() -> None:
    items = [
        labelled(1, levels(2, 2, 2, 2, 2), levels(2, 2, 2, 2, 2)),
        labelled(2, levels(4, 4, 4, 4, 4), levels(1, 1, 1, 1, 1)),
        labelled(3, levels(2, 2, 2, 2, 2), levels(3, 2, 2, 2, 2)),
        labelled(4, levels(2, 2, 2, 2, 2), None),
        labelled(5, levels(2, 2, 2, 2, 2), levels(0, 0, 0, 0, 0), refused=True),
    ]
    result = calibrate(items)
    assert result.agreement.n == 3 and result.unscored == 2
    assert [(d.attempt.id, d.distance) for d in result.disagreements] == [(2, 15), (3, 1)]
    assert scorer_levels(attempt(9, None)) is None


def test_progress_tables_per_candidate_and_per_question() -> None:
    view = AssignmentView(
        1, 1, "Spring", "Week 1", NOW.date(), NOW, (AssignedItem("a", "First?"), AssignedItem("b", "Second?"))
    )
    statuses = [
        ItemStatus(1, "ann@x.example", 1, "a", True, 60, 10),
        ItemStatus(1, "ann@x.example", 2, "b", False, None, None),
        ItemStatus(2, "bob@x.example", 1, "a", True, 80, 11),
        ItemStatus(2, "bob@x.example", 2, "b", True, None, 12),
    ]
    tables = progress_tables(view, statuses)
    assert tables.per_candidate == [
        {"candidate": "ann@x.example", "done": "1/2", "Q1: First?": "60", "Q2: Second?": "—"},
        {"candidate": "bob@x.example", "done": "2/2", "Q1: First?": "80", "Q2: Second?": "refused"},
    ]
    assert [(q["completed %"], q["average score"]) for q in tables.per_question] == [(100, 70), (50, None)]
