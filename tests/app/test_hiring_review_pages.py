"""Hiring review beyond the queue, through AppTest: the Agreement page, the admin's review policy on the Users
page, and the reviews a candidate sees on History only when the organisation allows it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from coach.rubric import COMPONENTS
from coach.storage.permissions import Actor
from coach.storage.store import Storage
from tests.app.conftest import SessionFor
from tests.app.test_review_page import _scored

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
TIMEOUT = 90


def _run(token: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["coach_session_token"] = token
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def _actor(storage: Storage, token: str) -> Actor:
    found = storage.accounts.authenticate(token)
    assert found is not None
    return found


def _levels(*values: int) -> dict[str, int]:
    return dict(zip(COMPONENTS, values, strict=True))


def test_agreement_page_shows_kappa_alpha_months_and_each_reviewers_lean(
    session_for: SessionFor, app_storage: Storage, app_scorer: Path
) -> None:
    candidate = _actor(app_storage, session_for("candidate"))
    reviewer_token = session_for("reviewer")
    reviewer = _actor(app_storage, reviewer_token)
    at = _run(reviewer_token, "pages/agreement.py")
    assert at.title[0].value == "Agreement" and "No reviews yet" in at.info[0].value

    t = app_storage.transcripts
    for i, (coach, mine) in enumerate(
        [((3, 3, 2, 2, 1), (3, 2, 2, 2, 1)), ((1, 1, 1, 0, 0), (2, 1, 1, 1, 0))]
    ):
        attempt = t.save_attempt(candidate, question_id=f"q{i}", question_text="Q?", answer="A.", shared=True)
        t.record_scorecard(candidate, attempt, _scored(*coach), "builtin-test")
        assert app_storage.reviews.enter(reviewer, attempt, _levels(*mine), "ok").saved
    at = _run(reviewer_token, "pages/agreement.py")
    assert "2 reviews of 2 shared attempts" in at.caption[0].value
    assert [m.label for m in at.metric] == [
        "Coach vs reviewers, kappa",
        "Reviewer vs reviewer, kappa",
        "Krippendorff's alpha",
    ]
    per_component = at.dataframe[0].value
    assert list(per_component["component"])[-1] == "All five components"
    assert list(per_component["coach vs reviewers: pairs"]) == [2, 2, 2, 2, 2, 10]
    assert list(per_component["reviewer vs reviewer: kappa"]) == ["n/a"] * 6  # one reviewer: no pairs
    leans = at.dataframe[1].value
    assert list(leans["reviewer"]) == ["reviewer@acme.example"]
    assert list(leans["lean vs coach"]) == [0.1]  # (-1 + 1 + 1) / 10 components
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_the_admin_sets_blind_review_and_what_candidates_see(
    session_for: SessionFor, app_storage: Storage, app_scorer: Path
) -> None:
    token = session_for("admin")
    at = _run(token, "pages/users.py")
    assert at.title[0].value == "Users"
    assert at.toggle(key="policy_blind").value is True
    assert at.toggle(key="policy_candidates_see_reviews").value is False
    at.toggle(key="policy_blind").set_value(False)
    at.run()
    at.toggle(key="policy_candidates_see_reviews").set_value(True)
    at.run()
    assert not at.exception, at.exception
    policy = app_storage.reviews.policy(_actor(app_storage, token))
    assert (policy.blind, policy.candidates_see_reviews) == (False, True)


def test_a_candidate_sees_reviews_on_history_only_when_allowed(
    session_for: SessionFor, app_storage: Storage, app_scorer: Path
) -> None:
    candidate_token = session_for("candidate")
    candidate = _actor(app_storage, candidate_token)
    reviewer = _actor(app_storage, session_for("reviewer"))
    admin = _actor(app_storage, session_for("admin"))
    t = app_storage.transcripts
    attempt = t.save_attempt(candidate, question_id="q", question_text="Q?", answer="My answer.", shared=True)
    t.record_scorecard(candidate, attempt, _scored(3, 3, 2, 2, 1), "builtin-test")
    app_storage.reviews.enter(reviewer, attempt, _levels(3, 3, 2, 2, 1), "<b>Own</b> the number.")

    at = _run(candidate_token, "pages/history.py")
    assert "Reviews from the hiring team" not in [s.value for s in at.subheader]
    assert "Own" not in "".join(h.proto.body for h in at.get("html"))

    app_storage.reviews.set_policy(admin, candidates_see_reviews=True)
    at = _run(candidate_token, "pages/history.py")
    assert "Reviews from the hiring team" in [s.value for s in at.subheader]
    assert "&lt;b&gt;Own&lt;/b&gt; the number." in "".join(h.proto.body for h in at.get("html"))
