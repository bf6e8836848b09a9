"""The server `make run` starts: Streamlit's app (streamlit_app.py, the navigation) served by st.App, plus the
two routes that set and clear the sign-in cookie (pages/_session_cookie.py)."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from coach.process import limit_malloc_arenas
from pages._session_cookie import make_routes

# Before the server runs a session: each session's script runs on a thread of its own (coach/process.py).
limit_malloc_arenas()

# streamlit_app.py navigates with st.navigation, which sets this flag on its first run. Set now, before any
# session, so that the first visitor of a fresh process who follows a link (/history) gets the navigation and
# the sign-in, not the page file run on its own from the pages/ folder (Streamlit's older multipage mode).
PagesManager.uses_pages_directory = False

app = st.App("streamlit_app.py", routes=make_routes())
