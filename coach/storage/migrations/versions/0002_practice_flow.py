"""Practice flow: drafts kept on the server, tombstones of deleted attempts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05

A draft is the answer a candidate is typing to one question, saved as they type and dropped when the answer
is submitted. Per-attempt sharing needs no schema (attempts.shared exists); deleting an attempt removes it
with everything attached and leaves a tombstone with no text, so reviewers who saw or reviewed it are told.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_drafts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
        sa.UniqueConstraint("user_id", "question_id", name=op.f("uq_drafts_user_id_question_id")),
    )
    op.create_table(
        "attempt_tombstones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("question_text", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("was_shared", sa.Boolean(), nullable=False),
        sa.Column("reviews", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_attempt_tombstones_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_attempt_tombstones_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt_tombstones")),
    )
    op.create_index(
        "ix_attempt_tombstones_org_deleted", "attempt_tombstones", ["organisation_id", "deleted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_attempt_tombstones_org_deleted", table_name="attempt_tombstones")
    op.drop_table("attempt_tombstones")
    op.drop_table("drafts")
