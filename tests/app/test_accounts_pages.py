"""Sign-in, first-run set-up, sign-up, invitations, the Users and My data pages, and single sign-on."""

from __future__ import annotations

from datetime import timedelta

from coach.config import get_settings
from coach.storage.permissions import Role
from coach.storage.store import Storage, make_storage
from coach.storage.tables import utcnow
from tests.app.conftest import PASSWORD, TOKEN, SessionFor, click, fill, ok, open_app, title


def test_first_run_creates_the_admin_and_signs_them_in(app_storage: Storage) -> None:
    at = open_app()
    assert title(at) == "Set up the coach"
    fill(
        at,
        Organisation="Acme",
        Email="boss@acme.example",
        Password=PASSWORD,
        Repeat_the_password="typo-typo-x",
    )
    click(at, "Create the admin account")
    assert [e.value for e in at.error] == ["The two passwords differ."]
    assert app_storage.accounts.needs_first_admin()
    fill(at, Organisation="Acme", Email="boss@acme.example", Password=PASSWORD, Repeat_the_password=PASSWORD)
    click(at, "Create the admin account")
    assert title(at) == "Case library"
    assert any("boss@acme.example" in m.value and "admin" in m.value for m in at.sidebar.markdown)
    actor = app_storage.accounts.authenticate(at.session_state[TOKEN])
    assert actor is not None and actor.role is Role.ADMIN
    assert TOKEN in at.session_state and PASSWORD not in str(at.session_state.to_dict())


def test_sign_in_errors_throttling_and_sign_out(session_for: SessionFor, app_storage: Storage) -> None:
    session_for("candidate")
    at = open_app()
    assert title(at) == "Sign in"
    fill(at, Email="candidate@acme.example", Password="not-the-password")
    click(at, "Sign in")
    assert [e.value for e in at.error] == ["wrong email or password"]
    assert next(t for t in at.text_input if t.label == "Email").value == "candidate@acme.example"  # kept
    for _ in range(4):
        click(fill(at, Email="candidate@acme.example", Password="not-the-password"), "Sign in")
    click(fill(at, Email="candidate@acme.example", Password=PASSWORD), "Sign in")
    assert at.error[0].value.startswith("too many failed sign-ins; try again in 15 minute")
    assert title(at) == "Sign in"

    other = session_for("reviewer")  # a second user, not locked
    app_storage.accounts.sign_out(other)
    click(fill(at, Email="reviewer@acme.example", Password=PASSWORD), "Sign in")
    assert title(at) == "Review"  # a reviewer lands on their queue
    token = at.session_state[TOKEN]
    assert app_storage.accounts.authenticate(token) is not None
    ok(at.sidebar.button[0].click().run())
    assert title(at) == "Sign in"
    assert TOKEN not in at.session_state
    assert app_storage.accounts.authenticate(token) is None


def test_an_expired_session_shows_the_sign_in_page(session_for: SessionFor, app_storage: Storage) -> None:
    session_for("candidate")
    yesterday = make_storage(get_settings(), clock=lambda: utcnow() - timedelta(hours=13))
    try:
        stale = yesterday.accounts.sign_in("candidate@acme.example", PASSWORD).token
    finally:
        yesterday.close()
    at = open_app(stale)
    assert title(at) == "Sign in"
    assert TOKEN not in at.session_state


def test_self_sign_up(session_for: SessionFor, app_storage: Storage) -> None:
    admin = app_storage.accounts.authenticate(session_for("admin"))
    at = open_app()
    assert not [b for b in at.button if b.label == "Create my account"]
    app_storage.accounts.set_self_signup(admin, True)
    at = open_app(page="pages/sign_up.py")
    assert title(at) == "Sign up"
    assert at.selectbox[0].options == ["Acme"]
    fill(at, Email="new@acme.example", Password=PASSWORD, Repeat_the_password=PASSWORD + "x")
    click(at, "Create my account")
    assert [e.value for e in at.error] == ["The two passwords differ."]
    assert next(t for t in at.text_input if t.label == "Email").value == "new@acme.example"  # kept
    fill(at, Repeat_the_password=PASSWORD, Your_name="N" * 201)
    click(at, "Create my account")
    (refused,) = at.error
    assert refused.value == "the name may have at most 200 characters"
    form = list(at.get("form")[0])  # beside the name, not under the email
    assert (
        form.index(refused)
        == form.index(next(t for t in at.text_input if t.label.startswith("Your name"))) + 1
    )
    fill(at, Your_name="New Candidate")
    click(at, "Create my account")
    assert title(at) == "Practice"  # new candidates land on Practice
    actor = app_storage.accounts.authenticate(at.session_state[TOKEN])
    assert actor is not None and (actor.email, actor.role) == ("new@acme.example", Role.CANDIDATE)


def test_users_page_creates_invites_and_changes_roles(session_for: SessionFor, app_storage: Storage) -> None:
    admin_token = session_for("admin")
    admin = app_storage.accounts.authenticate(admin_token)
    at = open_app(admin_token, page="pages/users.py")
    assert title(at) == "Users" and at.caption[0].value == "Organisation: Acme"

    fill(at, Email="rev@acme.example")
    next(s for s in at.selectbox if s.label == "Role").set_value("reviewer")
    click(at, "Add the user")
    assert at.success[0].value.startswith("Invited rev@acme.example.")
    code = at.code[0].value
    assert [m.email for m in app_storage.accounts.list_members(admin) if m.invited] == ["rev@acme.example"]

    assert "Password" not in [t.label for t in at.text_input]  # hidden while "Invitation code" is chosen
    at.radio[0].set_value("Password").run()
    fill(at, Email="cand@acme.example", Password="short")
    next(s for s in at.selectbox if s.label == "Role").set_value("candidate")  # the form kept "reviewer"
    click(at, "Add the user")
    # Refused: the error stands by the password field, and what was typed is still there.
    assert "at least" in at.error[0].value
    assert next(t for t in at.text_input if t.label == "Email").value == "cand@acme.example"
    fill(at, Password=PASSWORD)
    click(at, "Add the user")
    assert at.success[0].value == "Created cand@acme.example (candidate)."

    member = next(s for s in at.selectbox if s.label == "Member")
    member.set_value(next(m for m in member.options if m.startswith("cand@")))
    next(s for s in at.selectbox if s.label == "New role").set_value("trainer")
    click(at, "Change the role")
    roles = {m.email: m.role for m in app_storage.accounts.list_members(admin)}
    assert roles["cand@acme.example"] is Role.TRAINER

    at.toggle[0].set_value(True).run()
    assert app_storage.accounts.organisation(admin).self_signup

    # Deactivate and reactivate the new member; re-invite the reviewer who has not set a password yet.
    status = next(s for s in at.selectbox if s.label == "Member" and s.key == "status_member")
    status.set_value(next(m for m in status.options if m.startswith("cand@")))
    click(at, "Deactivate")
    assert not next(
        m for m in app_storage.accounts.list_members(admin) if m.email == "cand@acme.example"
    ).active
    click(at, "Reactivate")
    assert next(m for m in app_storage.accounts.list_members(admin) if m.email == "cand@acme.example").active
    status = next(s for s in at.selectbox if s.label == "Member" and s.key == "status_member")
    status.set_value(next(m for m in status.options if m.startswith("rev@")))
    click(at, "Re-invite (a new code)")
    assert at.code[-1].value != code
    code = at.code[-1].value

    # The invited reviewer sets a password with the code on the sign-in page.
    guest = open_app()
    fill(guest, Invitation_code=code, Choose_a_password=PASSWORD, Repeat_the_password=PASSWORD)
    click(guest, "Set my password and sign in")
    assert title(guest) == "Review"
    assert any("rev@acme.example" in m.value and "reviewer" in m.value for m in guest.sidebar.markdown)


def test_my_data_exports_and_deletes_the_account(session_for: SessionFor, app_storage: Storage) -> None:
    admin = app_storage.accounts.authenticate(session_for("admin"))
    token = session_for("candidate")
    actor = app_storage.accounts.authenticate(token)
    app_storage.transcripts.save_attempt(actor, question_id="q", question_text="Q", answer="My answer")
    at = open_app(token, page="pages/my_data.py")
    assert title(at) == "My data"
    assert any("1 attempt(s)" in m.value for m in at.main.markdown)
    assert [b.label for b in at.get("download_button")] == ["Download my data (JSON)"]

    fill(at, Type_your_email_to_confirm="someone@else.example")
    click(at, "Delete my account and all my data")
    assert at.error[0].value == "That is not your email; nothing was deleted."
    assert len(app_storage.personal_data.export(actor)["attempts"]) == 1

    fill(at, Type_your_email_to_confirm="Candidate@acme.example")
    click(at, "Delete my account and all my data")
    assert title(at) == "Sign in"
    assert app_storage.accounts.authenticate(token) is None
    assert [m.email for m in app_storage.accounts.list_members(admin)] == ["admin@acme.example"]


def test_single_sign_on_is_hidden_unless_configured(session_for: SessionFor) -> None:
    session_for("admin")
    assert not [b for b in open_app().button if "single sign-on" in b.label]
    # With [auth] in secrets.toml, st.user always carries is_logged_in.
    at = open_app(user={"is_logged_in": False})
    assert [b.label for b in at.button if "single sign-on" in b.label] == ["Sign in with single sign-on"]


def test_single_sign_on_signs_in_known_emails_only(session_for: SessionFor, app_storage: Storage) -> None:
    session_for("reviewer")
    at = open_app(user={"is_logged_in": True, "email": "Reviewer@acme.example", "email_verified": True})
    assert title(at) == "Review"
    actor = app_storage.accounts.authenticate(at.session_state[TOKEN])
    assert actor is not None and actor.role is Role.REVIEWER

    stranger = open_app(user={"is_logged_in": True, "email": "stranger@acme.example"})
    assert title(stranger) == "Sign in"
    assert "no active account uses this email" in stranger.warning[0].value
    assert [b.label for b in stranger.button if "single sign-on" in b.label] == ["Sign out of single sign-on"]

    unverified = open_app(
        user={"is_logged_in": True, "email": "reviewer@acme.example", "email_verified": False}
    )
    assert title(unverified) == "Sign in"
