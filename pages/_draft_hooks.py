"""Practice's answer box and its server-side draft (coach.practice.drafting): restore on opening, save as typed."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from coach.practice.drafting import keep_draft, opening_text
from coach.storage.permissions import Actor
from pages._resources import storage

DRAFT_FOR, DRAFT_SAVED = "practice_draft_for", "practice_draft_saved"


def restore_draft(actor: Actor, question_id: str, answer_key: str) -> None:
    """Before the answer box is drawn: the first time this session shows the question, fill the box with its
    draft (typed earlier, here or on another device)."""
    state = st.session_state
    if state.get(DRAFT_FOR) == question_id:
        return
    text = opening_text(storage().drafts, actor, question_id, str(state.get(answer_key) or ""))
    state[answer_key] = text
    state[DRAFT_FOR], state[DRAFT_SAVED] = question_id, text


def save_draft(actor: Actor, question_id: str, text: str) -> None:
    """After the answer box is drawn: keep what it holds, if it changed since the last save."""
    state = st.session_state
    try:
        state[DRAFT_SAVED] = keep_draft(storage().drafts, actor, question_id, text, state.get(DRAFT_SAVED))
    except CoachError as exc:
        st.warning(f"Your draft is not saved on the server: {exc}. The text stays in the box.")
    else:
        if text.strip():
            st.caption("Draft saved: a reload or another device picks up from here.")
