"""Accounts: organisations, users, sign-in with throttling, sessions, invitations and self sign-up.

One object, `Accounts`, made of `sign_in.SignIn` (who someone is) and `administration.Administration`
(what an organisation's admin changes, with `invitations.Invitations`), over `members.AccountStore`.
"""

from __future__ import annotations

from coach.storage.administration import Administration, keep_an_admin
from coach.storage.invitations import Invitations
from coach.storage.members import (
    AccountError,
    Cohort,
    Invitation,
    Member,
    Organisation,
    SignedIn,
    SignInError,
    normalise_email,
)
from coach.storage.sign_in import SignIn

__all__ = [
    "AccountError",
    "Accounts",
    "Cohort",
    "Invitation",
    "Member",
    "Organisation",
    "SignInError",
    "SignedIn",
    "keep_an_admin",
    "normalise_email",
]


class Accounts(SignIn, Administration, Invitations):
    """Everything about who someone is and what their organisation's admin changes; each call is one transaction."""
