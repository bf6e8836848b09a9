"""My data: download everything the coach stores about you, or delete your account and attempts."""

from __future__ import annotations

import json

import streamlit as st

from coach.errors import CoachError
from coach.storage.permissions import Permission
from pages._auth import forget, signed_in
from pages._resources import storage

actor = signed_in(Permission.EXPORT_OWN_DATA)
personal_data = storage().personal_data
export = personal_data.export(actor)

st.title("My data")
user = export["user"]
st.write(
    f"Signed in as **{user['email']}**, {user['role']} at {user['organisation']['name']}. "
    f"The coach stores {len(export['attempts'])} attempt(s) of yours and "
    f"{len(export['reviews_written'])} review(s) you wrote."
)
st.download_button(
    "Download my data (JSON)",
    json.dumps(export, ensure_ascii=False, indent=2),
    file_name="coach-my-data.json",
    mime="application/json",
)

st.subheader("Delete my account")
st.write(
    "This deletes your account and every attempt, follow-up, scorecard and review of your attempts, "
    "at once and for good. Reviews you wrote stay with the candidates, without your name."
)
with st.form("erase"):
    confirm = st.text_input("Type your email to confirm")
    erase = st.form_submit_button("Delete my account and all my data", type="primary")
if erase:
    if confirm.strip().lower() != user["email"]:
        st.error("That is not your email; nothing was deleted.")
    else:
        try:
            personal_data.erase(actor)
        except CoachError as exc:
            st.error(str(exc))
        else:
            forget()
            st.rerun()
