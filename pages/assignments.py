"""Trainers: set a cohort questions (each optionally with a case to rehearse) due by a date; see completion and
scores per candidate and per question."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from coach.errors import CoachError
from coach.practice.assignment_progress import progress_tables
from coach.practice.workflow import question_choices
from coach.storage.assignments import AssignedItem
from coach.storage.permissions import Permission
from pages._auth import signed_in
from pages._resources import casebook, storage

NO_CASE = ""
actor = signed_in(Permission.ASSIGN_PRACTICE)
store = storage()
state = st.session_state
st.title("Assignments")
if "assignments_flash" in state:
    st.success(state.pop("assignments_flash"))

cohorts = {c.id: c for c in store.cohorts.list_cohorts(actor)}
if not cohorts:
    st.info("Create a cohort and put candidates in it first (Questions & cohorts).")
    st.stop()

with st.expander("New assignment", expanded=not store.assignments.list_assignments(actor)):
    questions = {q.id: q for q in question_choices(store.questions, actor)}
    cases = {d.id: d for d in casebook().case_documents(actor)}
    title = st.text_input("Title *", key="assign_title", placeholder="Week 1: the failure question")
    cohort_col, due_col = st.columns(2)
    cohort_id = cohort_col.selectbox(
        "Cohort", list(cohorts), format_func=lambda i: cohorts[i].name, key="assign_cohort"
    )
    due = due_col.date_input("Due", value=dt.date.today() + dt.timedelta(days=7), key="assign_due")
    chosen = st.multiselect(
        "Questions *",
        list(questions),
        format_func=lambda i: f"{questions[i].text} [{i}]",
        key="assign_questions",
    )
    items = []
    for question_id in chosen:
        case_id = st.selectbox(
            f"Case to rehearse with, for “{questions[question_id].text[:60]}”",
            [NO_CASE, *cases],
            format_func=lambda i: "no case" if i == NO_CASE else cases[i].title,
            key=f"assign_case_{question_id}",
        )
        items.append(AssignedItem(question_id, questions[question_id].text, case_id or None))
    if st.button("Assign", type="primary", key="assign_go"):
        try:
            made = store.assignments.create(actor, int(cohort_id), title, due, items)
        except CoachError as exc:
            st.error(f"Not assigned: {exc}")
        else:
            state["assignments_flash"] = (
                f"Assigned “{made.title}” to {made.cohort_name}, due {made.due_on:%d %b %Y}."
            )
            for key in ("assign_title", "assign_questions"):
                state.pop(key, None)
            st.rerun()

assignments = store.assignments.list_assignments(actor)
if not assignments:
    st.stop()
by_id = {a.id: a for a in assignments}
opened = by_id[
    st.selectbox(
        "Assignment",
        list(by_id),
        format_func=lambda i: f"{by_id[i].title} · {by_id[i].cohort_name} · due {by_id[i].due_on:%d %b %Y}",
        key="assign_open",
    )
]
tables = progress_tables(opened, store.assignments.progress(actor, opened.id))
if tables.candidates == 0:
    st.info(f"{opened.cohort_name} has no candidates yet.")
    st.stop()
st.subheader("Per candidate")
st.caption("Each question's score is the newest scored attempt since the assignment was set; — not done yet.")
st.dataframe(pd.DataFrame(tables.per_candidate), hide_index=True)
st.subheader("Per question")
per_question = pd.DataFrame(tables.per_question)
st.dataframe(per_question, hide_index=True)
st.bar_chart(per_question, x="question", y=["completed %", "average score"], stack=False, horizontal=True)
