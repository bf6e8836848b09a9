"""Self sign-up for candidates, in organisations whose admins switched it on."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from pages._auth import remember
from pages._resources import storage

accounts = storage().accounts
organisations = accounts.signup_organisations()

st.title("Sign up")
if not organisations:
    st.info("No organisation takes sign-ups at the moment. Ask your admin for an invitation.")
    st.stop()

st.write("Create a candidate account to practise. Your answers stay private unless you share them.")
with st.form("sign_up"):  # not cleared: a refused sign-up keeps what was typed
    organisation = st.selectbox("Organisation", organisations, format_func=lambda org: org.name)
    name = st.text_input("Your name (optional)")
    name_error = st.empty()
    email = st.text_input("Email")
    email_error = st.empty()
    password = st.text_input("Password", type="password")
    password_error = st.empty()
    repeat = st.text_input("Repeat the password", type="password")
    repeat_error = st.empty()
    submitted = st.form_submit_button("Create my account")
if submitted and organisation is not None:
    if password != repeat:
        repeat_error.error("The two passwords differ.")
    else:
        try:
            remember(accounts.sign_up(organisation.id, email, password, display_name=name))
        except CoachError as exc:
            # Beside the field it is about: the password's rules, the name's length, else the email.
            said = str(exc)
            field = (
                password_error if "password" in said else name_error if "the name" in said else email_error
            )
            field.error(said)
        else:
            st.rerun()
