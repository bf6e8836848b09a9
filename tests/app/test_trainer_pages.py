"""The trainer workspace through AppTest: Cases (form, uploads, edit, history, restore, delete), Questions &
cohorts, Assignments (and the candidate's block on Practice), Calibration."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from coach.config import get_settings
from coach.retrieval.vectorstore import ChromaStore, make_vector_store
from coach.storage.store import Storage
from tests.app.conftest import PASSWORD, SessionFor, answer_box
from tests.unit.test_extraction import CASE_TEXT, make_docx, make_pdf, make_scanned_pdf

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
TIMEOUT = 90
EXAMPLE_1 = (Path(__file__).parents[1] / "data" / "rubric_example_1.txt").read_text().strip()


@pytest.fixture(autouse=True)
def no_organisation_cases_left(app_index: Path) -> Iterator[None]:
    """Each test's database starts empty but the index is shared: drop the organisation chunks afterwards,
    and the cached library that still holds them."""
    yield
    store = make_vector_store(get_settings())
    assert isinstance(store, ChromaStore)
    store._collection.delete(where={"org": {"$ne": 0}})
    st.cache_resource.clear()


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def _app(token: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["coach_session_token"] = token
    _ok(at.run())
    if page:
        _ok(at.switch_page(page).run())
    return at


def _one(widgets: Any, label: str) -> Any:
    matches = [w for w in widgets if w.label == label]
    assert len(matches) == 1, (label, [w.label for w in widgets])
    return matches[0]


def _fill_form(at: AppTest, key: str, **values: Any) -> None:
    """Set the case form's widgets (keys `{key}-title` and so on)."""
    for name, value in values.items():
        at.session_state[f"{key}-{name}"] = value


def _texts(at: AppTest) -> str:
    return "\n".join(
        [t.value for t in at.text] + [h.value for h in at.get("html")] + [m.value for m in at.markdown]
    )


def _new_case(at: AppTest, title: str, modes: list[str] | None = None) -> AppTest:
    key = f"case-new-{at.session_state['cases_form_no']}"
    _fill_form(
        at,
        key,
        title=title,
        brand="Zephyr <b>Appliances</b>",
        year=2024,
        channels=["email"],
        modes=["promotion-abuse"] if modes is None else modes,
        **{
            "Goal": "Sell ten thousand kettles.",
            "What happened": "A zorblax staff coupon leaked to a deals forum. <script>alert(1)</script>",
            "What went wrong": "No cap per customer on the zorblax code.",
        },
    )
    return _ok(_one(at.button, "Save and index").click().run())


def test_a_case_added_by_form_is_found_by_its_organisation_at_once(
    session_for: SessionFor, app_storage: Storage
) -> None:
    at = _app(session_for("trainer"), "pages/cases.py")
    assert at.title[0].value == "Cases"
    _new_case(at, "Zephyr kettles: the zorblax coupon")
    assert any("Saved “Zephyr kettles: the zorblax coupon” (version 1)" in s.value for s in at.success)
    candidate = _app(session_for("candidate"), "pages/library.py")
    candidate.text_input[0].input("zorblax coupon leaked to a deals forum").run()
    assert (
        "Zephyr kettles: the zorblax coupon (Zephyr <b>Appliances</b>, 2024) · your organisation's case"
        in _texts(candidate)
    )
    next(b for b in candidate.button if b.label == "Read the case").click().run()
    _ok(candidate)
    html = _texts(candidate)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html.replace("&lt;", "")
    # another organisation's candidate does not find it
    app_storage.accounts.create_user_from_shell("Globex", "c@globex.example", "candidate", PASSWORD)
    outsider = _app(app_storage.accounts.sign_in("c@globex.example", PASSWORD).token, "pages/library.py")
    outsider.text_input[0].input("zorblax coupon leaked to a deals forum").run()
    assert "zorblax" not in _texts(outsider)


def test_a_bad_case_is_refused_and_what_was_typed_stays(session_for: SessionFor) -> None:
    at = _app(session_for("trainer"), "pages/cases.py")
    _new_case(at, "Zephyr kettles", modes=[])
    assert any("Not saved: choose at least one failure mode" in e.value for e in at.error)
    assert at.session_state["case-new-0-title"] == "Zephyr kettles"  # nothing typed is lost
    _new_case(at, "Zephyr kettles")
    _new_case(at, "zephyr  KETTLES")
    assert any("has a case titled" in e.value for e in at.error)


def test_uploads_preview_each_file_and_refuse_bad_ones(session_for: SessionFor) -> None:
    at = _app(session_for("trainer"), "pages/cases.py")
    at.file_uploader[0].set_value(
        [
            ("loyalty.pdf", make_pdf(CASE_TEXT), "application/pdf"),
            (
                "referral.docx",
                make_docx([(k, t.replace("loyalty relaunch", "referral scheme")) for k, t in CASE_TEXT]),
                "application/octet-stream",
            ),
            ("scan.pdf", make_scanned_pdf(), "application/pdf"),
            ("renamed.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "application/pdf"),
            ("huge.txt", b"a" * (5 * 1024 * 1024 + 10), "text/plain"),
        ]
    )
    _ok(at.run())
    errors = [e.value for e in at.error]
    assert any(e.startswith("scan.pdf: the PDF holds no text") for e in errors)
    assert any(e.startswith("renamed.pdf: this is not a PDF") for e in errors)
    assert any(e.startswith("huge.txt:") and "5 MB" in e for e in errors)
    titles = [t for t in at.text_input if t.key and t.key.startswith("case-upload-") and t.label == "Title *"]
    assert {t.value for t in titles} == {
        "The loyalty relaunch nobody noticed",
        "The referral scheme nobody noticed",
    }
    uploads = [
        m for m in at.multiselect if m.key and m.key.startswith("case-upload-") and m.key.endswith("-modes")
    ]
    assert [list(m.value) for m in uploads] == [["weak-offer"]] * 2
    save = [b for b in at.button if b.label == "Save this case"]
    assert len(save) == 2
    _ok(save[0].click().run())
    assert any(s.value.startswith("Saved “The") for s in at.success)


def test_edit_history_diff_restore_and_delete(session_for: SessionFor, app_storage: Storage) -> None:
    at = _app(session_for("trainer"), "pages/cases.py")
    _new_case(at, "Zephyr kettles")
    (record,) = app_storage.cases.list_cases(
        app_storage.accounts.authenticate(at.session_state["coach_session_token"])
    )
    at.session_state[f"case-edit-{record.id}-1-brand"] = "Zephyr Ltd"
    _ok(_one(at.button, "Save changes").click().run())
    assert any("(version 2)" in s.value for s in at.success)
    diffs = [c.value for c in at.code]
    assert any("-brand: Zephyr <b>Appliances</b>" in d and "+brand: Zephyr Ltd" in d for d in diffs)
    _ok(_one(at.button, "Restore version 1").click().run())
    assert any("Restored version 1 as version 3" in s.value for s in at.success)
    at.session_state[f"cases_del_ok_{record.id}"] = True
    _ok(at.run())
    _ok(_one(at.button, "Delete case").click().run())
    assert any("Deleted “Zephyr kettles”" in s.value for s in at.success)
    assert any("Version 4 · delete · trainer@acme.example" in t.value for t in at.text)


def test_questions_and_cohorts(session_for: SessionFor, app_storage: Storage) -> None:
    candidate = app_storage.accounts.authenticate(session_for("candidate"))
    at = _app(session_for("trainer"), "pages/questions.py")
    assert at.title[0].value == "Questions & cohorts"
    form = next(t for t in at.text_input if t.label.startswith("Id"))
    form.set_value("agency-blame")
    _one(at.text_area, "Question *").set_value("An agency let you down: what did you own?")
    at.session_state["question-new-hint"] = "Own your part."
    _ok(_one(at.button, "Add question").click().run())
    assert any("Added org/agency-blame" in s.value for s in at.success)
    _ok(_one(at.button, "Retire this question").click().run())
    assert app_storage.questions.list_questions(candidate) == []
    _ok(_one(at.button, "Bring back this question").click().run())
    (question,) = app_storage.questions.list_questions(candidate)
    assert question.hint == "Own your part."
    _one(at.text_input, "New cohort").set_value("Spring")
    _ok(_one(at.button, "Create cohort").click().run())
    assert candidate is not None
    _one(at.multiselect, "Candidates in this cohort (a candidate is in one cohort at a time)").set_value(
        [candidate.user_id]
    )
    _ok(_one(at.button, "Save members").click().run())
    assert app_storage.accounts.get_member(candidate, candidate.user_id).cohort_id is not None


def test_an_assignment_reaches_the_candidate_and_its_progress_the_trainer(
    session_for: SessionFor, app_storage: Storage, app_scorer: Path
) -> None:
    trainer_token, candidate_token = session_for("trainer"), session_for("candidate")
    trainer = app_storage.accounts.authenticate(trainer_token)
    candidate = app_storage.accounts.authenticate(candidate_token)
    assert trainer is not None and candidate is not None
    cohort = app_storage.cohorts.create_cohort(trainer, "Spring")
    app_storage.cohorts.set_cohort(trainer, candidate.user_id, cohort.id)
    at = _app(trainer_token, "pages/cases.py")
    _new_case(at, "Zephyr kettles: the zorblax coupon")
    (case,) = app_storage.cases.list_cases(trainer)

    at = _app(trainer_token, "pages/assignments.py")
    at.session_state["assign_title"] = "Week 1"
    at.session_state["assign_questions"] = ["failed-campaign"]
    _ok(at.run())
    at.session_state["assign_case_failed-campaign"] = case.doc_id
    _ok(_one(at.button, "Assign").click().run())
    assert any("Assigned “Week 1” to Spring" in s.value for s in at.success)

    practice = _app(candidate_token)
    assert any(s.value == "Your assignments" for s in practice.subheader)
    assert any("rehearse with: Zephyr kettles: the zorblax coupon" in t.value for t in practice.text)
    _ok(_one(practice.button, "Practise").click().run())
    assert practice.toggle[0].value is True  # rehearsing, with the assigned case
    assert practice.session_state["practice_case"] == case.doc_id
    assert "A zorblax staff coupon leaked" in _texts(practice)
    answer_box(practice).input(EXAMPLE_1)
    _ok(_one(practice.button, "Score my answer").click().run())
    assert any(h.value == "Scorecard" for h in practice.header)

    progress = _app(trainer_token, "pages/assignments.py")
    tables = [d.value for d in progress.dataframe]
    per_candidate = tables[0]
    assert list(per_candidate["done"]) == ["1/1"]
    assert per_candidate.iloc[0, 2].isdigit()
    assert list(tables[1]["completed %"]) == [100]


def test_calibration_labels_and_agreement(session_for: SessionFor, app_storage: Storage) -> None:
    from tests.integration.conftest import stored_card_dict

    candidate = app_storage.accounts.authenticate(session_for("candidate"))
    token = session_for("trainer")
    attempts = []
    for levels in [(3, 2, 2, 1, 0), (4, 4, 3, 3, 2)]:
        attempt = app_storage.transcripts.save_attempt(
            candidate,
            question_id="failed-campaign",
            question_text="Q?",
            answer="<b>my</b> answer",
            shared=True,
        )
        app_storage.transcripts.record_scorecard(
            candidate, attempt, stored_card_dict(*levels), "builtin-test"
        )
        attempts.append(attempt)
    at = _app(token, "pages/calibration.py")
    assert at.title[0].value == "Calibration"
    assert any("No labels yet" in i.value for i in at.info)
    at.radio[0].set_value("Label an attempt").run()
    at.selectbox[0].set_value(attempts[0]).run()
    assert "&lt;b&gt;my&lt;/b&gt; answer" in _texts(at)
    at.session_state[f"label-{attempts[0]}-apply"] = 3
    _ok(_one(at.button, "Save my label").click().run())
    assert any(f"Saved your label for attempt {attempts[0]}" in s.value for s in at.success)
    _ok(at.radio[0].set_value("Agreement").run())
    table = at.dataframe[0].value
    assert list(table["component"]) == ["Describe", "Acknowledge", "Analyze", "Learn", "Apply"]
    assert list(table["exact agreement"]) == ["100%", "100%", "100%", "100%", "0%"]
    assert any(f"Attempt {attempts[0]} · 3 level(s) apart" in t.value for t in at.text)
    _ok(_one(at.button, "Open").click().run())
    assert at.radio[0].value == "Label an attempt" and at.selectbox[0].value == attempts[0]
