"""Who is signed in to this browser session: the session token (kept in an HttpOnly cookie too, so a reload,
a new tab or a link finds it), single sign-on, signing out, and the page asked for before signing in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from coach.storage.accounts import SignedIn, SignInError
from coach.storage.permissions import Actor, Permission, allows
from pages._resources import storage
from pages._session_cookie import CLEAR_PATH, COOKIE, HANDOFFS, SET_PATH, post_script

TOKEN_KEY = "coach_session_token"
SSO_ERROR_KEY = "coach_sso_error"
# The cookie's code to post once drawn; "sign out" to expire it; the cookie value found dead (not tried again);
# the page a signed-out visitor asked for by its address.
COOKIE_TO_SET, COOKIE_TO_CLEAR, COOKIE_DEAD = "coach_cookie_set", "coach_cookie_clear", "coach_cookie_dead"
REQUESTED_PAGE = "coach_requested_page"
# The pages a signed-in user may have, by their url path (the file name, as st.Page infers it).
APP_PAGES = frozenset(p.stem for p in Path(__file__).parent.glob("[!_]*.py")) - {"sign_in", "sign_up"}


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
    st.session_state.pop(COOKIE_TO_CLEAR, None)
    st.session_state.pop(REQUESTED_PAGE, None)  # the rerun opens it; a later sign-out starts afresh
    seconds = int((signed_in.expires_at - datetime.now(UTC)).total_seconds())
    st.session_state[COOKIE_TO_SET] = HANDOFFS.issue(signed_in.token, seconds)


def _cookie_token() -> str | None:
    """The token in this browser's cookie, unless this session already found it dead or signed it out."""
    token = st.context.cookies.get(COOKIE)
    if not token or token == st.session_state.get(COOKIE_DEAD):
        return None
    return str(token)


def current_actor() -> Actor | None:
    """The signed-in user, checked against the database on every run (expiry, role, deletion)."""
    accounts = storage().accounts
    token = st.session_state.get(TOKEN_KEY)
    actor = accounts.authenticate(token)
    if actor is None and token:
        st.session_state.pop(TOKEN_KEY, None)
    if actor is None and (cookie := _cookie_token()):
        actor = accounts.authenticate(cookie)
        if actor is None:
            st.session_state[COOKIE_DEAD] = cookie
            st.session_state[COOKIE_TO_CLEAR] = True
        else:
            st.session_state[TOKEN_KEY] = cookie
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
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        st.session_state[COOKIE_DEAD] = token
    st.session_state[COOKIE_TO_CLEAR] = True


def sign_out() -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    storage().accounts.sign_out(token)
    st.session_state.pop(SSO_ERROR_KEY, None)
    st.session_state.pop(COOKIE_TO_SET, None)
    if token:
        st.session_state[COOKIE_DEAD] = token  # this session's handshake still carries the cookie
    st.session_state[COOKIE_TO_CLEAR] = True
    if _sso_email():
        st.logout()  # else the provider's cookie would sign us straight back in
        st.stop()  # a rerun now would drop the browser's redirect to the provider's sign-out


def sync_cookie() -> None:
    """Draw the one-off script that sets or expires the cookie, when a sign-in or sign-out asked for it."""
    if code := st.session_state.pop(COOKIE_TO_SET, None):
        st.html(post_script(SET_PATH, code), unsafe_allow_javascript=True)
    elif st.session_state.pop(COOKIE_TO_CLEAR, None):
        st.html(post_script(CLEAR_PATH), unsafe_allow_javascript=True)


def requested_page() -> str:
    """Signed out: the url path of the app page this browser's address named (a link, a bookmark, a new tab),
    or "". The sign-in page answers at that address too, so the rerun after signing in opens that page."""
    wanted = st.session_state.get(REQUESTED_PAGE)
    if wanted is None:
        path = urlsplit(st.context.url or "").path.rstrip("/").rpartition("/")[2]
        wanted = st.session_state[REQUESTED_PAGE] = path if path in APP_PAGES else ""
    return str(wanted)


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
