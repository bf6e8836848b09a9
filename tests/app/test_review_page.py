"""The Review page through AppTest: a reviewer's queue, the transcript beside the coach's score, their own review."""

from __future__ import annotations

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
SHARED = "I led our spring email campaign to win back lapsed customers. <b>It missed</b> by 40%."


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def _as(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["coach_session_token"] = token
    return _ok(at.run())


def _actor(storage: Storage, token: str) -> Actor:
    found = storage.accounts.authenticate(token)
    assert found is not None
    return found


def _scored(*levels: int) -> dict[str, object]:
    card = Scorecard(
        overall=round(sum(levels) / 5 * 25),
        components={
            c: ComponentScore(v, (), f"Coaching {c}.") for c, v in zip(COMPONENTS, levels, strict=True)
        },
        flags=(),
        follow_up="What did the data show?",
        scorer="builtin-test",
    )
    return {**card.to_dict(), TURNS_KEY: 0}


@pytest.fixture
def shared(session_for: SessionFor, app_storage: Storage, app_scorer: Path) -> dict[str, object]:
    """A candidate with one shared, scored attempt and one private one; a reviewer of the same organisation."""
    candidate = _actor(app_storage, session_for("candidate"))
    t = app_storage.transcripts
    attempt_id = t.save_attempt(
        candidate,
        question_id="failed-campaign",
        question_text="Tell me about a failure.",
        answer=SHARED,
        shared=True,
    )
    t.record_scorecard(candidate, attempt_id, _scored(3, 3, 2, 2, 1), "builtin-test")
    t.save_attempt(
        candidate,
        question_id="missed-targets",
        question_text="A missed target?",
        answer="private",
        shared=False,
    )
    return {"attempt_id": attempt_id, "reviewer": session_for("reviewer")}


def test_a_reviewer_lands_on_an_empty_queue_with_an_explanation(
    session_for: SessionFor, app_scorer: Path
) -> None:
    at = _as(session_for("reviewer"))
    assert at.title[0].value == "Review"
    assert "No shared attempts yet" in at.info[0].value


def test_the_queue_shows_the_shared_attempt_escaped_with_the_coach_score(shared: dict[str, object]) -> None:
    at = _as(str(shared["reviewer"]))
    assert at.title[0].value == "Review"
    assert at.subheader[0].value == "Shared attempts (1)"
    table = at.dataframe[0].value
    assert list(table["candidate"]) == ["candidate@acme.example"] and list(table["scorer"]) == [55]
    html = "".join(h.proto.body for h in at.get("html"))
    assert "&lt;b&gt;It missed&lt;/b&gt;" in html and "<b>It missed</b>" not in html
    assert all("private" not in h.proto.body for h in at.get("html"))
    assert any("The coach's scorecard: 55/100" in e.label for e in at.expander)
    assert {b.label for b in at.get("download_button")} == {"Export JSON", "Export CSV"}


def test_saving_a_review_needs_every_level_then_stores_it(
    shared: dict[str, object], app_storage: Storage
) -> None:
    token = str(shared["reviewer"])
    at = _as(token)
    at.radio(key="level_describe").set_value(3)
    save = next(b for b in at.button if b.label == "Save my review")
    _ok(save.click().run())
    assert "missing: Acknowledge, Analyze, Learn, Apply" in at.error[0].value

    for component, level in zip(COMPONENTS, [3, 4, 2, 2, 1], strict=True):
        at.radio(key=f"level_{component}").set_value(level)
    at.text_area[0].input("=cmd| strong ownership, thin analysis")
    _ok(next(b for b in at.button if b.label == "Save my review").click().run())
    assert at.success[0].value.startswith("Review saved")

    reviewer = _actor(app_storage, token)
    (review,) = app_storage.transcripts.get_attempt(reviewer, int(str(shared["attempt_id"]))).reviews
    assert review.levels.model_dump() == {
        "describe": 3,
        "acknowledge": 4,
        "analyze": 2,
        "learn": 2,
        "apply": 1,
    }
    assert (
        review.comment == "=cmd| strong ownership, thin analysis" and review.reviewer_id == reviewer.user_id
    )
    table = at.dataframe[1].value  # the coach's levels, then this review
    assert list(table["by"]) == ["the coach (built-in scorer)", "reviewer@acme.example"]
    assert list(table["overall"]) == [55, 60]

    at.toggle(key="review_pending").set_value(True)
    _ok(at.run())
    assert "No shared attempts match these filters." in at.info[0].value
