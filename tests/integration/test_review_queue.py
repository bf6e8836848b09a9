"""The reviewers' queue over a real SQLite database: filters, sorting, pagination, blind hiding, the exports
(opened and checked) and the PDF for the hiring file (opened with pypdf)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from pypdf import PdfReader

from coach.review.exports import BASE_COLUMNS, queue_csv, queue_json
from coach.review.queue import Filters, org_agreement
from coach.review.report import review_pdf
from coach.rubric import COMPONENTS
from coach.storage.permissions import Actor, Forbidden
from coach.storage.store import Storage
from tests.integration.conftest import Clock, stored_card_dict

PASSWORD = "practice-makes-perfect"


def _user(storage: Storage, org: str, email: str, role: str) -> Actor:
    storage.accounts.create_user_from_shell(org, email, role, PASSWORD)
    return storage.accounts.sign_in(email, PASSWORD).actor


def _levels(*values: int) -> dict[str, int]:
    return dict(zip(COMPONENTS, values, strict=True))


@pytest.fixture
def team(storage: Storage, clock: Clock) -> dict[str, Actor]:
    """Acme: ann (cohort Spring) and bob, two reviewers and an admin; Globex: its own pair. Five attempts."""
    people = {
        "ann": _user(storage, "Acme", "ann@acme.example", "candidate"),
        "bob": _user(storage, "Acme", "bob@acme.example", "candidate"),
        "rita": _user(storage, "Acme", "rita@acme.example", "reviewer"),
        "rex": _user(storage, "Acme", "rex@acme.example", "reviewer"),
        "admin": _user(storage, "Acme", "admin@acme.example", "admin"),
        "gus": _user(storage, "Globex", "gus@globex.example", "candidate"),
    }
    spring = storage.accounts.create_cohort(people["admin"], "Spring")
    storage.accounts.assign_cohort(people["admin"], people["ann"].user_id, spring.id)
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
    attempt("bob", "missed-targets", "bob's strong answer", True, stored_card_dict(4, 4, 4, 3, 3))
    attempt("gus", "failed-campaign", "globex answer", True, stored_card_dict(4, 4, 4, 4, 4))
    return people


def _answers(storage: Storage, actor: Actor, filters: Filters, page: int = 1, size: int = 25) -> list[str]:
    found = storage.review_queue.page(actor, filters.query(), page, size)
    return [r.candidate + ":" + r.question_id for r in found.rows]


def test_the_queue_holds_the_organisations_shared_attempts_only_newest_first(
    storage: Storage, team: dict[str, Actor]
) -> None:
    assert _answers(storage, team["rita"], Filters()) == [
        "bob@acme.example:missed-targets",
        "bob@acme.example:failed-campaign",
        "ann@acme.example:failed-campaign",
    ]
    assert _answers(storage, team["rita"], Filters(sort="oldest"))[0] == "ann@acme.example:failed-campaign"
    with pytest.raises(Forbidden):
        storage.review_queue.page(team["ann"], Filters().query())
    options = storage.review_queue.options(team["rita"])
    assert set(options.candidates.values()) == {"ann@acme.example", "bob@acme.example"}
    assert options.questions == {
        "failed-campaign": "Text of failed-campaign",
        "missed-targets": "Text of missed-targets",
    }


def test_filters_and_pages(storage: Storage, team: dict[str, Actor]) -> None:
    rita = team["rita"]
    cohort = next(iter(storage.review_queue.options(rita).cohorts))
    assert _answers(storage, rita, Filters(cohort_id=cohort)) == ["ann@acme.example:failed-campaign"]
    assert _answers(
        storage, rita, Filters(candidate_id=team["bob"].user_id, question_id="missed-targets")
    ) == ["bob@acme.example:missed-targets"]
    first = storage.review_queue.page(rita, Filters().query(), 1, 2)
    second = storage.review_queue.page(rita, Filters().query(), 2, 2)
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (3, 2, 2, 1)
    assert storage.review_queue.page(rita, Filters().query(), 9, 2).page == 2  # past the end: the last page
    # Blind: the coach's score is unknown to rita, so a score filter matches nothing yet.
    assert _answers(storage, rita, Filters(overall=(40, 100))) == []
    storage.reviews.set_policy(team["admin"], blind=False)
    assert _answers(storage, rita, Filters(overall=(40, 100))) == [
        "bob@acme.example:missed-targets",
        "ann@acme.example:failed-campaign",
    ]
    assert _answers(storage, rita, Filters(flags=("no_metrics",), sort="score, lowest")) == [
        "ann@acme.example:failed-campaign",
        "bob@acme.example:missed-targets",
    ]
    assert _answers(storage, rita, Filters(flags=("blame",))) == []


def test_reviewed_filters_and_the_disagreement_sort(storage: Storage, team: dict[str, Actor]) -> None:
    rita, rex = team["rita"], team["rex"]
    rows = {
        r.candidate + ":" + r.question_id: r.attempt_id
        for r in storage.review_queue.page(rita, Filters().query()).rows
    }
    ann, bob_strong = rows["ann@acme.example:failed-campaign"], rows["bob@acme.example:missed-targets"]
    storage.reviews.enter(rita, ann, _levels(2, 3, 2, 2, 2), "close to the coach")  # coach 50, rita 55
    storage.reviews.enter(
        rita, bob_strong, _levels(3, 3, 3, 2, 2), "weaker than it reads"
    )  # coach 90, rita 65
    storage.reviews.enter(rex, ann, _levels(3, 3, 2, 3, 1), "fine")

    assert _answers(storage, rita, Filters(reviewed="by me")) == [
        "bob@acme.example:missed-targets",
        "ann@acme.example:failed-campaign",
    ]
    assert _answers(storage, rita, Filters(reviewed="not by me")) == ["bob@acme.example:failed-campaign"]
    assert _answers(storage, rita, Filters(reviewed="by nobody")) == ["bob@acme.example:failed-campaign"]
    assert _answers(storage, rita, Filters(reviewed="by fewer than", fewer_than=2)) == [
        "bob@acme.example:missed-targets",
        "bob@acme.example:failed-campaign",
    ]
    by_gap = storage.review_queue.page(rita, Filters(sort="disagreement").query()).rows
    assert [(r.question_id, r.disagreement) for r in by_gap] == [
        ("missed-targets", 25),  # 90 vs 65
        ("failed-campaign", 10),  # 50, 55, 60
        ("failed-campaign", None),  # unscored, unreviewed
    ]
    # rex has not reviewed bob's strong answer: its disagreement stays hidden from him, it sorts last.
    assert [
        r.disagreement for r in storage.review_queue.page(rex, Filters(sort="disagreement").query()).rows
    ] == [
        10,
        None,
        None,
    ]


def test_exports_are_one_row_per_attempt_with_every_review_and_formulas_kept_as_text(
    storage: Storage, team: dict[str, Actor]
) -> None:
    rita, rex = team["rita"], team["rex"]
    ann = (
        storage.review_queue.page(rita, Filters(candidate_id=team["ann"].user_id).query()).rows[0].attempt_id
    )
    storage.reviews.enter(rita, ann, _levels(3, 3, 2, 2, 2), "+1 solid")
    storage.reviews.enter(
        rex,
        ann,
        _levels(4, 3, 4, 2, 3),
        "@strong",
        {"describe": "Set-up is complete.", "analyze": "Named the cause.", "apply": "Reused it."},
    )

    rows = list(
        csv.DictReader(io.StringIO(queue_csv(storage.review_queue.all_rows(rita, Filters().query()))))
    )
    assert list(rows[0])[: len(BASE_COLUMNS)] == list(BASE_COLUMNS)
    assert len(rows) == 3  # one per attempt
    bob_unscored, ann_row = rows[1], rows[2]
    assert bob_unscored["coach_status"] == "not scored" and bob_unscored["reviewer1"] == ""
    assert rows[0]["coach_status"] == "hidden until your review"  # rita has not reviewed bob's other answer
    assert rows[0]["coach_overall"] == ""
    assert ann_row["coach_overall"] == "50" and [ann_row[f"coach_{c}"] for c in COMPONENTS] == [
        "2",
        "3",
        "2",
        "2",
        "1",
    ]
    assert ann_row["coach_flags"] == "no_metrics" and ann_row["reviews"] == "2"
    assert ann_row["reviewer1"] == "rita@acme.example" and ann_row["reviewer1_comment"] == "'+1 solid"
    assert ann_row["reviewer2_comment"] == "'@strong" and ann_row["reviewer2_blind"] == "yes"
    assert (
        ann_row["reviewer2_reasons"]
        == "describe: Set-up is complete.; analyze: Named the cause.; apply: Reused it."
    )
    assert ann_row["disagreement"] == "30"  # 50, 60, 80
    assert 0 < float(ann_row["agreement_exact"]) < 1

    exported = json.loads(queue_json(storage.review_queue.all_rows(rita, Filters().query())))
    assert exported["format"] == "coach-reviews/2"
    ann_json = exported["attempts"][2]
    assert ann_json["transcript"][1] == {"speaker": "Candidate", "text": "=HYPERLINK(x) ann's first answer"}
    assert ann_json["coach"]["levels"]["acknowledge"] == 3
    assert [r["overall"] for r in ann_json["reviews"]] == [60, 80]
    assert exported["attempts"][0]["coach"] is None

    # Rex's export does not show rita's hidden work either: bob's unreviewed strong answer stays hidden to him.
    rex_rows = list(
        csv.DictReader(io.StringIO(queue_csv(storage.review_queue.all_rows(rex, Filters().query()))))
    )
    assert rex_rows[0]["coach_status"] == "hidden until your review"


def test_the_pdf_for_the_hiring_file_holds_the_transcript_the_scorecard_and_every_review(
    storage: Storage, team: dict[str, Actor], tmp_path: object
) -> None:
    rita, rex = team["rita"], team["rex"]
    ann = (
        storage.review_queue.page(rita, Filters(candidate_id=team["ann"].user_id).query()).rows[0].attempt_id
    )
    hidden = review_pdf(storage.reviews.sheet(rita, ann), "ann@acme.example", {})
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(hidden)).pages)
    assert "ann's first answer" in text and "Hidden until your own review is in" in text
    assert "evidence analyze" not in text  # the coach's evidence stays out while blind

    storage.reviews.enter(
        rex,
        ann,
        _levels(4, 3, 4, 2, 1),
        "Owns it; the cause is clear.",
        {"describe": "Clear goal.", "analyze": "Funnel data."},
    )
    storage.reviews.enter(rita, ann, _levels(2, 3, 2, 2, 1), "Close to the coach.")
    sheet = storage.reviews.sheet(rita, ann)
    names = storage.transcripts.member_emails(rita, [r.reviewer_id for r in sheet.attempt.reviews])
    pdf = review_pdf(sheet, "ann@acme.example", names)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Hiring review",
        "ann@acme.example",
        "Text of failed-campaign",
        "=HYPERLINK(x) ann's first answer",
        "Overall 50/100",
        "evidence analyze",
        "feedback learn",
        "rex@acme.example",
        "Owns it; the cause is clear.",
        "Why Analyze differs from the coach: Funnel data.",
        "Close to the coach.",
        "entered blind",
    ):
        assert expected in text, expected
    assert reader.metadata is not None and reader.metadata.title == f"Hiring review, attempt {ann}"


def test_agreement_over_the_organisation(storage: Storage, team: dict[str, Actor]) -> None:
    rita, rex = team["rita"], team["rex"]
    rows = storage.review_queue.page(rita, Filters().query()).rows
    for row in rows:
        storage.reviews.enter(
            rita, row.attempt_id, _levels(2, 2, 2, 2, 2), "seen", dict.fromkeys(COMPONENTS, "x")
        )
        storage.reviews.enter(
            rex, row.attempt_id, _levels(3, 3, 2, 2, 1), "seen too", dict.fromkeys(COMPONENTS, "x")
        )
    found = org_agreement(storage.reviews, rita)
    assert (found.attempts, found.reviews) == (3, 6)
    assert found.scope("all").between_reviewers.n == 15
    assert (
        found.scope("all").coach_vs_reviewers.n == 20
    )  # two scored attempts, two reviewers, five components
    assert [lean.reviewer for lean in found.reviewers] == ["rex@acme.example", "rita@acme.example"]
    with pytest.raises(Forbidden):
        org_agreement(storage.reviews, team["admin"])
