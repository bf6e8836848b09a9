"""Reviewers: the attempts candidates shared, the scorer's result beside the transcript, your own scores, exports."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from coach.practice.annotation import escaped, text_html
from coach.practice.review_queue import load_queue, queue_csv, queue_filters, queue_json
from coach.rubric import COMPONENT_NAMES, COMPONENTS
from coach.storage.permissions import Permission
from pages._auth import signed_in
from pages._resources import storage
from pages._scorecard import show_scorecard, show_transcript

ALL = 0
LEVEL_HELP = "0 missing · 1 weak · 2 partial · 3 solid · 4 excellent, as the rubric's ladders define them"

actor = signed_in(Permission.READ_SHARED_ATTEMPTS)
transcripts = storage().transcripts
st.title("Review")

candidates, questions = queue_filters(transcripts, actor)
if not candidates:
    st.info(
        "No shared attempts yet. Candidates of your organisation choose, for each answer, whether reviewers "
        "see it; shared answers appear here."
    )
    st.stop()

who, which, since, until = st.columns([2, 3, 1, 1])
candidate_id = who.selectbox(
    "Candidate", [ALL, *candidates], format_func=lambda i: "All candidates" if i == ALL else candidates[i]
)
question_id = which.selectbox(
    "Question", ["", *questions], format_func=lambda q: "All questions" if not q else questions[q]
)
start = since.date_input("From", value=None, key="review_from")
end = until.date_input("To", value=None, key="review_to")
pending = st.toggle("Only attempts I have not reviewed", key="review_pending")
items = load_queue(
    transcripts,
    actor,
    question_id=question_id or None,
    candidate_id=candidate_id or None,
    start=start,
    end=end,
    unreviewed_by_me=pending,
)
if not items:
    st.info("No shared attempts match these filters.")
    st.stop()

st.subheader(f"Shared attempts ({len(items)})")
st.dataframe(
    [
        {
            "attempt": item.attempt.id,
            "candidate": item.candidate,
            "when (UTC)": item.attempt.created_at.strftime("%Y-%m-%d %H:%M"),
            "question": item.attempt.question_id,
            "scorer": item.card.overall if item.card and not item.card.refused else None,
            "reviews": len(item.attempt.reviews),
            "mine": "yes" if item.reviews_by(actor.user_id) else "",
        }
        for item in items
    ],
    hide_index=True,
)
json_col, csv_col = st.columns(2)
json_col.download_button(
    "Export JSON", queue_json(items), file_name="coach-reviews.json", mime="application/json"
)
csv_col.download_button("Export CSV", queue_csv(items), file_name="coach-reviews.csv", mime="text/csv")

st.subheader("Review an attempt")
by_id = {item.attempt.id: item for item in items}
opened = by_id[st.selectbox("Attempt", list(by_id), format_func=lambda i: by_id[i].label, key="review_open")]
card = opened.card
show_transcript(opened.attempt, card)
if card is None:
    st.caption("The coach has not scored this attempt yet; your review does not need its score.")
elif card.refused:
    st.caption(f"The coach did not score this answer: {card.refused}")
else:
    with st.expander(f"The coach's scorecard: {card.overall}/100", expanded=False):
        show_scorecard(card)

if opened.attempt.reviews:
    st.markdown("**Reviews so far**")
    st.dataframe(opened.score_table(), hide_index=True)
    for review in opened.attempt.reviews:
        if review.comment.strip():
            st.html(
                f"<p><b>{escaped(opened.reviewer_of(review))}</b>, "
                f"{review.created_at:%d %b %Y %H:%M}:</p>{text_html(review.comment)}"
            )

with st.form(f"review_{opened.attempt.id}", clear_on_submit=True):
    st.markdown("**Your scores**")
    st.caption(LEVEL_HELP)
    chosen = {
        c: st.radio(COMPONENT_NAMES[c], [0, 1, 2, 3, 4], index=None, horizontal=True, key=f"level_{c}")
        for c in COMPONENTS
    }
    comment = st.text_area("Comment for the hiring team (optional)")
    save = st.form_submit_button("Save my review", type="primary")
if save:
    missing = [COMPONENT_NAMES[c] for c, level in chosen.items() if level is None]
    if missing:
        st.error(f"Give every component a level; missing: {', '.join(missing)}.")
    else:
        try:
            transcripts.add_review(
                actor, opened.attempt.id, {c: int(v) for c, v in chosen.items() if v is not None}, comment
            )
        except CoachError as exc:
            st.error(str(exc))
        else:
            st.session_state["review_saved"] = opened.attempt.id
            st.rerun()
if st.session_state.pop("review_saved", None) == opened.attempt.id:
    st.success("Review saved. It is in the table above and in the exports.")
