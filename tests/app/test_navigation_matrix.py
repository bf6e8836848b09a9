"""The page half of the authorisation matrix: which pages the navigation offers each role, each cell asserted.

A page the navigation does not offer cannot be opened: AppTest.switch_page refuses it, as a browser
gets the default page instead. A page it offers opens without error and shows its title.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from coach.storage.store import Storage
from tests.app.conftest import TOKEN, SessionFor, open_app

PAGES = {  # file: the title it shows
    "pages/sign_in.py": "Sign in",
    "pages/sign_up.py": "Sign up",
    "pages/library.py": "Case library",
    "pages/practice.py": "Practice",
    "pages/history.py": "History",
    "pages/users.py": "Users",
    "pages/my_data.py": "My data",
    "pages/review.py": "Review",
    "pages/cases.py": "Cases",
    "pages/questions.py": "Questions & cohorts",
    "pages/assignments.py": "Assignments",
    "pages/calibration.py": "Calibration",
    "pages/agreement.py": "Agreement",
}
ROLES = ["anonymous", "candidate", "trainer", "reviewer", "admin"]
Y, N = True, False
EXPECTED_ROWS = {
    #               sign in  sign up  library  practice  history  users  my data  review  cases  questions
    #               assignments  calibration  agreement
    # anonymous: with self sign-up on somewhere; see the test below
    "anonymous": [Y, Y, N, N, N, N, N, N, N, N, N, N, N],
    "candidate": [N, N, Y, Y, Y, N, Y, N, N, N, N, N, N],
    "trainer": [N, N, Y, N, N, N, Y, N, Y, Y, Y, Y, N],
    "reviewer": [N, N, Y, N, N, N, Y, Y, N, N, N, N, Y],
    "admin": [N, N, Y, N, N, Y, Y, N, N, N, N, N, N],
}
# Everyone else lands on the Case library.
DEFAULT = {"anonymous": "Sign in", "candidate": "Practice", "reviewer": "Review"}
EXPECTED = {
    (role, page): shown for role, row in EXPECTED_ROWS.items() for page, shown in zip(PAGES, row, strict=True)
}


def _offered(at: AppTest, page: str) -> bool:
    try:
        at.switch_page(page)
    except ValueError as exc:
        assert "Could not find a navigation page" in str(exc)
        return False
    return True


def test_the_table_covers_every_role_and_page() -> None:
    assert list(EXPECTED_ROWS) == ROLES
    assert len(EXPECTED) == len(ROLES) * len(PAGES)


@pytest.mark.parametrize("role", ROLES)
def test_pages_offered_per_role(role: str, session_for: SessionFor, app_storage: Storage) -> None:
    if role == "anonymous":
        founder = app_storage.accounts.authenticate(session_for("admin"))
        app_storage.accounts.set_self_signup(founder, True)
        token = None
    else:
        token = session_for(role)
    at = open_app(token)
    default = DEFAULT.get(role, "Case library")
    assert at.title[0].value == default
    actual = {}
    for page, title in PAGES.items():
        actual[(role, page)] = _offered(at, page)
        if actual[(role, page)]:
            at.run()
            assert not at.exception, (page, at.exception)  # which page broke
            assert at.title[0].value == title
    assert actual == {cell: shown for cell, shown in EXPECTED.items() if cell[0] == role}


def test_anonymous_without_self_sign_up_gets_the_sign_in_page_only(session_for: SessionFor) -> None:
    session_for("admin")  # an organisation exists, with self sign-up off (the default)
    at = open_app()
    assert [page for page in PAGES if _offered(at, page)] == ["pages/sign_in.py"]


def test_a_fresh_install_offers_only_the_first_admin_form(app_storage: Storage) -> None:
    at = open_app()
    assert at.title[0].value == "Set up the coach"
    assert [page for page in PAGES if _offered(at, page)] == ["pages/sign_in.py"]


def test_an_unknown_or_expired_token_is_treated_as_signed_out(session_for: SessionFor) -> None:
    session_for("admin")
    at = open_app("a-token-nobody-issued")
    assert at.title[0].value == "Sign in"
    assert TOKEN not in at.session_state
    assert not _offered(at, "pages/library.py")
