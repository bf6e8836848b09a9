"""Objects the pages share, built once per server process.

The heavy parts (Chroma, the scorer, the LLM client, scikit-learn behind calibration) are imported inside
the functions that build them, not here: every page, the sign-in form too, imports this module, and the
first page of a fresh server should paint in a second or two, not after all of them load (issue 15).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import streamlit as st

from coach.config import get_settings
from coach.storage.store import Storage, make_storage

if TYPE_CHECKING:
    from coach.llm.reviewer import ReviewingScorer
    from coach.practice.casebook import Casebook
    from coach.practice.workflow import AnswerScorer, Practice
    from coach.retrieval.library import CaseLibrary
    from coach.scoring.scorer import Scorer


@st.cache_resource(show_spinner="Opening the case library...")
def case_library() -> CaseLibrary:
    from coach.retrieval.library import make_library

    return make_library()


@st.cache_resource(show_spinner="Opening the database...")
def _storage_at(url: str) -> Storage:
    # Keyed by URL: one migrated engine per database, built on first use by any session.
    return make_storage(get_settings())


def storage() -> Storage:
    """Accounts, transcripts and the rest, over the configured database (migrated on first use)."""
    return _storage_at(get_settings().sqlite_url)


@st.cache_resource(
    show_spinner="Loading the scorer (the first start trains it, about 30 s)...", max_entries=2
)
def _scorer_in(data_dir: str, saved: int | None) -> Scorer:
    # Keyed by data dir, where the trained model lives, and by when it was saved there: a model retrained or
    # copied in while the app runs is loaded on the next score (docs/deploy.md). Related cases come from the
    # shared case library.
    from coach.practice.related_cases import GuardedFinder
    from coach.retrieval.library import library_finder
    from coach.scoring.lifecycle import make_scorer

    # Guarded: with the case library unreachable (a Chroma server down) answers are still scored (issue 15).
    return make_scorer(get_settings(), related=GuardedFinder(lambda: library_finder(case_library())))


def scorer() -> Scorer:
    """The built-in scorer with related cases, built once per server process and per saved model."""
    from coach.scoring.lifecycle import saved_stamp, scorer_dir

    settings = get_settings()
    return _scorer_in(str(settings.data_dir), saved_stamp(scorer_dir(settings)))


@st.cache_resource(show_spinner="Loading your organisation's scorer...", max_entries=20)
def _org_scorer_in(data_dir: str, organisation: int, own_model: int | None) -> Scorer:
    # Trainer workspace (issue 13): related cases include the organisation's own; its own model (from
    # `coach train --include-org`) when it has a current one. Keyed by when that was saved (None: none), so a
    # new or retrained model is picked up.
    from coach.practice.org_scorer import org_scorer_dir
    from coach.practice.related_cases import GuardedFinder
    from coach.retrieval.library import library_finder
    from coach.scoring.lifecycle import make_scorer
    from coach.scoring.scorer import Scorer

    settings = get_settings()
    related = GuardedFinder(lambda: library_finder(case_library(), organisation))
    if own_model is not None:
        return make_scorer(settings, related=related, folder=org_scorer_dir(settings, organisation))
    base = scorer()
    return Scorer(
        base.model, base.embedder, vocabulary=base.vocabulary, exemplars=base.exemplars, related=related
    )


def org_scorer(organisation: int | None) -> Scorer:
    """The scorer for a member of `organisation` (None: the built-in one)."""
    if organisation is None:
        return scorer()
    from coach.practice.org_scorer import has_org_scorer, org_scorer_dir
    from coach.scoring.lifecycle import saved_stamp

    settings = get_settings()
    own = (
        saved_stamp(org_scorer_dir(settings, organisation))
        if has_org_scorer(settings, organisation)
        else None
    )
    return _org_scorer_in(str(settings.data_dir), organisation, own)


@st.cache_resource(show_spinner=False, max_entries=20)
def _reviewer_for(data_dir: str, llm: str, organisation: int | None, base: int) -> ReviewingScorer:
    # Keyed by data dir, the LLM's non-secret settings (model, host, timeout, retries) and the built-in scorer
    # it wraps (its identity: a retrained model is a new scorer, and the cache holds the old one meanwhile).
    from coach.llm.reviewer import ReviewingScorer

    return ReviewingScorer(org_scorer(organisation), get_settings())


def answer_scorer(organisation: int | None = None) -> AnswerScorer:
    """What scores a practice answer: the built-in scorer, with the LLM judge and rewrite on top when configured."""
    settings = get_settings()
    if not settings.llm_enabled:
        return org_scorer(organisation)
    from coach.llm.client import llm_status

    llm = f"{llm_status(settings)} {settings.llm_timeout:g}s x{settings.llm_max_retries}"
    return _reviewer_for(str(settings.data_dir), llm, organisation, id(org_scorer(organisation)))


def _session_answer_scorer() -> AnswerScorer:
    """The answer scorer for the organisation of whoever is signed in to this browser session."""
    from pages._auth import TOKEN_KEY  # pages._auth imports this module: imported when first scoring

    actor = storage().accounts.authenticate(st.session_state.get(TOKEN_KEY))
    return answer_scorer(actor.organisation_id if actor else None)


@st.cache_resource(show_spinner=False)
def _casebook_at(url: str, data_dir: str) -> Casebook:
    from coach.practice.casebook import make_casebook

    return make_casebook(storage().cases, case_library())


def casebook() -> Casebook:
    """The shipped library and the organisations' own cases, over the shared storage and index."""
    settings = get_settings()
    return _casebook_at(settings.sqlite_url, str(settings.data_dir))


_warming = threading.Lock()
_warmed: set[str] = set()


def warm_scorer() -> None:
    """Load the scorer in the background while the candidate types, so the first score does not wait for it.

    Only a model already trained (by `make run`'s prepare step) is loaded; training stays in the
    foreground, behind the spinner, where the candidate can see why the first score takes longer.
    """
    from coach.scoring.lifecycle import is_fresh, saved_stamp, scorer_dir

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
    saved = saved_stamp(scorer_dir(settings))
    threading.Thread(target=_scorer_in, args=(key, saved), name="warm-scorer", daemon=True).start()


def practice() -> Practice:
    """The practice workflow over the shared storage; the shared scorer is loaded when first needed."""
    from coach.practice.related_cases import NotingScorer
    from coach.practice.workflow import make_practice

    return make_practice(storage().transcripts, lambda: NotingScorer(_session_answer_scorer()))
