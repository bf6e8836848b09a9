"""Entry point of the Streamlit app: navigation between the pages under pages/, by the signed-in role."""

from contextlib import suppress

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from coach import llm_status
from coach.config import export_secrets
from coach.storage.database import StorageUnavailable
from coach.storage.permissions import Permission, allows
from pages._auth import current_actor, requested_page, sign_out, sync_cookie
from pages._pending import database_unavailable
from pages._resources import storage

st.set_page_config(page_title="CMO interview coach", page_icon="🎯", layout="wide")
with suppress(StreamlitSecretNotFoundError):  # no secrets.toml: environment and .env only
    export_secrets(st.secrets)  # COACH_* keys in .streamlit/secrets.toml, before any page reads settings

try:
    actor = current_actor()
except StorageUnavailable as exc:
    # Nothing can be read or saved: say so in one line, keep what this session holds (an answer kept by an
    # outage, the text in the answer box), and try again on the next run rather than showing a traceback.
    database_unavailable(str(exc))
    st.stop()
if actor is None:
    pages = [st.Page("pages/sign_in.py", title="Sign in", icon="🔑", default=True)]
    if wanted := requested_page():  # a link to a page: sign in at its address, and the rerun opens it
        pages.append(st.Page("pages/sign_in.py", title="Sign in", url_path=wanted, visibility="hidden"))
    if storage().accounts.signup_organisations():
        pages.append(st.Page("pages/sign_up.py", title="Sign up", icon="📝"))
else:
    # Candidates land on Practice, reviewers on their queue, everyone else on the library.
    practises = allows(actor.role, Permission.PRACTISE)
    pages = []
    if practises:
        pages.append(st.Page("pages/practice.py", title="Practice", icon="🎯", default=True))
        pages.append(st.Page("pages/history.py", title="History", icon="📈"))
    reviews = allows(actor.role, Permission.READ_SHARED_ATTEMPTS)
    if reviews:  # reviewers land on their queue
        pages.append(st.Page("pages/review.py", title="Review", icon="📝", default=True))
        pages.append(st.Page("pages/agreement.py", title="Agreement", icon="⚖️"))
    pages.append(
        st.Page("pages/library.py", title="Case library", icon="📚", default=not (practises or reviews))
    )
    # The trainer workspace (issue 13): the organisation's cases, questions and cohorts, assignments, calibration.
    if allows(actor.role, Permission.EDIT_CASE_STUDY):
        pages.append(st.Page("pages/cases.py", title="Cases", icon="🗃️"))
        pages.append(st.Page("pages/questions.py", title="Questions & cohorts", icon="❓"))
    if allows(actor.role, Permission.ASSIGN_PRACTICE):
        pages.append(st.Page("pages/assignments.py", title="Assignments", icon="🗓️"))
    if allows(actor.role, Permission.CALIBRATE):
        pages.append(st.Page("pages/calibration.py", title="Calibration", icon="🎚️"))
    if allows(actor.role, Permission.MANAGE_USERS):
        pages.append(st.Page("pages/users.py", title="Users", icon="👥"))
    if allows(actor.role, Permission.EXPORT_OWN_DATA):
        pages.append(st.Page("pages/my_data.py", title="My data", icon="🗂️"))
    st.sidebar.markdown(f"Signed in as `{actor.email}` · {actor.role}")
    st.sidebar.text(llm_status())  # "LLM: off", or the model and host, as plain text; never the key
    if st.sidebar.button("Sign out", key="sign_out"):
        sign_out()
        st.rerun()

navigation = st.navigation(pages)
sync_cookie()  # after a sign-in or sign-out: the browser's cookie follows
navigation.run()
