"""Trainer workspace storage on both backends: case versions, questions, cohorts, assignments, labels."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from coach.storage.assignments import AssignedItem, AssignmentError
from coach.storage.case_studies import CaseDraft, CaseError, CaseRules, case_markdown, text_diff
from coach.storage.members import AccountError
from coach.storage.permissions import NotFound
from coach.storage.question_bank import QuestionError
from coach.storage.store import Storage
from coach.storage.trainer_labels import LabelError
from tests.integration.storage.conftest import MakeUser, ManualClock

RULES = CaseRules(
    failure_modes={"wrong-channel", "weak-offer"},
    channels={"email", "paid-social"},
    sections=("Goal", "What happened", "What went wrong", "Lessons"),
    required_sections=("Goal", "What happened", "What went wrong"),
)
DRAFT = CaseDraft(
    title="The  launch nobody saw ",
    brand="Acme",
    year=2023,
    channels=("email",),
    failure_modes=("wrong-channel",),
    sources=("https://example.com/post",),
    sections={"Goal": "Sign-ups.", "What happened": "Silence.", "What went wrong": "<script>x</script>"},
)
LEVELS = {"describe": 3, "acknowledge": 2, "analyze": 2, "learn": 1, "apply": 0}


def test_a_case_is_saved_versioned_deleted_and_restored(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    trainer = make_user("Acme", "t@acme.example", "trainer")
    cases = storage.cases
    first = cases.create(trainer, DRAFT, RULES)
    assert first.draft.title == "The launch nobody saw"  # spaces folded, nothing else changed
    assert first.draft.sections["What went wrong"] == "<script>x</script>"  # stored as text
    assert first.doc_id == f"org-{trainer.organisation_id}-case-{first.id}"
    clock.advance(minutes=5)
    edited = cases.update(
        trainer, first.id, DRAFT.__class__(**{**DRAFT.__dict__, "brand": "Acme Ltd"}), RULES
    )
    assert (edited.version, edited.draft.brand) == (2, "Acme Ltd")
    # saving the same text again adds no version
    assert cases.update(trainer, first.id, edited.draft, RULES).version == 2
    cases.delete(trainer, first.id)
    assert cases.list_cases(trainer) == []
    assert [c.id for c in cases.list_cases(trainer, include_deleted=True)] == [first.id]
    restored = cases.restore(trainer, first.id, 1, RULES)
    assert (restored.version, restored.deleted, restored.draft.brand) == (4, False, "Acme")
    history = cases.history(trainer, first.id)
    assert [(v.version, v.action, v.author) for v in history] == [
        (1, "create", "t@acme.example"),
        (2, "update", "t@acme.example"),
        (3, "delete", "t@acme.example"),
        (4, "restore", "t@acme.example"),
    ]
    assert history[1].created_at - history[0].created_at == timedelta(minutes=5)
    diff = text_diff(history[0].draft, history[1].draft, "v1", "v2")
    assert "-brand: Acme\n" in diff and "+brand: Acme Ltd\n" in diff
    assert "## What went wrong" in case_markdown(history[0].draft)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "  "}, "the title is empty"),
        ({"brand": ""}, "the brand is empty"),
        ({"year": None}, "the year is missing"),
        ({"failure_modes": ("made-up",)}, "unknown failure mode 'made-up'"),
        ({"channels": ()}, "choose at least one channel"),
        ({"sources": ("not a url",)}, r"is not an http\(s\) URL"),
        ({"sections": {"Goal": "x", "What happened": "y"}}, "the section “What went wrong” is empty"),
        ({"sections": {**DRAFT.sections, "Gossip": "z"}}, "unexpected section 'Gossip'"),
    ],
)
def test_bad_cases_are_refused_with_a_clear_message_and_nothing_is_written(
    storage: Storage, make_user: MakeUser, change: dict[str, object], message: str
) -> None:
    trainer = make_user("Acme", "t@acme.example", "trainer")
    with pytest.raises(CaseError, match=message):
        storage.cases.create(trainer, CaseDraft(**{**DRAFT.__dict__, **change}), RULES)  # type: ignore[arg-type]
    assert storage.cases.list_cases(trainer, include_deleted=True) == []


def test_a_duplicate_title_is_refused_within_an_organisation_only(
    storage: Storage, make_user: MakeUser
) -> None:
    acme = make_user("Acme", "t@acme.example", "trainer")
    globex = make_user("Globex", "t@globex.example", "trainer")
    storage.cases.create(acme, DRAFT, RULES)
    with pytest.raises(CaseError, match="has a case titled"):
        storage.cases.create(acme, CaseDraft(**{**DRAFT.__dict__, "title": "the launch NOBODY saw"}), RULES)
    assert storage.cases.create(globex, DRAFT, RULES).organisation_id == globex.organisation_id
    # a deleted case frees its title; restoring it then meets the live one and is refused
    storage.cases.delete(acme, storage.cases.list_cases(acme)[0].id)
    again = storage.cases.create(acme, DRAFT, RULES)
    deleted = next(c for c in storage.cases.list_cases(acme, include_deleted=True) if c.deleted)
    with pytest.raises(CaseError, match="has a case titled"):
        storage.cases.restore(acme, deleted.id, 1, RULES)
    assert [c.id for c in storage.cases.list_cases(acme)] == [again.id]


def test_candidates_read_live_cases_of_their_organisation_only(storage: Storage, make_user: MakeUser) -> None:
    trainer = make_user("Acme", "t@acme.example", "trainer")
    candidate = make_user("Acme", "c@acme.example", "candidate")
    outsider = make_user("Globex", "c@globex.example", "candidate")
    case = storage.cases.create(trainer, DRAFT, RULES)
    assert storage.cases.get_case(candidate, case.id).draft.title == case.draft.title
    with pytest.raises(NotFound, match=f"no case {case.id}"):
        storage.cases.get_case(outsider, case.id)
    storage.cases.delete(trainer, case.id)
    with pytest.raises(NotFound):
        storage.cases.get_case(candidate, case.id)


def test_shell_import_is_versioned_as_a_shell_import(storage: Storage, make_user: MakeUser) -> None:
    trainer = make_user("Acme", "t@acme.example", "trainer")
    org = storage.cases.organisation_id("Acme")
    assert org == trainer.organisation_id == storage.cases.organisation_id(str(org))
    with pytest.raises(CaseError, match="no organisation 'Nope'"):
        storage.cases.organisation_id("Nope")
    imported = storage.cases.import_from_shell(org, DRAFT, RULES)
    assert [v.author for v in storage.cases.history(trainer, imported.id)] == ["shell import"]
    assert [c.id for c in storage.cases.live_cases_from_shell()] == [imported.id]


def test_questions_carry_details_and_retire_without_leaving_old_attempts(
    storage: Storage, make_user: MakeUser
) -> None:
    trainer = make_user("Acme", "t@acme.example", "trainer")
    candidate = make_user("Acme", "c@acme.example", "candidate")
    qid = storage.questions.add_question(
        trainer, "agency-miss", "An agency let you down?", probes="ownership", words=(150, 250), hint="Own it"
    )
    (question,) = storage.questions.list_questions(candidate)
    assert (question.probes, question.words, question.hint, question.retired) == (
        "ownership",
        (150, 250),
        "Own it",
        False,
    )
    attempt = storage.transcripts.save_attempt(
        candidate, question_id="org/agency-miss", question_text=question.text, answer="My answer."
    )
    storage.questions.update_question(trainer, qid, "A partner let you down?", words=(200, 300))
    storage.questions.set_retired(trainer, qid, True)
    assert storage.questions.list_questions(candidate) == []
    assert storage.questions.list_questions(trainer, include_retired=True)[0].retired
    assert storage.transcripts.get_attempt(candidate, attempt).question_text == "An agency let you down?"
    with pytest.raises(QuestionError, match="target length"):
        storage.questions.update_question(trainer, qid, "Text?", words=(300, 200))


def test_cohorts_assignments_and_completion(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    trainer = make_user("Acme", "t@acme.example", "trainer")
    ann = make_user("Acme", "ann@acme.example", "candidate")
    bob = make_user("Acme", "bob@acme.example", "candidate")
    make_user("Acme", "rev@acme.example", "reviewer")
    cohort = storage.cohorts.create_cohort(trainer, "Spring cohort")
    with pytest.raises(AccountError, match="exists already"):
        storage.cohorts.create_cohort(trainer, "Spring  cohort")
    assert [c.email for c in storage.cohorts.list_candidates(trainer)] == [
        "ann@acme.example",
        "bob@acme.example",
    ]
    storage.cohorts.set_cohort(trainer, ann.user_id, cohort.id)
    storage.cohorts.set_cohort(trainer, bob.user_id, cohort.id)
    (listed,) = storage.cohorts.list_cohorts(trainer)
    assert [m.email for m in listed.members] == ["ann@acme.example", "bob@acme.example"]

    # an attempt before the assignment does not count
    early = storage.transcripts.save_attempt(ann, question_id="main", question_text="Q", answer="Before.")
    storage.transcripts.record_scorecard(ann, early, {"overall": 10}, "builtin-test")
    clock.advance(minutes=1)
    items = [AssignedItem("main", "Q", "org-1-case-1"), AssignedItem("org/x", "X?")]
    with pytest.raises(AssignmentError, match="in the past"):
        storage.assignments.create(trainer, cohort.id, "Week 1", clock.now.date() - timedelta(days=1), items)
    due = clock.now.date() + timedelta(days=7)
    made = storage.assignments.create(trainer, cohort.id, "Week 1", due, items)
    assert (made.cohort_name, made.items[0].case_id, made.items[1].case_id) == (
        "Spring cohort",
        "org-1-case-1",
        None,
    )
    (mine,) = storage.assignments.my_assignments(ann)
    assert mine.done == (False, False)
    clock.advance(minutes=1)
    attempt = storage.transcripts.save_attempt(ann, question_id="main", question_text="Q", answer="After.")
    assert storage.assignments.my_assignments(ann)[0].done == (False, False)  # not scored yet
    storage.transcripts.record_scorecard(ann, attempt, {"overall": 65}, "builtin-test")
    assert storage.assignments.my_assignments(ann)[0].done == (True, False)
    table = {
        (s.candidate, s.position): (s.done, s.overall) for s in storage.assignments.progress(trainer, made.id)
    }
    assert table == {
        ("ann@acme.example", 1): (True, 65),
        ("ann@acme.example", 2): (False, None),
        ("bob@acme.example", 1): (False, None),
        ("bob@acme.example", 2): (False, None),
    }
    assert storage.assignments.my_assignments(bob)[0].assignment.id == made.id
    assert isinstance(due, date)


def test_trainer_labels_on_shared_attempts(storage: Storage, make_user: MakeUser) -> None:
    trainer = make_user("Acme", "t@acme.example", "trainer")
    other = make_user("Globex", "t@globex.example", "trainer")
    cand = make_user("Acme", "c@acme.example", "candidate")
    shared = storage.transcripts.save_attempt(
        cand, question_id="q", question_text="Q", answer="S", shared=True
    )
    private = storage.transcripts.save_attempt(
        cand, question_id="q", question_text="Q", answer="P", shared=False
    )
    storage.transcripts.record_scorecard(cand, shared, {"overall": 50}, "builtin-test")
    assert [a.id for a in storage.labels.shared_attempts(trainer)] == [shared]
    storage.labels.set_label(trainer, shared, LEVELS, ["blame"])
    relabelled = storage.labels.set_label(trainer, shared, {**LEVELS, "apply": 2}, [])
    (only,) = storage.labels.labels(trainer)
    assert (only.label.id, only.label.levels["apply"], only.label.flags) == (relabelled.id, 2, ())
    assert only.attempt.latest_scorecard is not None
    with pytest.raises(NotFound):
        storage.labels.set_label(trainer, private, LEVELS)
    with pytest.raises(NotFound):
        storage.labels.set_label(other, shared, LEVELS)
    with pytest.raises(LabelError, match="unknown flag"):
        storage.labels.set_label(trainer, shared, LEVELS, ["rude"])
    with pytest.raises(LabelError, match="a level from 0 to 4"):
        storage.labels.set_label(trainer, shared, {**LEVELS, "apply": 7})
    assert storage.labels.labels(other) == []
    assert len(storage.labels.labels_from_shell(trainer.organisation_id)) == 1
    # unsharing takes the attempt out of calibration
    storage.transcripts.set_shared(cand, shared, False)
    assert storage.labels.labels(trainer) == []
