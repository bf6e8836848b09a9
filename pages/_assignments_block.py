"""The candidate's assignments, first thing on the Practice page: each question a click from its answer box."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from coach.storage.assignments import MyAssignment
from coach.storage.permissions import Actor
from pages._resources import casebook, storage

# (question id, case id or None): what the Practice page sets up when the candidate picks an assigned item.
Start = Callable[[str, str | None], None]


def _render(actor: Actor, mine: MyAssignment, start: Start) -> None:
    assignment = mine.assignment
    done = sum(mine.done)
    st.text(f"{assignment.title} · due {assignment.due_on:%d %b %Y} · {done}/{len(mine.done)} done")
    for n, (item, finished) in enumerate(zip(assignment.items, mine.done, strict=True), start=1):
        case = casebook().document(actor, item.case_id) if item.case_id else None
        text, action = st.columns([6, 1], vertical_alignment="center")
        rehearse = f"  ·  rehearse with: {case.title}" if case else ""
        text.text(f"{'✓' if finished else '○'} {item.question_text}{rehearse}")
        action.button(
            "Practise again" if finished else "Practise",
            key=f"assigned_{assignment.id}_{n}",
            on_click=start,
            args=(item.question_id, case.id if case else None),
            type="secondary" if finished else "primary",
        )


def assignments_block(actor: Actor, start: Start) -> None:
    """Open assignments in full (nearest due date first); finished ones folded away. Nothing when none."""
    mine = storage().assignments.my_assignments(actor)
    if not mine:
        return
    pending = [m for m in mine if not m.complete]
    with st.container(border=True):
        st.subheader("Your assignments")
        for item in pending:
            _render(actor, item, start)
        finished = [m for m in mine if m.complete]
        if finished:
            with st.expander(f"Finished ({len(finished)})"):
                for item in finished:
                    _render(actor, item, start)
