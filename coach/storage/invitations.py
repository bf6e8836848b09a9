"""Re-inviting: a new invitation code for a member who has not set a password yet."""

from __future__ import annotations

import secrets
from datetime import timedelta

from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.members import AccountError, AccountStore, Invitation, digest
from coach.storage.permissions import Actor, NotFound, Permission


class Invitations(AccountStore):
    """Admins, within their own organisation."""

    def reinvite(self, actor: Actor | None, user_id: int) -> Invitation:
        """A fresh code (shown once, stored hashed) and a fresh expiry; the member's earlier code stops working.

        Only for members without a password (an invitation not accepted, expired or not): a member who has
        one signs in with it, and a new code must not become a way to take their account over.
        """
        code = secrets.token_urlsafe(16)
        expires = self._now() + timedelta(days=self._settings.invite_days)
        with acting(self._db, actor, Permission.MANAGE_USERS) as act:
            user = act.session.get(t.User, user_id)
            if user is None or user.organisation_id != act.actor.organisation_id:
                raise NotFound(f"no user {user_id}")
            if user.password_hash is not None:
                raise AccountError(f"{user.email} has set a password already; they sign in with it")
            if not user.active:
                raise AccountError(f"{user.email} is deactivated; reactivate them first")
            user.invite_hash, user.invite_expires_at = digest(code), expires
            act.audit("user.reinvite", "user", user.id)
            return Invitation(user.id, user.email, code, expires)
