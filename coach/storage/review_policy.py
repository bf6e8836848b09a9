"""Who sees what of a shared attempt's review: the coach's scorecard, other reviewers' reviews, and for the
candidate, the reviews they received. One place, so the Review page, the exports, the candidate's pages and
the personal-data export all follow the same rules.

- A reviewer in blind mode (an organisation setting, on by default) sees the coach's scorecard once they have
  entered their own levels and comment, and other reviewers' reviews once their own review is saved.
- A candidate sees reviewers' scores and comments on their own attempts only if the organisation allows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.rubric import COMPONENTS
from coach.storage import tables as t
from coach.storage.permissions import Actor
from coach.storage.records import AttemptRecord


@dataclass(frozen=True)
class ReviewPolicy:
    blind: bool = True
    candidates_see_reviews: bool = False


def policy_of(session: Session, organisation_id: int) -> ReviewPolicy:
    org = session.get(t.Organisation, organisation_id)
    if org is None:
        return ReviewPolicy()
    return ReviewPolicy(org.blind_review, org.candidates_see_reviews)


def card_columns(result: Mapping[str, Any]) -> dict[str, Any]:
    """The queue's copies of a scorecard's figures (tables.Scorecard.overall/levels/flags), from the JSON that
    `Scorecard.to_dict` writes: a refused or partial card has no overall and no levels."""
    flags = [str(f) for f in result.get("flags") or ()]
    components = result.get("components")
    scored = not result.get("refused") and isinstance(result.get("overall"), int)
    levels = None
    if (
        scored
        and isinstance(components, Mapping)
        and all(isinstance(components.get(c), Mapping) for c in COMPONENTS)
    ):
        levels = {c: int(components[c].get("level", 0)) for c in COMPONENTS}
    return {
        "overall": int(result["overall"]) if scored else None,
        "levels": levels,
        "flags": f",{','.join(flags)}," if flags else "",
    }


def own_statuses(session: Session, actor: Actor, attempt_id: int) -> set[str]:
    """The statuses of the actor's own review rows on the attempt ("pending", "current", "replaced")."""
    return set(
        session.scalars(
            select(t.Review.status).where(
                t.Review.attempt_id == attempt_id, t.Review.reviewer_id == actor.user_id
            )
        )
    )


@dataclass(frozen=True)
class Sight:
    """What the actor may see of one attempt's review."""

    coach: bool  # the coach's scorecards (levels, flags, evidence highlights)
    reviews: bool  # every current review; False: only the actor's own
    mine: frozenset[str]  # the statuses of the actor's own review rows

    @property
    def entered(self) -> bool:
        return bool(self.mine & {"pending", "current"})


def sight(session: Session, actor: Actor, row: t.Attempt) -> Sight:
    """Call only for an attempt the actor may read (their own, or shared in their organisation)."""
    rules = policy_of(session, row.organisation_id)
    if row.user_id == actor.user_id:
        return Sight(coach=True, reviews=rules.candidates_see_reviews, mine=frozenset())
    mine = frozenset(own_statuses(session, actor, row.id))
    if not rules.blind:
        return Sight(coach=True, reviews=True, mine=mine)
    return Sight(coach=bool(mine & {"pending", "current"}), reviews="current" in mine, mine=mine)


def redact(session: Session, actor: Actor, row: t.Attempt, record: AttemptRecord) -> AttemptRecord:
    """The record with what the actor may not see taken out."""
    seen = sight(session, actor, row)
    return replace(
        record,
        scorecards=record.scorecards if seen.coach else (),
        reviews=record.reviews
        if seen.reviews
        else tuple(
            r for r in record.reviews if r.reviewer_id == actor.user_id and row.user_id != actor.user_id
        ),
    )
