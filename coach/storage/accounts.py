"""Accounts: organisations, users, sign-in with throttling, sessions, invitations and self sign-up."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coach import audit
from coach import tables as t
from coach.config import Settings, get_settings
from coach.database import Database
from coach.errors import CoachError
from coach.passwords import PasswordHasher
from coach.permissions import Actor, NotFound, Permission, Role, authorise

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MAX_PASSWORD = 1024  # argon2 hashes any length; a cap keeps a huge "password" from costing CPU
_BOOTSTRAP_LOCK = 727_274_002


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


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _organisation(row: t.Organisation) -> Organisation:
    return Organisation(row.id, row.name, row.self_signup, row.share_by_default)


def _member(row: t.User) -> Member:
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


def _actor(row: t.User) -> Actor:
    return Actor(row.id, row.organisation_id, Role(row.role), row.email)


def _role(role: str | Role) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(Role)}") from None


def _serialise(session: Session, key: int) -> None:
    """Make concurrent callers of one critical section queue (SQLite's BEGIN IMMEDIATE already does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


class Accounts:
    """Everything about who someone is; each call is one transaction."""

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

    # --- first run and the shell -------------------------------------------------------------------

    def needs_first_admin(self) -> bool:
        with self._db.reading() as session:
            return session.scalar(select(t.User.id).limit(1)) is None

    def create_first_admin(
        self, organisation: str, email: str, password: str, display_name: str = ""
    ) -> SignedIn:
        """The first account of a fresh install: an admin of a new organisation, signed in."""
        email = normalise_email(email)
        password_hash = self._hash(password)
        with self._db.transaction() as session:
            _serialise(session, _BOOTSTRAP_LOCK)
            if session.scalar(select(t.User.id).limit(1)) is not None:
                raise AccountError("the first admin exists already; sign in instead")
            org = self._new_organisation(session, organisation)
            user = self._add_user(session, org, email, Role.ADMIN, password_hash, display_name)
            audit.record(
                session,
                "user.bootstrap",
                actor_id=user.id,
                organisation_id=org.id,
                target_type="user",
                target_id=user.id,
            )
            signed_in = self._open_session(session, user)
        log.info("first admin created: user %s, organisation %s", user.id, org.id)
        return signed_in

    def create_user_from_shell(
        self, organisation: str, email: str, role: str | Role, password: str, display_name: str = ""
    ) -> Member:
        """`coach users create`: whoever runs the shell is trusted; a new organisation name creates it."""
        email, role = normalise_email(email), _role(role)
        password_hash = self._hash(password)
        with self._db.transaction() as session:
            org = session.scalar(
                select(t.Organisation).where(func.lower(t.Organisation.name) == organisation.strip().lower())
            ) or self._new_organisation(session, organisation)
            user = self._add_user(session, org, email, role, password_hash, display_name)
            audit.record(
                session,
                "user.create",
                actor_id=None,
                organisation_id=org.id,
                target_type="user",
                target_id=user.id,
                role=role.value,
                via="shell",
            )
            return _member(user)

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
        if session.scalar(select(t.User.id).where(t.User.email == email)) is not None:
            raise AccountError("an account with this email exists already")
        user = t.User(
            organisation_id=org.id,
            email=email,
            display_name=display_name.strip()[:200],
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

    # --- signing in and out -----------------------------------------------------------------------

    def _open_session(self, session: Session, user: t.User) -> SignedIn:
        now = self._now()
        token = secrets.token_urlsafe(32)
        expires = now + timedelta(hours=self._settings.session_hours)
        session.execute(
            delete(t.AuthSession).where(t.AuthSession.user_id == user.id, t.AuthSession.expires_at <= now)
        )
        session.add(
            t.AuthSession(user_id=user.id, token_hash=_digest(token), created_at=now, expires_at=expires)
        )
        user.last_sign_in_at = now
        return SignedIn(token, _actor(user), expires)

    def sign_in(self, email: str, password: str) -> SignedIn:
        """A new session for the right password; after too many failures the email is locked a while."""
        try:
            email = normalise_email(email)
        except AccountError:
            raise SignInError("wrong email or password") from None
        now = self._now()
        with self._db.reading() as session:
            failure = session.get(t.LoginFailure, email)
            locked_until = failure.locked_until if failure else None
            user = session.scalar(select(t.User).where(t.User.email == email))
            stored = user.password_hash if user is not None and user.active else None
            user_id = user.id if user is not None else None
            org_id = user.organisation_id if user is not None else None
        if locked_until is not None and locked_until > now:
            minutes = max(1, round((locked_until - now).total_seconds() / 60))
            raise SignInError(f"too many failed sign-ins; try again in {minutes} minute(s)")
        # Verify outside any transaction: argon2 takes tens of milliseconds, a write lock should not.
        if stored is None:
            self._hasher.burn(password)
            ok = False
        else:
            ok = self._hasher.verify(stored, password)
        with self._db.transaction() as session:
            signed_in = self._finish_sign_in(session, email, user_id, org_id, stored, password, ok, now)
        if signed_in is None:
            log.info("sign-in failed (user %s)", user_id if user_id is not None else "unknown")
            raise SignInError("wrong email or password")
        log.info("user %s signed in", user_id)
        return signed_in

    def _finish_sign_in(
        self,
        session: Session,
        email: str,
        user_id: int | None,
        org_id: int | None,
        stored: str | None,
        password: str,
        ok: bool,
        now: datetime,
    ) -> SignedIn | None:
        row = session.get(t.User, user_id) if ok and user_id is not None else None
        # The account may have been deleted, disabled or re-keyed while we were verifying.
        if row is None or not row.active or stored is None or row.password_hash != stored:
            locked = self._count_failure(session, email, now)
            audit.record(
                session,
                "sign_in.failed",
                actor_id=user_id,
                organisation_id=org_id,
                target_type="user",
                target_id=user_id,
                locked=locked,
            )
            return None
        session.execute(delete(t.LoginFailure).where(t.LoginFailure.email == email))
        if self._hasher.needs_rehash(stored):
            row.password_hash = self._hasher.hash(password)
        audit.record(
            session,
            "sign_in",
            actor_id=row.id,
            organisation_id=row.organisation_id,
            target_type="user",
            target_id=row.id,
            method="password",
        )
        return self._open_session(session, row)

    def _count_failure(self, session: Session, email: str, now: datetime) -> bool:
        """Record one failure; True if it locks the email. Failures older than the lockout are forgotten."""
        window = timedelta(minutes=self._settings.login_lockout_minutes)
        # Forget stale rows for every email, so unknown addresses do not pile up.
        session.execute(
            delete(t.LoginFailure).where(
                t.LoginFailure.last_failure_at < now - window,
                (t.LoginFailure.locked_until.is_(None)) | (t.LoginFailure.locked_until < now),
            )
        )
        # FOR UPDATE: concurrent failures for one email count one after the other (PostgreSQL; SQLite's
        # BEGIN IMMEDIATE already serialises them).
        failure = session.get(t.LoginFailure, email, with_for_update=True)
        if failure is None:
            try:
                with session.begin_nested():
                    session.add(t.LoginFailure(email=email, failures=0, last_failure_at=now))
            except IntegrityError:
                pass  # a concurrent failure inserted the row first; count on it
            failure = session.get(t.LoginFailure, email, with_for_update=True, populate_existing=True)
            assert failure is not None
        if failure.locked_until is not None and failure.locked_until <= now:
            failure.failures, failure.locked_until = 0, None
        failure.failures += 1
        failure.last_failure_at = now
        if failure.failures >= self._settings.login_max_failures:
            failure.locked_until = now + window
            failure.failures = 0
            return True
        return False

    def sign_in_sso(self, email: str) -> SignedIn:
        """A session for an identity the OIDC provider vouched for; the account must exist already."""
        email = normalise_email(email)
        with self._db.transaction() as session:
            user = session.scalar(select(t.User).where(t.User.email == email))
            if user is None or not user.active:
                raise SignInError("no active account uses this email; ask your organisation's admin")
            if user.invite_hash is not None:
                user.invite_hash, user.invite_expires_at = None, None
            audit.record(
                session,
                "sign_in",
                actor_id=user.id,
                organisation_id=user.organisation_id,
                target_type="user",
                target_id=user.id,
                method="sso",
            )
            return self._open_session(session, user)

    def authenticate(self, token: str | None) -> Actor | None:
        """The actor behind a session token, or None if it is unknown, expired, or its user disabled."""
        if not token:
            return None
        with self._db.reading() as session:
            row = session.execute(
                select(t.AuthSession.expires_at, t.User)
                .join(t.User, t.User.id == t.AuthSession.user_id)
                .where(t.AuthSession.token_hash == _digest(token))
            ).first()
            if row is None:
                return None
            expires_at, user = row
            if expires_at <= self._now() or not user.active:
                return None
            return _actor(user)

    def sign_out(self, token: str | None) -> None:
        if not token:
            return
        with self._db.transaction() as session:
            row = session.scalar(select(t.AuthSession).where(t.AuthSession.token_hash == _digest(token)))
            if row is None:
                return
            user = session.get(t.User, row.user_id)
            session.delete(row)
            audit.record(
                session,
                "sign_out",
                actor_id=row.user_id,
                organisation_id=user.organisation_id if user else None,
            )

    def change_password(self, actor: Actor | None, current: str, new: str) -> None:
        new_hash = self._hash(new)
        with self._db.transaction() as session:
            fresh = authorise(session, actor)
            user = session.get(t.User, fresh.user_id)
            assert user is not None  # authorise() checked it
            if user.password_hash is None or not self._hasher.verify(user.password_hash, current):
                raise AccountError("the current password is wrong")
            user.password_hash = new_hash
            # Other sessions end: a changed password is often a response to a leaked one.
            session.execute(delete(t.AuthSession).where(t.AuthSession.user_id == user.id))
            audit.record(
                session,
                "password.change",
                actor_id=user.id,
                organisation_id=user.organisation_id,
                target_type="user",
                target_id=user.id,
            )

    # --- self sign-up and invitations -------------------------------------------------------------

    def signup_organisations(self) -> list[Organisation]:
        """Organisations that let candidates create their own accounts."""
        with self._db.reading() as session:
            rows = session.scalars(
                select(t.Organisation)
                .where(t.Organisation.self_signup.is_(True))
                .order_by(t.Organisation.name)
            )
            return [_organisation(r) for r in rows]

    def sign_up(self, organisation_id: int, email: str, password: str, display_name: str = "") -> SignedIn:
        """A candidate account in an organisation with self sign-up switched on, signed in."""
        email = normalise_email(email)
        password_hash = self._hash(password)
        with self._db.transaction() as session:
            org = session.get(t.Organisation, organisation_id)
            if org is None or not org.self_signup:
                raise NotFound("this organisation does not take sign-ups")
            user = self._add_user(session, org, email, Role.CANDIDATE, password_hash, display_name)
            audit.record(
                session,
                "user.sign_up",
                actor_id=user.id,
                organisation_id=org.id,
                target_type="user",
                target_id=user.id,
            )
            return self._open_session(session, user)

    def accept_invite(self, code: str, password: str) -> SignedIn:
        password_hash = self._hash(password)
        with self._db.transaction() as session:
            user = session.scalar(select(t.User).where(t.User.invite_hash == _digest(code.strip())))
            expires = user.invite_expires_at if user is not None else None
            if user is None or not user.active or expires is None or expires <= self._now():
                raise AccountError("this invitation code is unknown or has expired; ask for a new one")
            user.password_hash = password_hash
            user.invite_hash, user.invite_expires_at = None, None
            audit.record(
                session,
                "invite.accept",
                actor_id=user.id,
                organisation_id=user.organisation_id,
                target_type="user",
                target_id=user.id,
            )
            return self._open_session(session, user)

    # --- administration (admins, within their own organisation) ---------------------------------------

    def organisation(self, actor: Actor | None) -> Organisation:
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            org = session.get(t.Organisation, fresh.organisation_id)
            assert org is not None  # users.organisation_id is a foreign key
            return _organisation(org)

    def list_members(self, actor: Actor | None) -> list[Member]:
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.MANAGE_USERS)
            rows = session.scalars(
                select(t.User).where(t.User.organisation_id == fresh.organisation_id).order_by(t.User.email)
            )
            return [_member(r) for r in rows]

    def get_member(self, actor: Actor | None, user_id: int) -> Member:
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            if user_id != fresh.user_id:
                authorise(session, actor, Permission.MANAGE_USERS)
            return _member(_org_user(session, fresh, user_id))

    def create_user(
        self, actor: Actor | None, email: str, role: str | Role, password: str, display_name: str = ""
    ) -> Member:
        email, role = normalise_email(email), _role(role)
        password_hash = self._hash(password)
        with self._db.transaction() as session:
            fresh = authorise(session, actor, Permission.MANAGE_USERS)
            org = session.get(t.Organisation, fresh.organisation_id)
            assert org is not None
            user = self._add_user(session, org, email, role, password_hash, display_name)
            audit.record(
                session,
                "user.create",
                actor_id=fresh.user_id,
                organisation_id=org.id,
                target_type="user",
                target_id=user.id,
                role=role.value,
            )
            return _member(user)

    def invite_user(
        self, actor: Actor | None, email: str, role: str | Role, display_name: str = ""
    ) -> Invitation:
        """An account without a password, and a one-time code to set one (shown once, stored hashed)."""
        email, role = normalise_email(email), _role(role)
        code = secrets.token_urlsafe(16)
        expires = self._now() + timedelta(days=self._settings.invite_days)
        with self._db.transaction() as session:
            fresh = authorise(session, actor, Permission.MANAGE_USERS)
            org = session.get(t.Organisation, fresh.organisation_id)
            assert org is not None
            user = self._add_user(
                session,
                org,
                email,
                role,
                None,
                display_name,
                invite_hash=_digest(code),
                invite_expires_at=expires,
            )
            audit.record(
                session,
                "user.invite",
                actor_id=fresh.user_id,
                organisation_id=org.id,
                target_type="user",
                target_id=user.id,
                role=role.value,
            )
            return Invitation(user.id, email, code, expires)

    def set_role(self, actor: Actor | None, user_id: int, role: str | Role) -> Member:
        role = _role(role)
        with self._db.transaction() as session:
            fresh = authorise(session, actor, Permission.MANAGE_USERS)
            user = _org_user(session, fresh, user_id)
            if user.role == Role.ADMIN and role != Role.ADMIN:
                keep_an_admin(session, user)
            old, user.role = user.role, role.value
            audit.record(
                session,
                "user.role",
                actor_id=fresh.user_id,
                organisation_id=fresh.organisation_id,
                target_type="user",
                target_id=user.id,
                old=old,
                new=role.value,
            )
            return _member(user)

    def set_active(self, actor: Actor | None, user_id: int, active: bool) -> Member:
        with self._db.transaction() as session:
            fresh = authorise(session, actor, Permission.MANAGE_USERS)
            user = _org_user(session, fresh, user_id)
            if not active and user.role == Role.ADMIN:
                keep_an_admin(session, user)
            user.active = active
            if not active:
                session.execute(delete(t.AuthSession).where(t.AuthSession.user_id == user.id))
            audit.record(
                session,
                "user.active",
                actor_id=fresh.user_id,
                organisation_id=fresh.organisation_id,
                target_type="user",
                target_id=user.id,
                active=active,
            )
            return _member(user)

    def set_self_signup(self, actor: Actor | None, enabled: bool) -> Organisation:
        return self._set_policy(actor, "self_signup", enabled)

    def set_share_by_default(self, actor: Actor | None, enabled: bool) -> Organisation:
        return self._set_policy(actor, "share_by_default", enabled)

    def _set_policy(self, actor: Actor | None, name: str, value: bool) -> Organisation:
        with self._db.transaction() as session:
            fresh = authorise(session, actor, Permission.MANAGE_USERS)
            org = session.get(t.Organisation, fresh.organisation_id)
            assert org is not None
            setattr(org, name, value)
            audit.record(
                session,
                f"organisation.{name}",
                actor_id=fresh.user_id,
                organisation_id=org.id,
                target_type="organisation",
                target_id=org.id,
                value=value,
            )
            return _organisation(org)

    def create_cohort(self, actor: Actor | None, name: str) -> Cohort:
        name = name.strip()
        if not name:
            raise AccountError("the cohort needs a name")
        with self._db.transaction() as session:
            fresh = authorise(session, actor, Permission.MANAGE_USERS)
            taken = session.scalar(
                select(t.Cohort.id).where(
                    t.Cohort.organisation_id == fresh.organisation_id, t.Cohort.name == name
                )
            )
            if taken is not None:
                raise AccountError(f"a cohort called {name!r} exists already")
            cohort = t.Cohort(organisation_id=fresh.organisation_id, name=name, created_at=self._now())
            session.add(cohort)
            session.flush()
            audit.record(
                session,
                "cohort.create",
                actor_id=fresh.user_id,
                organisation_id=fresh.organisation_id,
                target_type="cohort",
                target_id=cohort.id,
            )
            return Cohort(cohort.id, cohort.name)

    def list_cohorts(self, actor: Actor | None) -> list[Cohort]:
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.MANAGE_USERS)
            rows = session.scalars(
                select(t.Cohort)
                .where(t.Cohort.organisation_id == fresh.organisation_id)
                .order_by(t.Cohort.name)
            )
            return [Cohort(r.id, r.name) for r in rows]

    def assign_cohort(self, actor: Actor | None, user_id: int, cohort_id: int | None) -> Member:
        with self._db.transaction() as session:
            fresh = authorise(session, actor, Permission.MANAGE_USERS)
            user = _org_user(session, fresh, user_id)
            if cohort_id is not None:
                cohort = session.get(t.Cohort, cohort_id)
                if cohort is None or cohort.organisation_id != fresh.organisation_id:
                    raise NotFound(f"no cohort {cohort_id}")
            user.cohort_id = cohort_id
            audit.record(
                session,
                "user.cohort",
                actor_id=fresh.user_id,
                organisation_id=fresh.organisation_id,
                target_type="user",
                target_id=user.id,
                cohort_id=cohort_id,
            )
            return _member(user)


def _org_user(session: Session, actor: Actor, user_id: int) -> t.User:
    """A user of the actor's organisation; another organisation's users do not exist for them."""
    user = session.get(t.User, user_id)
    if user is None or user.organisation_id != actor.organisation_id:
        raise NotFound(f"no user {user_id}")
    return user


def keep_an_admin(session: Session, leaving: t.User) -> None:
    """Refuse to remove the last active admin of an organisation that has other users."""
    others = session.scalar(
        select(func.count(t.User.id)).where(
            t.User.organisation_id == leaving.organisation_id,
            t.User.role == Role.ADMIN.value,
            t.User.active.is_(True),
            t.User.id != leaving.id,
        )
    )
    members = session.scalar(
        select(func.count(t.User.id)).where(t.User.organisation_id == leaving.organisation_id)
    )
    if not others and (members or 0) > 1:
        raise AccountError("this is the organisation's last admin; make someone else admin first")
