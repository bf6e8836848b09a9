"""Practice's answers that the database could not take (locked, unreachable, disk full): kept in this browser
session with a clear message, saved on a later run once the database is back (coach.practice.pending)."""

from __future__ import annotations

import streamlit as st

from coach.practice.pending import PendingAnswers, kept_message
from coach.practice.workflow import Outcome
from coach.retrieval.corpus import Question
from coach.storage.permissions import Actor
from pages._resources import practice

# A plain session key, not a widget's: it survives runs that draw no answer box (another page, an error).
HELD, SAVE_NOW = "practice_pending", "practice_pending_save_now"
RETRY_EVERY = 15.0  # seconds between unprompted retries; "Save now" retries at once


def _held() -> PendingAnswers:
    held = st.session_state.get(HELD)
    if not isinstance(held, PendingAnswers):
        held = st.session_state[HELD] = PendingAnswers()
    return held


def _save_now() -> None:
    st.session_state[SAVE_NOW] = True


def save_kept(actor: Actor) -> tuple[Outcome, ...]:
    """Before the submit button: save (and score) what an outage kept, when a retry is due or asked for."""
    held = _held()
    asked = bool(st.session_state.pop(SAVE_NOW, False))
    if not held or not (asked or held.due(RETRY_EVERY)):
        return ()
    with st.spinner("Saving the answer kept in this session..."):
        flushed = practice().save_pending(actor, held)
    if flushed.saved:
        st.toast(f"Saved {len(flushed.saved)} answer(s) kept while the database was unavailable.")
    return flushed.saved


def submit_or_keep(
    actor: Actor, question: Question, answer: str, retry_of: int | None, just_saved: tuple[Outcome, ...]
) -> Outcome | None:
    """Submit the answer; None when the database could not take it (it is then held and shown as kept)."""
    return practice().submit_keeping(
        actor, _held(), question, answer, retry_of=retry_of, just_saved=just_saved
    )


def show_kept() -> None:
    """What is still held: why, the text itself (escaped), and a button to try again now."""
    from coach.practice.annotation import text_html

    held = _held()
    if not held:
        return
    st.warning(kept_message(held.reason or "the database is unavailable"), icon=":material/cloud_off:")
    for pending in held:
        with st.expander(f"Kept in this session, not saved yet: your answer to “{pending.question.text}”"):
            st.html(text_html(pending.answer))
    st.button("Save now", on_click=_save_now, icon=":material/save:")


def database_unavailable(reason: str) -> None:
    """The whole app's answer to a database it cannot reach at the start of a run (before anyone is known)."""
    st.title("The coach cannot reach its database")
    st.error(f"{reason}. Nothing typed in this browser is lost: it is kept here until the database is back.")
    show_kept()
    st.button("Try again", type="primary", icon=":material/refresh:")
