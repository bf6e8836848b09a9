"""A case as the Practice page (the scenario) and the Case library (the whole case) show it.

The shipped corpus is the project's own Markdown and renders as Markdown; an organisation's case is a
trainer's text (perhaps with HTML in it) and renders escaped, exactly as typed.
"""

from __future__ import annotations

import streamlit as st

from coach.practice.annotation import text_html
from coach.practice.casebook import is_org_document
from coach.retrieval.corpus import Document

SCENARIO_SECTIONS = ("Goal", "What happened", "What a candidate can borrow")


def _facts(doc: Document) -> str:
    facts = [doc.brand, str(doc.year or "")] if doc.kind == "case" else ["Failure pattern"]
    return " · ".join(f for f in facts if f)


def _section(name: str, text: str, escaped: bool) -> None:
    if escaped:
        st.markdown(f"**{name}**")
        st.html(text_html(text))
    else:
        st.markdown(f"**{name}**\n\n{text}")


def show_scenario(doc: Document) -> None:
    escaped = is_org_document(doc)
    with st.container(border=True):
        if escaped:
            st.markdown("**Scenario:**")
            st.text(f"{doc.title} ({doc.brand}, {doc.year}) · your organisation's case")
        else:
            st.markdown(f"**Scenario: {doc.title}** ({doc.brand}, {doc.year})")
        st.caption("Answer as if you had led this campaign: borrow its goal, what happened and why.")
        for name in SCENARIO_SECTIONS:
            if name in doc.sections:
                _section(name, doc.sections[name], escaped)


def show_document(doc: Document) -> None:
    """The whole case (or pattern), with its sources."""
    if is_org_document(doc):
        st.header("Your organisation's case")
        st.text(f"{doc.title}\n{_facts(doc)}\n{' · '.join(doc.failure_modes + doc.channels)}")
        for name, text in doc.sections.items():
            st.subheader(name)
            st.html(text_html(text))
        if doc.sources:
            st.subheader("Sources")
            st.text("\n".join(doc.sources))
        return
    st.header(doc.title)
    st.caption(_facts(doc))
    st.markdown(" ".join(f"`{m}`" for m in doc.failure_modes + doc.channels))
    for name, text in doc.sections.items():
        st.subheader(name)
        st.markdown(text)
    if doc.sources:
        st.subheader("Sources")
        for url in doc.sources:
            st.markdown(f"- <{url}>")
