"""For reviewers: the attempts candidates withdrew or deleted after sharing, without their text."""

from __future__ import annotations

import streamlit as st

from coach.storage.permissions import Actor
from pages._resources import storage


def gone_attempts(actor: Actor) -> None:
    """An expander listing them, if there are any: when, which question, and what became of the reviews."""
    gone = storage().withdrawals.gone(actor)
    if not gone:
        return
    with st.expander(f"Withdrawn or deleted by candidates ({len(gone)})"):
        st.dataframe(
            [
                {
                    "attempt": f"#{g.attempt_id}",
                    "candidate": g.candidate,
                    "question": g.question_text,
                    "answered (UTC)": f"{g.answered_at:%Y-%m-%d %H:%M}",
                    "what happened": (
                        "withdrawn: no longer shared; reviews kept, from a withdrawn attempt"
                        if g.kind == "withdrawn"
                        else f"deleted on {g.deleted_at:%Y-%m-%d %H:%M} UTC; the text is gone"
                    ),
                    "reviews": g.reviews,
                    "your review": g.my_overall,
                }
                for g in gone
            ],
            hide_index=True,
        )
