"""Roles, what each may do, and the acting user every storage call is checked against."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from coach.errors import CoachError
from coach.storage.tables import User


class Role(StrEnum):
    CANDIDATE = "candidate"
    TRAINER = "trainer"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Permission(StrEnum):
    PRACTISE = "practise"  # save answers; read, share and re-score one's own attempts
    READ_SHARED_ATTEMPTS = "read_shared_attempts"  # attempts that candidates of the org shared
    WRITE_REVIEW = "write_review"
    EDIT_CASE_STUDY = "edit_case_study"  # the organisation's questions, cases, calibration examples
    MANAGE_USERS = "manage_users"  # create, invite, change roles, sign-up policy, cohorts
    ASSIGN_PRACTICE = "assign_practice"  # cohorts' members, assignments, their completion and scores
    CALIBRATE = "calibrate"  # label attempts shared in the organisation; the scorer's agreement with them
    EXPORT_OWN_DATA = "export_own_data"  # and delete one's own account


ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.CANDIDATE: frozenset({Permission.PRACTISE, Permission.EXPORT_OWN_DATA}),
    Role.TRAINER: frozenset(
        {
            Permission.EDIT_CASE_STUDY,
            Permission.ASSIGN_PRACTICE,
            Permission.CALIBRATE,
            Permission.EXPORT_OWN_DATA,
        }
    ),
    Role.REVIEWER: frozenset(
        {Permission.READ_SHARED_ATTEMPTS, Permission.WRITE_REVIEW, Permission.EXPORT_OWN_DATA}
    ),
    Role.ADMIN: frozenset({Permission.MANAGE_USERS, Permission.EXPORT_OWN_DATA}),
}


class NotSignedIn(CoachError):
    """No valid session: nobody is acting."""


class Forbidden(CoachError):
    """The acting user's role never allows this kind of action, whatever the object."""


class NotFound(CoachError):
    """No such object, or one the acting user may not know exists: the two look the same from outside."""


@dataclass(frozen=True)
class Actor:
    """The signed-in user a call is made for, as resolved from a session."""

    user_id: int
    organisation_id: int
    role: Role
    email: str


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def require(actor: Actor | None, permission: Permission) -> Actor:
    """The actor, if signed in and allowed; the object-level check comes after (and says NotFound)."""
    if actor is None:
        raise NotSignedIn("please sign in first")
    if not allows(actor.role, permission):
        raise Forbidden(f"a {actor.role} may not {permission.replace('_', ' ')}")
    return actor


def authorise(session: Session, actor: Actor | None, permission: Permission | None = None) -> Actor:
    """The actor as the database knows them now (role changed, account deleted), checked for `permission`.

    Every storage call starts here: an Actor held by a page may be stale, the database is not.
    """
    if actor is None:
        raise NotSignedIn("please sign in first")
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise NotSignedIn("this account is closed or disabled; please sign in again")
    fresh = Actor(user.id, user.organisation_id, Role(user.role), user.email)
    if permission is not None:
        require(fresh, permission)
    return fresh
