"""The reviewers' queue: shared attempts with the scorer's levels and the team's reviews, and their export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach.practice.export import spreadsheet_safe
from coach.practice.progress import attempt_label, date_window
from coach.practice.workflow import stored_card, transcript_lines
from coach.rubric import COMPONENTS
from coach.rubric import overall as overall_of
from coach.scorecard import Scorecard
from coach.storage.permissions import Actor
from coach.storage.records import AttemptRecord, ReviewRecord
from coach.storage.transcripts import Transcripts

EXPORT_FORMAT = "coach-reviews/1"
CSV_COLUMNS = (
    "attempt_id", "submitted_at", "candidate", "question_id", "question", "scorer_overall",
    *(f"scorer_{c}" for c in COMPONENTS), "scorer_flags", "scorer", "reviewer", "reviewed_at",
    "review_overall", *(f"review_{c}" for c in COMPONENTS), "comment", "transcript",
)  # fmt: skip


@dataclass(frozen=True)
class QueueItem:
    """One shared attempt as a reviewer sees it."""

    attempt: AttemptRecord
    candidate: str  # the candidate's email
    card: Scorecard | None  # the newest scorecard, None while unscored
    reviewers: dict[int, str]  # reviewer id -> email, for the reviews on this attempt

    def reviews_by(self, reviewer_id: int) -> list[ReviewRecord]:
        return [r for r in self.attempt.reviews if r.reviewer_id == reviewer_id]

    def reviewer_of(self, review: ReviewRecord) -> str:
        return self.reviewers.get(review.reviewer_id or -1, "(account deleted)")

    def score_table(self) -> list[dict[str, Any]]:
        """The coach's levels (when scored), then each review's, one row each with its overall."""
        rows: list[dict[str, Any]] = []
        if (card := _scored(self.card)) is not None:
            rows.append({"by": "the coach (built-in scorer)", "overall": card.overall, **card.levels})
        for review in self.attempt.reviews:
            levels = review.levels.model_dump()
            rows.append({"by": self.reviewer_of(review), "overall": overall_of(levels), **levels})
        return rows

    @property
    def label(self) -> str:
        reviews = len(self.attempt.reviews)
        scored = attempt_label(self.attempt, self.card, score_prefix="scorer ")
        return f"#{self.attempt.id} · {self.candidate} · {scored} · {reviews} review{'s' * (reviews != 1)}"


def load_queue(
    transcripts: Transcripts,
    actor: Actor | None,
    *,
    question_id: str | None = None,
    candidate_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    unreviewed_by_me: bool = False,
) -> list[QueueItem]:
    """Shared attempts of the actor's organisation, newest first; optionally only those they have not reviewed."""
    since, until = date_window(start, end)
    attempts = transcripts.list_shared_attempts(
        actor, question_id=question_id, candidate_id=candidate_id, since=since, until=until, details=True
    )
    if unreviewed_by_me and actor is not None:
        attempts = [a for a in attempts if all(r.reviewer_id != actor.user_id for r in a.reviews)]
    people = transcripts.member_emails(
        actor, [a.user_id for a in attempts] + [r.reviewer_id for a in attempts for r in a.reviews]
    )
    return [
        QueueItem(
            attempt=a,
            candidate=people.get(a.user_id, "(account deleted)"),
            card=stored_card(a.latest_scorecard),
            reviewers={i: people[i] for r in a.reviews if (i := r.reviewer_id) is not None and i in people},
        )
        for a in attempts
    ]


def queue_filters(transcripts: Transcripts, actor: Actor | None) -> tuple[dict[int, str], dict[str, str]]:
    """What the queue can be filtered by: candidates with a shared attempt (id -> email, by email) and the
    questions they answered (id -> text)."""
    attempts = transcripts.list_shared_attempts(actor)
    emails = transcripts.member_emails(actor, [a.user_id for a in attempts])
    candidates = dict(sorted(emails.items(), key=lambda kv: kv[1]))
    questions = {a.question_id: a.question_text for a in reversed(attempts)}
    return candidates, questions


def _scored(card: Scorecard | None) -> Scorecard | None:
    return card if card is not None and not card.refused else None


def _review_json(item: QueueItem, review: ReviewRecord) -> dict[str, Any]:
    levels = review.levels.model_dump()
    return {
        "reviewer": item.reviewer_of(review),
        "created_at": review.created_at.isoformat(),
        "levels": levels,
        "overall": overall_of(levels),
        "comment": review.comment,
    }


def queue_json(items: Sequence[QueueItem]) -> str:
    """Every shared attempt in view with its transcript, the scorer's result and every review."""
    attempts = []
    for item in items:
        a, card = item.attempt, _scored(item.card)
        attempts.append(
            {
                "id": a.id,
                "candidate": item.candidate,
                "submitted_at": a.created_at.isoformat(),
                "question_id": a.question_id,
                "question": a.question_text,
                "transcript": [{"speaker": s, "text": text} for s, text in transcript_lines(a)],
                "scorer": None
                if card is None
                else {
                    "version": card.scorer,
                    "overall": card.overall,
                    "levels": card.levels,
                    "flags": list(card.flags),
                },
                "reviews": [_review_json(item, r) for r in a.reviews],
            }
        )
    return json.dumps({"format": EXPORT_FORMAT, "attempts": attempts}, ensure_ascii=False, indent=2)


def queue_csv(items: Sequence[QueueItem]) -> str:
    """One row per review (an attempt nobody has reviewed yet gets one row with the review columns empty)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        a, card = item.attempt, _scored(item.card)
        scorer: list[object] = [
            card.overall if card else "",
            *(card.components[c].level if card else "" for c in COMPONENTS),
            ";".join(card.flags) if card else "",
            card.scorer if card else "",
        ]
        transcript = "\n".join(f"{speaker}: {text}" for speaker, text in transcript_lines(a))
        reviews: list[ReviewRecord | None] = list(a.reviews) or [None]
        for review in reviews:
            reviewed: list[object] = ["", "", "", *([""] * len(COMPONENTS)), ""]
            if review is not None:
                levels = review.levels.model_dump()
                reviewed = [
                    item.reviewer_of(review),
                    review.created_at.isoformat(),
                    overall_of(levels),
                    *(levels[c] for c in COMPONENTS),
                    review.comment,
                ]
            row = [a.id, a.created_at.isoformat(), item.candidate, a.question_id, a.question_text, *scorer]
            writer.writerow([spreadsheet_safe(v) for v in [*row, *reviewed, transcript]])
    return out.getvalue()
