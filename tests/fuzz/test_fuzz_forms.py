"""Bad input (issue 15) for every form, through the coach function its page calls and a real SQLite database.

Each input is accepted, or refused with a CoachError (AccountError, NotFound, CaseError...) whose message is
not empty; after it the database still answers a read, and what was stored reads back as the function
returned it (only the normalisation each function documents: surrounding spaces, collapsed whitespace).

The pages and what they call: sign_in.py (create_first_admin, sign_in, accept_invite), sign_up.py (sign_up),
users.py (create_user, invite_user), cases.py and _case_form.py (CaseStudies.create through Casebook.save,
whose indexing step is the uploads' and the index's own suites' business), questions.py (add_question,
update_question, create_cohort), calibration.py (set_label), review.py (enter, give_reasons), _draft_hooks.py
(keep_draft), _pending.py (Practice.submit with the page's NotingScorer around the trained scorer).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import CoachError
from coach.practice.casebook import REQUIRED_SECTIONS
from coach.practice.drafting import keep_draft
from coach.practice.related_cases import NotingScorer
from coach.practice.workflow import ORG_PREFIX, Practice
from coach.retrieval.corpus import CASE_SECTIONS, Question, load_vocabulary
from coach.rubric import COMPONENTS, FLAG_NAMES
from coach.scoring.scorer import Scorer
from coach.storage.case_studies import CaseDraft, CaseRules
from coach.storage.permissions import Actor, Role
from coach.storage.store import Storage, make_storage
from coach.storage.tables import Base
from tests.conftest import CORPUS
from tests.fuzz.conftest import PASSWORD, Cast, Examples, database_settings
from tests.fuzz.inputs import NASTY, emails, non_blank, short_texts, texts
from tests.integration.conftest import stored_card_dict

FORM_SETTINGS = settings(
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
    deadline=None,
)
VOCABULARY = load_vocabulary(CORPUS)
RULES = CaseRules(  # as coach.practice.casebook.Casebook builds them from the same vocabulary
    failure_modes=frozenset(VOCABULARY.failure_modes),
    channels=VOCABULARY.channels,
    sections=CASE_SECTIONS,
    required_sections=REQUIRED_SECTIONS,
)

# Valid values come up at least as often as invalid ones, so that the accepted path (stored, read back) is
# exercised too: the summary's "accepted" column shows it is.
passwords = st.one_of(
    st.text(min_size=10, max_size=40), st.text(min_size=10, max_size=40), short_texts, st.just("x" * 1025)
)
roles = st.one_of(
    st.sampled_from([r.value for r in Role]), st.sampled_from([r.value for r in Role]), short_texts
)
names = st.one_of(short_texts, texts)
# What a level widget gives (an int 0-4), and what a tampered request or a bug could: anything.
levels = st.one_of(
    st.fixed_dictionaries({c: st.integers(0, 4) for c in COMPONENTS}),
    st.dictionaries(
        st.one_of(st.sampled_from(COMPONENTS), short_texts),
        st.one_of(st.integers(-10, 10), st.integers(), st.floats(), st.none(), st.booleans(), short_texts),
        max_size=7,
    ),
)


def still_usable(cast: Cast) -> None:
    """A read after every input: nothing an input did leaves the database locked, closed or half-written."""
    assert cast.storage.accounts.list_members(cast.admin)
    assert cast.storage.accounts.get_member(cast.candidate, cast.candidate.user_id).email


def refused(exc: CoachError) -> None:
    assert str(exc).strip(), f"{type(exc).__name__} without a message"


# --- signing up, in and on ---------------------------------------------------------------------------------


@FORM_SETTINGS
@given(email=emails(), password=passwords, name=names)
def test_sign_up(cast: Cast, examples: Examples, email: str, password: str, name: str) -> None:
    examples.hit()
    accounts = cast.storage.accounts
    try:
        signed = accounts.sign_up(cast.organisation_id, email, password, display_name=name)
    except CoachError as exc:
        refused(exc)
    else:
        examples.ok()
        member = accounts.get_member(signed.actor, signed.actor.user_id)
        assert (member.email, member.role) == (email.strip().lower(), Role.CANDIDATE)
        assert member.display_name == name.strip()
        assert accounts.authenticate(signed.token) == signed.actor
        assert accounts.sign_in(email, password).actor == signed.actor
    still_usable(cast)


@FORM_SETTINGS
@given(
    email=st.one_of(emails(), st.just("candidate@fuzz.example")),
    password=st.one_of(passwords, st.just(PASSWORD)),
)
def test_sign_in(cast: Cast, examples: Examples, email: str, password: str) -> None:
    examples.hit()
    try:
        signed = cast.storage.accounts.sign_in(email, password)
    except CoachError as exc:
        refused(exc)
    else:
        examples.ok()
        # Only an account made with these very credentials (an earlier input may have signed it up).
        assert signed.actor.email == email.strip().lower()
        assert cast.storage.accounts.authenticate(signed.token) == signed.actor
    still_usable(cast)


@FORM_SETTINGS
@given(email=emails(), role=roles, name=names, password=passwords, code=short_texts, by_code=st.booleans())
def test_admin_adds_or_invites_a_user_who_accepts(
    cast: Cast,
    examples: Examples,
    email: str,
    role: str,
    name: str,
    password: str,
    code: str,
    by_code: bool,
) -> None:
    """users.py's "Add the user" (a password, or an invitation), then sign_in.py's invitation form."""
    examples.hit()
    accounts = cast.storage.accounts
    try:
        if by_code:
            invitation = accounts.invite_user(cast.admin, email, role, display_name=name)
            member = accounts.get_member(cast.admin, invitation.user_id)
            assert member.invited and member.email == invitation.email
            code = f" {invitation.code}\n" if code == "" else code  # the real code, as pasted, or a wrong one
        else:
            member = accounts.create_user(cast.admin, email, role, password, display_name=name)
            assert accounts.get_member(cast.admin, member.id) == member
        assert member.display_name == name.strip()
        examples.ok()
    except CoachError as exc:
        refused(exc)
    try:
        signed = accounts.accept_invite(code, password)
    except CoachError as exc:
        refused(exc)
    else:
        assert accounts.authenticate(signed.token) == signed.actor
    still_usable(cast)


@pytest.fixture(scope="module")
def fresh_install(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Storage]:
    storage = make_storage(database_settings(tmp_path_factory, "first-admin"))
    yield storage
    storage.close()


def _wipe(storage: Storage) -> None:
    """Back to a fresh install (every row gone) without migrating a new database for each input."""
    with storage.database.transaction() as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())


@FORM_SETTINGS
@given(organisation=texts, email=emails(), password=passwords)
def test_first_admin(
    fresh_install: Storage, examples: Examples, organisation: str, email: str, password: str
) -> None:
    """sign_in.py on a fresh install: the organisation, an email and a password; then the shell's way."""
    examples.hit()
    accounts = fresh_install.accounts
    _wipe(fresh_install)
    try:
        signed = accounts.create_first_admin(organisation, email, password)
    except CoachError as exc:
        refused(exc)
        assert accounts.needs_first_admin()  # nothing half-made
    else:
        examples.ok()
        assert accounts.organisation(signed.actor).name == organisation.strip()
        assert not accounts.needs_first_admin()
    try:
        member = accounts.create_user_from_shell(organisation + " 2", "shell." + email, "trainer", password)
    except CoachError as exc:
        refused(exc)
    else:
        actor = Actor(member.id, member.organisation_id, member.role, member.email)
        assert accounts.organisation(actor).name.lower() == (organisation + " 2").strip().lower()


# --- the trainer's workspace --------------------------------------------------------------------------------

channels = st.lists(st.one_of(st.sampled_from(sorted(VOCABULARY.channels)), short_texts), max_size=4)
modes = st.lists(st.one_of(st.sampled_from(sorted(VOCABULARY.failure_modes)), short_texts), max_size=4)
sources = st.one_of(
    texts,  # the text area as typed: one URL per line
    st.lists(
        st.one_of(st.sampled_from(NASTY).map(lambda s: f"https://example.com/{s[:60]}"), short_texts),
        max_size=25,
    ).map("\n".join),
)
# A case the rules accept, whatever its text: visible title and brand, a year, known channels and failure
# modes, http(s) sources, the required sections filled; every text field nasty.
valid_drafts = st.builds(
    CaseDraft,
    title=non_blank(short_texts).map(lambda s: s[:150]),
    brand=non_blank(short_texts).map(lambda s: s[:150]),
    year=st.integers(1800, 2100),
    channels=st.lists(st.sampled_from(sorted(VOCABULARY.channels)), min_size=1, max_size=3).map(tuple),
    failure_modes=st.lists(st.sampled_from(sorted(VOCABULARY.failure_modes)), min_size=1, max_size=3).map(
        tuple
    ),
    sources=st.lists(
        st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=20).map(
            lambda s: f"https://example.com/{s}"
        ),
        max_size=3,
    ).map(tuple),
    sections=st.fixed_dictionaries(
        {name: non_blank(texts) if name in REQUIRED_SECTIONS else texts for name in CASE_SECTIONS}
    ),
)
any_drafts = st.builds(
    CaseDraft,
    title=st.one_of(short_texts, texts),
    brand=short_texts,
    year=st.one_of(st.none(), st.integers(1800, 2100), st.integers()),
    channels=channels.map(tuple),
    failure_modes=modes.map(tuple),
    sources=sources.map(lambda text: tuple(text.splitlines())),
    # Every section's text area, as the form sends them (empty ones included); sometimes a name no form has.
    sections=st.one_of(
        st.fixed_dictionaries({name: texts for name in CASE_SECTIONS}),
        st.dictionaries(st.one_of(st.sampled_from(CASE_SECTIONS), short_texts), texts, max_size=8),
    ),
)
drafts = st.one_of(valid_drafts, any_drafts)


@FORM_SETTINGS
@given(draft=drafts)
def test_case_study_form(cast: Cast, examples: Examples, draft: CaseDraft) -> None:
    examples.hit()
    cases = cast.storage.cases
    try:
        record = cases.create(cast.trainer, draft, RULES)
    except CoachError as exc:
        refused(exc)
    else:
        examples.ok()
        assert record.draft == draft.cleaned()
        assert cases.get_case(cast.trainer, record.id) == record
        assert [v.draft for v in cases.history(cast.trainer, record.id)] == [record.draft]
        # Another organisation's trainer cannot see it.
        with pytest.raises(CoachError, match="no case"):
            cases.get_case(cast.outsider, record.id)
    still_usable(cast)


question_keys = st.one_of(short_texts, st.from_regex(r"\A[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,3}\Z"))
word_bands = st.one_of(
    st.tuples(st.integers(20, 1000), st.integers(1001, 2000)), st.tuples(st.integers(), st.integers())
)


@FORM_SETTINGS
@given(
    key=question_keys,
    text=texts,
    probes=texts,
    words=word_bands,
    hint=texts,
    new_text=texts,
    new_words=word_bands,
    new_hint=texts,
)
def test_question_bank_form(
    cast: Cast,
    examples: Examples,
    key: str,
    text: str,
    probes: str,
    words: tuple[int, int],
    hint: str,
    new_text: str,
    new_words: tuple[int, int],
    new_hint: str,
) -> None:
    """questions.py: "Add a question", then "Save question" on it."""
    examples.hit()
    bank = cast.storage.questions
    try:
        question_id = bank.add_question(cast.trainer, key, text, probes=probes, words=words, hint=hint)
    except CoachError as exc:
        refused(exc)
        still_usable(cast)
        return
    examples.ok()
    (stored,) = [q for q in bank.list_questions(cast.trainer) if q.id == question_id]
    assert (stored.key, stored.text, stored.probes, stored.words, stored.hint) == (
        key.strip(),
        text.strip(),
        probes.strip(),
        words,
        hint.strip(),
    )
    try:
        updated = bank.update_question(cast.trainer, question_id, new_text, words=new_words, hint=new_hint)
    except CoachError as exc:
        refused(exc)
    else:
        (again,) = [q for q in bank.list_questions(cast.trainer) if q.id == question_id]
        assert again == updated and updated.text == new_text.strip()
    still_usable(cast)


@FORM_SETTINGS
@given(name=texts)
def test_cohort_form(cast: Cast, examples: Examples, name: str) -> None:
    examples.hit()
    cohorts = cast.storage.cohorts
    try:
        made = cohorts.create_cohort(cast.trainer, name)
    except CoachError as exc:
        refused(exc)
    else:
        examples.ok()
        assert made.name == " ".join(name.split())
        assert made in cohorts.list_cohorts(cast.trainer)
    still_usable(cast)


# --- attempts: practice, drafts, labels, reviews --------------------------------------------------------------


def shared_scored_attempt(cast: Cast, answer: str = "We missed the target by 40%.") -> int:
    """An attempt the candidate shared, scored by the coach: what reviewers and trainers fill forms about."""
    transcripts = cast.storage.transcripts
    attempt = transcripts.create_attempt(
        cast.candidate, question_id="failed-campaign", question_text="Tell me about a failure.", answer=answer
    )
    transcripts.add_scorecard(cast.candidate, attempt.id, stored_card_dict(1, 2, 3, 2, 1), "builtin-test")
    transcripts.set_shared(cast.candidate, attempt.id, True)
    return attempt.id


@FORM_SETTINGS
@given(
    levels=levels,
    comment=texts,
    reasons=st.dictionaries(st.one_of(st.sampled_from(COMPONENTS), short_texts), texts, max_size=6),
    blind=st.booleans(),
)
def test_review_form(
    cast: Cast,
    examples: Examples,
    levels: Mapping[str, Any],
    comment: str,
    reasons: dict[str, str],
    blind: bool,
) -> None:
    """review.py: levels and a comment, then (where a level is 2 or more from the coach's) the reasons."""
    examples.hit()
    reviews = cast.storage.reviews
    reviews.set_policy(cast.admin, blind=blind)
    attempt_id = shared_scored_attempt(cast)
    try:
        entered = reviews.enter(cast.reviewer, attempt_id, levels, comment)
    except CoachError as exc:
        refused(exc)
        still_usable(cast)
        return
    examples.ok()
    assert entered.review.comment == comment and entered.review.levels.model_dump() == dict(levels)
    if not entered.saved:
        try:
            entered = reviews.give_reasons(cast.reviewer, attempt_id, reasons)
        except CoachError as exc:
            refused(exc)
    sheet = reviews.sheet(cast.reviewer, attempt_id)
    mine = sheet.mine if entered.saved else sheet.pending
    assert mine == entered.review
    still_usable(cast)


@FORM_SETTINGS
@given(levels=levels, flags=st.lists(st.one_of(st.sampled_from(FLAG_NAMES), short_texts), max_size=5))
def test_calibration_label_form(
    cast: Cast, examples: Examples, levels: Mapping[str, Any], flags: list[str]
) -> None:
    examples.hit()
    labels = cast.storage.labels
    attempt_id = shared_scored_attempt(cast)
    try:
        label = labels.set_label(cast.trainer, attempt_id, levels, flags)
    except CoachError as exc:
        refused(exc)
    else:
        examples.ok()
        assert label.levels == dict(levels) and label.flags == tuple(sorted(set(flags)))
        (stored,) = [la.label for la in labels.labels(cast.trainer) if la.label.id == label.id]
        assert stored == label
    still_usable(cast)


@FORM_SETTINGS
@given(
    question_id=st.one_of(st.sampled_from(["failed-campaign", "org/agency-blame"]), short_texts), text=texts
)
def test_draft_autosave(cast: Cast, examples: Examples, question_id: str, text: str) -> None:
    """_draft_hooks.py: the answer box's text kept as the question's draft on every change."""
    examples.hit()
    drafts = cast.storage.drafts
    try:
        keep_draft(drafts, cast.candidate, question_id, text, None)
    except CoachError as exc:
        refused(exc)
    else:
        examples.ok()
        kept = drafts.get(cast.candidate, question_id)
        assert (kept.text if kept is not None else "") == (text if text.strip() else "")
    still_usable(cast)


@pytest.fixture(scope="module")
def practice(cast: Cast, scorer: Scorer) -> Practice:
    """As pages/_resources.py builds it: the transcripts and the NotingScorer around the trained scorer."""
    return Practice(cast.storage.transcripts, lambda: NotingScorer(scorer))


@FORM_SETTINGS
@given(
    answer=texts,
    question_text=st.one_of(st.just("Explain a digital marketing campaign you led that failed."), texts),
    question_key=st.one_of(st.just("failed-campaign"), short_texts.map(lambda k: ORG_PREFIX + k)),
    retry=st.booleans(),
)
def test_practice_submit(
    cast: Cast,
    practice: Practice,
    scorer: Scorer,
    examples: Examples,
    answer: str,
    question_text: str,
    question_key: str,
    retry: bool,
) -> None:
    """_pending.py's submit: the answer committed first, then scored by the real trained scorer."""
    examples.hit()
    transcripts = cast.storage.transcripts
    question = Question(id=question_key, text=question_text)
    earlier = transcripts.list_attempts(cast.candidate)[:1] if retry else []
    try:
        outcome = practice.submit(
            cast.candidate, question, answer, retry_of=earlier[0].id if earlier else None
        )
    except CoachError as exc:
        refused(exc)
        still_usable(cast)
        return
    examples.ok()
    stored = transcripts.get_attempt(cast.candidate, outcome.attempt.id)
    assert (stored.answer, stored.question_text) == (answer, question_text)
    assert stored.question_id == outcome.attempt.question_id
    if outcome.card is None:
        # Unscored is only right when the scorer itself refuses the text with a message.
        with pytest.raises(CoachError) as caught:
            scorer.score(answer, question=question_text)
        refused(caught.value)
    else:
        assert stored.status == "scored" and 0 <= outcome.card.overall <= 100
    still_usable(cast)


def test_a_name_too_long_is_refused_not_cut(cast: Cast) -> None:
    """Found by test_sign_up: a 201-character name was stored cut to 200 without a word."""
    with pytest.raises(CoachError, match="at most 200 characters"):
        cast.storage.accounts.sign_up(cast.organisation_id, "long.name@fuzz.example", PASSWORD, "n" * 201)
    signed = cast.storage.accounts.sign_up(
        cast.organisation_id, "long.name@fuzz.example", PASSWORD, "n" * 200
    )
    assert cast.storage.accounts.get_member(signed.actor, signed.actor.user_id).display_name == "n" * 200
