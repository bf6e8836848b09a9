"""Case library page: search real failed campaigns and read a whole case."""

from __future__ import annotations

import streamlit as st

from coach.retrieval.corpus import Document
from pages._resources import case_library

library = case_library()


def show_document(doc: Document) -> None:
    if st.button("← Back to results", key="back"):
        st.session_state.pop("open_case", None)
        st.rerun()
    st.header(doc.title)
    facts = [doc.brand, str(doc.year or "")] if doc.kind == "case" else ["Failure pattern"]
    st.caption(" · ".join(f for f in facts if f))
    st.markdown(" ".join(f"`{m}`" for m in doc.failure_modes + doc.channels))
    for name, text in doc.sections.items():
        st.subheader(name)
        st.markdown(text)
    if doc.sources:
        st.subheader("Sources")
        for url in doc.sources:
            st.markdown(f"- <{url}>")


opened = library.get(st.session_state.get("open_case", ""))
if opened:
    show_document(opened)
    st.stop()

st.title("Case library")
st.write(
    "Real marketing campaigns that failed, and the patterns behind them. "
    "Describe a failure in your own words to find the cases that resemble it."
)
query = st.text_input("Search", placeholder="e.g. a discount code that got shared far beyond its audience")
col_kind, col_k = st.columns([3, 1])
kind_label = col_kind.radio("Show", ["Cases and patterns", "Cases", "Patterns"], horizontal=True)
k = col_k.number_input("Results", min_value=1, max_value=20, value=5)
kind = {"Cases": "case", "Patterns": "pattern"}.get(kind_label)

if query.strip():
    hits = library.search(query, k=int(k), kind=kind)  # type: ignore[arg-type]
    if not hits:
        st.info("Nothing matched. Try describing what happened rather than naming a brand.")
    for hit in hits:
        with st.container(border=True):
            title = hit.title if hit.kind == "pattern" else f"{hit.title} ({hit.brand}, {hit.year})"
            st.markdown(f"**{title}**")
            st.caption(f"{hit.kind} · " + ", ".join(hit.failure_modes))
            st.markdown(f"> {hit.section}: {hit.why}")
            if st.button("Read the case" if hit.kind == "case" else "Read the pattern", key=f"open-{hit.id}"):
                st.session_state["open_case"] = hit.id
                st.rerun()
else:
    st.subheader(f"All {len(library.cases())} cases")
    for doc in library.cases():
        cols = st.columns([5, 1])
        cols[0].markdown(f"**{doc.title}** · {doc.brand}, {doc.year} · " + ", ".join(doc.failure_modes))
        if cols[1].button("Read", key=f"read-{doc.id}"):
            st.session_state["open_case"] = doc.id
            st.rerun()
