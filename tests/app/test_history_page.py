"""The History page through AppTest: progress charts, filters, read-only transcripts, exports."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.practice.workflow import TURNS_KEY
from coach.rubric import COMPONENTS
from coach.scorecard import ComponentScore, Scorecard
from coach.storage.permissions import Actor
from coach.storage.store import Storage
from tests.app.conftest import SessionFor

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
TIMEOUT = 90
EXAMPLE_1 = (Path(__file__).parents[1] / "data" / "rubric_example_1.txt").read_text().strip()


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def _history(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["coach_session_token"] = token
    _ok(at.run())
    return _ok(at.switch_page("pages/history.py").run())


def _result(*levels: int) -> dict[str, object]:
    card = Scorecard(
        overall=round(sum(levels) / 5 * 25),
        components={
            c: ComponentScore(v, ("I led a campaign.",), f"Coaching {c}.")
            for c, v in zip(COMPONENTS, levels, strict=True)
        },
        flags=("no_metrics",),
        follow_up="What did the data show?",
        scorer="builtin-test",
    )
    return {**card.to_dict(), TURNS_KEY: 0}


@pytest.fixture
def token(session_for: SessionFor, app_scorer: Path) -> str:
    return session_for("candidate")


@pytest.fixture
def actor(token: str, app_storage: Storage) -> Actor:
    found = app_storage.accounts.authenticate(token)
    assert found is not None
    return found


def _attempt(storage: Storage, actor: Actor, question: str, answer: str, *levels: int) -> int:
    t = storage.transcripts
    attempt_id = t.save_attempt(
        actor, question_id=question, question_text=f"Text of {question}", answer=answer
    )
    if levels:
        t.record_scorecard(actor, attempt_id, _result(*levels), "builtin-test")
    return attempt_id


def test_no_attempts_yet_points_to_practice(token: str) -> None:
    at = _history(token)
    assert at.title[0].value == "History"
    assert at.info[0].value.startswith("No attempts yet")
    assert [link.value for link in at.get("page_link")] == ["Go to Practice"]


def test_progress_list_filters_exports_and_a_read_only_transcript(
    token: str, actor: Actor, app_storage: Storage
) -> None:
    first = _attempt(app_storage, actor, "failed-campaign", "I led a campaign. <b>first</b>", 1, 1, 2, 1, 1)
    _attempt(app_storage, actor, "missed-targets", "I led a campaign. other question", 2, 2, 2, 2, 2)
    _attempt(app_storage, actor, "failed-campaign", "I led a campaign. second try", 3, 3, 3, 2, 4)
    at = _history(token)

    assert [s.value for s in at.subheader][:3] == ["Progress", "Attempts (3)", "Reopen an attempt"]
    assert len(at.get("vega_lite_chart")) >= 2  # overall, and levels per component, over attempts
    assert len(at.dataframe) == 1
    assert [b.label for b in at.get("download_button")] == [
        "Export JSON",
        "Export CSV",
        "Download PDF report",
    ]

    # The newest attempt is open, read-only: no answer box, no follow-up reply, its change shown.
    opened = next(s for s in at.selectbox if s.label == "Attempt")
    assert opened.format_func(opened.value).startswith("#3 ·")
    assert not at.text_area
    html = "\n".join(h.value for h in at.get("html"))
    assert "second try" in html and "[Describe + Acknowledge + Analyze + Learn + Apply]" in html
    assert any(m.value.startswith("**Change since your previous attempt") for m in at.markdown)

    # Reopen the first one: its markup shows as text.
    _ok(opened.set_value(first).run())
    html = "\n".join(h.value for h in at.get("html"))
    assert "&lt;b&gt;first&lt;/b&gt;" in html and "<b>first" not in html

    # Filters: one question; then a date range with nothing in it.
    _ok(next(s for s in at.selectbox if s.label == "Question").set_value("failed-campaign").run())
    assert "Attempts (2)" in [s.value for s in at.subheader]
    tomorrow = date.today() + timedelta(days=1)
    _ok(next(d for d in at.date_input if d.label == "From").set_value(tomorrow).run())
    assert at.info[0].value == "No attempts match these filters."


def test_an_unscored_attempt_can_be_scored_again_from_history(
    token: str, actor: Actor, app_storage: Storage
) -> None:
    attempt_id = _attempt(app_storage, actor, "failed-campaign", EXAMPLE_1)
    at = _history(token)
    assert at.error[0].value.startswith("Your answer is saved, but scoring it failed")
    _ok(next(b for b in at.button if b.label == "Score again").click().run())
    assert app_storage.transcripts.get_attempt(actor, attempt_id).status == "scored"
    assert any(m.label == "Overall score" for m in at.metric)
    assert not at.error
