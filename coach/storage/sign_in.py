"""Who someone is: the first admin, sign-in with throttling, single sign-on, sessions, sign-up and invitations."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coach.storage import audit
from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.members import (
    AccountError,
    AccountStore,
    Member,
    Organisation,
    SignedIn,
    SignInError,
    actor_of,
    digest,
    member_view,
    normalise_email,
    organisation_view,
    parse_role,
    serialise,
)
from coach.storage.permissions import Actor, NotFound, Role

log = logging.getLogger(__name__)

_BOOTSTRAP_LOCK = 727_274_002


class SignIn(AccountStore):
    """First run, signing in and out, passwords, self sign-up and accepting an invitation."""

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
            serialise(session, _BOOTSTRAP_LOCK)
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
        email, role = normalise_email(email), parse_role(role)
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
            return member_view(user)

    # --- signing in and out -----------------------------------------------------------------------

    def _open_session(self, session: Session, user: t.User) -> SignedIn:
        now = self._now()
        token = secrets.token_urlsafe(32)
        expires = now + timedelta(hours=self._settings.session_hours)
        session.execute(
            delete(t.AuthSession).where(t.AuthSession.user_id == user.id, t.AuthSession.expires_at <= now)
        )
        session.add(
            t.AuthSession(user_id=user.id, token_hash=digest(token), created_at=now, expires_at=expires)
        )
        user.last_sign_in_at = now
        return SignedIn(token, actor_of(user), expires)

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
                .where(t.AuthSession.token_hash == digest(token))
            ).first()
            if row is None:
                return None
            expires_at, user = row
            if expires_at <= self._now() or not user.active:
                return None
            return actor_of(user)

    def sign_out(self, token: str | None) -> None:
        if not token:
            return
        with self._db.transaction() as session:
            row = session.scalar(select(t.AuthSession).where(t.AuthSession.token_hash == digest(token)))
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
        with acting(self._db, actor) as act:
            user = act.session.get(t.User, act.actor.user_id)
            assert user is not None  # authorise() checked it
            if user.password_hash is None or not self._hasher.verify(user.password_hash, current):
                raise AccountError("the current password is wrong")
            user.password_hash = new_hash
            # Other sessions end: a changed password is often a response to a leaked one.
            act.session.execute(delete(t.AuthSession).where(t.AuthSession.user_id == user.id))
            act.audit("password.change", "user", user.id)

    # --- self sign-up and invitations -------------------------------------------------------------

    def signup_organisations(self) -> list[Organisation]:
        """Organisations that let candidates create their own accounts."""
        with self._db.reading() as session:
            rows = session.scalars(
                select(t.Organisation)
                .where(t.Organisation.self_signup.is_(True))
                .order_by(t.Organisation.name)
            )
            return [organisation_view(r) for r in rows]

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
            user = session.scalar(select(t.User).where(t.User.invite_hash == digest(code.strip())))
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
