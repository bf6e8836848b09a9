"""SQLAlchemy ORM tables: the schema that the Alembic migrations in coach/migrations create."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

ROLES = ("candidate", "trainer", "reviewer", "admin")
ATTEMPT_STATUSES = ("unscored", "scored")

# Stable constraint names, so that migrations can drop or alter them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


# What storage services read the time from (tests pass a fake one).
Clock = Callable[[], datetime]


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    self_signup: Mapped[bool] = mapped_column(Boolean, default=False)
    share_by_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Hiring review (issue 14): reviewers score before they see the coach's levels; candidates see reviews.
    blind_review: Mapped[bool] = mapped_column(Boolean, default=True)
    candidates_see_reviews: Mapped[bool] = mapped_column(Boolean, default=False)


class Cohort(Base):
    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('candidate', 'trainer', 'reviewer', 'admin')", name="role"),
        Index("ix_users_organisation_id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    # Stored lower-cased: one account per address across all organisations.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    # None for single-sign-on-only accounts and for invitations not yet accepted.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    invite_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class AuthSession(Base):
    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the token: a copy of the database does not let anyone act as the user.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class LoginFailure(Base):
    """Failed sign-ins per email, known or not, so throttling does not reveal which accounts exist."""

    __tablename__ = "login_failures"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class Question(Base):
    """A question curated by an organisation's trainers (the built-in bank lives in corpus/)."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Trainer workspace (issue 13, revision 0003): what the question probes, its target length, a hint;
    # a retired question is offered no more, and the attempts that answered it keep its text.
    probes: Mapped[str] = mapped_column(Text, default="")
    words_low: Mapped[int] = mapped_column(Integer, default=250)
    words_high: Mapped[int] = mapped_column(Integer, default=350)
    hint: Mapped[str] = mapped_column(Text, default="")
    retired_at: Mapped[datetime | None]


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        CheckConstraint("status IN ('unscored', 'scored')", name="status"),
        Index("ix_attempts_user_created", "user_id", "created_at"),
        Index("ix_attempts_org_shared", "organisation_id", "shared"),
        Index("ix_attempts_status", "status"),
        # Hiring review (issue 14): the review queue's default order, newest first, without a sort.
        Index(
            "ix_attempts_org_shared_created", "organisation_id", "shared", "created_at", "status", "user_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    # The question as it was asked: a later edit of the bank does not rewrite history.
    question_id: Mapped[str] = mapped_column(String(100))
    question_text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="unscored")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Practice flow (issue 16, revision 0005): the attempt this one retried ("change since" compares only those).
    # No foreign key (see the revision): readers check the retried attempt is the same user's and older.
    retry_of: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)


class Turn(Base):
    """A follow-up question and the candidate's answer to it, in order."""

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Practice flow (issue 16, revision 0005): the rubric part the follow-up asked about (None: none in particular).
    probes: Mapped[str | None] = mapped_column(String(20), nullable=True, default=None)


class Scorecard(Base):
    __tablename__ = "scorecards"
    # Covering: the queue reads the newest card's overall and flags without touching the (large) result.
    __table_args__ = (Index("ix_scorecards_attempt_latest", "attempt_id", "id", "overall", "flags"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    scorer_version: Mapped[str] = mapped_column(String(100))
    result: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Hiring review (issue 14): copied from `result` when stored, so the review queue filters and sorts in
    # SQL. overall and levels are None for a refused answer; flags reads ",blame,no_metrics," (or "").
    overall: Mapped[int | None]
    levels: Mapped[dict[str, Any] | None]
    flags: Mapped[str] = mapped_column(String(300), default="")


REVIEW_STATUSES = ("pending", "current", "replaced")


class Review(Base):
    """One revision of a reviewer's review (hiring review, issue 14).

    "current" is the review in force, "replaced" an earlier revision kept as history, "pending" levels and
    a comment entered and sealed, waiting for the reasons a gap of two levels from the coach needs.
    """

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'current', 'replaced')", name="status"),
        # Covering: the review queue's counts, lowest and highest overall, and "mine" read the index alone.
        Index("ix_reviews_attempt_status", "attempt_id", "status", "reviewer_id", "overall"),
        Index("ix_reviews_reviewer_status", "reviewer_id", "status"),
        Index(
            "uq_reviews_one_current",
            "attempt_id",
            "reviewer_id",
            unique=True,
            sqlite_where=sql_text("status = 'current'"),
            postgresql_where=sql_text("status = 'current'"),
        ),
        Index(
            "uq_reviews_one_pending",
            "attempt_id",
            "reviewer_id",
            unique=True,
            sqlite_where=sql_text("status = 'pending'"),
            postgresql_where=sql_text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    # A review outlives its reviewer's account; the candidate keeps the feedback.
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    levels: Mapped[dict[str, Any]]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="current")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    overall: Mapped[int] = mapped_column(Integer, default=0)  # the rubric's overall of `levels`
    reasons: Mapped[dict[str, Any]] = mapped_column(default=dict)  # component -> why, at a gap of 2+
    blind: Mapped[bool] = mapped_column(Boolean, default=False)  # entered before seeing the coach's levels


class AuditEntry(Base):
    """Who did what, when. Ids only, no personal data, and no foreign keys: it outlives what it names."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_org_at", "organisation_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    organisation_id: Mapped[int | None]
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(30), default="")
    target_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- Trainer workspace (issue 13): organisation case studies and their versions, cohorts' assignments,
# --- trainers' calibration labels. Questions gain their columns in revision 0003 (see Question above).


class CaseStudy(Base):
    """An organisation's own case study, as it stands now; every change is also kept in CaseVersion."""

    __tablename__ = "case_studies"
    __table_args__ = (Index("ix_case_studies_org_deleted", "organisation_id", "deleted"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    # Lower-cased, spaces folded: "a duplicate title within the organisation" is decided on this.
    title_key: Mapped[str] = mapped_column(String(200))
    brand: Mapped[str] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    failure_modes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    sections: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # A deleted case keeps its row and its history (and can be restored); search no longer sees it.
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseVersion(Base):
    """One saved state of a case study: who, when, what they did, and the whole case as it then was."""

    __tablename__ = "case_versions"
    __table_args__ = (UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_studies.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # create, update, delete, restore
    snapshot: Mapped[dict[str, Any]]
    # The version outlives its author's account; None also for `coach cases import` from the shell.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assignment(Base):
    """Questions a trainer set a cohort, each optionally with a case to rehearse, due by a date."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssignmentItem(Base):
    __tablename__ = "assignment_items"
    __table_args__ = (UniqueConstraint("assignment_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    # The question as practice records it (Attempt.question_id), and its text when it was assigned.
    question_id: Mapped[str] = mapped_column(String(100))
    question_text: Mapped[str] = mapped_column(Text)
    case_id: Mapped[str | None] = mapped_column(String(100))  # a case library document id


class TrainerLabel(Base):
    """A trainer's own level per component and flags for a shared attempt: the scorer's calibration data."""

    __tablename__ = "trainer_labels"
    __table_args__ = (
        UniqueConstraint("attempt_id", "trainer_id"),
        Index("ix_trainer_labels_org", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    levels: Mapped[dict[str, Any]]
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Practice flow (issue 16, revision 0002): drafts kept on the server, tombstones of deleted attempts.


class Draft(Base):
    """The answer a candidate is typing to one question: saved as they type, dropped when they submit it."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))  # as Attempt.question_id records it
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttemptTombstone(Base):
    """What is left of an attempt its candidate deleted: no text, so reviewers learn it is gone, not what it said.

    Not a foreign key to attempts (the attempt is gone) and its own id: SQLite may hand a deleted id out again.
    """

    __tablename__ = "attempt_tombstones"
    __table_args__ = (Index("ix_attempt_tombstones_org_deleted", "organisation_id", "deleted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    # Erasing the account erases its tombstones too.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    question_text: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime]
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)
    was_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    # The reviews in force when it went: [{"reviewer_id", "overall", "at"}], figures only (a comment may quote
    # the answer).
    reviews: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
