"""What every account path shares: the account types, email and role parsing, and the account store's base.

`sign_in` (who someone is) and `administration` (what an organisation's admin changes) build on this;
`accounts.Accounts` joins them into the one object the app and the CLI use.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coach.config import Settings, get_settings
from coach.errors import CoachError
from coach.storage import tables as t
from coach.storage.database import Database
from coach.storage.passwords import PasswordHasher
from coach.storage.permissions import Actor, Role
from coach.storage.tables import Clock

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MAX_PASSWORD = 1024  # argon2 hashes any length; a cap keeps a huge "password" from costing CPU
MAX_DISPLAY_NAME = 200


class AccountError(CoachError):
    """Bad account input or a rule the request breaks; the message is for the user."""


class SignInError(AccountError):
    """Wrong credentials or a locked email; never says which of email or password was wrong."""


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    self_signup: bool
    share_by_default: bool


@dataclass(frozen=True)
class Member:
    """A user as admins (and the user themselves) see them."""

    id: int
    email: str
    display_name: str
    role: Role
    organisation_id: int
    active: bool
    invited: bool  # an invitation not accepted yet: no password set
    cohort_id: int | None
    created_at: datetime
    last_sign_in_at: datetime | None


@dataclass(frozen=True)
class Cohort:
    id: int
    name: str


@dataclass(frozen=True)
class SignedIn:
    """A new session. Only the token's hash is stored; the token itself lives in the browser session."""

    token: str
    actor: Actor
    expires_at: datetime


@dataclass(frozen=True)
class Invitation:
    user_id: int
    email: str
    code: str
    expires_at: datetime


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.match(email) or len(email) > 320:
        raise AccountError("enter a valid email address")
    return email


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def organisation_view(row: t.Organisation) -> Organisation:
    return Organisation(row.id, row.name, row.self_signup, row.share_by_default)


def member_view(row: t.User) -> Member:
    return Member(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        role=Role(row.role),
        organisation_id=row.organisation_id,
        active=row.active,
        invited=row.password_hash is None and row.invite_hash is not None,
        cohort_id=row.cohort_id,
        created_at=row.created_at,
        last_sign_in_at=row.last_sign_in_at,
    )


def actor_of(row: t.User) -> Actor:
    return Actor(row.id, row.organisation_id, Role(row.role), row.email)


def parse_role(role: str | Role) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(Role)}") from None


def serialise(session: Session, key: int) -> None:
    """Make concurrent callers of one critical section queue (SQLite's BEGIN IMMEDIATE already does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


class AccountStore:
    """The database, the password hasher, the settings and the clock; each public call is one transaction."""

    def __init__(
        self,
        database: Database,
        hasher: PasswordHasher,
        settings: Settings | None = None,
        *,
        clock: Clock = t.utcnow,
    ) -> None:
        self._db = database
        self._hasher = hasher
        self._settings = settings or get_settings()
        self._now = clock

    # --- passwords -------------------------------------------------------------------------------

    def _check_password(self, password: str) -> None:
        if len(password) < self._settings.password_min_length:
            raise AccountError(f"the password needs at least {self._settings.password_min_length} characters")
        if len(password) > _MAX_PASSWORD:
            raise AccountError(f"the password may have at most {_MAX_PASSWORD} characters")

    def _hash(self, password: str) -> str:
        self._check_password(password)
        return self._hasher.hash(password)

    # --- new organisations and users -------------------------------------------------------------------

    def _new_organisation(self, session: Session, name: str) -> t.Organisation:
        name = name.strip()
        if not name or len(name) > 200:
            raise AccountError("the organisation needs a name (at most 200 characters)")
        taken = session.scalar(
            select(t.Organisation.id).where(func.lower(t.Organisation.name) == name.lower())
        )
        if taken is not None:
            raise AccountError(f"an organisation called {name!r} exists already")
        org = t.Organisation(
            name=name,
            self_signup=self._settings.self_signup_default,
            share_by_default=self._settings.share_by_default,
            created_at=self._now(),
        )
        session.add(org)
        session.flush()
        return org

    def _add_user(
        self,
        session: Session,
        org: t.Organisation,
        email: str,
        role: Role,
        password_hash: str | None,
        display_name: str = "",
        *,
        invite_hash: str | None = None,
        invite_expires_at: datetime | None = None,
    ) -> t.User:
        display_name = display_name.strip()
        if len(display_name) > MAX_DISPLAY_NAME:
            # Refused, not cut: a name stored shorter than typed, without a word, is a silent loss.
            raise AccountError(f"the name may have at most {MAX_DISPLAY_NAME} characters")
        if session.scalar(select(t.User.id).where(t.User.email == email)) is not None:
            raise AccountError("an account with this email exists already")
        user = t.User(
            organisation_id=org.id,
            email=email,
            display_name=display_name,
            role=role.value,
            password_hash=password_hash,
            active=True,
            invite_hash=invite_hash,
            invite_expires_at=invite_expires_at,
            created_at=self._now(),
        )
        session.add(user)
        try:
            # The unique index settles a race between two creators of the same email.
            with session.begin_nested():
                session.flush()
        except IntegrityError:
            raise AccountError("an account with this email exists already") from None
        return user
