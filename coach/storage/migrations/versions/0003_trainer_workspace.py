"""Trainer workspace: organisation case studies and their versions, questions, cohorts, assignments, trainer labels.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05

Cohorts themselves came with 0001 (users.cohort_id); this adds what trainers do with them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    name = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{name}"), ondelete=ondelete
    )


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        # Server defaults fill the rows that exist already; new rows get theirs from the ORM.
        batch_op.add_column(sa.Column("probes", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("words_low", sa.Integer(), nullable=False, server_default="250"))
        batch_op.add_column(sa.Column("words_high", sa.Integer(), nullable=False, server_default="350"))
        batch_op.add_column(sa.Column("hint", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("questions", schema=None) as batch_op:
        for column in ("probes", "words_low", "words_high", "hint"):
            batch_op.alter_column(column, server_default=None)

    op.create_table(
        "case_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_key", sa.String(length=200), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("failure_modes", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("case_studies", "created_by", "users.id", "SET NULL"),
        _fk("case_studies", "organisation_id", "organisations.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_studies")),
    )
    with op.batch_alter_table("case_studies", schema=None) as batch_op:
        batch_op.create_index("ix_case_studies_org_deleted", ["organisation_id", "deleted"], unique=False)

    op.create_table(
        "case_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("case_versions", "author_id", "users.id", "SET NULL"),
        _fk("case_versions", "case_id", "case_studies.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_versions")),
        sa.UniqueConstraint("case_id", "version", name=op.f("uq_case_versions_case_id_version")),
    )

    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("assignments", "cohort_id", "cohorts.id", "CASCADE"),
        _fk("assignments", "created_by", "users.id", "SET NULL"),
        _fk("assignments", "organisation_id", "organisations.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "assignment_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=100), nullable=False),
        sa.Column("question_text", sa.Text(), nullable=False),
        sa.Column("case_id", sa.String(length=100), nullable=True),
        _fk("assignment_items", "assignment_id", "assignments.id", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_items")),
        sa.UniqueConstraint(
            "assignment_id", "position", name=op.f("uq_assignment_items_assignment_id_position")
        ),
    )

    op.create_table(
        "trainer_labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("trainer_labels", "attempt_id", "attempts.id", "CASCADE"),
        _fk("trainer_labels", "organisation_id", "organisations.id", "CASCADE"),
        _fk("trainer_labels", "trainer_id", "users.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainer_labels")),
        sa.UniqueConstraint("attempt_id", "trainer_id", name=op.f("uq_trainer_labels_attempt_id_trainer_id")),
    )
    with op.batch_alter_table("trainer_labels", schema=None) as batch_op:
        batch_op.create_index("ix_trainer_labels_org", ["organisation_id"], unique=False)


def downgrade() -> None:
    op.drop_table("trainer_labels")
    op.drop_table("assignment_items")
    op.drop_table("assignments")
    op.drop_table("case_versions")
    op.drop_table("case_studies")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        for column in ("retired_at", "hint", "words_high", "words_low", "probes"):
            batch_op.drop_column(column)
