"""Objects the pages share, built once per server process."""

from __future__ import annotations

import threading

import streamlit as st

from coach.config import get_settings
from coach.llm.client import llm_status
from coach.llm.reviewer import ReviewingScorer
from coach.practice.workflow import AnswerScorer, Practice, make_practice
from coach.retrieval.library import CaseLibrary, library_finder, make_library
from coach.scoring.lifecycle import is_fresh, make_scorer
from coach.scoring.scorer import Scorer
from coach.storage.store import Storage, make_storage


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


@st.cache_resource(show_spinner="Loading the scorer (the first start trains it, about 30 s)...")
def _scorer_in(data_dir: str) -> Scorer:
    # Keyed by data dir: the trained model lives there. Related cases come from the shared case library.
    return make_scorer(get_settings(), related=library_finder(case_library()))


def scorer() -> Scorer:
    """The built-in scorer with related cases, built once per server process."""
    return _scorer_in(str(get_settings().data_dir))


@st.cache_resource(show_spinner=False)
def _reviewer_for(data_dir: str, llm: str) -> ReviewingScorer:
    # Keyed by data dir and the LLM's non-secret settings (model, host, timeout, retries).
    return ReviewingScorer(scorer(), get_settings())


def answer_scorer() -> AnswerScorer:
    """What scores a practice answer: the built-in scorer, with the LLM judge and rewrite on top when configured."""
    settings = get_settings()
    if not settings.llm_enabled:
        return scorer()
    llm = f"{llm_status(settings)} {settings.llm_timeout:g}s x{settings.llm_max_retries}"
    return _reviewer_for(str(settings.data_dir), llm)


_warming = threading.Lock()
_warmed: set[str] = set()


def warm_scorer() -> None:
    """Load the scorer in the background while the candidate types, so the first score does not wait for it.

    Only a model already trained (by `make run`'s prepare step) is loaded; training stays in the
    foreground, behind the spinner, where the candidate can see why the first score takes longer.
    """
    settings = get_settings()
    key = str(settings.data_dir)
    if key in _warmed:
        return
    if not is_fresh(settings):
        return
    with _warming:
        if key in _warmed:
            return
        _warmed.add(key)
    threading.Thread(target=_scorer_in, args=(key,), name="warm-scorer", daemon=True).start()


def practice() -> Practice:
    """The practice workflow over the shared storage; the shared scorer is loaded when first needed."""
    return make_practice(storage().transcripts, answer_scorer)
