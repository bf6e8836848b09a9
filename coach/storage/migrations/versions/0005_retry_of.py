"""Practice flow: which attempt a retry retried, and which rubric part each follow-up probed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

"Change since" compares an attempt with the one it retried, and nothing else: attempts.retry_of names it.
Not a foreign key: SQLite cannot add one without copying the table, and dropping the old copy with foreign
keys on would cascade to every turn and scorecard. A retried attempt that was deleted is simply not found,
and an id SQLite hands out again belongs to a later attempt, which the reader rejects (a retry is newer than
what it retried). The interview loop asks
each follow-up about a part not probed before: turns.probes records that part (empty for turns stored before
this revision, and for the question an interviewer asks once every part is strong).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attempts", sa.Column("retry_of", sa.Integer(), nullable=True))
    op.add_column("turns", sa.Column("probes", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE turns DROP COLUMN probes")
    op.execute("ALTER TABLE attempts DROP COLUMN retry_of")
