"""Sign-in, first-run set-up, sign-up, invitations, the Users and My data pages, and single sign-on."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from coach.config import get_settings
from coach.storage.permissions import Role
from coach.storage.store import Storage, make_storage
from coach.storage.tables import utcnow
from tests.app.conftest import PASSWORD, SessionFor

APP = str(Path(__file__).parents[2] / "streamlit_app.py")
TIMEOUT = 60
TOKEN = "coach_session_token"


def _app(token: str | None = None, user: dict[str, object] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if token:
        at.session_state[TOKEN] = token
    if user is not None:
        at.user = user
    return _ok(at.run())


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def _fill(at: AppTest, **fields: str) -> AppTest:
    """Type into text inputs by label (or its start); underscores in the keyword stand for spaces."""
    for label, value in fields.items():
        wanted = label.replace("_", " ").lower()
        matches = [t for t in at.text_input if t.label.lower() == wanted] or [
            t for t in at.text_input if t.label.lower().startswith(wanted)
        ]
        assert len(matches) == 1, (wanted, [t.label for t in at.text_input])
        matches[0].input(value)
    return at


def _click(at: AppTest, label: str) -> AppTest:
    matches = [b for b in at.button if b.label == label]
    assert len(matches) == 1, (label, [b.label for b in at.button])
    return _ok(matches[0].click().run())


def _title(at: AppTest) -> str:
    return str(at.title[0].value)


def test_first_run_creates_the_admin_and_signs_them_in(app_storage: Storage) -> None:
    at = _app()
    assert _title(at) == "Set up the coach"
    _fill(
        at,
        Organisation="Acme",
        Email="boss@acme.example",
        Password=PASSWORD,
        Repeat_the_password="typo-typo-x",
    )
    _click(at, "Create the admin account")
    assert [e.value for e in at.error] == ["The two passwords differ."]
    assert app_storage.accounts.needs_first_admin()
    _fill(at, Organisation="Acme", Email="boss@acme.example", Password=PASSWORD, Repeat_the_password=PASSWORD)
    _click(at, "Create the admin account")
    assert _title(at) == "Case library"
    assert any("boss@acme.example" in m.value and "admin" in m.value for m in at.sidebar.markdown)
    actor = app_storage.accounts.authenticate(at.session_state[TOKEN])
    assert actor is not None and actor.role is Role.ADMIN
    assert TOKEN in at.session_state and PASSWORD not in str(at.session_state.to_dict())


def test_sign_in_errors_throttling_and_sign_out(session_for: SessionFor, app_storage: Storage) -> None:
    session_for("candidate")
    at = _app()
    assert _title(at) == "Sign in"
    _fill(at, Email="candidate@acme.example", Password="not-the-password")
    _click(at, "Sign in")
    assert [e.value for e in at.error] == ["wrong email or password"]
    for _ in range(4):
        _click(_fill(at, Email="candidate@acme.example", Password="not-the-password"), "Sign in")
    _click(_fill(at, Email="candidate@acme.example", Password=PASSWORD), "Sign in")
    assert at.error[0].value.startswith("too many failed sign-ins; try again in 15 minute")
    assert _title(at) == "Sign in"

    other = session_for("reviewer")  # a second user, not locked
    app_storage.accounts.sign_out(other)
    _click(_fill(at, Email="reviewer@acme.example", Password=PASSWORD), "Sign in")
    assert _title(at) == "Review"  # a reviewer lands on their queue
    token = at.session_state[TOKEN]
    assert app_storage.accounts.authenticate(token) is not None
    _ok(at.sidebar.button[0].click().run())
    assert _title(at) == "Sign in"
    assert TOKEN not in at.session_state
    assert app_storage.accounts.authenticate(token) is None


def test_an_expired_session_shows_the_sign_in_page(session_for: SessionFor, app_storage: Storage) -> None:
    session_for("candidate")
    yesterday = make_storage(get_settings(), clock=lambda: utcnow() - timedelta(hours=13))
    try:
        stale = yesterday.accounts.sign_in("candidate@acme.example", PASSWORD).token
    finally:
        yesterday.close()
    at = _app(stale)
    assert _title(at) == "Sign in"
    assert TOKEN not in at.session_state


def test_self_sign_up(session_for: SessionFor, app_storage: Storage) -> None:
    admin = app_storage.accounts.authenticate(session_for("admin"))
    at = _app()
    assert not [b for b in at.button if b.label == "Create my account"]
    app_storage.accounts.set_self_signup(admin, True)
    at = _ok(_app().switch_page("pages/sign_up.py").run())
    assert _title(at) == "Sign up"
    assert at.selectbox[0].options == ["Acme"]
    _fill(at, Email="new@acme.example", Password=PASSWORD, Repeat_the_password=PASSWORD)
    _click(at, "Create my account")
    assert _title(at) == "Practice"  # new candidates land on Practice
    actor = app_storage.accounts.authenticate(at.session_state[TOKEN])
    assert actor is not None and (actor.email, actor.role) == ("new@acme.example", Role.CANDIDATE)


def test_users_page_creates_invites_and_changes_roles(session_for: SessionFor, app_storage: Storage) -> None:
    admin_token = session_for("admin")
    admin = app_storage.accounts.authenticate(admin_token)
    at = _ok(_app(admin_token).switch_page("pages/users.py").run())
    assert _title(at) == "Users" and at.caption[0].value == "Organisation: Acme"

    _fill(at, Email="rev@acme.example")
    next(s for s in at.selectbox if s.label == "Role").set_value("reviewer")
    _click(at, "Add the user")
    assert at.success[0].value.startswith("Invited rev@acme.example.")
    code = at.code[0].value
    assert [m.email for m in app_storage.accounts.list_members(admin) if m.invited] == ["rev@acme.example"]

    _fill(at, Email="cand@acme.example", Password_=PASSWORD)
    at.radio[0].set_value("Password")
    _click(at, "Add the user")
    assert at.success[0].value == "Created cand@acme.example (candidate)."

    member = next(s for s in at.selectbox if s.label == "Member")
    member.set_value(next(m for m in member.options if m.startswith("cand@")))
    next(s for s in at.selectbox if s.label == "New role").set_value("trainer")
    _click(at, "Change the role")
    roles = {m.email: m.role for m in app_storage.accounts.list_members(admin)}
    assert roles["cand@acme.example"] is Role.TRAINER

    at.toggle[0].set_value(True).run()
    assert app_storage.accounts.organisation(admin).self_signup

    # The invited reviewer sets a password with the code on the sign-in page.
    guest = _app()
    _fill(guest, Invitation_code=code, Choose_a_password=PASSWORD, Repeat_the_password=PASSWORD)
    _click(guest, "Set my password and sign in")
    assert _title(guest) == "Review"
    assert any("rev@acme.example" in m.value and "reviewer" in m.value for m in guest.sidebar.markdown)


def test_my_data_exports_and_deletes_the_account(session_for: SessionFor, app_storage: Storage) -> None:
    admin = app_storage.accounts.authenticate(session_for("admin"))
    token = session_for("candidate")
    actor = app_storage.accounts.authenticate(token)
    app_storage.transcripts.save_attempt(actor, question_id="q", question_text="Q", answer="My answer")
    at = _ok(_app(token).switch_page("pages/my_data.py").run())
    assert _title(at) == "My data"
    assert any("1 attempt(s)" in m.value for m in at.main.markdown)
    assert [b.label for b in at.get("download_button")] == ["Download my data (JSON)"]

    _fill(at, Type_your_email_to_confirm="someone@else.example")
    _click(at, "Delete my account and all my data")
    assert at.error[0].value == "That is not your email; nothing was deleted."
    assert len(app_storage.personal_data.export(actor)["attempts"]) == 1

    _fill(at, Type_your_email_to_confirm="Candidate@acme.example")
    _click(at, "Delete my account and all my data")
    assert _title(at) == "Sign in"
    assert app_storage.accounts.authenticate(token) is None
    assert [m.email for m in app_storage.accounts.list_members(admin)] == ["admin@acme.example"]


def test_single_sign_on_is_hidden_unless_configured(session_for: SessionFor) -> None:
    session_for("admin")
    assert not [b for b in _app().button if "single sign-on" in b.label]
    # With [auth] in secrets.toml, st.user always carries is_logged_in.
    at = _app(user={"is_logged_in": False})
    assert [b.label for b in at.button if "single sign-on" in b.label] == ["Sign in with single sign-on"]


def test_single_sign_on_signs_in_known_emails_only(session_for: SessionFor, app_storage: Storage) -> None:
    session_for("reviewer")
    at = _app(user={"is_logged_in": True, "email": "Reviewer@acme.example", "email_verified": True})
    assert _title(at) == "Review"
    actor = app_storage.accounts.authenticate(at.session_state[TOKEN])
    assert actor is not None and actor.role is Role.REVIEWER

    stranger = _app(user={"is_logged_in": True, "email": "stranger@acme.example"})
    assert _title(stranger) == "Sign in"
    assert "no active account uses this email" in stranger.warning[0].value
    assert [b.label for b in stranger.button if "single sign-on" in b.label] == ["Sign out of single sign-on"]

    unverified = _app(user={"is_logged_in": True, "email": "reviewer@acme.example", "email_verified": False})
    assert _title(unverified) == "Sign in"
