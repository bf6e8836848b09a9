"""Hiring review: blind mode and who sees reviews per organisation, review revisions, queue columns.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05

Organisations choose blind review (on by default) and whether candidates see reviewers' scores (off).
A review row is one revision: "current" (the reviewer's review in force), "replaced" (history) or "pending"
(levels entered and sealed, waiting for the reasons a gap of two levels from the coach needs). Scorecards
and reviews gain the figures the review queue filters and sorts on in SQL (the overall, the levels, the
flags), filled here for the rows that exist.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COMPONENTS = ("describe", "acknowledge", "analyze", "learn", "apply")  # as of this revision
CURRENT = sa.text("status = 'current'")


def _overall(levels: dict[str, Any]) -> int:
    return round(sum(int(levels.get(c, 0)) for c in COMPONENTS) / len(COMPONENTS) * 25)


def _card_columns(result: dict[str, Any]) -> dict[str, Any]:
    """The queue's columns from a stored scorecard, read from its JSON as it was written then."""
    flags = [str(f) for f in result.get("flags") or ()]
    components = result.get("components")
    scored = not result.get("refused") and isinstance(result.get("overall"), int)
    levels = None
    if (
        scored
        and isinstance(components, dict)
        and all(isinstance(components.get(c), dict) for c in COMPONENTS)
    ):
        levels = {c: int(components[c].get("level", 0)) for c in COMPONENTS}
    return {
        "overall": int(result["overall"]) if scored else None,
        "levels": levels,
        "flags": f",{','.join(flags)}," if flags else "",
    }


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("blind_review", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(
            sa.Column("candidates_see_reviews", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attempts_org_shared_created",
            ["organisation_id", "shared", "created_at", "status", "user_id"],
            unique=False,
        )
    with op.batch_alter_table("scorecards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("overall", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("levels", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("flags", sa.String(length=300), nullable=False, server_default=""))
        batch_op.create_index(
            "ix_scorecards_attempt_latest", ["attempt_id", "id", "overall", "flags"], unique=False
        )

    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), nullable=False, server_default="current")
        )
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("overall", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("reasons", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("blind", sa.Boolean(), nullable=False, server_default=sa.false()))

    bind = op.get_bind()
    scorecards = sa.table(
        "scorecards",
        sa.column("id", sa.Integer()),
        sa.column("result", sa.JSON()),
        sa.column("overall", sa.Integer()),
        sa.column("levels", sa.JSON()),
        sa.column("flags", sa.String()),
    )
    for card_id, result in bind.execute(sa.select(scorecards.c.id, scorecards.c.result)).all():
        bind.execute(
            scorecards.update()
            .where(scorecards.c.id == card_id)
            .values(**_card_columns(result if isinstance(result, dict) else {}))
        )

    reviews = sa.table(
        "reviews",
        sa.column("id", sa.Integer()),
        sa.column("attempt_id", sa.Integer()),
        sa.column("reviewer_id", sa.Integer()),
        sa.column("levels", sa.JSON()),
        sa.column("status", sa.String()),
        sa.column("revision", sa.Integer()),
        sa.column("overall", sa.Integer()),
        sa.column("reasons", sa.JSON()),
    )
    rows = bind.execute(
        sa.select(reviews.c.id, reviews.c.attempt_id, reviews.c.reviewer_id, reviews.c.levels).order_by(
            reviews.c.id
        )
    ).all()
    # Before this revision a reviewer could add several reviews to one attempt: the newest is in force,
    # the earlier ones become its history. Reviews of deleted accounts stay separate reviews.
    by_pair: dict[tuple[int, int], list[int]] = defaultdict(list)
    for review_id, attempt_id, reviewer_id, _ in rows:
        if reviewer_id is not None:
            by_pair[(attempt_id, reviewer_id)].append(review_id)
    position = {rid: (i + 1, i + 1 == len(ids)) for ids in by_pair.values() for i, rid in enumerate(ids)}
    for review_id, _, _, levels in rows:
        number, newest = position.get(review_id, (1, True))
        bind.execute(
            reviews.update()
            .where(reviews.c.id == review_id)
            .values(
                status="current" if newest else "replaced",
                revision=number,
                overall=_overall(levels if isinstance(levels, dict) else {}),
                reasons={},
            )
        )

    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.alter_column("reasons", existing_type=sa.JSON(), nullable=False)
        for column in ("status", "revision", "overall", "blind"):
            batch_op.alter_column(column, server_default=None)
        batch_op.create_check_constraint(
            op.f("ck_reviews_status"), "status IN ('pending', 'current', 'replaced')"
        )
        batch_op.create_index(
            "ix_reviews_attempt_status", ["attempt_id", "status", "reviewer_id", "overall"], unique=False
        )
        batch_op.create_index("ix_reviews_reviewer_status", ["reviewer_id", "status"], unique=False)
        # One review in force and one sealed entry at most, per reviewer and attempt.
        batch_op.create_index(
            "uq_reviews_one_current",
            ["attempt_id", "reviewer_id"],
            unique=True,
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        )
        pending = sa.text("status = 'pending'")
        batch_op.create_index(
            "uq_reviews_one_pending",
            ["attempt_id", "reviewer_id"],
            unique=True,
            sqlite_where=pending,
            postgresql_where=pending,
        )
    with op.batch_alter_table("scorecards", schema=None) as batch_op:
        batch_op.alter_column("flags", server_default=None)
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.alter_column("blind_review", server_default=None)
        batch_op.alter_column("candidates_see_reviews", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("uq_reviews_one_pending")
        batch_op.drop_index("uq_reviews_one_current")
        batch_op.drop_index("ix_reviews_reviewer_status")
        batch_op.drop_index("ix_reviews_attempt_status")
        batch_op.drop_constraint(op.f("ck_reviews_status"), type_="check")
    # Pending entries were never reviews; replaced revisions come back as the separate reviews they were.
    op.execute("DELETE FROM reviews WHERE status = 'pending'")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        for column in ("blind", "reasons", "overall", "revision", "status"):
            batch_op.drop_column(column)
    with op.batch_alter_table("scorecards", schema=None) as batch_op:
        batch_op.drop_index("ix_scorecards_attempt_latest")
        for column in ("flags", "levels", "overall"):
            batch_op.drop_column(column)
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_org_shared_created")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("candidates_see_reviews")
        batch_op.drop_column("blind_review")
