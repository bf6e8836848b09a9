"""Trainers: label shared attempts with their own levels and flags, and see how far the scorer agrees."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from coach.config import get_settings
from coach.errors import CoachError
from coach.practice.annotation import text_html
from coach.practice.calibration import calibrate, scorer_levels
from coach.practice.org_scorer import saved_training
from coach.practice.workflow import transcript_lines
from coach.rubric import (
    COMPONENT_NAMES,
    COMPONENT_QUESTIONS,
    COMPONENTS,
    FLAG_NAMES,
    LEVEL_MEANINGS,
    explain_flag,
)
from coach.storage.permissions import Permission
from pages._auth import signed_in
from pages._resources import storage

OPEN, VIEW = "calibration_attempt", "calibration_view"
AGREEMENT, LABEL = "Agreement", "Label an attempt"
actor = signed_in(Permission.CALIBRATE)
labels_store = storage().labels
state = st.session_state
st.title("Calibration")
if "calibration_flash" in state:
    st.success(state.pop("calibration_flash"))

labels = labels_store.labels(actor)
result = calibrate(labels)
view = st.radio("View", [AGREEMENT, LABEL], horizontal=True, key=VIEW, label_visibility="collapsed")


def _open(attempt_id: int) -> None:
    """A disagreement's attempt, opened in the labelling view: one click."""
    state[OPEN], state[VIEW] = attempt_id, LABEL


def _pct(value: float) -> str:
    return "–" if value != value else f"{value:.0%}"  # NaN: no labels


if view == AGREEMENT:
    n = result.agreement.n
    st.caption(
        f"The scorer's levels (as each candidate saw them) against {n} trainer label(s) of your organisation"
        + (
            f"; {result.unscored} label(s) on attempts without a usable score left out."
            if result.unscored
            else "."
        )
    )
    if n == 0:
        st.info("No labels yet: open “Label an attempt” and give a few shared attempts your own levels.")
    else:
        st.dataframe(
            [
                {
                    "component": COMPONENT_NAMES[c.component],
                    "quadratic weighted kappa": "–" if c.qwk is None else f"{c.qwk:.2f}",
                    "exact agreement": _pct(c.exact),
                    "within one level": _pct(c.within_one),
                }
                for c in result.agreement.components
            ],
            hide_index=True,
        )
        st.subheader("Confusion per component")
        st.caption("Rows: the trainers' level; columns: the scorer's. Agreement lies on the diagonal.")
        cells = pd.DataFrame(
            [
                {"component": COMPONENT_NAMES[c.component], "trainer": t, "scorer": s, "attempts": count}
                for c in result.agreement.components
                for t, row in enumerate(c.confusion)
                for s, count in enumerate(row)
            ]
        )
        base = alt.Chart(cells).encode(
            x=alt.X("scorer:O", title="scorer's level"), y=alt.Y("trainer:O", title="trainers' level")
        )
        heat = base.mark_rect().encode(color=alt.Color("attempts:Q", scale=alt.Scale(scheme="blues")))
        text = base.mark_text().encode(text="attempts:Q")
        st.altair_chart(
            (heat + text)
            .properties(width=150, height=150)
            .facet(column=alt.Column("component:N", sort=list(COMPONENT_NAMES.values())))
        )
        st.subheader("Where they disagree most")
        if not result.disagreements:
            st.write("The scorer matches every label exactly.")
        for item in result.disagreements:
            cols = st.columns([4, 1])
            gaps = ", ".join(
                f"{COMPONENT_NAMES[c]} {item.trainer[c]} vs {item.scorer[c]}"
                for c in COMPONENTS
                if item.trainer[c] != item.scorer[c]
            )
            cols[0].text(
                f"Attempt {item.attempt.id} · {item.distance} level(s) apart · trainer vs scorer: {gaps}"
            )
            cols[1].button(
                "Open", key=f"calibration_open_{item.attempt.id}", on_click=_open, args=(item.attempt.id,)
            )

    st.subheader("Your organisation's own scorer")
    trained = saved_training(get_settings(), actor.organisation_id)
    if trained is None:
        st.info(
            "Not trained yet. With enough labels, an administrator runs `coach train --include-org "
            f"{actor.organisation_id}`: the organisation's labels are added to the training data, a quarter "
            "held back to measure agreement before and after, and the new scorer is used for your "
            "organisation only."
        )
    else:
        st.caption(
            f"Trained {trained['trained_at']} with {trained['trained_on']} labelled attempt(s); agreement on the "
            f"{trained['held_back']} held back from training."
        )
        st.dataframe(
            [
                {
                    "component": COMPONENT_NAMES[c],
                    "kappa before (built-in)": trained["before"]["components"][c]["qwk"],
                    "kappa after (yours)": trained["after"]["components"][c]["qwk"],
                    "exact before": trained["before"]["components"][c]["exact"],
                    "exact after": trained["after"]["components"][c]["exact"],
                }
                for c in COMPONENTS
            ],
            hide_index=True,
        )

else:
    attempts = {a.id: a for a in labels_store.shared_attempts(actor)}
    if not attempts:
        st.info("No scored attempts are shared in your organisation yet.")
        st.stop()
    ids = list(attempts)
    if state.get(OPEN) not in attempts:
        state[OPEN] = ids[0]
    mine = {x.attempt.id: x.label for x in labels if x.label.trainer_id == actor.user_id}
    attempt_id = st.selectbox(
        "Attempt",
        ids,
        format_func=lambda i: (
            f"Attempt {i} · {attempts[i].created_at:%Y-%m-%d} · {attempts[i].question_id}"
            + (" · labelled by you" if i in mine else "")
        ),
        key=OPEN,
    )
    attempt = attempts[attempt_id]
    scored = scorer_levels(attempt) or {}
    left, right = st.columns([3, 2])
    with left:
        for speaker, said in transcript_lines(attempt):
            st.markdown(f"**{speaker}**")
            st.html(text_html(said))
        if scored:
            st.caption(
                "The scorer's levels: " + ", ".join(f"{COMPONENT_NAMES[c]} {scored[c]}" for c in COMPONENTS)
            )
    with right:
        with st.expander("The rubric", expanded=True):
            for c in COMPONENTS:
                st.markdown(f"**{COMPONENT_NAMES[c]}**: {COMPONENT_QUESTIONS[c]}")
            st.markdown("\n".join(f"- **{level}** {meaning}" for level, meaning in LEVEL_MEANINGS.items()))
        previous = mine.get(attempt_id)
        with st.form(f"label-{attempt_id}"):
            levels = {
                c: st.select_slider(
                    COMPONENT_NAMES[c],
                    options=list(LEVEL_MEANINGS),
                    value=previous.levels[c] if previous else scored.get(c, 2),
                    key=f"label-{attempt_id}-{c}",
                )
                for c in COMPONENTS
            }
            flags = st.multiselect(
                "Flags",
                list(FLAG_NAMES),
                default=list(previous.flags) if previous else [],
                format_func=lambda f: f"{f}: {explain_flag(f)}",
                key=f"label-{attempt_id}-flags",
            )
            if st.form_submit_button("Save my label", type="primary"):
                try:
                    labels_store.set_label(actor, attempt_id, levels, flags)
                except CoachError as exc:
                    st.error(f"Not saved: {exc}")
                else:
                    state["calibration_flash"] = f"Saved your label for attempt {attempt_id}."
                    st.rerun()
