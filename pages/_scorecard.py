"""Rendering shared by the Practice and History pages: transcript, scorecard, changes, charts.

Every piece of text a candidate typed (and the scorer's quotes of it) goes through coach.annotation's
escaping and st.html: nothing from an answer is ever read as HTML or Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import streamlit as st

from coach.annotation import (
    COMPONENT_COLOURS,
    COMPONENT_NAMES,
    answer_html,
    escaped,
    explain_flag,
    legend_html,
    text_html,
)
from coach.practice import Change
from coach.scorecard import Scorecard
from coach.scoring_model import COMPONENTS
from coach.transcripts import AttemptRecord

NAMES = [COMPONENT_NAMES[c] for c in COMPONENTS]
COLOURS = alt.Scale(domain=NAMES, range=[COMPONENT_COLOURS[c][1] for c in COMPONENTS])
INTERVIEWER = "🧑‍💼"


def show_transcript(attempt: AttemptRecord, card: Scorecard | None) -> None:
    """The exchange as a chat, the candidate's words with their evidence highlighted and labelled."""
    evidence = {c: card.components[c].evidence for c in COMPONENTS} if card and not card.refused else {}
    if evidence:
        st.html(legend_html())
    with st.chat_message("assistant", avatar=INTERVIEWER):
        st.html(text_html(attempt.question_text))
    with st.chat_message("user"):
        st.html(answer_html(attempt.answer, evidence))
    for turn in attempt.turns:
        with st.chat_message("assistant", avatar=INTERVIEWER):
            st.html(text_html(turn.question))
        with st.chat_message("user"):
            st.html(answer_html(turn.answer, evidence))


def levels_chart(card: Scorecard) -> alt.LayerChart:
    values = [{"component": COMPONENT_NAMES[c], "level": card.components[c].level} for c in COMPONENTS]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("component:N", sort=NAMES, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(
            "level:Q",
            scale=alt.Scale(domain=[0, 4]),
            axis=alt.Axis(values=[0, 1, 2, 3, 4]),
            title="Level (0-4)",
        ),
    )
    bars = base.mark_bar().encode(color=alt.Color("component:N", scale=COLOURS, legend=None))
    return bars + base.mark_text(dy=-8, fontWeight="bold").encode(text="level:Q")


def _signed(delta: int) -> str | int:
    # A number 0 shows as a grey "no change"; anything else carries its sign in text beside the arrow.
    return 0 if delta == 0 else f"{delta:+d}"


def show_changes(changes: Sequence[Change]) -> None:
    """Per component, the level now and its change (signed numbers: colour is not the only cue)."""
    for change in changes:
        st.markdown(f"**Change {change.label}**")
        cols = st.columns(len(COMPONENTS) + 1)
        cols[0].metric("Overall", change.overall_after, _signed(change.overall_delta))
        for col, c in zip(cols[1:], COMPONENTS, strict=True):
            col.metric(COMPONENT_NAMES[c], change.after[c], _signed(change.deltas[c]))


def show_scorecard(card: Scorecard, changes: Sequence[Change] = ()) -> None:
    if card.refused:
        st.warning(f"Not scored: {card.refused}")
        return
    left, right = st.columns([1, 3])
    left.metric("Overall score", f"{card.overall}/100")
    left.caption(f"{card.word_count} words · scorer {card.scorer}")
    right.altair_chart(levels_chart(card), height=240, alt="The five component levels, 0 to 4")
    st.html(
        '<div class="coach-levels">'
        + " · ".join(f"{COMPONENT_NAMES[c]} {card.components[c].level}/4" for c in COMPONENTS)
        + "</div>"
    )
    show_changes(changes)

    st.subheader("Flags")
    if card.flags:
        for flag in card.flags:
            st.html(f'<div class="coach-flag">⚑ <b>{escaped(flag)}</b>: {escaped(explain_flag(flag))}</div>')
    else:
        st.caption("No flags.")
    for note in card.notes:
        st.html(text_html(note, muted=True))

    st.subheader("Coaching")
    for c in COMPONENTS:
        score = card.components[c]
        st.markdown(f"**{COMPONENT_NAMES[c]}** · level {score.level}/4")
        st.html(text_html(score.feedback or "Nothing to add at this level."))

    if card.related:
        st.subheader("Related cases")
        for related in card.related:
            with st.container(border=True):
                st.markdown(f"**{related.title}** ({related.kind})")
                st.caption(f"Why it matched: {related.why}")  # a passage of the case library's own Markdown
    if card.exemplar:
        with st.expander(f"A strong answer to compare (scored {card.exemplar.overall}/100)"):
            st.html(text_html(card.exemplar.answer))


def progress_charts(
    overall: list[dict[str, Any]], levels: list[dict[str, Any]]
) -> tuple[alt.Chart, alt.Chart]:
    x = alt.X("attempt:O", title="Attempt", axis=alt.Axis(labelAngle=0))
    overall_chart = (
        alt.Chart(alt.Data(values=overall))
        .mark_line(point=True)
        .encode(x=x, y=alt.Y("overall:Q", scale=alt.Scale(domain=[0, 100]), title="Overall (0-100)"))
    )
    # Grouped bars, not lines: five components often share a level, and overlapping lines hide each other.
    level_chart = (
        alt.Chart(alt.Data(values=levels))
        .mark_bar()
        .encode(
            x=x,
            xOffset=alt.XOffset("component:N", sort=NAMES),
            y=alt.Y(
                "level:Q",
                scale=alt.Scale(domain=[0, 4]),
                axis=alt.Axis(values=[0, 1, 2, 3, 4]),
                title="Level (0-4)",
            ),
            color=alt.Color("component:N", scale=COLOURS, sort=NAMES, title="Component"),
            tooltip=["attempt:O", "component:N", "level:Q"],
        )
    )
    return overall_chart, level_chart
