"""Objects the pages share, built once per server process."""

from __future__ import annotations

import streamlit as st

from coach.config import get_settings
from coach.library import CaseLibrary, make_library
from coach.storage import Storage, make_storage


@st.cache_resource(show_spinner="Opening the case library...")
def case_library() -> CaseLibrary:
    return make_library()


@st.cache_resource(show_spinner="Opening the database...")
def _storage_at(url: str) -> Storage:
    # Keyed by URL: one migrated engine per database, built on first use by any session.
    return make_storage(get_settings())


def storage() -> Storage:
    """Accounts, transcripts and the rest, over the configured database (migrated on first use)."""
    return _storage_at(get_settings().sqlite_url)
