"""Case library page: search real failed campaigns and read a whole case."""

from __future__ import annotations

import streamlit as st

from coach.practice.casebook import ORG_DOC_PREFIX, is_org_document
from pages._auth import signed_in
from pages._case_view import show_document
from pages._resources import casebook

# Searches and lists as a member of the signed-in user's organisation: its own cases beside the shipped ones.
actor = signed_in()
book = casebook()
QUERY, QUERY_W = "library_query", "library_query_widget"


opened = book.document(actor, st.session_state.get("open_case", ""))
if opened:
    if st.button("← Back to results", key="back"):
        st.session_state.pop("open_case", None)
        st.rerun()
    show_document(opened)
    st.stop()

st.title("Case library")
st.write(
    "Real marketing campaigns that failed, and the patterns behind them. "
    "Describe a failure in your own words to find the cases that resemble it."
)
# The box's own key is dropped while a case is open (the widget is not drawn); the query lives on in QUERY.
if QUERY_W not in st.session_state:
    st.session_state[QUERY_W] = st.session_state.get(QUERY, "")
query = st.text_input(
    "Search", placeholder="e.g. a discount code that got shared far beyond its audience", key=QUERY_W
)
st.session_state[QUERY] = query
col_kind, col_k = st.columns([3, 1])
kind_label = col_kind.radio("Show", ["Cases and patterns", "Cases", "Patterns"], horizontal=True)
k = col_k.number_input("Results", min_value=1, max_value=20, value=5)
kind = {"Cases": "case", "Patterns": "pattern"}.get(kind_label)

if query.strip():
    hits = book.search(actor, query, k=int(k), kind=kind)  # type: ignore[arg-type]
    if not hits:
        st.info(
            "Nothing matched closely enough. Try describing what happened rather than naming a brand, "
            "or start from one of the failure patterns below."
        )
        for doc in book.library.patterns():
            if st.button(doc.title, key=f"pattern-{doc.id}", icon=":material/pattern:"):
                st.session_state["open_case"] = doc.id
                st.rerun()
    for hit in hits:
        with st.container(border=True):
            title = hit.title if hit.kind == "pattern" else f"{hit.title} ({hit.brand}, {hit.year})"
            if hit.id.startswith(ORG_DOC_PREFIX):  # a trainer's text: shown as typed
                st.text(f"{title} · your organisation's case")
                st.caption(f"{hit.kind} · " + ", ".join(hit.failure_modes))
                st.text(f"{hit.section}: {hit.why}")
            else:
                st.markdown(f"**{title}**")
                st.caption(f"{hit.kind} · " + ", ".join(hit.failure_modes))
                st.markdown(f"> {hit.section}: {hit.why}")
            if st.button("Read the case" if hit.kind == "case" else "Read the pattern", key=f"open-{hit.id}"):
                st.session_state["open_case"] = hit.id
                st.rerun()
else:
    cases = book.case_documents(actor)
    st.subheader(f"All {len(cases)} cases")
    for doc in cases:
        cols = st.columns([5, 1])
        if is_org_document(doc):
            cols[0].text(f"{doc.title} · {doc.brand}, {doc.year} · {', '.join(doc.failure_modes)} · yours")
        else:
            cols[0].markdown(f"**{doc.title}** · {doc.brand}, {doc.year} · " + ", ".join(doc.failure_modes))
        if cols[1].button("Read", key=f"read-{doc.id}"):
            st.session_state["open_case"] = doc.id
            st.rerun()
