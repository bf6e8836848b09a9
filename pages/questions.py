"""Trainers: the organisation's own questions (create, edit, retire) and its cohorts (create, members)."""

from __future__ import annotations

import streamlit as st

from coach.errors import CoachError
from coach.storage.permissions import Permission, allows
from pages._auth import signed_in
from pages._resources import storage

actor = signed_in(Permission.EDIT_CASE_STUDY)
store = storage()
state = st.session_state
st.title("Questions & cohorts")
if "questions_flash" in state:
    st.success(state.pop("questions_flash"))
questions_tab, cohorts_tab = st.tabs(["Questions", "Cohorts"])


def details(key: str, probes: str, words: tuple[int, int], hint: str) -> tuple[str, tuple[int, int], str]:
    probes = st.text_input(
        "What it probes", value=probes, key=f"{key}-probes", help="e.g. ownership, metrics"
    )
    low_col, high_col = st.columns(2)
    low = low_col.number_input("Target length: fewest words", 20, 2000, words[0], key=f"{key}-low")
    high = high_col.number_input("Target length: most words", 20, 2000, words[1], key=f"{key}-high")
    hint = st.text_area(
        "Hint (shown to candidates under “What a strong answer does”)", hint, key=f"{key}-hint"
    )
    return probes, (int(low), int(high)), hint


with questions_tab:
    bank = store.questions.list_questions(actor, include_retired=True)
    if bank:
        st.dataframe(
            [
                {
                    "id": f"org/{q.key}",
                    "question": q.text,
                    "probes": q.probes,
                    "words": f"{q.words[0]}–{q.words[1]}",
                    "status": "retired" if q.retired else "live",
                }
                for q in bank
            ],
            hide_index=True,
        )
    else:
        st.info("No questions of your own yet; candidates practise on the built-in bank until you add some.")

    with st.expander("Add a question", expanded=not bank), st.form("question-new"):
        key = st.text_input("Id (lower-case words joined by hyphens)", placeholder="agency-blame")
        text = st.text_area("Question *")
        probes, words, hint = details("question-new", "", (250, 350), "")
        if st.form_submit_button("Add question", type="primary"):
            try:
                store.questions.add_question(actor, key, text, probes=probes, words=words, hint=hint)
            except CoachError as exc:
                st.error(f"Not added: {exc}")
            else:
                state["questions_flash"] = f"Added org/{key.strip()}."
                st.rerun()

    if bank:
        by_id = {q.id: q for q in bank}
        chosen = by_id[
            st.selectbox(
                "Edit a question",
                list(by_id),
                format_func=lambda i: f"org/{by_id[i].key}" + (" (retired)" if by_id[i].retired else ""),
                key="questions_open",
            )
        ]
        with st.form(f"question-edit-{chosen.id}"):
            text = st.text_area("Question *", value=chosen.text, key=f"q{chosen.id}-text")
            probes, words, hint = details(f"q{chosen.id}", chosen.probes, chosen.words, chosen.hint)
            st.caption("Attempts already made keep the question as it was asked.")
            if st.form_submit_button("Save question", type="primary"):
                try:
                    store.questions.update_question(
                        actor, chosen.id, text, probes=probes, words=words, hint=hint
                    )
                except CoachError as exc:
                    st.error(f"Not saved: {exc}")
                else:
                    state["questions_flash"] = f"Saved org/{chosen.key}."
                    st.rerun()
        label = "Bring back this question" if chosen.retired else "Retire this question"
        if st.button(label, key=f"question-retire-{chosen.id}"):
            store.questions.set_retired(actor, chosen.id, not chosen.retired)
            state["questions_flash"] = f"org/{chosen.key} is {'live' if chosen.retired else 'retired'}."
            st.rerun()

with cohorts_tab:
    if not allows(actor.role, Permission.ASSIGN_PRACTICE):
        st.info("Your role does not run cohorts.")
        st.stop()
    cohorts = store.cohorts.list_cohorts(actor)
    candidates = store.cohorts.list_candidates(actor)
    with st.form("cohort-new", clear_on_submit=False):
        name = st.text_input("New cohort", placeholder="Spring 2027 leadership programme")
        if st.form_submit_button("Create cohort"):
            try:
                store.cohorts.create_cohort(actor, name)
            except CoachError as exc:
                st.error(f"Not created: {exc}")
            else:
                state["questions_flash"] = f"Created the cohort “{' '.join(name.split())}”."
                st.rerun()
    if not cohorts:
        st.info("No cohorts yet.")
        st.stop()
    names = {c.id: c.name for c in cohorts}
    st.dataframe(
        [{"cohort": c.name, "candidates": len(c.members)} for c in cohorts],
        hide_index=True,
    )
    cohort = next(
        c
        for c in cohorts
        if c.id == st.selectbox("Cohort", list(names), format_func=names.get, key="cohort_open")
    )
    by_candidate = {c.id: c for c in candidates}

    def elsewhere(candidate_id: int) -> str:
        other = by_candidate[candidate_id].cohort_id
        return f" (now in {names[other]})" if other and other != cohort.id else ""

    members = st.multiselect(
        "Candidates in this cohort (a candidate is in one cohort at a time)",
        list(by_candidate),
        default=[m.id for m in cohort.members],
        format_func=lambda i: by_candidate[i].label + elsewhere(i),
        key=f"cohort-members-{cohort.id}",
    )
    if st.button("Save members", type="primary", key=f"cohort-save-{cohort.id}"):
        current = {m.id for m in cohort.members}
        for added in set(members) - current:
            store.cohorts.set_cohort(actor, added, cohort.id)
        for removed in current - set(members):
            store.cohorts.set_cohort(actor, removed, None)
        state["questions_flash"] = f"{cohort.name}: {len(members)} candidate(s)."
        st.rerun()
