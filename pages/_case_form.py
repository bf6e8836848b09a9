"""The case form the Cases page shows for a new case, an upload's preview and an edit."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from coach.errors import CoachError
from coach.practice.casebook import REQUIRED_SECTIONS, Casebook
from coach.retrieval.corpus import CASE_SECTIONS
from coach.storage.case_studies import CaseDraft, CaseRecord

Save = Callable[[CaseDraft, Callable[[int, int, str, str], None]], CaseRecord]


def case_form(key: str, book: Casebook, start: CaseDraft | None, label: str, save: Save) -> CaseRecord | None:
    """The fields of a case, prefilled from `start`; on submit, `save` runs with a progress bar.

    The widgets keep what was typed when saving fails: the error shows above the form, nothing is lost.
    """
    start = start or CaseDraft("", "", None)
    unknown_modes = [m for m in start.failure_modes if m not in book.failure_modes]
    unknown_channels = [c for c in start.channels if c not in book.channels]
    if unknown_modes or unknown_channels:
        st.warning(
            "Not in the vocabularies, so not selected: "
            + ", ".join(repr(v) for v in unknown_modes + unknown_channels)
            + ". Choose from the lists."
        )
    with st.form(key, border=True):
        title = st.text_input("Title *", value=start.title, max_chars=200, key=f"{key}-title")
        brand_col, year_col = st.columns([3, 1])
        brand = brand_col.text_input("Brand *", value=start.brand, max_chars=200, key=f"{key}-brand")
        year = year_col.number_input(
            "Year *", min_value=1800, max_value=2100, value=start.year, step=1, key=f"{key}-year"
        )
        channels = st.multiselect(
            "Channels *",
            book.channels,
            default=[c for c in start.channels if c in book.channels],
            key=f"{key}-channels",
        )
        modes = st.multiselect(
            "Failure modes *",
            list(book.failure_modes),
            default=[m for m in start.failure_modes if m in book.failure_modes],
            format_func=lambda m: f"{m}: {book.failure_modes[m]}",
            key=f"{key}-modes",
        )
        sources = st.text_area(
            "Sources (one http(s) URL per line)", value="\n".join(start.sources), key=f"{key}-sources"
        )
        sections = {}
        for name in CASE_SECTIONS:
            required = " *" if name in REQUIRED_SECTIONS else ""
            sections[name] = st.text_area(
                f"{name}{required}", value=start.sections.get(name, ""), key=f"{key}-{name}"
            )
        submitted = st.form_submit_button(label, type="primary")
    if not submitted:
        return None
    draft = CaseDraft(
        title=title,
        brand=brand,
        year=int(year) if year is not None else None,
        channels=tuple(channels),
        failure_modes=tuple(modes),
        sources=tuple(sources.splitlines()),
        sections=sections,
    )
    bar = st.progress(0.0, text="Saving...")

    def progress(n: int, total: int, _doc_id: str, section: str) -> None:
        bar.progress(n / total, text=f"Indexing {n}/{total}: {section}")

    try:
        record = save(draft, progress)
    except CoachError as exc:
        bar.empty()
        st.error(f"Not saved: {exc}")
        return None
    bar.progress(1.0, text="Saved and indexed: search sees it now")
    return record
