"""What an organisation's admin changes: members, roles, invitations, cohorts and the organisation's policies."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.members import (
    AccountError,
    AccountStore,
    Cohort,
    Invitation,
    Member,
    Organisation,
    digest,
    member_view,
    normalise_email,
    organisation_view,
    parse_role,
)
from coach.storage.permissions import Actor, NotFound, Permission, Role, authorise


class Administration(AccountStore):
    """Admins, within their own organisation."""

    def organisation(self, actor: Actor | None) -> Organisation:
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            org = session.get(t.Organisation, fresh.organisation_id)
            assert org is not None  # users.organisation_id is a foreign key
            return organisation_view(org)

    def list_members(self, actor: Actor | None) -> list[Member]:
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.MANAGE_USERS)
            rows = session.scalars(
                select(t.User).where(t.User.organisation_id == fresh.organisation_id).order_by(t.User.email)
            )
            return [member_view(r) for r in rows]

    def get_member(self, actor: Actor | None, user_id: int) -> Member:
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            if user_id != fresh.user_id:
                authorise(session, actor, Permission.MANAGE_USERS)
            return member_view(_org_user(session, fresh, user_id))

    def create_user(
        self, actor: Actor | None, email: str, role: str | Role, password: str, display_name: str = ""
    ) -> Member:
        email, role = normalise_email(email), parse_role(role)
        password_hash = self._hash(password)
        with acting(self._db, actor, Permission.MANAGE_USERS) as act:
            org = act.session.get(t.Organisation, act.actor.organisation_id)
            assert org is not None
            user = self._add_user(act.session, org, email, role, password_hash, display_name)
            act.audit("user.create", "user", user.id, role=role.value)
            return member_view(user)

    def invite_user(
        self, actor: Actor | None, email: str, role: str | Role, display_name: str = ""
    ) -> Invitation:
        """An account without a password, and a one-time code to set one (shown once, stored hashed)."""
        email, role = normalise_email(email), parse_role(role)
        code = secrets.token_urlsafe(16)
        expires = self._now() + timedelta(days=self._settings.invite_days)
        with acting(self._db, actor, Permission.MANAGE_USERS) as act:
            org = act.session.get(t.Organisation, act.actor.organisation_id)
            assert org is not None
            user = self._add_user(
                act.session,
                org,
                email,
                role,
                None,
                display_name,
                invite_hash=digest(code),
                invite_expires_at=expires,
            )
            act.audit("user.invite", "user", user.id, role=role.value)
            return Invitation(user.id, email, code, expires)

    def set_role(self, actor: Actor | None, user_id: int, role: str | Role) -> Member:
        role = parse_role(role)
        with acting(self._db, actor, Permission.MANAGE_USERS) as act:
            user = _org_user(act.session, act.actor, user_id)
            if user.role == Role.ADMIN and role != Role.ADMIN:
                keep_an_admin(act.session, user)
            old, user.role = user.role, role.value
            act.audit("user.role", "user", user.id, old=old, new=role.value)
            return member_view(user)

    def set_active(self, actor: Actor | None, user_id: int, active: bool) -> Member:
        with acting(self._db, actor, Permission.MANAGE_USERS) as act:
            user = _org_user(act.session, act.actor, user_id)
            if not active and user.role == Role.ADMIN:
                keep_an_admin(act.session, user)
            user.active = active
            if not active:
                act.session.execute(delete(t.AuthSession).where(t.AuthSession.user_id == user.id))
            act.audit("user.active", "user", user.id, active=active)
            return member_view(user)

    def set_self_signup(self, actor: Actor | None, enabled: bool) -> Organisation:
        return self._set_policy(actor, "self_signup", enabled)

    def set_share_by_default(self, actor: Actor | None, enabled: bool) -> Organisation:
        return self._set_policy(actor, "share_by_default", enabled)

    def _set_policy(self, actor: Actor | None, name: str, value: bool) -> Organisation:
        with acting(self._db, actor, Permission.MANAGE_USERS) as act:
            org = act.session.get(t.Organisation, act.actor.organisation_id)
            assert org is not None
            setattr(org, name, value)
            act.audit(f"organisation.{name}", "organisation", org.id, value=value)
            return organisation_view(org)

    def create_cohort(self, actor: Actor | None, name: str) -> Cohort:
        name = name.strip()
        if not name:
            raise AccountError("the cohort needs a name")
        with acting(self._db, actor, Permission.MANAGE_USERS) as act:
            taken = act.session.scalar(
                select(t.Cohort.id).where(
                    t.Cohort.organisation_id == act.actor.organisation_id, t.Cohort.name == name
                )
            )
            if taken is not None:
                raise AccountError(f"a cohort called {name!r} exists already")
            cohort = t.Cohort(organisation_id=act.actor.organisation_id, name=name, created_at=self._now())
            act.session.add(cohort)
            act.session.flush()
            act.audit("cohort.create", "cohort", cohort.id)
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
        with acting(self._db, actor, Permission.MANAGE_USERS) as act:
            user = _org_user(act.session, act.actor, user_id)
            if cohort_id is not None:
                cohort = act.session.get(t.Cohort, cohort_id)
                if cohort is None or cohort.organisation_id != act.actor.organisation_id:
                    raise NotFound(f"no cohort {cohort_id}")
            user.cohort_id = cohort_id
            act.audit("user.cohort", "user", user.id, cohort_id=cohort_id)
            return member_view(user)


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
