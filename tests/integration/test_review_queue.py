"""The reviewers' queue over a real SQLite database: what is shared, filters, reviews, and the exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from coach.practice.review_queue import CSV_COLUMNS, load_queue, queue_csv, queue_filters, queue_json
from coach.rubric import COMPONENTS
from coach.storage.permissions import Actor, Forbidden
from coach.storage.store import Storage
from tests.integration.conftest import Clock, stored_card_dict

PASSWORD = "practice-makes-perfect"


def _user(storage: Storage, org: str, email: str, role: str) -> Actor:
    storage.accounts.create_user_from_shell(org, email, role, PASSWORD)
    return storage.accounts.sign_in(email, PASSWORD).actor


@pytest.fixture
def team(storage: Storage, clock: Clock) -> dict[str, Actor]:
    """Acme: two candidates (one shares, one keeps an attempt private), two reviewers; Globex: its own pair."""
    people = {
        "ann": _user(storage, "Acme", "ann@acme.example", "candidate"),
        "bob": _user(storage, "Acme", "bob@acme.example", "candidate"),
        "rita": _user(storage, "Acme", "rita@acme.example", "reviewer"),
        "rex": _user(storage, "Acme", "rex@acme.example", "reviewer"),
        "gus": _user(storage, "Globex", "gus@globex.example", "candidate"),
        "gil": _user(storage, "Globex", "gil@globex.example", "reviewer"),
    }
    t = storage.transcripts

    def attempt(who: str, question: str, answer: str, shared: bool, card: dict[str, object] | None) -> int:
        attempt_id = t.save_attempt(
            people[who],
            question_id=question,
            question_text=f"Text of {question}",
            answer=answer,
            shared=shared,
        )
        if card is not None:
            t.record_scorecard(people[who], attempt_id, card, "builtin-test")
        clock.now += timedelta(days=1)
        return attempt_id

    attempt(
        "ann", "failed-campaign", "=HYPERLINK(x) ann's first answer", True, stored_card_dict(2, 3, 2, 2, 1)
    )
    attempt("ann", "missed-targets", "ann keeps this one to herself", False, stored_card_dict(1, 1, 1, 1, 1))
    attempt("bob", "failed-campaign", "bob's answer, never scored", True, None)
    attempt("gus", "failed-campaign", "globex answer", True, stored_card_dict(4, 4, 4, 4, 4))
    return people


def test_the_queue_holds_the_organisations_shared_attempts_only(
    storage: Storage, team: dict[str, Actor]
) -> None:
    items = load_queue(storage.transcripts, team["rita"])
    assert [(i.candidate, i.attempt.answer) for i in items] == [
        ("bob@acme.example", "bob's answer, never scored"),
        ("ann@acme.example", "=HYPERLINK(x) ann's first answer"),
    ]
    assert items[0].card is None
    assert items[1].card is not None and items[1].card.levels["acknowledge"] == 3
    assert "not scored yet" in items[0].label and "scorer 50/100" in items[1].label

    globex = load_queue(storage.transcripts, team["gil"])
    assert [i.candidate for i in globex] == ["gus@globex.example"]


def test_candidates_and_trainers_have_no_queue(storage: Storage, team: dict[str, Actor]) -> None:
    with pytest.raises(Forbidden):
        load_queue(storage.transcripts, team["ann"])
    trainer = _user(storage, "Acme", "tess@acme.example", "trainer")
    with pytest.raises(Forbidden):
        queue_filters(storage.transcripts, trainer)


def test_filters_by_candidate_question_and_what_i_have_not_reviewed(
    storage: Storage, team: dict[str, Actor]
) -> None:
    t, rita, rex = storage.transcripts, team["rita"], team["rex"]
    candidates, questions = queue_filters(t, rita)
    assert candidates == {team["ann"].user_id: "ann@acme.example", team["bob"].user_id: "bob@acme.example"}
    assert questions == {
        "failed-campaign": "Text of failed-campaign"
    }  # the private attempt's question is not offered

    only_ann = load_queue(t, rita, candidate_id=team["ann"].user_id)
    assert [i.candidate for i in only_ann] == ["ann@acme.example"]
    assert load_queue(t, rita, question_id="missed-targets") == []

    t.add_review(rex, only_ann[0].attempt.id, dict.fromkeys(COMPONENTS, 2), "rex's view")
    pending_for_rita = load_queue(t, rita, unreviewed_by_me=True)
    assert len(pending_for_rita) == 2  # rex's review does not take it off rita's list
    pending_for_rex = load_queue(t, rex, unreviewed_by_me=True)
    assert [i.candidate for i in pending_for_rex] == ["bob@acme.example"]


def test_reviews_come_back_with_their_reviewers_and_in_both_exports(
    storage: Storage, team: dict[str, Actor]
) -> None:
    t = storage.transcripts
    ann_attempt = load_queue(t, team["rita"], candidate_id=team["ann"].user_id)[0].attempt.id
    t.add_review(
        team["rita"],
        ann_attempt,
        {"describe": 3, "acknowledge": 3, "analyze": 2, "learn": 2, "apply": 2},
        "+1 solid",
    )
    t.add_review(team["rex"], ann_attempt, dict.fromkeys(COMPONENTS, 4), "")

    items = load_queue(t, team["rita"])
    ann = items[1]
    assert [ann.reviewer_of(r) for r in ann.attempt.reviews] == ["rita@acme.example", "rex@acme.example"]
    assert [r.comment for r in ann.reviews_by(team["rita"].user_id)] == ["+1 solid"]
    assert "2 reviews" in ann.label
    assert [(r["by"], r["overall"], r["acknowledge"]) for r in ann.score_table()] == [
        ("the coach (built-in scorer)", 50, 3),
        ("rita@acme.example", 60, 3),
        ("rex@acme.example", 100, 4),
    ]
    assert items[0].score_table() == []  # unscored and unreviewed

    rows = list(csv.DictReader(io.StringIO(queue_csv(items))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 3  # bob's attempt with no review, then one row per review of ann's
    assert (
        rows[0]["candidate"] == "bob@acme.example"
        and rows[0]["reviewer"] == ""
        and rows[0]["scorer_overall"] == ""
    )
    rita_row, rex_row = rows[1], rows[2]
    assert rita_row["reviewer"] == "rita@acme.example" and rita_row["review_overall"] == "60"
    assert [rita_row[f"review_{c}"] for c in COMPONENTS] == ["3", "3", "2", "2", "2"]
    assert [rita_row[f"scorer_{c}"] for c in COMPONENTS] == ["2", "3", "2", "2", "1"]
    assert rex_row["review_overall"] == "100"
    # Spreadsheet formulas in anything a person typed stay text.
    assert rita_row["comment"] == "'+1 solid"
    assert "Candidate: =HYPERLINK(x)" in rita_row["transcript"]

    exported = json.loads(queue_json(items))
    assert exported["format"] == "coach-reviews/1"
    ann_json = exported["attempts"][1]
    assert ann_json["candidate"] == "ann@acme.example"
    assert ann_json["scorer"]["levels"]["acknowledge"] == 3
    assert [r["overall"] for r in ann_json["reviews"]] == [60, 100]
    assert ann_json["transcript"][0] == {"speaker": "Interviewer", "text": "Text of failed-campaign"}
    assert exported["attempts"][0]["scorer"] is None


def test_a_deleted_candidate_takes_their_attempts_out_of_the_queue(
    storage: Storage, team: dict[str, Actor]
) -> None:
    storage.personal_data.erase(team["bob"])
    assert [i.candidate for i in load_queue(storage.transcripts, team["rita"])] == ["ann@acme.example"]
