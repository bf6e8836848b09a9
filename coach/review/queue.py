"""The Review page's view of the queue: filters as a reviewer picks them, a page of rows, one attempt's review
sheet side by side with the coach, and the ratings the Agreement page reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from coach.practice.progress import date_window
from coach.practice.workflow import card_from_dict
from coach.review.agreement import Agreement, Rated, Rating, agreement
from coach.rubric import COMPONENT_NAMES, COMPONENTS
from coach.scorecard import Scorecard
from coach.storage.permissions import Actor
from coach.storage.records import ReviewRecord
from coach.storage.review_queue import QueueQuery, QueueRow, Reviewed, Sort
from coach.storage.reviews import GAP, Reviews, ReviewSheet

HIDDEN = "hidden"


@dataclass(frozen=True)
class Filters:
    """What the reviewer chose on the page, in the page's terms (whole days, a score range)."""

    cohort_id: int | None = None
    candidate_id: int | None = None
    question_id: str | None = None
    start: date | None = None
    end: date | None = None
    overall: tuple[int, int] = (0, 100)
    flags: tuple[str, ...] = ()
    reviewed: Reviewed = "any"
    fewer_than: int = 2
    sort: Sort = "newest"

    def query(self) -> QueueQuery:
        since, until = date_window(self.start, self.end)
        low, high = self.overall
        return QueueQuery(
            cohort_id=self.cohort_id,
            candidate_id=self.candidate_id,
            question_id=self.question_id or None,
            since=since,
            until=until,
            # The full range filters nothing: unscored attempts stay in the list.
            overall_min=low if (low, high) != (0, 100) else None,
            overall_max=high if (low, high) != (0, 100) else None,
            flags=self.flags,
            reviewed=self.reviewed,
            fewer_than=self.fewer_than,
            sort=self.sort,
        )


def row_label(row: QueueRow) -> str:
    when = row.created_at.strftime("%d %b %Y, %H:%M")
    return f"#{row.attempt_id} · {row.candidate} · {when} · {row.question_id} · {coach_text(row)}"


def coach_text(row: QueueRow) -> str:
    if row.coach_hidden and row.scored:
        return "coach: hidden until you review"
    if not row.scored:
        return "not scored yet"
    return "coach: refused" if row.coach_overall is None else f"coach {row.coach_overall}/100"


def table_rows(rows: Sequence[QueueRow]) -> list[dict[str, Any]]:
    """The queue as the page's table shows it; hidden figures say so rather than look empty."""
    return [
        {
            "attempt": r.attempt_id,
            "candidate": r.candidate,
            "cohort": r.cohort or "",
            "when (UTC)": r.created_at.strftime("%Y-%m-%d %H:%M"),
            "question": r.question_id,
            "coach": HIDDEN if r.coach_hidden and r.scored else r.coach_overall,
            "flags": HIDDEN if r.coach_hidden and r.scored else ", ".join(r.flags),
            "reviews": r.reviews,
            "mine": "yes" if r.mine else "",
            "disagreement": r.disagreement,
        }
        for r in rows
    ]


def coach_card(sheet: ReviewSheet) -> Scorecard | None:
    """The coach's current scorecard, when the reviewer may see it."""
    return None if sheet.coach is None else card_from_dict(sheet.coach.result)


def _difference(mine: int, coach: int | None) -> str:
    if coach is None:
        return ""
    delta = mine - coach
    if delta == 0:
        return "same"
    mark = "  ⚠ reason needed" if abs(delta) >= GAP else ""
    return f"{delta:+d}{mark}"


def comparison(sheet: ReviewSheet, names: dict[int, str]) -> list[dict[str, Any]]:
    """One row per component: the reviewer's level (sealed or saved), the coach's, the difference marked in
    text (not colour alone), then each other visible reviewer's level."""
    ours = sheet.pending or sheet.mine
    card = coach_card(sheet)
    coach = card.levels if card is not None and not card.refused else None
    rows = []
    for c in COMPONENTS:
        row: dict[str, Any] = {"component": COMPONENT_NAMES[c]}
        if ours is not None:
            row["you"] = ours.levels.model_dump()[c]
        row["coach"] = coach[c] if coach else None
        if ours is not None:
            row["difference"] = _difference(row["you"], coach[c] if coach else None)
            reason = ours.reasons.get(c, "")
            if reason:
                row["your reason"] = reason
        for other in sheet.others:
            row[reviewer_name(other, names)] = other.levels.model_dump()[c]
        rows.append(row)
    return rows


def reviewer_name(review: ReviewRecord, names: dict[int, str]) -> str:
    if review.reviewer_id is None or review.reviewer_id not in names:
        return f"(deleted reviewer, review {review.id})"
    return names[review.reviewer_id]


def org_agreement(reviews: Reviews, actor: Actor | None) -> Agreement:
    """The Agreement page's figures over every shared attempt of the actor's organisation."""
    return agreement(
        [
            Rated(r.attempt_id, r.coach, tuple(Rating(x.rater, x.levels, x.at) for x in r.reviews))
            for r in reviews.ratings(actor)
        ]
    )
