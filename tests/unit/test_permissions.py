"""The role table: who may do what, before any object is looked at."""

from __future__ import annotations

import pytest

from coach.storage.permissions import (
    ROLE_PERMISSIONS,
    Actor,
    Forbidden,
    NotSignedIn,
    Permission,
    Role,
    allows,
    require,
)

P = Permission
EXPECTED = {
    Role.CANDIDATE: {P.PRACTISE, P.EXPORT_OWN_DATA},
    Role.TRAINER: {P.EDIT_CASE_STUDY, P.ASSIGN_PRACTICE, P.CALIBRATE, P.EXPORT_OWN_DATA},
    Role.REVIEWER: {P.READ_SHARED_ATTEMPTS, P.WRITE_REVIEW, P.EXPORT_OWN_DATA},
    Role.ADMIN: {P.MANAGE_USERS, P.EXPORT_OWN_DATA},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_role_table(role: Role, permission: Permission) -> None:
    assert allows(role, permission) is (permission in EXPECTED[role])


def test_every_role_is_in_the_table() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_require() -> None:
    reviewer = Actor(1, 1, Role.REVIEWER, "r@x.example")
    assert require(reviewer, P.WRITE_REVIEW) is reviewer
    with pytest.raises(Forbidden, match="a reviewer may not manage users"):
        require(reviewer, P.MANAGE_USERS)
    with pytest.raises(NotSignedIn):
        require(None, P.EXPORT_OWN_DATA)
