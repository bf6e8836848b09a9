"""The Review page through AppTest: the queue, blind review (the coach hidden until one's levels and comment are
in), the reason a gap of two needs, the side-by-side view, revising, and the page without blind mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coach.rubric import COMPONENTS
from coach.storage.permissions import Actor
from coach.storage.store import Storage
from tests.app.conftest import (
    PASSWORD,
    SessionFor,
    actor_of,
    click,
    html_of,
    ok,
    open_app,
    scored_result,
    seed_attempt,
)

SHARED = "I led our spring email campaign to win back lapsed customers. <b>It missed</b> by 40%."
COACH = (3, 3, 2, 2, 1)  # overall 55
EVIDENCE = ("It missed by 40%.",)


def _scored(*levels: int) -> dict[str, Any]:
    """The coach's stored card for the shared answer (tests/app/test_hiring_review_pages.py uses it too)."""
    return scored_result(*levels, evidence=EVIDENCE, flags=("no_metrics",))


@pytest.fixture
def shared(session_for: SessionFor, app_storage: Storage, app_scorer: Path) -> dict[str, object]:
    """A candidate with one shared, scored attempt and one private one; a reviewer of the same organisation."""
    candidate = actor_of(app_storage, session_for("candidate"))
    attempt_id = seed_attempt(
        app_storage,
        candidate,
        "failed-campaign",
        SHARED,
        question_text="Tell me about a failure.",
        shared=True,
    )
    app_storage.transcripts.record_scorecard(candidate, attempt_id, _scored(*COACH), "builtin-test")
    seed_attempt(
        app_storage, candidate, "missed-targets", "private", question_text="A missed target?", shared=False
    )
    return {"attempt_id": attempt_id, "reviewer": session_for("reviewer")}


def test_a_reviewer_lands_on_an_empty_queue_with_an_explanation(
    session_for: SessionFor, app_scorer: Path
) -> None:
    at = open_app(session_for("reviewer"))
    assert at.title[0].value == "Review"
    assert "No shared attempts yet" in at.info[0].value


def test_blind_review_hides_the_coach_until_levels_and_comment_are_in_and_a_gap_of_two_needs_a_reason(
    shared: dict[str, object], app_storage: Storage
) -> None:
    token, attempt_id = str(shared["reviewer"]), int(str(shared["attempt_id"]))
    at = open_app(token)
    assert at.subheader[0].value == "Shared attempts (1)"
    table = at.dataframe[0].value
    assert list(table["candidate"]) == ["candidate@acme.example"]
    assert list(table["coach"]) == ["hidden"] and list(table["flags"]) == ["hidden"]
    shown = html_of(at)
    assert "&lt;b&gt;It missed&lt;/b&gt;" in shown and "<b>It missed</b>" not in shown
    assert "private" not in shown
    assert "coach-ev" not in shown and "Evidence" not in shown  # no highlights while blind
    assert not any("The coach's scorecard" in e.label for e in at.expander)
    assert any("Blind review: the coach's levels" in i.value for i in at.info)
    assert {b.label for b in at.get("download_button")} == {
        "Export JSON",
        "Export CSV",
        "PDF for the hiring file",
    }

    key = f"review_{attempt_id}"
    at.radio(key=f"{key}_describe").set_value(3)
    click(at, "Save and compare with the coach")
    assert "missing: Acknowledge, Analyze, Learn, Apply" in at.error[0].value
    for component, level in zip(COMPONENTS, [3, 3, 4, 2, 1], strict=True):  # analyze: 4 against the coach's 2
        at.radio(key=f"{key}_{component}").set_value(level)
    click(at, "Save and compare with the coach")
    assert "needs a comment" in at.error[0].value
    assert at.radio(key=f"{key}_analyze").value == 4  # nothing typed is lost
    at.text_area(key=f"{key}_comment").input("=cmd| strong analysis, <i>thin</i> learning")
    click(at, "Save and compare with the coach")

    # Sealed: the coach's levels side by side, the gap marked in text, a reason asked for.
    assert at.subheader[-1].value == "Your levels beside the coach's"
    side = at.dataframe[-1].value
    assert list(side["you"]) == [3, 3, 4, 2, 1] and list(side["coach"]) == list(COACH)
    assert list(side["difference"]) == ["same", "same", "+2  ⚠ reason needed", "same", "same"]
    assert any("The coach's scorecard: 55/100" in e.label for e in at.expander)
    assert "Your levels are sealed" in at.warning[0].value
    click(at, "Save my review")
    assert "Analyze" in at.error[0].value
    reviewer = actor_of(app_storage, token)
    assert app_storage.transcripts.get_attempt(reviewer, attempt_id).reviews == ()  # not saved yet

    at.text_input(key=f"reason_{attempt_id}_analyze").input("She names the landing page as the cause.")
    click(at, "Save my review")
    assert at.success[0].value.startswith("Review saved")
    side = at.dataframe[-1].value
    assert list(side["your reason"].fillna("")) == [
        "",
        "",
        "She names the landing page as the cause.",
        "",
        "",
    ]
    (review,) = app_storage.transcripts.get_attempt(reviewer, attempt_id).reviews
    assert review.levels.model_dump() == dict(zip(COMPONENTS, [3, 3, 4, 2, 1], strict=True))
    assert review.comment == "=cmd| strong analysis, <i>thin</i> learning" and review.blind
    assert list(at.dataframe[0].value["coach"]) == [55]  # the queue shows the score now

    at.selectbox(key="review_reviewed").set_value("not by me")
    ok(at.run())
    assert "No shared attempts match these filters." in at.info[0].value


def test_revising_a_review_keeps_the_earlier_one_in_the_history(
    shared: dict[str, object], app_storage: Storage
) -> None:
    token, attempt_id = str(shared["reviewer"]), int(str(shared["attempt_id"]))
    app_storage.reviews.enter(
        actor_of(app_storage, token), attempt_id, dict(zip(COMPONENTS, COACH, strict=True)), "First."
    )
    at = open_app(token)
    key = f"revise_{attempt_id}"
    assert at.radio(key=f"{key}_apply").value == COACH[-1]  # the form starts from the review in force
    at.radio(key=f"{key}_apply").set_value(2)
    at.text_area(key=f"{key}_comment").input("Second look: the relaunch counts.")
    click(at, "Save the revision")
    assert at.success[0].value.startswith("Review saved")
    assert any(e.label == "Your earlier revisions (1)" for e in at.expander)
    reviewer = actor_of(app_storage, token)
    sheet = app_storage.reviews.sheet(reviewer, attempt_id)
    assert sheet.mine is not None and sheet.mine.revision == 2 and not sheet.mine.blind
    assert [h.comment for h in sheet.history] == ["First."]


def test_without_blind_mode_the_coach_and_other_reviews_show_at_once(
    shared: dict[str, object], app_storage: Storage, session_for: SessionFor
) -> None:
    admin = actor_of(app_storage, session_for("admin"))
    app_storage.reviews.set_policy(admin, blind=False)
    attempt_id = int(str(shared["attempt_id"]))
    other = app_storage.accounts.create_user_from_shell("Acme", "rex@acme.example", "reviewer", PASSWORD)
    rex = Actor(other.id, other.organisation_id, other.role, other.email)
    rex_levels = dict(zip(COMPONENTS, (2, 2, 1, 1, 0), strict=True))  # one level from the coach
    assert app_storage.reviews.enter(rex, attempt_id, rex_levels, "<script>x</script> weak").saved

    at = open_app(str(shared["reviewer"]))
    assert list(at.dataframe[0].value["coach"]) == [55]
    assert any("The coach's scorecard: 55/100" in e.label for e in at.expander)
    assert "&lt;script&gt;x&lt;/script&gt; weak" in html_of(at)
    side = at.dataframe[1].value
    assert list(side["rex@acme.example"]) == [2, 2, 1, 1, 0]
    key = f"review_{attempt_id}"
    for component in COMPONENTS:
        at.radio(key=f"{key}_{component}").set_value(2)
    click(at, "Save my review")
    assert at.success[0].value.startswith("Review saved")  # no comment needed, no gap of two
