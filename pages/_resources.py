"""Objects the pages share, built once per server process."""

from __future__ import annotations

import streamlit as st

from coach.library import CaseLibrary, make_library


@st.cache_resource(show_spinner="Opening the case library...")
def case_library() -> CaseLibrary:
    return make_library()
