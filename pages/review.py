"""Reviewers: the queue of shared attempts (filtered, sorted and paged in SQL), one attempt reviewed blind and
then side by side with the coach, exports of the filtered queue and a PDF per attempt."""

from __future__ import annotations

from typing import Any

import streamlit as st

from coach.errors import CoachError
from coach.practice.annotation import escaped, text_html
from coach.review.exports import queue_csv, queue_json
from coach.review.queue import Filters, coach_card, comparison, reviewer_name, row_label, table_rows
from coach.review.report import review_pdf
from coach.rubric import COMPONENT_NAMES, COMPONENTS, FLAG_NAMES, Flag
from coach.storage.permissions import Permission
from coach.storage.review_queue import REVIEWED, SORTS
from coach.storage.reviews import ReviewSheet
from pages._auth import signed_in
from pages._gone_attempts import gone_attempts
from pages._resources import storage
from pages._scorecard import show_scorecard, show_transcript

ALL = 0
PAGE_SIZE = 25
LEVEL_HELP = "0 missing · 1 weak · 2 partial · 3 solid · 4 excellent, as the rubric's ladders define them"
SAVED_KEY = "review_saved"

actor = signed_in(Permission.READ_SHARED_ATTEMPTS)
store = storage()
queue, reviews = store.review_queue, store.reviews
policy = reviews.policy(actor)
st.title("Review")
if policy.blind:
    st.caption(
        "Blind review is on: the coach's levels, flags and highlights stay hidden until you have entered your "
        "own levels and a comment, and other reviewers' scores until your review is saved."
    )
gone_attempts(actor)  # issue 16: what candidates took back is named here, never shown

options = queue.options(actor)
if not options.candidates:
    st.info(
        "No shared attempts yet. Candidates of your organisation choose, for each answer, whether reviewers "
        "see it; shared answers appear here."
    )
    st.stop()

with st.expander("Filter and sort", expanded=True):
    cohort_col, who_col, which_col = st.columns([1, 2, 3])
    cohort_id = cohort_col.selectbox(
        "Cohort", [ALL, *options.cohorts], format_func=lambda i: options.cohorts.get(i, "All cohorts")
    )
    candidate_id = who_col.selectbox(
        "Candidate",
        [ALL, *options.candidates],
        format_func=lambda i: options.candidates.get(i, "All candidates"),
    )
    question_id = which_col.selectbox(
        "Question", ["", *options.questions], format_func=lambda q: options.questions.get(q, "All questions")
    )
    since_col, until_col, score_col, flag_col = st.columns([1, 1, 2, 2])
    start = since_col.date_input("From", value=None, key="review_from")
    end = until_col.date_input("To", value=None, key="review_to")
    low, high = score_col.slider("Coach's overall", 0, 100, (0, 100), step=5, key="review_overall")
    flags = flag_col.multiselect(
        "Coach's flags (any of)",
        list(FLAG_NAMES),
        format_func=lambda f: Flag(f).display_name,
        key="review_flags",
    )
    reviewed_col, fewer_col, sort_col = st.columns([2, 1, 2])
    reviewed = reviewed_col.selectbox("Reviewed", REVIEWED, key="review_reviewed")
    fewer_than = fewer_col.number_input(
        "N reviewers", 1, 20, 2, key="review_fewer", disabled=reviewed != "by fewer than"
    )
    sort = sort_col.selectbox("Sort by", SORTS, key="review_sort")
    if policy.blind:
        st.caption(
            "A coach's score you may not see yet counts as unknown: it sorts last and matches no score filter."
        )

filters = Filters(
    cohort_id=cohort_id or None,
    candidate_id=candidate_id or None,
    question_id=question_id or None,
    start=start,
    end=end,
    overall=(low, high),
    flags=tuple(flags),
    reviewed=reviewed,
    fewer_than=int(fewer_than),
    sort=sort,
)
query = filters.query()
page_number = int(st.session_state.get("review_page", 1))
found = queue.page(actor, query, page_number, PAGE_SIZE)
if not found.total:
    st.info("No shared attempts match these filters.")
    st.stop()

first = (found.page - 1) * found.size + 1
st.subheader(f"Shared attempts ({found.total})")
st.caption(
    f"Showing {first}–{first + len(found.rows) - 1} of {found.total}, page {found.page} of {found.pages}"
)
st.dataframe(table_rows(found.rows), hide_index=True)
pager, json_col, csv_col = st.columns([1, 1, 1])
pager.number_input("Page", 1, found.pages, found.page, key="review_page")
json_col.download_button(
    "Export JSON",
    lambda: queue_json(queue.all_rows(actor, query)),
    file_name="coach-reviews.json",
    mime="application/json",
)
csv_col.download_button(
    "Export CSV",
    lambda: queue_csv(queue.all_rows(actor, query)),
    file_name="coach-reviews.csv",
    mime="text/csv",
)

st.subheader("Review an attempt")
by_id = {row.attempt_id: row for row in found.rows}
opened_id = st.selectbox("Attempt", list(by_id), format_func=lambda i: row_label(by_id[i]), key="review_open")
opened = by_id[opened_id]
sheet: ReviewSheet = reviews.sheet(actor, opened_id)
named = [r.reviewer_id for r in (*sheet.attempt.reviews, *sheet.history)]
names = store.transcripts.member_emails(actor, named)
card = coach_card(sheet)

st.download_button(
    "PDF for the hiring file",
    lambda: review_pdf(sheet, opened.candidate, names),
    file_name=f"coach-review-{opened_id}.pdf",
    mime="application/pdf",
)
show_transcript(sheet.attempt, card)  # evidence highlights only once the coach's card may be seen
if sheet.coach_hidden:
    st.info(
        "Blind review: the coach's levels, flags and highlights are hidden until you have entered a level for "
        "every component and a comment."
    )
elif card is None:
    st.caption("The coach has no score for this transcript as it stands; your review does not need one.")
elif card.refused:
    st.caption(f"The coach did not score this answer: {card.refused}")
else:
    with st.expander(f"The coach's scorecard: {card.overall}/100", expanded=False):
        show_scorecard(card)


def review_form(key: str, start: dict[str, int] | None, comment: str, button: str) -> None:
    """Levels and a comment; what was typed stays in the form if it cannot be saved."""
    with st.form(key):
        st.caption(LEVEL_HELP)
        chosen: dict[str, Any] = {
            c: st.radio(
                COMPONENT_NAMES[c],
                [0, 1, 2, 3, 4],
                index=None if start is None else start[c],
                horizontal=True,
                key=f"{key}_{c}",
            )
            for c in COMPONENTS
        }
        needs_comment = (
            " (needed before the coach's levels are shown)" if policy.blind and start is None else ""
        )
        typed = st.text_area(
            f"Comment for the hiring team{needs_comment}", value=comment, key=f"{key}_comment"
        )
        save = st.form_submit_button(button, type="primary")
    if not save:
        return
    missing = [COMPONENT_NAMES[c] for c, level in chosen.items() if level is None]
    if missing:
        st.error(f"Give every component a level; missing: {', '.join(missing)}.")
        return
    try:
        entered = reviews.enter(actor, opened_id, {c: int(v) for c, v in chosen.items()}, typed)
    except CoachError as exc:
        st.error(str(exc))
        return
    st.session_state[SAVED_KEY] = (opened_id, "saved" if entered.saved else "pending")
    st.rerun()


def show_comments(sheet: ReviewSheet) -> None:
    for review in sheet.others:
        if review.comment.strip():
            st.html(
                f"<p><b>{escaped(reviewer_name(review, names))}</b>, {review.created_at:%d %b %Y %H:%M}:</p>"
                + text_html(review.comment)
            )
    mine = [h for h in sheet.history if h.reviewer_id == actor.user_id]
    if mine:
        with st.expander(f"Your earlier revisions ({len(mine)})"):
            st.dataframe(
                [{"revision": h.revision, "when": f"{h.created_at:%Y-%m-%d %H:%M}", "overall": h.overall,
                  **h.levels.model_dump(), "comment": h.comment} for h in mine],
                hide_index=True,
            )  # fmt: skip


just = st.session_state.pop(SAVED_KEY, None)
if sheet.pending is not None:
    st.subheader("Your levels beside the coach's")
    st.dataframe(comparison(sheet, names), hide_index=True)
    wanted = [g for g in sheet.gaps if g.component not in sheet.pending.reasons]
    st.warning(
        "Your levels are sealed: they were entered before you saw the coach's. Where you differ by 2 or more, "
        "say why in one line to save your review."
    )
    with st.form(f"reasons_{opened_id}"):
        reasons = {
            g.component: st.text_input(
                f"Why {COMPONENT_NAMES[g.component]}: you gave {g.reviewer}, the coach {g.coach}",
                key=f"reason_{opened_id}_{g.component}",
                max_chars=300,
            )
            for g in wanted
        }
        send = st.form_submit_button("Save my review", type="primary")
    if send:
        try:
            reviews.give_reasons(actor, opened_id, reasons)
        except CoachError as exc:
            st.error(str(exc))
        else:
            st.session_state[SAVED_KEY] = (opened_id, "saved")
            st.rerun()
elif sheet.mine is not None:
    if just == (opened_id, "saved"):
        st.success("Review saved. It is in the table below, in the exports and in the PDF.")
    st.subheader("Your review beside the coach's and the other reviewers'")
    st.dataframe(comparison(sheet, names), hide_index=True)
    show_comments(sheet)
    with st.expander("Revise my review"):
        st.caption("The history keeps your earlier revision.")
        review_form(
            f"revise_{opened_id}", sheet.mine.levels.model_dump(), sheet.mine.comment, "Save the revision"
        )
else:
    if not sheet.others_hidden and sheet.others:
        st.markdown("**Reviews so far**")
        st.dataframe(comparison(sheet, names), hide_index=True)
        show_comments(sheet)
    elif sheet.attempt.reviews == () and sheet.others_hidden:
        st.caption("Other reviewers' scores stay hidden until your review is in.")
    st.markdown("**Your scores**")
    button = "Save and compare with the coach" if policy.blind else "Save my review"
    review_form(f"review_{opened_id}", None, "", button)
