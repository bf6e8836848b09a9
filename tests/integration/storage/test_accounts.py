"""Accounts: first admin, sign-in throttling, session expiry, sign-out, invitations, sign-up, admin rules."""

from __future__ import annotations

import threading

import pytest

from coach.storage.accounts import AccountError, SignInError
from coach.storage.permissions import Actor, NotFound, NotSignedIn, Role
from coach.storage.store import Storage
from tests.integration.storage.conftest import PASSWORD, MakeUser, ManualClock


def test_first_run_creates_one_admin_and_then_refuses(storage: Storage) -> None:
    accounts = storage.accounts
    assert accounts.needs_first_admin()
    signed_in = accounts.create_first_admin("Acme Retail", " Boss@Acme.example ", PASSWORD)
    assert signed_in.actor.role is Role.ADMIN
    assert signed_in.actor.email == "boss@acme.example"
    assert accounts.authenticate(signed_in.token) == signed_in.actor
    assert not accounts.needs_first_admin()
    with pytest.raises(AccountError, match="exists already"):
        accounts.create_first_admin("Other", "other@x.example", PASSWORD)
    assert accounts.organisation(signed_in.actor).name == "Acme Retail"


def test_concurrent_first_admin_forms_make_exactly_one_admin(storage: Storage) -> None:
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def create(n: int) -> None:
        barrier.wait()
        try:
            storage.accounts.create_first_admin(f"Org {n}", f"admin{n}@x.example", PASSWORD)
            outcomes.append("created")
        except AccountError:
            outcomes.append("refused")

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["refused"] * 5


@pytest.mark.parametrize("password", ["short", "x" * 1025])
def test_password_length_is_checked(storage: Storage, password: str) -> None:
    with pytest.raises(AccountError, match="password"):
        storage.accounts.create_first_admin("Acme", "a@acme.example", password)
    assert storage.accounts.needs_first_admin()


@pytest.mark.parametrize("email", ["", "no-at-sign", "a@b", "two@@x.example", "sp ace@x.example"])
def test_bad_emails_are_refused(storage: Storage, email: str) -> None:
    with pytest.raises(AccountError, match="valid email"):
        storage.accounts.create_first_admin("Acme", email, PASSWORD)


def test_sign_in_and_wrong_passwords(storage: Storage, make_user: MakeUser) -> None:
    actor = make_user("Acme", "cand@acme.example", "candidate")
    signed_in = storage.accounts.sign_in("CAND@acme.example", PASSWORD)
    assert signed_in.actor == actor
    for email, password in [
        ("cand@acme.example", "wrong-password-1"),
        ("nobody@acme.example", PASSWORD),
        ("not an email", PASSWORD),
        ("cand@acme.example", ""),
    ]:
        with pytest.raises(SignInError) as caught:
            storage.accounts.sign_in(email, password)
        # The same words whether the account exists or not: no guessing which emails have accounts.
        assert str(caught.value) == "wrong email or password"


def test_sign_in_is_throttled_after_repeated_failures(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    make_user("Acme", "cand@acme.example", "candidate")
    accounts = storage.accounts
    for _ in range(5):  # COACH_LOGIN_MAX_FAILURES
        with pytest.raises(SignInError, match="wrong email or password"):
            accounts.sign_in("cand@acme.example", "guess-guess-guess")
    # Locked: even the right password is refused, and the refusal says why.
    with pytest.raises(SignInError, match=r"too many failed sign-ins; try again in 15 minute"):
        accounts.sign_in("cand@acme.example", PASSWORD)
    clock.advance(minutes=14)
    with pytest.raises(SignInError, match="try again in 1 minute"):
        accounts.sign_in("cand@acme.example", PASSWORD)
    clock.advance(minutes=1, seconds=1)
    assert accounts.sign_in("cand@acme.example", PASSWORD).actor.email == "cand@acme.example"


def test_throttle_counts_unknown_emails_too_and_forgets_old_failures(
    storage: Storage, make_user: MakeUser, clock: ManualClock
) -> None:
    make_user("Acme", "cand@acme.example", "candidate")
    for _ in range(5):
        with pytest.raises(SignInError, match="wrong email or password"):
            storage.accounts.sign_in("ghost@acme.example", PASSWORD)
    with pytest.raises(SignInError, match="too many failed sign-ins"):
        storage.accounts.sign_in("ghost@acme.example", PASSWORD)
    # Another email is not affected.
    storage.accounts.sign_in("cand@acme.example", PASSWORD)
    # Four failures, a pause longer than the lockout window, four more: never locked.
    for _ in range(4):
        with pytest.raises(SignInError, match="wrong"):
            storage.accounts.sign_in("cand@acme.example", "nope-nope-nope")
    clock.advance(minutes=16)
    for _ in range(4):
        with pytest.raises(SignInError, match="wrong"):
            storage.accounts.sign_in("cand@acme.example", "nope-nope-nope")
    assert storage.accounts.sign_in("cand@acme.example", PASSWORD).actor.email == "cand@acme.example"


def test_a_success_resets_the_failure_count(storage: Storage, make_user: MakeUser) -> None:
    make_user("Acme", "cand@acme.example", "candidate")
    for _ in range(3):
        for _ in range(4):
            with pytest.raises(SignInError, match="wrong"):
                storage.accounts.sign_in("cand@acme.example", "nope-nope-nope")
        storage.accounts.sign_in("cand@acme.example", PASSWORD)


def test_admins_see_failed_sign_ins_in_the_audit_log(storage: Storage, make_user: MakeUser) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    cand = make_user("Acme", "cand@acme.example", "candidate")
    with pytest.raises(SignInError):
        storage.accounts.sign_in("cand@acme.example", "nope-nope-nope")
    failed = [e for e in storage.audit.entries(admin) if e.action == "sign_in.failed"]
    assert [(e.target_id, e.detail["locked"]) for e in failed] == [(cand.user_id, False)]


def test_sessions_expire(storage: Storage, make_user: MakeUser, clock: ManualClock) -> None:
    make_user("Acme", "cand@acme.example", "candidate")
    signed_in = storage.accounts.sign_in("cand@acme.example", PASSWORD)
    assert (signed_in.expires_at - clock.now).total_seconds() == 12 * 3600  # COACH_SESSION_HOURS
    clock.advance(hours=11, minutes=59)
    assert storage.accounts.authenticate(signed_in.token) == signed_in.actor
    clock.advance(minutes=1)
    assert storage.accounts.authenticate(signed_in.token) is None
    with pytest.raises(NotSignedIn):
        storage.transcripts.list_attempts(storage.accounts.authenticate(signed_in.token))


def test_sign_out_ends_only_that_session(storage: Storage, make_user: MakeUser) -> None:
    make_user("Acme", "cand@acme.example", "candidate")
    laptop = storage.accounts.sign_in("cand@acme.example", PASSWORD)
    phone = storage.accounts.sign_in("cand@acme.example", PASSWORD)
    assert laptop.token != phone.token
    storage.accounts.sign_out(laptop.token)
    assert storage.accounts.authenticate(laptop.token) is None
    assert storage.accounts.authenticate(phone.token) == phone.actor
    storage.accounts.sign_out(laptop.token)  # twice is harmless
    storage.accounts.sign_out(None)
    for token in [None, "", "forged-token", laptop.token + "x"]:
        assert storage.accounts.authenticate(token) is None


def test_changing_the_password_ends_every_session(storage: Storage, make_user: MakeUser) -> None:
    make_user("Acme", "cand@acme.example", "candidate")
    signed_in = storage.accounts.sign_in("cand@acme.example", PASSWORD)
    with pytest.raises(AccountError, match="current password is wrong"):
        storage.accounts.change_password(signed_in.actor, "not-the-password", "a-new-password-1")
    storage.accounts.change_password(signed_in.actor, PASSWORD, "a-new-password-1")
    assert storage.accounts.authenticate(signed_in.token) is None
    with pytest.raises(SignInError):
        storage.accounts.sign_in("cand@acme.example", PASSWORD)
    assert (
        storage.accounts.sign_in("cand@acme.example", "a-new-password-1").actor.email == "cand@acme.example"
    )


def test_disabling_a_user_ends_their_sessions_and_sign_ins(storage: Storage, make_user: MakeUser) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    cand = make_user("Acme", "cand@acme.example", "candidate")
    signed_in = storage.accounts.sign_in("cand@acme.example", PASSWORD)
    storage.accounts.set_active(admin, cand.user_id, False)
    assert storage.accounts.authenticate(signed_in.token) is None
    with pytest.raises(SignInError, match="wrong email or password"):
        storage.accounts.sign_in("cand@acme.example", PASSWORD)
    # An Actor object held from before is re-checked against the database on every call.
    with pytest.raises(NotSignedIn):
        storage.transcripts.list_attempts(cand)
    storage.accounts.set_active(admin, cand.user_id, True)
    assert storage.accounts.sign_in("cand@acme.example", PASSWORD).actor == cand


def test_a_role_change_applies_to_the_next_call(storage: Storage, make_user: MakeUser) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    cand = make_user("Acme", "cand@acme.example", "candidate")
    signed_in = storage.accounts.sign_in("cand@acme.example", PASSWORD)
    storage.accounts.set_role(admin, cand.user_id, "reviewer")
    assert storage.accounts.authenticate(signed_in.token) == Actor(
        cand.user_id, cand.organisation_id, Role.REVIEWER, cand.email
    )
    # The stale Actor still says candidate; the database says reviewer, and wins.
    assert storage.transcripts.list_shared_attempts(cand) == []


def test_admins_create_and_invite_users(storage: Storage, make_user: MakeUser, clock: ManualClock) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    trainer = storage.accounts.create_user(admin, "trainer@acme.example", "trainer", PASSWORD, "Tess")
    assert (trainer.role, trainer.display_name, trainer.invited) == (Role.TRAINER, "Tess", False)
    invitation = storage.accounts.invite_user(admin, "Rev@Acme.example", Role.REVIEWER)
    members = {m.email: m for m in storage.accounts.list_members(admin)}
    assert sorted(members) == ["admin@acme.example", "rev@acme.example", "trainer@acme.example"]
    assert members["rev@acme.example"].invited
    with pytest.raises(SignInError):  # no password yet
        storage.accounts.sign_in("rev@acme.example", "")
    with pytest.raises(AccountError, match="unknown or has expired"):
        storage.accounts.accept_invite("wrong-code", PASSWORD)
    signed_in = storage.accounts.accept_invite(invitation.code, PASSWORD)
    assert signed_in.actor.role is Role.REVIEWER
    with pytest.raises(AccountError, match="unknown or has expired"):
        storage.accounts.accept_invite(invitation.code, PASSWORD)  # one use only
    assert storage.accounts.sign_in("rev@acme.example", PASSWORD).actor == signed_in.actor
    late = storage.accounts.invite_user(admin, "late@acme.example", "candidate")
    clock.advance(days=7, seconds=1)
    with pytest.raises(AccountError, match="unknown or has expired"):
        storage.accounts.accept_invite(late.code, PASSWORD)
    with pytest.raises(AccountError, match="exists already"):
        storage.accounts.create_user(admin, "TRAINER@acme.example", "candidate", PASSWORD)
    with pytest.raises(AccountError, match="unknown role"):
        storage.accounts.create_user(admin, "x@acme.example", "superuser", PASSWORD)


def test_one_email_one_account_across_organisations(storage: Storage, make_user: MakeUser) -> None:
    make_user("Acme", "sam@example.org", "candidate")
    admin_b = make_user("Globex", "admin@globex.example", "admin")
    with pytest.raises(AccountError, match="exists already"):
        storage.accounts.create_user(admin_b, "sam@example.org", "candidate", PASSWORD)


def test_self_sign_up_is_per_organisation(storage: Storage, make_user: MakeUser) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    make_user("Globex", "admin@globex.example", "admin")
    assert storage.accounts.signup_organisations() == []
    org = storage.accounts.set_self_signup(admin, True)
    assert [o.name for o in storage.accounts.signup_organisations()] == ["Acme"]
    signed_in = storage.accounts.sign_up(org.id, "new@acme.example", PASSWORD, "Nia")
    assert signed_in.actor.role is Role.CANDIDATE and signed_in.actor.organisation_id == org.id
    globex = storage.accounts.organisation(storage.accounts.sign_in("admin@globex.example", PASSWORD).actor)
    with pytest.raises(NotFound, match="does not take sign-ups"):
        storage.accounts.sign_up(globex.id, "sneaky@globex.example", PASSWORD)
    with pytest.raises(NotFound):
        storage.accounts.sign_up(9999, "x@x.example", PASSWORD)
    storage.accounts.set_self_signup(admin, False)
    with pytest.raises(NotFound):
        storage.accounts.sign_up(org.id, "later@acme.example", PASSWORD)


def test_the_last_admin_cannot_step_down(storage: Storage, make_user: MakeUser) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    cand = make_user("Acme", "cand@acme.example", "candidate")
    with pytest.raises(AccountError, match="last admin"):
        storage.accounts.set_role(admin, admin.user_id, "candidate")
    with pytest.raises(AccountError, match="last admin"):
        storage.accounts.set_active(admin, admin.user_id, False)
    storage.accounts.set_role(admin, cand.user_id, "admin")
    assert storage.accounts.set_role(admin, admin.user_id, "trainer").role is Role.TRAINER


def test_cohorts(storage: Storage, make_user: MakeUser) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    cand = make_user("Acme", "cand@acme.example", "candidate")
    admin_b = make_user("Globex", "admin@globex.example", "admin")
    spring = storage.accounts.create_cohort(admin, "Spring 2026")
    with pytest.raises(AccountError, match="exists already"):
        storage.accounts.create_cohort(admin, "Spring 2026")
    assert storage.accounts.assign_cohort(admin, cand.user_id, spring.id).cohort_id == spring.id
    assert storage.accounts.list_cohorts(admin) == [spring]
    assert storage.accounts.list_cohorts(admin_b) == []
    with pytest.raises(NotFound):
        storage.accounts.assign_cohort(admin_b, cand.user_id, None)
    other = storage.accounts.create_cohort(admin_b, "Spring 2026")  # names are per organisation
    with pytest.raises(NotFound):
        storage.accounts.assign_cohort(admin, cand.user_id, other.id)


def test_single_sign_on_needs_an_existing_active_account(storage: Storage, make_user: MakeUser) -> None:
    admin = make_user("Acme", "admin@acme.example", "admin")
    invitation = storage.accounts.invite_user(admin, "rev@acme.example", "reviewer")
    with pytest.raises(SignInError, match="no active account"):
        storage.accounts.sign_in_sso("stranger@acme.example")
    signed_in = storage.accounts.sign_in_sso("REV@acme.example")
    assert signed_in.actor.role is Role.REVIEWER
    # Signing in through the provider settles the invitation: the code no longer works.
    with pytest.raises(AccountError):
        storage.accounts.accept_invite(invitation.code, PASSWORD)


def test_concurrent_failed_sign_ins_are_all_counted_and_lock(storage: Storage, make_user: MakeUser) -> None:
    make_user("Acme", "cand@acme.example", "candidate")
    barrier = threading.Barrier(10)
    errors: list[str] = []

    def guess(email: str) -> None:
        barrier.wait()
        try:
            storage.accounts.sign_in(email, "guess-guess-guess")
        except SignInError as exc:
            errors.append(str(exc))

    for email in ("cand@acme.example", "ghost@acme.example"):  # a known and an unknown email
        threads = [threading.Thread(target=guess, args=(email,)) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with pytest.raises(SignInError, match="too many failed sign-ins"):
            storage.accounts.sign_in(email, PASSWORD)
    # Every guess was refused as a sign-in error (none crashed on the shared failure counter).
    assert len(errors) == 20
    assert set(errors) <= {"wrong email or password"} | {e for e in errors if e.startswith("too many")}
