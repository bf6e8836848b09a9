"""Sign-in page; on a fresh install (no users yet) it creates the first admin instead."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from pages._auth import SSO_ERROR_KEY, remember, sso_configured
from pages._resources import storage

accounts = storage().accounts

if accounts.needs_first_admin():
    st.title("Set up the coach")
    st.write(
        "No account exists yet. Create the first admin: the organisation it runs, an email and a password. "
        "The admin then adds trainers, reviewers and candidates on the Users page."
    )
    with st.form("first_admin", clear_on_submit=True):
        organisation = st.text_input("Organisation")
        email = st.text_input("Email")
        password = st.text_input("Password", type="password")
        repeat = st.text_input("Repeat the password", type="password")
        create = st.form_submit_button("Create the admin account")
    if create:
        if password != repeat:
            st.error("The two passwords differ.")
        else:
            try:
                remember(accounts.create_first_admin(organisation, email, password))
            except CoachError as exc:
                st.error(str(exc))
            else:
                st.rerun()
    st.stop()

st.title("Sign in")
if sso_error := st.session_state.get(SSO_ERROR_KEY):
    st.warning(f"Single sign-on worked, but {sso_error}")
    if st.button("Sign out of single sign-on"):
        st.session_state.pop(SSO_ERROR_KEY, None)
        st.logout()

with st.form("sign_in"):  # not cleared: after a wrong password the email is still there
    email = st.text_input("Email")
    password = st.text_input("Password", type="password")
    sign_in_error = st.empty()  # under the fields it is about, above the button
    submitted = st.form_submit_button("Sign in")
if submitted:
    try:
        remember(accounts.sign_in(email, password))
    except CoachError as exc:
        sign_in_error.error(str(exc))
    else:
        st.rerun()

if sso_configured() and not sso_error and st.button("Sign in with single sign-on", key="sso"):
    st.login()

with st.expander("I have an invitation code"), st.form("invite"):
    code = st.text_input("Invitation code")
    code_error = st.empty()
    new_password = st.text_input("Choose a password", type="password")
    password_error = st.empty()
    new_repeat = st.text_input("Repeat the password", type="password", key="invite_repeat")
    repeat_error = st.empty()
    accept = st.form_submit_button("Set my password and sign in")
if accept:
    if new_password != new_repeat:
        repeat_error.error("The two passwords differ.")
    else:
        try:
            remember(accounts.accept_invite(code, new_password))
        except CoachError as exc:
            (password_error if "password" in str(exc) else code_error).error(str(exc))
        else:
            st.rerun()
