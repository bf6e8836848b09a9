"""Agreement for the hiring team: coach vs reviewers and reviewer vs reviewer per component, by month, and each
reviewer's lean (who is harsh, who is lenient)."""

from __future__ import annotations

import altair as alt
import streamlit as st

from coach.review.agreement import ALL, SCOPES, PairAgreement
from coach.review.queue import org_agreement
from coach.rubric import COMPONENT_NAMES
from coach.storage.permissions import Permission
from pages._auth import signed_in
from pages._resources import storage

actor = signed_in(Permission.READ_SHARED_ATTEMPTS)
st.title("Agreement")
figures = org_agreement(storage().reviews, actor)
if not figures.reviews:
    st.info(
        "No reviews yet. Once reviewers score shared attempts, their agreement with the coach shows here."
    )
    st.stop()


def _name(scope: str) -> str:
    return "All five components" if scope == ALL else COMPONENT_NAMES[scope]


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _kappa(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _pair(prefix: str, pair: PairAgreement) -> dict[str, str | int]:
    return {
        f"{prefix} kappa": _kappa(pair.kappa),
        f"{prefix} exact": _share(pair.exact),
        f"{prefix} within one": _share(pair.within_one),
        f"{prefix} pairs": pair.n,
    }


st.caption(
    f"{figures.reviews} reviews of {figures.attempts} shared attempts. Kappa is quadratic weighted (1 = full "
    "agreement, 0 = chance); Krippendorff's alpha (interval) takes every rater, the coach included. "
    "n/a: too few pairs, or every level the same."
)
overall = figures.scope(ALL)
left, middle, right = st.columns(3)
left.metric("Coach vs reviewers, kappa", _kappa(overall.coach_vs_reviewers.kappa))
middle.metric("Reviewer vs reviewer, kappa", _kappa(overall.between_reviewers.kappa))
right.metric("Krippendorff's alpha", _kappa(overall.alpha))

st.subheader("Per component")
st.dataframe(
    [
        {
            "component": _name(s.scope),
            **_pair("coach vs reviewers:", s.coach_vs_reviewers),
            **_pair("reviewer vs reviewer:", s.between_reviewers),
            "alpha": _kappa(s.alpha),
        }
        for s in figures.scopes
    ],
    hide_index=True,
)

st.subheader("Over time")
scope = st.selectbox("Component", SCOPES, index=len(SCOPES) - 1, format_func=_name, key="agreement_scope")
rows = figures.month_rows(scope)
if rows:
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title="Month of the review"),
            y=alt.Y("value:Q", scale=alt.Scale(domain=[-1, 1]), title="Agreement"),
            color=alt.Color("measure:N", title=None),
            strokeDash=alt.StrokeDash("measure:N", title=None),  # not colour alone
            tooltip=["month:O", "measure:N", alt.Tooltip("value:Q", format=".2f"), "pairs:Q"],
        )
    )
    st.altair_chart(chart, alt=f"Agreement by month for {_name(scope)}")
else:
    st.caption("Not enough pairs in any month yet to chart.")

st.subheader("Per reviewer")
st.caption(
    "Lean in levels: above 0 the reviewer scores higher than the coach (or than the other reviewers of the "
    "same attempts), below 0 harsher."
)
st.dataframe(
    [
        {
            "reviewer": lean.reviewer,
            "reviews": lean.reviews,
            "lean vs coach": None if lean.gap_to_coach[ALL] is None else round(lean.gap_to_coach[ALL], 2),
            "lean vs other reviewers": None
            if lean.gap_to_others[ALL] is None
            else round(lean.gap_to_others[ALL], 2),
            "kappa vs coach": _kappa(lean.vs_coach.kappa),
            "exact vs coach": _share(lean.vs_coach.exact),
            **{
                f"{COMPONENT_NAMES[c]} vs coach": None if (g := lean.gap_to_coach[c]) is None else round(g, 2)
                for c in SCOPES
                if c != ALL
            },
        }
        for lean in figures.reviewers
    ],
    hide_index=True,
)
