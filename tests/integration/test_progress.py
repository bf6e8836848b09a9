"""History over a real SQLite database: filters by question and date, chart series, and the exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from coach.practice.export import CSV_COLUMNS, attempts_csv, attempts_json
from coach.practice.progress import History, answered_questions, date_window, load_history
from coach.practice.workflow import TURNS_KEY
from coach.storage.permissions import Actor
from coach.storage.store import Storage
from tests.integration.conftest import Clock, stored_card_dict

PASSWORD = "practice-makes-perfect"


@pytest.fixture
def actor(storage: Storage) -> Actor:
    storage.accounts.create_user_from_shell("Acme", "cand@acme.example", "candidate", PASSWORD)
    return storage.accounts.sign_in("cand@acme.example", PASSWORD).actor


@pytest.fixture
def history(storage: Storage, actor: Actor, clock: Clock) -> Storage:
    """Four attempts over three days: two at the main question (one with a follow-up), a refusal, an unscored one."""
    t = storage.transcripts

    def attempt(question: str, answer: str, card: dict[str, object] | None) -> int:
        attempt_id = t.save_attempt(
            actor, question_id=question, question_text=f"Text of {question}", answer=answer
        )
        if card is not None:
            t.record_scorecard(actor, attempt_id, card, "builtin-test")
        clock.now += timedelta(days=1)
        return attempt_id

    first = attempt("failed-campaign", "=SUM(A1) first answer", stored_card_dict(1, 1, 2, 1, 1))
    t.add_turn(actor, first, "What did the data show?", "Sign-ups were 40% short.")
    t.record_scorecard(actor, first, {**stored_card_dict(2, 2, 3, 1, 1), TURNS_KEY: 1}, "builtin-test")
    attempt("missed-targets", "x", stored_card_dict(0, 0, 0, 0, 0, refused="too short"))
    attempt("failed-campaign", "second answer,\nwith a comma", stored_card_dict(3, 3, 3, 2, 4))
    attempt("missed-targets", "never scored", None)
    return storage


def test_all_attempts_newest_first_with_their_newest_scorecard(history: Storage, actor: Actor) -> None:
    found = load_history(history.transcripts, actor)
    assert [e.number for e in found.entries] == [4, 3, 2, 1]
    assert [e.attempt.answer for e in found.entries] == [
        "never scored",
        "second answer,\nwith a comma",
        "x",
        "=SUM(A1) first answer",
    ]
    assert found.entries[0].card is None
    assert (
        found.entries[3].card is not None and found.entries[3].card.levels["analyze"] == 3
    )  # after the follow-up
    # The question as asked, not its id (issue 16.7).
    assert found.entries[3].label.startswith("#1 · 02 Mar 2026, 09:00 · Text of failed-campaign · 45/100")
    assert found.entries[0].label.endswith("· not scored yet")
    assert found.entries[2].label.endswith("· refused")
    assert answered_questions(history.transcripts, actor) == {
        "failed-campaign": "Text of failed-campaign",
        "missed-targets": "Text of missed-targets",
    }


def test_series_leave_out_refusals_and_unscored_attempts(history: Storage, actor: Actor) -> None:
    found = load_history(history.transcripts, actor)
    assert found.overall_series() == [{"attempt": 1, "overall": 45}, {"attempt": 3, "overall": 75}]
    levels = found.level_series()
    assert len(levels) == 10
    assert {"attempt": 3, "component": "Apply", "level": 4} in levels


def test_filters_by_question_and_by_whole_days(history: Storage, actor: Actor) -> None:
    by_question = load_history(history.transcripts, actor, question_id="failed-campaign")
    assert [e.attempt.answer[:6] for e in by_question.entries] == ["second", "=SUM(A"]
    one_day = load_history(history.transcripts, actor, start=date(2026, 3, 3), end=date(2026, 3, 3))
    assert [e.attempt.answer for e in one_day.entries] == ["x"]
    from_third = load_history(history.transcripts, actor, start=date(2026, 3, 4))
    assert [e.attempt.answer for e in from_third.entries] == ["never scored", "second answer,\nwith a comma"]
    assert load_history(history.transcripts, actor, end=date(2026, 3, 1)).entries == ()
    assert date_window(None, None) == (None, None)
    assert date_window(date(2026, 3, 3), date(2026, 3, 3)) == (
        datetime(2026, 3, 3, tzinfo=UTC),
        datetime(2026, 3, 4, tzinfo=UTC),
    )


def test_other_candidates_attempts_are_never_in_the_history(history: Storage, actor: Actor) -> None:
    history.accounts.create_user_from_shell("Acme", "other@acme.example", "candidate", PASSWORD)
    other = history.accounts.sign_in("other@acme.example", PASSWORD).actor
    assert load_history(history.transcripts, other).entries == ()
    assert answered_questions(history.transcripts, other) == {}


def _history(storage: Storage, actor: Actor) -> History:
    return load_history(storage.transcripts, actor)


def test_json_export_has_every_turn_and_scorecard(history: Storage, actor: Actor) -> None:
    exported = json.loads(attempts_json(_history(history, actor).entries))
    assert exported["format"] == "coach-attempts/1"
    first = exported["attempts"][-1]
    assert first["answer"] == "=SUM(A1) first answer"
    assert first["turns"][0]["answer"] == "Sign-ups were 40% short."
    assert [s["result"]["overall"] for s in first["scorecards"]] == [30, 45]


def test_csv_export_one_row_per_attempt_and_no_formulas(history: Storage, actor: Actor) -> None:
    rows = list(csv.DictReader(io.StringIO(attempts_csv(_history(history, actor).entries))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["attempt_id"] for r in rows] == ["4", "3", "2", "1"]
    first = rows[-1]
    assert first["answer"] == "'=SUM(A1) first answer"  # a spreadsheet shows it, never runs it
    assert (first["overall"], first["analyze"], first["flags"], first["follow_ups"]) == (
        "45",
        "3",
        "no_metrics",
        "1",
    )
    assert "Interviewer: What did the data show?\nCandidate: Sign-ups were 40% short." in first["transcript"]
    assert rows[2]["overall"] == "0" and rows[0]["overall"] == "" and rows[0]["status"] == "unscored"
    assert rows[1]["answer"] == "second answer,\nwith a comma"
