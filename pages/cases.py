"""Trainers: the organisation's own case studies. Add by form or upload, edit, delete, history and restore."""

from __future__ import annotations

import hashlib

import streamlit as st

from coach.errors import CoachError
from coach.practice.casebook import draft_from
from coach.retrieval.extraction import ExtractionError, extract
from coach.storage.case_studies import text_diff
from coach.storage.permissions import Permission
from pages._auth import signed_in
from pages._case_form import case_form
from pages._resources import casebook

actor = signed_in(Permission.EDIT_CASE_STUDY)
book = casebook()
state = st.session_state
st.title("Cases")
st.caption(
    "Your organisation's own case studies: only its members find them, beside the shipped library, in search, "
    "in “rehearse with a case” and among a scorecard's related cases."
)
yours, add, upload = st.tabs(["Your cases", "Add a case", "Upload files"])

with add:
    # A new form (new widget keys) after each saved case, so the next one starts empty.
    form_no = state.setdefault("cases_form_no", 0)
    saved = case_form(
        f"case-new-{form_no}",
        book,
        None,
        "Save and index",
        lambda draft, progress: book.save(actor, draft, progress=progress),
    )
    if saved is not None:
        state["cases_form_no"] = form_no + 1
        state["cases_flash"] = f"Saved “{saved.draft.title}” (version {saved.version})."
        st.rerun()

with upload:
    st.write(
        "Markdown, plain text, PDF or Word (.docx), up to 5 MB each, several at once. Headings that name a case "
        "section are mapped onto it; check and complete each preview, then save it."
    )
    files = st.file_uploader(
        "Case files",
        type=["md", "markdown", "txt", "pdf", "docx"],
        accept_multiple_files=True,
        key="cases_upload",
    )
    for file in files or []:
        data = file.getvalue()
        digest = hashlib.sha256(data).hexdigest()[:12]
        with st.expander(f"{file.name}", expanded=True):
            try:
                extracted = extract(file.name, data)
            except ExtractionError as exc:
                st.error(str(exc))
                continue
            if extracted.unmapped:
                st.caption("Headings kept as text: " + ", ".join(extracted.unmapped))
            if state.get(f"cases_saved_{digest}"):
                st.success(state[f"cases_saved_{digest}"])
                continue
            record = case_form(
                f"case-upload-{digest}",
                book,
                draft_from(extracted),
                "Save this case",
                lambda draft, progress: book.save(actor, draft, progress=progress),
            )
            if record is not None:
                state[f"cases_saved_{digest}"] = f"Saved “{record.draft.title}” as version {record.version}."
                st.rerun()

with yours:
    if "cases_flash" in state:
        st.success(state.pop("cases_flash"))
    records = book.cases.list_cases(actor, include_deleted=True)
    if not records:
        st.info("No cases yet: add one by form or upload files.")
    else:
        st.dataframe(
            [
                {
                    "title": r.draft.title,
                    "brand": r.draft.brand,
                    "year": r.draft.year,
                    "failure modes": ", ".join(r.draft.failure_modes),
                    "version": r.version,
                    "status": "deleted" if r.deleted else "live",
                    "updated (UTC)": r.updated_at.strftime("%Y-%m-%d %H:%M"),
                }
                for r in records
            ],
            hide_index=True,
        )
        by_id = {r.id: r for r in records}
        chosen = st.selectbox(
            "Open a case",
            list(by_id),
            format_func=lambda i: by_id[i].draft.title + (" (deleted)" if by_id[i].deleted else ""),
            key="cases_open",
        )
        record = by_id[chosen]
        edit, history = st.tabs(["Edit", "History"])
        with edit:
            if record.deleted:
                st.info(
                    "This case is deleted: search no longer finds it. Restore a version from its history."
                )
            else:
                updated = case_form(
                    f"case-edit-{record.id}-{record.version}",
                    book,
                    record.draft,
                    "Save changes",
                    lambda draft, progress: book.save(actor, draft, record.id, progress),
                )
                if updated is not None:
                    state["cases_flash"] = f"Saved “{updated.draft.title}” (version {updated.version})."
                    st.rerun()
                confirm = st.checkbox(
                    "Yes, delete this case (its history stays)", key=f"cases_del_ok_{record.id}"
                )
                if st.button("Delete case", disabled=not confirm, key=f"cases_del_{record.id}"):
                    book.delete(actor, record.id)
                    state["cases_flash"] = f"Deleted “{record.draft.title}”; restore it from its history."
                    st.rerun()
        with history:
            versions = book.cases.history(actor, record.id)
            for older, version in zip([None, *versions[:-1]], versions, strict=True):
                when = version.created_at.strftime("%Y-%m-%d %H:%M UTC")
                with st.container(border=True):
                    st.text(f"Version {version.version} · {version.action} · {version.author} · {when}")
                    diff = text_diff(
                        older.draft if older else None,
                        version.draft,
                        f"version {older.version}" if older else "nothing",
                        f"version {version.version}",
                    )
                    with st.expander("What changed"):
                        st.code(diff or "(no change in the text)", language="diff")
                    current = version.version == record.version and not record.deleted
                    if not current and st.button(
                        f"Restore version {version.version}",
                        key=f"cases_restore_{record.id}_{version.version}",
                    ):
                        try:
                            restored = book.restore(actor, record.id, version.version)
                        except CoachError as exc:
                            st.error(f"Not restored: {exc}")
                        else:
                            state["cases_flash"] = (
                                f"Restored version {version.version} as version {restored.version}."
                            )
                            st.rerun()
