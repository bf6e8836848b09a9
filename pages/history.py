"""History and progress: scores over attempts, every attempt reopened read-only, JSON/CSV/PDF exports."""

from __future__ import annotations

import streamlit as st

from coach.practice.annotation import text_html
from coach.practice.export import attempts_csv, attempts_json
from coach.practice.progress import answered_questions, load_history, short_question
from coach.practice.report import attempt_pdf
from coach.rubric import COMPONENT_NAMES, COMPONENTS
from coach.storage.permissions import Permission
from pages._attempt_controls import attempt_controls
from pages._auth import signed_in
from pages._progress_charts import progress_charts
from pages._resources import practice, storage
from pages._scorecard import show_details, show_summary, show_transcript

ALL = ""

actor = signed_in(Permission.PRACTISE)
transcripts = storage().transcripts
st.title("History")

questions = answered_questions(transcripts, actor)
if not questions:
    st.info("No attempts yet. Answer a question on the Practice page and your scores will show here.")
    st.page_link("pages/practice.py", label="Go to Practice", icon="🎯")
    st.stop()

pick, since, until = st.columns([3, 1, 1])
question_id = pick.selectbox(
    "Question",
    [ALL, *questions],
    format_func=lambda i: "All questions" if i == ALL else questions[i],
    key="history_question",
)
start = since.date_input("From", value=None, key="history_from")
end = until.date_input("To", value=None, key="history_to")
history = load_history(transcripts, actor, question_id=question_id or None, start=start, end=end)
if not history.entries:
    st.info("No attempts match these filters.")
    st.stop()

st.subheader("Progress")
overall, levels = history.overall_series(), history.level_series()
if overall:
    overall_chart, level_chart = progress_charts(overall, levels)
    left, right = st.columns(2)
    left.altair_chart(overall_chart, alt="Overall score for each scored attempt, oldest first")
    right.altair_chart(level_chart, alt="Each component's level for each scored attempt, oldest first")
else:
    st.caption("No scored attempts in this view yet.")

st.subheader(f"Attempts ({len(history.entries)})")
st.dataframe(
    [
        {
            "#": e.number,
            "when (UTC)": e.attempt.created_at.strftime("%Y-%m-%d %H:%M"),
            "question": short_question(e.attempt.question_text),
            "overall": e.card.overall if e.card and not e.card.refused else None,
            **(
                {c: e.card.components[c].level for c in e.card.components}
                if e.card and not e.card.refused
                else {}
            ),
            "follow-ups": len(e.attempt.turns),
            "status": e.attempt.status if not (e.card and e.card.refused) else "refused",
        }
        for e in history.entries
    ],
    hide_index=True,
)
json_col, csv_col = st.columns(2)
json_col.download_button(
    "Export JSON", attempts_json(history.entries), file_name="coach-attempts.json", mime="application/json"
)
csv_col.download_button(
    "Export CSV", attempts_csv(history.entries), file_name="coach-attempts.csv", mime="text/csv"
)

st.subheader("Reopen an attempt")
labels = {e.attempt.id: e.label for e in history.entries}
opened_id = st.selectbox("Attempt", list(labels), format_func=labels.__getitem__, key="history_open")
entry = history.get(opened_id)
if entry is not None:
    outcome = practice().open(actor, entry.attempt.id)
    st.download_button(
        "Download PDF report",
        attempt_pdf(outcome.attempt, outcome.card),
        file_name=f"coach-attempt-{outcome.attempt.id}.pdf",
        mime="application/pdf",
    )
    st.caption("Read-only: to answer again, use Try again on the Practice page.")
    if attempt_controls(actor, outcome.attempt):
        st.rerun()
    if outcome.card is not None:
        show_summary(outcome.card, outcome.changes)
    show_transcript(outcome.attempt, outcome.card)
    if outcome.error:
        st.error(outcome.error)
        if st.button("Score again", type="primary"):
            with st.spinner("Scoring..."):
                practice().score_again(actor, outcome.attempt.id)
            st.rerun()
    elif outcome.card is not None:
        show_details(outcome.card)
    # Present only when the organisation lets candidates see reviews (coach.storage.review_policy).
    if outcome.attempt.reviews:
        st.subheader("Reviews from the hiring team")
        for review in outcome.attempt.reviews:
            levels = review.levels.model_dump()
            st.markdown(f"**{review.created_at:%d %b %Y}** · overall {review.overall}/100")
            st.caption(" · ".join(f"{COMPONENT_NAMES[c]} {levels[c]}/4" for c in COMPONENTS))
            if review.comment.strip():
                st.html(text_html(review.comment))
