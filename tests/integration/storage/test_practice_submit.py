"""The submit path runs one way through the store: a bounded number of SQL statements, on both backends.

Statements are counted with a SQLAlchemy event listener on the engine, so every round trip counts (reads,
writes, the audit rows, SQLite's BEGIN); the bound must hold however many attempts came before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from coach.practice.workflow import Practice, make_practice
from coach.retrieval.corpus import Question
from coach.rubric import COMPONENTS
from coach.scorecard import ComponentScore, Scorecard, refused_card
from coach.storage.store import Storage
from tests.integration.storage.conftest import MakeUser, ManualClock

QUESTION = Question("failed-campaign", "Explain a digital marketing campaign you led that failed.")
# Save (authorise, the organisation's sharing default, insert, drop the draft, audit), record the card
# (authorise, the attempt, update, insert, audit), one query for the previous attempt's card (each transaction authorises
# the actor afresh): 12, and on
# SQLite a BEGIN for each of the three transactions. Before the one-way path a submit took 29 on SQLite
# with no earlier attempt, 36 with one, and 7 more for each earlier attempt whose card was a refusal.
SUBMIT_BOUND = 16


class Steady:
    """A scorer whose every level is one up each time it is asked (0 after 4); it refuses "Refuse..." answers."""

    version = "steady-1"

    def __init__(self) -> None:
        self.calls = 0

    def score(self, answer: str, *, question: str | None = None) -> Scorecard:
        level = self.calls % 5
        self.calls += 1
        if answer.startswith("Refuse"):
            return refused_card("Too short.", self.version)
        return Scorecard(
            overall=level * 25,
            components={c: ComponentScore(level, (answer[:20],), "Coaching.") for c in COMPONENTS},
            follow_up="What did the data show?",
            scorer=self.version,
        )


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split())[:120])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _practice(storage: Storage) -> Practice:
    scorer = Steady()
    return make_practice(storage.transcripts, lambda: scorer)


def test_a_submit_takes_a_few_statements_however_many_attempts_came_before(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    cand = make_user("Acme", "cand@acme.example", "candidate")
    practice = _practice(storage)
    counts, outcome, ids = [], None, []
    for n in range(7):
        # Each answer retries the one before; the last retries the fourth, past two refusals.
        answer = f"{'Refuse' if n in (4, 5) else 'Answer'} number {n} about the spring campaign."
        retry_of = None if n == 0 else ids[3] if n == 6 else ids[-1]
        with statements(storage.database.engine) as seen:
            outcome = practice.submit(cand, QUESTION, answer, retry_of=retry_of)
        ids.append(outcome.attempt.id)
        counts.append(len(seen))
        assert len(seen) <= SUBMIT_BOUND, "\n".join(seen)
        clock.advance(minutes=5)
    # The seventh costs what the second did (a refusal has no change to show, so skips that query).
    assert len({counts[n] for n in (1, 2, 3, 6)}) == 1, counts
    assert outcome is not None and outcome.card is not None
    (change,) = outcome.changes
    assert change.label.startswith("since your previous attempt (")
    assert (change.overall_before, change.overall_after) == (
        75,
        25,
    )  # the fourth answer's, then the seventh's
    assert outcome.attempt.status == "scored" and len(outcome.attempt.scorecards) == 1


def test_what_a_submit_returns_is_what_reading_it_back_gives(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    cand = make_user("Acme", "cand@acme.example", "candidate")
    practice = _practice(storage)
    first = practice.submit(cand, QUESTION, "The first answer.")
    clock.advance(minutes=5)
    outcome = practice.submit(cand, QUESTION, "The second answer.", retry_of=first.attempt.id)
    assert outcome.changes
    assert practice.open(cand, outcome.attempt.id) == outcome


def test_a_follow_up_is_bounded_too_and_compares_with_the_answer_alone(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    cand = make_user("Acme", "cand@acme.example", "candidate")
    practice = _practice(storage)
    first = practice.submit(cand, QUESTION, "The first answer.")
    counts = []
    outcome = first
    for n in range(4):
        clock.advance(minutes=1)
        with statements(storage.database.engine) as seen:
            outcome = practice.answer_follow_up(
                cand, first.attempt.id, "What did the data show?", f"Reply {n}."
            )
        counts.append(len(seen))
    assert len(set(counts)) == 1, counts  # the fourth turn costs what the first did
    assert [c.label for c in outcome.changes] == ["since your answer before the follow-up"]
    assert len(outcome.attempt.turns) == 4 and outcome.card is not None and outcome.card.transcript_turns == 4
    assert practice.open(cand, first.attempt.id) == outcome
