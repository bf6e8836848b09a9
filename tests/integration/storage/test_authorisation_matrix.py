"""Every subject against every action, on both backends; each cell of the table is asserted.

Outcomes: "ok" (and the right object came back), "not found" (the object may not be known to exist,
which is also what a guessed id or another organisation's object gives), "forbidden" (the role never
allows this kind of action), "sign in" (nobody signed in). The page half of the matrix is in
tests/app/test_navigation_matrix.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from coach.storage.assignments import AssignedItem
from coach.storage.case_studies import CaseDraft, CaseRules
from coach.storage.permissions import Actor, Forbidden, NotFound, NotSignedIn
from coach.storage.review_queue import QueueQuery
from coach.storage.store import Storage
from tests.integration.storage.conftest import PASSWORD, MakeUser

LEVELS = {"describe": 2, "acknowledge": 2, "analyze": 2, "learn": 2, "apply": 2}
GUESS = 10_000  # an id far past anything created here


@dataclass(frozen=True)
class World:
    """Two organisations: Acme (A) with one of each role plus a second candidate, Globex (B)."""

    people: dict[str, Actor | None]
    a_shared: int
    a_private: int
    b_shared: int
    a_review: int
    b_review: int
    a_question: int
    b_question: int
    a_candidate: int
    a_candidate_2: int
    b_candidate: int


SUBJECTS = [
    "candidate (owner)",
    "candidate (same org)",
    "trainer",
    "reviewer",
    "admin",
    "other org's reviewer",
    "other org's admin",
    "anonymous",
]


def _build(storage: Storage, make_user: MakeUser) -> World:
    people: dict[str, Actor | None] = {
        "candidate (owner)": make_user("Acme", "cand@acme.example", "candidate"),
        "candidate (same org)": make_user("Acme", "cand2@acme.example", "candidate"),
        "trainer": make_user("Acme", "trainer@acme.example", "trainer"),
        "reviewer": make_user("Acme", "rev@acme.example", "reviewer"),
        "admin": make_user("Acme", "admin@acme.example", "admin"),
        "other org's reviewer": make_user("Globex", "rev@globex.example", "reviewer"),
        "other org's admin": make_user("Globex", "admin@globex.example", "admin"),
        "anonymous": None,
    }
    owner, b_cand = people["candidate (owner)"], make_user("Globex", "cand@globex.example", "candidate")
    b_trainer = make_user("Globex", "trainer@globex.example", "trainer")
    tr = storage.transcripts
    a_shared = tr.save_attempt(owner, question_id="q", question_text="Q", answer="A shared", shared=True)
    a_private = tr.save_attempt(owner, question_id="q", question_text="Q", answer="A private", shared=False)
    b_shared = tr.save_attempt(b_cand, question_id="q", question_text="Q", answer="B shared", shared=True)
    a_review = storage.reviews.enter(people["reviewer"], a_shared, LEVELS, "A review").review.id
    b_review = storage.reviews.enter(people["other org's reviewer"], b_shared, LEVELS, "B review").review.id
    a_question = storage.questions.add_question(people["trainer"], "acme-question", "Acme asks?")
    b_question = storage.questions.add_question(b_trainer, "globex-question", "Globex asks?")
    a_cand_2 = people["candidate (same org)"]
    assert owner is not None and a_cand_2 is not None
    return World(
        people, a_shared, a_private, b_shared, a_review, b_review, a_question, b_question,
        owner.user_id, a_cand_2.user_id, b_cand.user_id,
    )  # fmt: skip


# Each action returns a check of what came back: False means the call "worked" but returned the wrong thing.
Action = Callable[[Storage, World, Actor | None, str], bool]


def _domains(members: Any) -> set[str]:
    return {m.email.split("@")[1] for m in members}


ACTIONS: dict[str, Action] = {
    "read attempt: A shared": lambda s, w, a, n: (
        s.transcripts.get_attempt(a, w.a_shared).answer == "A shared"
    ),
    "read attempt: A not shared": lambda s, w, a, n: (
        s.transcripts.get_attempt(a, w.a_private).answer == "A private"
    ),
    "read attempt: B shared": lambda s, w, a, n: (
        s.transcripts.get_attempt(a, w.b_shared).answer == "B shared"
    ),
    "read attempt: guessed id": lambda s, w, a, n: bool(s.transcripts.get_attempt(a, GUESS)),
    "list shared attempts": lambda s, w, a, n: (
        [x.answer for x in s.transcripts.list_shared_attempts(a)]
        == (["B shared"] if n.startswith("other org") else ["A shared"])
    ),
    "list member emails": lambda s, w, a, n: (
        set(s.transcripts.member_emails(a, [w.a_candidate, w.b_candidate, GUESS]).values())
        == ({"cand@globex.example"} if n.startswith("other org") else {"cand@acme.example"})
    ),
    # A candidate reads the reviews of their attempts only if the organisation allows it (off by default).
    "read review: A": lambda s, w, a, n: s.reviews.get_review(a, w.a_review).comment == "A review",
    "read review: B": lambda s, w, a, n: s.reviews.get_review(a, w.b_review).comment == "B review",
    "read review: guessed id": lambda s, w, a, n: bool(s.reviews.get_review(a, GUESS)),
    "write review: A shared": lambda s, w, a, n: s.reviews.enter(a, w.a_shared, LEVELS, "c").saved,
    "write review: A not shared": lambda s, w, a, n: s.reviews.enter(a, w.a_private, LEVELS, "c").saved,
    "write review: B shared": lambda s, w, a, n: s.reviews.enter(a, w.b_shared, LEVELS, "c").saved,
    "write review: guessed id": lambda s, w, a, n: s.reviews.enter(a, GUESS, LEVELS, "c").saved,
    "edit case study: add to own org": lambda s, w, a, n: (
        s.questions.add_question(a, "new-" + "".join(c for c in n if c.isalpha()), "New?") > 0
    ),
    "edit case study: A question": lambda s, w, a, n: (
        s.questions.update_question(a, w.a_question, "A2?").text == "A2?"
    ),
    "edit case study: B question": lambda s, w, a, n: (
        s.questions.update_question(a, w.b_question, "B2?").text == "B2?"
    ),
    "edit case study: guessed id": lambda s, w, a, n: bool(s.questions.update_question(a, GUESS, "?")),
    "manage users: list": lambda s, w, a, n: (
        _domains(s.accounts.list_members(a))
        == ({"globex.example"} if n.startswith("other org") else {"acme.example"})
    ),
    "manage users: A user's role": lambda s, w, a, n: (
        s.accounts.set_role(a, w.a_candidate_2, "candidate").id == w.a_candidate_2
    ),
    "manage users: B user's role": lambda s, w, a, n: (
        s.accounts.set_role(a, w.b_candidate, "candidate").id == w.b_candidate
    ),
    "manage users: guessed id": lambda s, w, a, n: bool(s.accounts.set_role(a, GUESS, "candidate")),
    "export: own data": lambda s, w, a, n: s.personal_data.export(a)["user"]["email"] == (a and a.email),
    "export: A candidate's data": lambda s, w, a, n: (
        s.personal_data.export(a, w.a_candidate)["user"]["email"] == "cand@acme.example"
    ),
    "export: B candidate's data": lambda s, w, a, n: bool(s.personal_data.export(a, w.b_candidate)),
    "export: guessed id": lambda s, w, a, n: bool(s.personal_data.export(a, GUESS)),
}

OK, NF, NO, IN = "ok", "not found", "forbidden", "sign in"
# One row per subject, one column per action, in the order of ACTIONS above.
EXPECTED_ROWS: dict[str, list[str]] = {
    #                       read attempt    list  emails  read review  write review    edit case study  manage users    export
    "candidate (owner)":    [OK, OK, NF, NF, NO, NO, NF, NF, NF, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, OK, OK, NF, NF],
    "candidate (same org)": [NF, NF, NF, NF, NO, NO, NF, NF, NF, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, OK, NF, NF, NF],
    "trainer":              [NF, NF, NF, NF, NO, NO, NF, NF, NF, NO, NO, NO, NO, OK, OK, NF, NF, NO, NO, NO, NO, OK, NF, NF, NF],
    "reviewer":             [OK, NF, NF, NF, OK, OK, OK, NF, NF, OK, NF, NF, NF, NO, NO, NO, NO, NO, NO, NO, NO, OK, NF, NF, NF],
    "admin":                [NF, NF, NF, NF, NO, NO, NF, NF, NF, NO, NO, NO, NO, NO, NO, NO, NO, OK, OK, NF, NF, OK, NF, NF, NF],
    "other org's reviewer": [NF, NF, OK, NF, OK, OK, NF, OK, NF, NF, NF, OK, NF, NO, NO, NO, NO, NO, NO, NO, NO, OK, NF, NF, NF],
    "other org's admin":    [NF, NF, NF, NF, NO, NO, NF, NF, NF, NO, NO, NO, NO, NO, NO, NO, NO, OK, NF, OK, NF, OK, NF, NF, NF],
    "anonymous":            [IN] * 25,
}  # fmt: skip

# Hiring review (issue 14): a shared attempt's review sheet, the queue, the agreement figures, the policy.
HIRING_ACTIONS: dict[str, Action] = {
    "review sheet: A shared": lambda s, w, a, n: s.reviews.sheet(a, w.a_shared).attempt.answer == "A shared",
    "review sheet: B shared": lambda s, w, a, n: s.reviews.sheet(a, w.b_shared).attempt.answer == "B shared",
    "review sheet: guessed id": lambda s, w, a, n: bool(s.reviews.sheet(a, GUESS)),
    "review queue": lambda s, w, a, n: (
        [r.attempt_id for r in s.review_queue.page(a, QueueQuery()).rows]
        == ([w.b_shared] if n.startswith("other org") else [w.a_shared])
    ),
    "agreement figures": lambda s, w, a, n: (
        [r.attempt_id for r in s.reviews.ratings(a)]
        == ([w.b_shared] if n.startswith("other org") else [w.a_shared])
    ),
    "review policy: set": lambda s, w, a, n: s.reviews.set_policy(a, blind=True).blind,
}
ACTIONS.update(HIRING_ACTIONS)
HIRING_ROWS: dict[str, list[str]] = {
    #                       sheet A  B  guess  queue  agreement  policy
    "candidate (owner)":    [NO, NO, NO, NO, NO, NO],
    "candidate (same org)": [NO, NO, NO, NO, NO, NO],
    "trainer":              [NO, NO, NO, NO, NO, NO],
    "reviewer":             [OK, NF, NF, OK, OK, NO],
    "admin":                [NO, NO, NO, NO, NO, OK],
    "other org's reviewer": [NF, OK, NF, OK, OK, NO],
    "other org's admin":    [NO, NO, NO, NO, NO, OK],
    "anonymous":            [IN] * 6,
}  # fmt: skip
for _subject, _row in HIRING_ROWS.items():
    EXPECTED_ROWS[_subject] = [*EXPECTED_ROWS[_subject], *_row]


# Practice flow (issue 16): per-attempt sharing, deleting an attempt, drafts, what reviewers are told, and
# the Users page's deactivate/reactivate/re-invite. Each action works on objects of its own and puts back
# what it changed, so the cells after it see the same world.
def _fresh_attempt(s: Storage, w: World, shared: bool) -> int:
    owner = w.people["candidate (owner)"]
    return s.transcripts.save_attempt(
        owner, question_id="q", question_text="Q", answer="fresh", shared=shared
    )


def _then_put_back(s: Storage, w: World, attempt_id: int, check: Callable[[], bool]) -> bool:
    owner = w.people["candidate (owner)"]
    try:
        return check()
    finally:
        try:  # unshared first: the tombstone of an attempt that was never shared tells reviewers nothing
            s.transcripts.set_shared(owner, attempt_id, False)
            s.withdrawals.delete_attempt(owner, attempt_id)
        except NotFound:
            pass  # the action deleted it


def _share(s: Storage, w: World, a: Actor | None, shared: bool) -> bool:
    attempt_id = _fresh_attempt(s, w, not shared)

    def check() -> bool:
        s.transcripts.set_shared(a, attempt_id, shared)
        owner = w.people["candidate (owner)"]
        return s.transcripts.get_attempt(owner, attempt_id).shared is shared

    return _then_put_back(s, w, attempt_id, check)


def _delete(s: Storage, w: World, a: Actor | None) -> bool:
    attempt_id = _fresh_attempt(s, w, False)

    def check() -> bool:
        s.withdrawals.delete_attempt(a, attempt_id)
        return attempt_id not in {x.id for x in s.transcripts.list_attempts(w.people["candidate (owner)"])}

    return _then_put_back(s, w, attempt_id, check)


def _save_draft(s: Storage, a: Actor | None) -> bool:
    saved = s.drafts.save(a, "q-matrix", "draft words")
    s.drafts.discard(a, "q-matrix")
    return saved is not None and saved.text == "draft words"


def _deactivate(s: Storage, w: World, a: Actor | None) -> bool:
    off = s.accounts.set_active(a, w.a_candidate_2, False)
    on = s.accounts.set_active(a, w.a_candidate_2, True)
    return not off.active and on.active


def _reinvite(s: Storage, w: World, a: Actor | None, n: str) -> bool:
    email = "invitee-" + "".join(c for c in n if c.isalpha()) + "@acme.example"
    invitation = s.accounts.invite_user(w.people["admin"], email, "candidate")
    return s.accounts.reinvite(a, invitation.user_id).code != invitation.code


FLOW_ACTIONS: dict[str, Action] = {
    "share: own private attempt": lambda s, w, a, n: _share(s, w, a, True),
    "unshare: own shared attempt": lambda s, w, a, n: _share(s, w, a, False),
    "share: guessed id": lambda s, w, a, n: s.transcripts.set_shared(a, GUESS, True) is None,
    "delete attempt: own": lambda s, w, a, n: _delete(s, w, a),
    "delete attempt: guessed id": lambda s, w, a, n: s.withdrawals.delete_attempt(a, GUESS) is None,
    "save draft": lambda s, w, a, n: _save_draft(s, a),
    "read drafts": lambda s, w, a, n: s.drafts.get(a, "q-matrix") is None and s.drafts.list(a) == [],
    "withdrawn and deleted attempts": lambda s, w, a, n: s.withdrawals.gone(a) == [],
    "deactivate and reactivate: A user": lambda s, w, a, n: _deactivate(s, w, a),
    "re-invite: A invitee": lambda s, w, a, n: _reinvite(s, w, a, n),
}
ACTIONS.update(FLOW_ACTIONS)
FLOW_ROWS: dict[str, list[str]] = {
    #                       share unshare guess  delete guess  draft save read  gone  users: active invite
    "candidate (owner)":    [OK, OK, NF, OK, NF, OK, OK, NO, NO, NO],
    "candidate (same org)": [NF, NF, NF, NF, NF, OK, OK, NO, NO, NO],
    "trainer":              [NO, NO, NO, NO, NO, NO, NO, NO, NO, NO],
    "reviewer":             [NO, NO, NO, NO, NO, NO, NO, OK, NO, NO],
    "admin":                [NO, NO, NO, NO, NO, NO, NO, NO, OK, OK],
    "other org's reviewer": [NO, NO, NO, NO, NO, NO, NO, OK, NO, NO],
    "other org's admin":    [NO, NO, NO, NO, NO, NO, NO, NO, NF, NF],
    "anonymous":            [IN] * 10,
}  # fmt: skip
for _subject, _row in FLOW_ROWS.items():
    EXPECTED_ROWS[_subject] = [*EXPECTED_ROWS[_subject], *_row]


# Trainer workspace (issue 13): cases, cohorts, assignments, calibration labels, retiring questions. The
# organisation objects are made once per world, by the first trainer action that runs.
@dataclass(frozen=True)
class TrainerWorld:
    a_case: int
    b_case: int
    a_cohort: int
    b_cohort: int
    a_assignment: int
    b_assignment: int


CASE_RULES = CaseRules(
    failure_modes={"weak-offer"},
    channels={"email"},
    sections=("Goal", "What happened", "What went wrong"),
    required_sections=("What happened",),
)
_TRAINER_WORLDS: dict[int, tuple[World, TrainerWorld]] = {}


def _case(title: str, brand: str = "Acme") -> CaseDraft:
    return CaseDraft(title, brand, 2024, ("email",), ("weak-offer",), (), {"What happened": "It flopped."})


def _tw(s: Storage, w: World) -> TrainerWorld:
    kept = _TRAINER_WORLDS.get(id(w))
    if kept is not None and kept[0] is w:
        return kept[1]
    a_trainer = w.people["trainer"]
    b_member = s.accounts.create_user_from_shell("Globex", "trainer2@globex.example", "trainer", PASSWORD)
    b_trainer = Actor(b_member.id, b_member.organisation_id, b_member.role, b_member.email)
    a_cohort = s.cohorts.create_cohort(a_trainer, "A cohort").id
    b_cohort = s.cohorts.create_cohort(b_trainer, "B cohort").id
    s.cohorts.set_cohort(a_trainer, w.a_candidate, a_cohort)
    due = date(2100, 1, 1)
    item = [AssignedItem("q", "Q")]
    built = TrainerWorld(
        s.cases.create(a_trainer, _case("A case"), CASE_RULES).id,
        s.cases.create(b_trainer, _case("B case", "Globex"), CASE_RULES).id,
        a_cohort,
        b_cohort,
        s.assignments.create(a_trainer, a_cohort, "A work", due, item).id,
        s.assignments.create(b_trainer, b_cohort, "B work", due, item).id,
    )
    _TRAINER_WORLDS[id(w)] = (w, built)
    return built


def _letters(n: str) -> str:
    return "".join(c for c in n if c.isalpha())


TRAINER_ACTIONS: dict[str, Action] = {
    "cases: add to own org": lambda s, w, a, n: (
        _tw(s, w) is not None and s.cases.create(a, _case("New " + _letters(n)), CASE_RULES).version == 1
    ),
    "cases: read A case": lambda s, w, a, n: s.cases.get_case(a, _tw(s, w).a_case).draft.title == "A case",
    "cases: edit A case": lambda s, w, a, n: (
        s.cases.update(a, _tw(s, w).a_case, _case("A case", _letters(n)), CASE_RULES).draft.brand
        == _letters(n)
    ),
    "cases: edit B case": lambda s, w, a, n: bool(
        s.cases.update(a, _tw(s, w).b_case, _case("B"), CASE_RULES)
    ),
    "cases: history of A case": lambda s, w, a, n: len(s.cases.history(a, _tw(s, w).a_case)) >= 1,
    "cases: guessed id": lambda s, w, a, n: bool(s.cases.get_case(a, GUESS)),
    "questions: retire A question": lambda s, w, a, n: (
        not s.questions.set_retired(a, w.a_question, False).retired
    ),
    "questions: retire B question": lambda s, w, a, n: bool(s.questions.set_retired(a, w.b_question, True)),
    "cohorts: list": lambda s, w, a, n: [c.name for c in s.cohorts.list_cohorts(a)] == ["A cohort"],
    "cohorts: A candidate into A cohort": lambda s, w, a, n: (
        s.cohorts.set_cohort(a, w.a_candidate, _tw(s, w).a_cohort).cohort_id == _tw(s, w).a_cohort
    ),
    "cohorts: B candidate into A cohort": lambda s, w, a, n: bool(
        s.cohorts.set_cohort(a, w.b_candidate, _tw(s, w).a_cohort)
    ),
    "assignments: progress of A": lambda s, w, a, n: (
        {r.candidate for r in s.assignments.progress(a, _tw(s, w).a_assignment)} == {"cand@acme.example"}
    ),
    "assignments: progress of B": lambda s, w, a, n: bool(s.assignments.progress(a, _tw(s, w).b_assignment)),
    "assignments: my own": lambda s, w, a, n: (
        [m.assignment.id for m in s.assignments.my_assignments(a)]
        == ([_tw(s, w).a_assignment] if n == "candidate (owner)" else [])
    ),
    "labels: A shared": lambda s, w, a, n: s.labels.set_label(a, w.a_shared, LEVELS).attempt_id == w.a_shared,
    "labels: A not shared": lambda s, w, a, n: bool(s.labels.set_label(a, w.a_private, LEVELS)),
    "labels: B shared": lambda s, w, a, n: bool(s.labels.set_label(a, w.b_shared, LEVELS)),
    "labels: list": lambda s, w, a, n: {x.attempt.id for x in s.labels.labels(a)} == {w.a_shared},
}
ACTIONS.update(TRAINER_ACTIONS)
TRAINER_ROWS: dict[str, list[str]] = {
    #                       cases: add read editA editB history guess  questions  cohorts       assignments  labels
    "candidate (owner)":    [NO, OK, NO, NO, NO, NF, NO, NO, NO, NO, NO, NO, NO, OK, NO, NO, NO, NO],
    "candidate (same org)": [NO, OK, NO, NO, NO, NF, NO, NO, NO, NO, NO, NO, NO, OK, NO, NO, NO, NO],
    "trainer":              [OK, OK, OK, NF, OK, NF, OK, NF, OK, OK, NF, OK, NF, NO, OK, NF, NF, OK],
    "reviewer":             [NO, OK, NO, NO, NO, NF, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO],
    "admin":                [NO, OK, NO, NO, NO, NF, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO],
    "other org's reviewer": [NO, NF, NO, NO, NO, NF, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO],
    "other org's admin":    [NO, NF, NO, NO, NO, NF, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO],
    "anonymous":            [IN] * 18,
}  # fmt: skip
for _subject, _row in TRAINER_ROWS.items():
    EXPECTED_ROWS[_subject] = [*EXPECTED_ROWS[_subject], *_row]


EXPECTED = {
    (subject, action): outcome
    for subject, row in EXPECTED_ROWS.items()
    for action, outcome in zip(ACTIONS, row, strict=True)
}


def _outcome(storage: Storage, world: World, subject: str, action: Action) -> str:
    try:
        right = action(storage, world, world.people[subject], subject)
    except NotSignedIn:
        return IN
    except Forbidden:
        return NO
    except NotFound:
        return NF
    return OK if right else "ok, but the wrong data"


def test_the_table_covers_every_subject_and_action() -> None:
    assert list(EXPECTED_ROWS) == SUBJECTS
    assert (
        len(EXPECTED) == len(SUBJECTS) * len(ACTIONS) == 8 * (31 + len(FLOW_ACTIONS) + len(TRAINER_ACTIONS))
    )


def test_authorisation_matrix(storage: Storage, make_user: MakeUser) -> None:
    world = _build(storage, make_user)
    actual = {
        (subject, name): _outcome(storage, world, subject, action)
        for subject in SUBJECTS
        for name, action in ACTIONS.items()
    }
    wrong = {
        cell: (actual[cell], expected) for cell, expected in EXPECTED.items() if actual[cell] != expected
    }
    assert not wrong, "cells as (actual, expected):\n" + "\n".join(f"{c}: {v}" for c, v in wrong.items())
    assert actual == EXPECTED


@pytest.mark.parametrize("subject", SUBJECTS[:-1])
def test_guessed_ids_and_other_orgs_objects_look_exactly_like_missing_ones(
    storage: Storage, make_user: MakeUser, subject: str
) -> None:
    """The error for someone else's object says what the error for a non-existent one says."""
    world = _build(storage, make_user)
    actor = world.people[subject]
    foreign = subject.startswith("other org")
    lookups: list[tuple[str, Callable[[int], object], int]] = [
        (
            "attempt",
            lambda i: storage.transcripts.get_attempt(actor, i),
            world.a_shared if foreign else world.b_shared,
        ),
        (
            "review",
            lambda i: storage.reviews.get_review(actor, i),
            world.a_review if foreign else world.b_review,
        ),
    ]
    for kind, lookup, theirs in lookups:
        messages = set()
        for object_id in (theirs, GUESS):
            with pytest.raises(NotFound) as caught:
                lookup(object_id)
            messages.add(str(caught.value).replace(str(object_id), "<id>"))
        assert messages == {f"no {kind} <id>"}
