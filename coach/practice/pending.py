"""Answers the database could not take yet (locked, unreachable, or its disk full), held until it can.

A candidate who presses "Score my answer" while the database is down must not lose what they typed, and
must not find it twice once the database is back. The holder lives in the browser session (the page keeps it
in its session state); every later run of the page hands it to `Practice.save_pending`, which saves what it
holds, oldest first, and drops each answer the moment its attempt is committed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Generic, TypeVar

from coach.errors import CoachError
from coach.retrieval.corpus import Question
from coach.storage.database import StorageUnavailable

T = TypeVar("T")


@dataclass(frozen=True)
class PendingAnswer:
    """One submitted answer that is not in the database yet."""

    question: Question
    answer: str
    retry_of: int | None
    reason: str  # why the last try failed, as the user is told
    # When the first try began: an attempt with this text made since then may be this one (see save_pending).
    kept_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def same_answer(self, question_id: str, answer: str, retry_of: int | None) -> bool:
        return (self.question.id, self.answer, self.retry_of) == (question_id, answer, retry_of)


def kept_message(reason: str) -> str:
    return (
        f"Your answer is not saved yet: {reason}. It is kept in this browser session and will be saved as "
        "soon as the database is back (on your next action here, or press “Save now”); keep this tab open."
    )


class AnswerKept(CoachError):
    """Submitting while the database is unavailable: the answer is held in `pending`, not lost."""

    def __init__(self, pending: PendingAnswer) -> None:
        super().__init__(kept_message(pending.reason))
        self.pending = pending


@dataclass(frozen=True)
class Flushed(Generic[T]):
    """What one flush did: the results of the answers saved, and the reason the rest are still held."""

    saved: tuple[T, ...] = ()
    held: int = 0
    reason: str | None = None


class PendingAnswers:
    """Answers waiting for the database, oldest first; an answer is held once however often it is sent."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._held: dict[str, PendingAnswer] = {}
        self._clock = clock
        self._tried = clock()

    def due(self, every: float) -> bool:
        """Whether an unprompted retry is due: something held and no try in the last `every` seconds.

        Each try against a locked SQLite queues for the busy timeout; a page that reruns as the candidate
        types must not pay that on every run.
        """
        return bool(self._held) and self._clock() - self._tried >= every

    def keep(self, pending: PendingAnswer) -> PendingAnswer:
        """Hold `pending`; the same answer to the same question already held is kept once, as it was."""
        for held in self._held.values():
            if held.same_answer(pending.question.id, pending.answer, pending.retry_of):
                self._held[held.key] = replace(held, reason=pending.reason)
                return self._held[held.key]
        self._held[pending.key] = pending
        self._tried = self._clock()  # the failed submit was a try
        return pending

    def holds(self, question_id: str, answer: str, retry_of: int | None = None) -> bool:
        return any(p.same_answer(question_id, answer, retry_of) for p in self._held.values())

    def flush(self, save: Callable[[PendingAnswer], T]) -> Flushed[T]:
        """Save each held answer with `save`, oldest first, dropping it once saved.

        The first StorageUnavailable stops the flush (the rest would meet the same outage) and the answer it
        hit stays held with the new reason. Any other error propagates with that answer still held.
        """
        saved: list[T] = []
        self._tried = self._clock()
        for pending in list(self._held.values()):
            try:
                result = save(pending)
            except StorageUnavailable as exc:
                self._held[pending.key] = replace(pending, reason=str(exc))
                return Flushed(tuple(saved), len(self._held), str(exc))
            del self._held[pending.key]
            saved.append(result)
        return Flushed(tuple(saved))

    @property
    def reason(self) -> str | None:
        """Why the newest held answer is not saved, or None when nothing is held."""
        return next(reversed(self._held.values())).reason if self._held else None

    def __iter__(self) -> Iterator[PendingAnswer]:
        return iter(list(self._held.values()))

    def __len__(self) -> int:
        return len(self._held)
