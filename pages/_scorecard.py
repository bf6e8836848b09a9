"""Rendering shared by the Practice and History pages: transcript, scorecard, changes, charts.

Every piece of text a candidate typed (and the scorer's quotes of it) goes through coach.practice.annotation's
escaping and st.html: nothing from an answer is ever read as HTML or Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import altair as alt
import streamlit as st

from coach.practice.annotation import COMPONENT_COLOURS, answer_html, escaped, legend_html, text_html
from coach.practice.workflow import Change
from coach.rubric import COMPONENT_NAMES, COMPONENTS, explain_flag
from coach.scorecard import Scorecard
from coach.storage.records import AttemptRecord

NAMES = [COMPONENT_NAMES[c] for c in COMPONENTS]
COLOURS = alt.Scale(domain=NAMES, range=[COMPONENT_COLOURS[c][1] for c in COMPONENTS])
INTERVIEWER = "🧑‍💼"
# A rewrite's prompt to the candidate, such as "[by how much?]", found in the already escaped text.
MISSING = re.compile(r"\[[^\[\]\n]{1,80}\?\]")
DISAGREEMENT_NOTE = "The LLM judge gave "  # coach.llm.reviewer.merge's note; shown here as its own block


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
    llm = card.extra.get("llm") if isinstance(card.extra.get("llm"), dict) else None
    if llm is not None:
        show_llm_status(card, llm)

    st.subheader("Flags")
    if card.flags:
        for flag in card.flags:
            st.html(f'<div class="coach-flag">⚑ <b>{escaped(flag)}</b>: {escaped(explain_flag(flag))}</div>')
    else:
        st.caption("No flags.")
    for note in card.notes:
        if llm is not None and (note == card.extra.get("fallback") or note.startswith(DISAGREEMENT_NOTE)):
            continue  # shown above, in the LLM's own block
        st.html(text_html(note, muted=True))

    st.subheader("Coaching")
    for c in COMPONENTS:
        score = card.components[c]
        st.markdown(f"**{COMPONENT_NAMES[c]}** · level {score.level}/4")
        st.html(text_html(score.feedback or "Nothing to add at this level."))

    if llm is not None:
        show_llm_feedback(llm)

    if card.related:
        st.subheader("Related cases")
        for related in card.related:
            with st.container(border=True):
                # An organisation's case (issue 13): a trainer's text, shown as typed.
                if related.id.startswith("org-"):
                    st.text(f"{related.title} ({related.kind}, your organisation's)")
                    st.text(f"Why it matched: {related.why}")
                    continue
                st.markdown(f"**{related.title}** ({related.kind})")
                st.caption(f"Why it matched: {related.why}")  # a passage of the case library's own Markdown
    if card.exemplar:
        with st.expander(f"A strong answer to compare (scored {card.exemplar.overall}/100)"):
            st.html(text_html(card.exemplar.answer))


def show_llm_status(card: Scorecard, llm: dict[str, Any]) -> None:
    """The fallback message, or each component where the judge and the built-in scorer disagreed."""
    if llm.get("status") == "fallback":
        reason = llm.get("message") or str(card.extra.get("fallback") or "no reason given")
        st.warning(f"LLM unavailable: {reason} — showing the built-in score.", icon="⚠️")
        return
    disagreements = card.extra.get("judge_disagreement") or []
    if not disagreements:
        return
    rows = "".join(
        f"<li><b>{escaped(COMPONENT_NAMES.get(str(d.get('component')), str(d.get('component'))))}</b>: "
        f"built-in {escaped(str(d.get('builtin')))}/4, LLM judge {escaped(str(d.get('llm')))}/4 "
        f"— built-in level kept ({escaped(str(d.get('reason', '')))})</li>"
        for d in disagreements
    )
    st.html(
        '<div class="coach-disagreement"><b>Judge disagreement</b>: where the LLM judge and the built-in '
        f"scorer differ by 2 or more levels, or the answer tries to instruct the scorer, the built-in level "
        f"is kept.<ul>{rows}</ul></div>"
    )


def rewrite_html(text: str) -> str:
    """The rewrite as escaped text, with each "[by how much?]" left for the candidate marked."""
    body = MISSING.sub(lambda m: f'<mark class="coach-missing">{m.group(0)}</mark>', escaped(text))
    return f'<div class="coach-rewrite" style="white-space:pre-wrap;line-height:1.6">{body}</div>'


def show_llm_feedback(llm: dict[str, Any]) -> None:
    """The LLM judge's feedback and rationale per component, and the rewrite of the candidate's answer."""
    if llm.get("status") == "ok":
        st.subheader(f"LLM coach ({llm.get('model', 'LLM')})")
        if llm.get("feedback"):
            st.html(text_html(str(llm["feedback"])))
        components = llm.get("components") or {}
        items = "".join(
            f"<li><b>{COMPONENT_NAMES[c]}</b> · LLM level {escaped(str(components[c].get('level')))}/4: "
            f"{escaped(str(components[c].get('rationale', '')))}</li>"
            for c in COMPONENTS
            if c in components
        )
        if items:
            st.html(f'<ul class="coach-rationale">{items}</ul>')
    rewrite = llm.get("rewrite")
    if isinstance(rewrite, dict) and rewrite.get("text"):
        st.subheader("Your answer, rewritten")
        st.caption("Your own facts, told more strongly. Fill in each marked gap with your real figure.")
        st.html(rewrite_html(str(rewrite["text"])))
        missing = [str(m) for m in rewrite.get("missing") or []]
        if missing:
            st.html(text_html("Still to fill in: " + "; ".join(missing), muted=True))
    elif llm.get("rewrite_error"):
        st.caption("No rewrite this time: the LLM did not provide one.")


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
