"""A candidate's history: attempts filtered by question and date, and the scores over them as chart series."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from coach.practice.workflow import stored_card
from coach.rubric import COMPONENT_NAMES, COMPONENTS
from coach.scorecard import Scorecard
from coach.storage.permissions import Actor
from coach.storage.records import AttemptRecord
from coach.storage.transcripts import Transcripts


@dataclass(frozen=True)
class Entry:
    """One attempt with its turns and scorecards, and its newest scorecard read back."""

    number: int  # 1 for the oldest attempt in the view
    attempt: AttemptRecord
    card: Scorecard | None

    @property
    def label(self) -> str:
        return f"#{self.number} · {attempt_label(self.attempt, self.card)}"


def attempt_label(attempt: AttemptRecord, card: Scorecard | None, score_prefix: str = "") -> str:
    """When, which question and the score, for a list of attempts."""
    when = attempt.created_at.strftime("%d %b %Y, %H:%M")
    if card is None:
        score = "not scored yet"
    else:
        score = "refused" if card.refused else f"{score_prefix}{card.overall}/100"
    return f"{when} · {short_question(attempt.question_text)} · {score}"


def short_question(text: str, limit: int = 70) -> str:
    """The question as asked, cut at a word for a list (the full text is in the transcript)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class History:
    entries: tuple[Entry, ...]  # newest first, as the list shows them

    def scored(self) -> list[Entry]:
        """Scored attempts (refusals left out: an empty answer is no progress), oldest first."""
        return [e for e in reversed(self.entries) if e.card is not None and not e.card.refused]

    def overall_series(self) -> list[dict[str, Any]]:
        return [{"attempt": e.number, "overall": e.card.overall} for e in self.scored() if e.card]

    def level_series(self) -> list[dict[str, Any]]:
        """Long form, one row per attempt and component, for a chart coloured by component."""
        return [
            {"attempt": e.number, "component": COMPONENT_NAMES[c], "level": e.card.components[c].level}
            for e in self.scored()
            if e.card
            for c in COMPONENTS
        ]

    def get(self, attempt_id: int) -> Entry | None:
        return next((e for e in self.entries if e.attempt.id == attempt_id), None)


def date_window(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Whole days, both ends included, as the storage's [since, until) in UTC."""
    since = datetime.combine(start, time.min, UTC) if start else None
    until = datetime.combine(end + timedelta(days=1), time.min, UTC) if end else None
    return since, until


def answered_questions(transcripts: Transcripts, actor: Actor | None) -> dict[str, str]:
    """Every question the actor has answered, id -> text, in the order first answered."""
    return {a.question_id: a.question_text for a in reversed(transcripts.list_attempts(actor))}


def load_history(
    transcripts: Transcripts,
    actor: Actor | None,
    *,
    question_id: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> History:
    """The actor's own attempts, newest first, with the question and date filters applied."""
    since, until = date_window(start, end)
    chosen = transcripts.list_attempts(actor, question_id=question_id, since=since, until=until)
    detailed = [transcripts.get_attempt(actor, a.id) for a in chosen]
    total = len(detailed)
    entries = tuple(
        Entry(total - i, a, stored_card(a.latest_scorecard) if a.status == "scored" else None)
        for i, a in enumerate(detailed)
    )
    return History(entries)
