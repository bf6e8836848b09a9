"""Who is signed in to this browser session: the session token, single sign-on, signing out."""

from __future__ import annotations

import streamlit as st

from coach.storage.accounts import SignedIn, SignInError
from coach.storage.permissions import Actor, Permission, allows
from pages._resources import storage

TOKEN_KEY = "coach_session_token"
SSO_ERROR_KEY = "coach_sso_error"


def sso_configured() -> bool:
    """True when secrets.toml has an [auth] section: st.user then always carries is_logged_in."""
    return "is_logged_in" in st.user


def _sso_email() -> str | None:
    if not (sso_configured() and st.user.get("is_logged_in")):
        return None
    if st.user.get("email_verified") is False:
        return None  # an address the provider has not checked proves nothing about who this is
    email = st.user.get("email")
    return str(email) if email else None


def remember(signed_in: SignedIn) -> None:
    st.session_state[TOKEN_KEY] = signed_in.token
    st.session_state.pop(SSO_ERROR_KEY, None)


def current_actor() -> Actor | None:
    """The signed-in user, checked against the database on every run (expiry, role, deletion)."""
    accounts = storage().accounts
    token = st.session_state.get(TOKEN_KEY)
    actor = accounts.authenticate(token)
    if actor is None and token:
        st.session_state.pop(TOKEN_KEY, None)
    if actor is None and (email := _sso_email()) and SSO_ERROR_KEY not in st.session_state:
        try:
            signed_in = accounts.sign_in_sso(email)
        except SignInError as exc:
            st.session_state[SSO_ERROR_KEY] = f"{email}: {exc}"
        else:
            remember(signed_in)
            actor = signed_in.actor
    return actor


def forget() -> None:
    """Drop this browser session's sign-in without touching the database (the account is gone)."""
    st.session_state.pop(TOKEN_KEY, None)


def sign_out() -> None:
    storage().accounts.sign_out(st.session_state.pop(TOKEN_KEY, None))
    st.session_state.pop(SSO_ERROR_KEY, None)
    if _sso_email():
        st.logout()  # else the provider's cookie would sign us straight back in
        st.stop()  # a rerun now would drop the browser's redirect to the provider's sign-out


def signed_in(permission: Permission | None = None) -> Actor:
    """The signed-in user, allowed `permission`, or the page stops here.

    The navigation already hides pages by role; this guard covers a page reached another way (on a
    fresh server process, Streamlit's first run may serve a page file by its URL before st.navigation).
    """
    actor = current_actor()
    if actor is None:
        st.info("Please sign in first.")
        st.stop()
    if permission is not None and not allows(actor.role, permission):
        st.error("Your role does not give access to this page.")
        st.stop()
    return actor
