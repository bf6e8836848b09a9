"""Rendering shared by the Practice and History pages: transcript, scorecard, changes (charts: _progress_charts).

Every piece of text a candidate typed (and the scorer's quotes of it) goes through coach.practice.annotation's
escaping and st.html: nothing from an answer is ever read as HTML or Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import streamlit as st

from coach.practice.annotation import COMPONENT_COLOURS, answer_html, escaped, legend_html, text_html
from coach.practice.focus import exemplar_to_show, most_useful_point
from coach.practice.workflow import Change
from coach.rubric import COMPONENT_NAMES, COMPONENTS, MAX_LEVEL, explain_flag
from coach.scorecard import FallbackReview, JudgeReview, LLMReview, Scorecard
from coach.storage.records import AttemptRecord

NAMES = [COMPONENT_NAMES[c] for c in COMPONENTS]
INTERVIEWER = "🧑‍💼"
LIBRARY_PAGE = "pages/library.py"
OPEN_CASE = "open_case"  # the case the Case library page shows in full (pages/library.py reads it)
# A rewrite's prompt to the candidate, such as "[by how much?]", found in the already escaped text.
MISSING = re.compile(r"\[[^\[\]\n]{1,80}\?\]")


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


def levels_html(card: Scorecard) -> str:
    """The five levels as text ("Analyze 2/4") with a four-step gauge beside each: the text is the cue, the
    gauge lets the weak part stand out at a glance; it wraps to two or three a row on a phone."""
    items = []
    for c in COMPONENTS:
        level, (light, dark) = card.components[c].level, COMPONENT_COLOURS[c]
        steps = "".join(
            f'<span style="display:inline-block;width:0.9em;height:0.55em;margin-right:2px;border-radius:2px;'
            f'background:{dark if i < level else light}"></span>'
            for i in range(MAX_LEVEL)
        )
        items.append(
            f'<li style="flex:1 1 8.5rem;list-style:none;border:1px solid {light};border-left:4px solid {dark};'
            f'border-radius:6px;padding:0.35rem 0.6rem"><span style="font-weight:600">{COMPONENT_NAMES[c]}'
            f'</span> <b class="coach-level">{level}/{MAX_LEVEL}</b><br><span aria-hidden="true">{steps}</span>'
            "</li>"
        )
    return (
        '<ul class="coach-levels" aria-label="Level per component" style="display:flex;flex-wrap:wrap;'
        f'gap:0.4rem;padding:0;margin:0">{"".join(items)}</ul>'
    )


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
    """The whole card in one column (the review page, beside its transcript)."""
    show_summary(card, changes)
    show_details(card)


def show_summary(card: Scorecard, changes: Sequence[Change] = ()) -> None:
    """What reads first: the overall, the five levels, the one point to work on, the flags, what changed."""
    if card.refused:
        st.warning(f"Not scored: {card.refused}")
        return
    left, right = st.columns([1, 3], vertical_alignment="center")
    left.metric("Overall score", f"{card.overall}/100")
    left.caption(f"{card.word_count} words · scorer {card.scorer}")
    right.html(levels_html(card))
    point = most_useful_point(card)
    if point is not None:
        st.html(
            '<div class="coach-focus" style="border-left:4px solid #0f766e;background:#f0fdfa;border-radius:6px;'
            'padding:0.5rem 0.8rem"><div style="font-weight:700">Work on this first: '
            f"{escaped(point.title)}</div>{text_html(point.text)}</div>"
        )
    if card.flags:
        for flag in card.flags:
            st.html(f'<div class="coach-flag">⚑ <b>{escaped(flag)}</b>: {escaped(explain_flag(flag))}</div>')
    else:
        st.caption("No flags.")
    for note in card.notes:  # the scorer's; the LLM review's are in its own block above
        st.html(text_html(note, muted=True))
    show_changes(changes)
    if card.llm is not None:
        show_llm_status(card.llm)


def open_in_library(doc_id: str) -> None:
    """Switch to the Case library page with this case open (its "Back to results" goes to the library)."""
    st.session_state[OPEN_CASE] = doc_id
    st.switch_page(LIBRARY_PAGE)


def show_details(card: Scorecard, key: str = "card") -> None:
    """Below the transcript: coaching for every part, the LLM's view, related cases, a stronger answer.
    `key` tells apart the buttons of two cards on one page."""
    if card.refused:
        return
    st.subheader("Coaching")
    for c in COMPONENTS:
        score = card.components[c]
        st.markdown(f"**{COMPONENT_NAMES[c]}** · level {score.level}/4")
        st.html(text_html(score.feedback or "Nothing to add at this level."))

    if card.llm is not None:
        show_llm_feedback(card.llm)

    if card.related:
        st.subheader("Related cases")
        if card.pattern is not None:
            cases = any(r.kind == "case" for r in card.related)
            st.caption(  # the pattern's title is the shipped library's own text
                f"Your story reads like the failure pattern **{card.pattern.title}**: "
                + (
                    "failed campaigns that went wrong that way, or the nearest other way."
                    if cases
                    else "no case in the library shows it yet."
                )
            )
        for related in card.related:
            with st.container(border=True):
                # An organisation's case (issue 13): a trainer's text, shown as typed.
                if related.id.startswith("org-"):
                    st.text(f"{related.title} ({related.kind}, your organisation's)")
                    st.text(f"Why it matched: {related.why}")
                else:
                    st.markdown(f"**{related.title}** ({related.kind})")
                    st.caption(f"Why it matched: {related.why}")  # the case library's own Markdown
                if st.button(
                    "Open in the case library", key=f"related_{key}_{related.id}", icon=":material/menu_book:"
                ):
                    open_in_library(related.id)
    exemplar = exemplar_to_show(card)
    if exemplar is not None:
        with st.expander(f"A strong answer to compare (scored {exemplar.overall}/100)"):
            st.html(text_html(exemplar.answer))


def show_llm_status(llm: LLMReview) -> None:
    """The fallback message, or each component where the judge and the built-in scorer disagreed."""
    if isinstance(llm, FallbackReview):
        st.warning(
            f"LLM unavailable: {llm.message or 'no reason given'} — showing the built-in score.", icon="⚠️"
        )
        return
    if not llm.disagreements:
        return
    rows = "".join(
        f"<li><b>{COMPONENT_NAMES[d.component]}</b>: built-in {d.builtin}/4, LLM judge {d.llm}/4 "
        f"— built-in level kept ({escaped(d.reason)})</li>"
        for d in llm.disagreements
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


def show_llm_feedback(llm: LLMReview) -> None:
    """The LLM judge's feedback and rationale per component, and the rewrite of the candidate's answer."""
    if isinstance(llm, JudgeReview):
        st.subheader(f"LLM coach ({llm.model or 'LLM'})")
        if llm.feedback:
            st.html(text_html(llm.feedback))
        items = "".join(
            f"<li><b>{COMPONENT_NAMES[c]}</b> · LLM level {judged.level}/4: {escaped(judged.rationale)}</li>"
            for c, judged in llm.components.items()
        )
        st.html(f'<ul class="coach-rationale">{items}</ul>')
    if llm.rewrite is not None and llm.rewrite.text:
        st.subheader("Your answer, rewritten")
        st.caption("Your own facts, told more strongly. Fill in each marked gap with your real figure.")
        st.html(rewrite_html(llm.rewrite.text))
        if llm.rewrite.missing:
            st.html(text_html("Still to fill in: " + "; ".join(llm.rewrite.missing), muted=True))
    elif llm.rewrite_error:
        st.caption("No rewrite this time: the LLM did not provide one.")
