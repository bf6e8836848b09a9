"""What a candidate controls on one of their attempts: whether reviewers see it, and deleting it."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from coach.storage.permissions import Actor
from coach.storage.records import AttemptRecord
from pages._resources import storage


def attempt_controls(actor: Actor, attempt: AttemptRecord) -> bool:
    """Draw the share toggle and the delete button; True once the attempt is deleted (the caller stops)."""
    share, delete = st.columns([3, 2], vertical_alignment="center")
    shared = share.toggle(
        "Shared with your organisation's reviewers",
        value=attempt.shared,
        key=f"share_{attempt.id}",
        help="Untick to hide it from reviewers at once; reviews they already wrote stay with them, marked "
        "as from a withdrawn attempt. You can share it again later.",
    )
    if shared != attempt.shared:
        storage().transcripts.set_shared(actor, attempt.id, shared)
        st.rerun()
    with delete.popover("Delete this attempt", icon=":material/delete:"):
        st.write(
            "The answer, its follow-ups, scores and any reviews are deleted for good. Reviewers who saw it "
            "are told it was deleted, not what it said."
        )
        if st.button("Delete it", type="primary", key=f"delete_{attempt.id}"):
            try:
                storage().withdrawals.delete_attempt(actor, attempt.id)
            except CoachError as exc:
                st.error(str(exc))
                return False
            st.toast("Attempt deleted.")
            return True
    return False
