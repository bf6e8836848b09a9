"""Single sign-on through st.login, the whole OIDC round trip: Chromium, `streamlit run` and a local provider.

The app is served with an [auth] section in its secrets that points at tests/fake_oidc.py on 127.0.0.1; the
browser follows the real redirects (authorize, callback, token exchange with PKCE, id_token checked against
the provider's JWKS) and the app maps the verified email to an account of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from coach.config import Settings
from coach.storage import tables
from coach.storage.database import make_database
from tests.e2e.conftest import EMAIL, Server, free_port, prepare_data, serve
from tests.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeOIDCProvider, RunningProvider

pytestmark = pytest.mark.e2e

SSO_BUTTON = "Sign in with single sign-on"


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeOIDCProvider]:
    with RunningProvider(FakeOIDCProvider()) as running:
        yield running


@pytest.fixture
def oidc(provider: FakeOIDCProvider) -> FakeOIDCProvider:
    """The module's provider with this test's script: a clean record, no failure scripted."""
    provider.deny = provider.sign_with_wrong_key = False
    for record in (
        provider.authorize_requests,
        provider.token_requests,
        provider.token_errors,
        provider.logouts,
    ):
        record.clear()
    return provider


@pytest.fixture(scope="module")
def sso_server(
    chromium: str,
    provider: FakeOIDCProvider,
    tmp_path_factory: pytest.TempPathFactory,
    model_dir: Path,
    scorer_settings: Settings,
) -> Iterator[Server]:
    """The app with single sign-on configured in a secrets.toml of its own (passed by --secrets.files)."""
    data = tmp_path_factory.mktemp("sso-data")
    env = prepare_data(data, model_dir, scorer_settings)
    # The redirect URI names the app's own port, so the port is chosen first and the server started on it.
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secrets = data / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        'cookie_secret = "a-cookie-secret-for-the-sso-test-only"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.url}/.well-known/openid-configuration"\n'
    )
    with serve(env, data, data / "streamlit-sso.log", "--secrets.files", str(secrets), port=port) as running:
        yield running


@pytest.fixture
def page(browser: Any, sso_server: Server) -> Iterator[Any]:
    """A fresh browser context: no Streamlit session, no auth cookie."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    context.close()


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def start_sso(page: Any, server: Server) -> None:
    page.goto(server.url)
    page.get_by_role("heading", name="Sign in", exact=True).wait_for()
    page.get_by_role("button", name=SSO_BUTTON).click()


def back_at_sign_in(page: Any, server: Server) -> None:
    """The redirect chain ended on the app's front page, which shows the sign-in form again."""
    page.wait_for_url(f"{server.url}/")
    page.get_by_role("heading", name="Sign in", exact=True).wait_for()
    page.get_by_role("button", name=SSO_BUTTON).wait_for()


def sso_sign_ins(server: Server) -> list[dict[str, Any]]:
    """The audit log's sign-in entries made through single sign-on, read from the app's own database."""
    database = make_database(Settings(data_dir=server.data_dir))
    try:
        with database.reading() as session:
            rows = session.scalars(
                select(tables.AuditEntry).where(tables.AuditEntry.action == "sign_in")
            ).all()
            return [row.detail for row in rows if (row.detail or {}).get("method") == "sso"]
    finally:
        database.dispose()


def test_round_trip_signs_in_the_matching_account_and_signs_out(
    page: Any, sso_server: Server, oidc: FakeOIDCProvider
) -> None:
    oidc.identity = {"sub": "u-1", "email": EMAIL.upper(), "email_verified": True, "name": "Casey Candidate"}
    before = len(sso_sign_ins(sso_server))
    start_sso(page, sso_server)
    page.get_by_role("heading", name="Practice", exact=True).wait_for()
    page.get_by_text(f"Signed in as {EMAIL}").wait_for()

    (authorize,) = oidc.authorize_requests
    assert authorize["client_id"] == CLIENT_ID
    assert authorize["redirect_uri"] == f"{sso_server.url}/oauth2callback"
    assert set(authorize["scope"].split()) >= {"openid", "email"}
    assert authorize["code_challenge_method"] == "S256"  # PKCE, as the provider advertises it
    assert authorize.get("nonce") and authorize.get("state")
    (token,) = oidc.token_requests
    assert token["grant_type"] == "authorization_code" and token.get("code_verifier")
    assert oidc.token_errors == []
    assert len(sso_sign_ins(sso_server)) == before + 1

    # A reload keeps the sign-in (Streamlit's auth cookie), without another trip to the provider.
    page.reload()
    page.get_by_text(f"Signed in as {EMAIL}").wait_for()
    assert len(oidc.authorize_requests) == 1

    page.get_by_role("button", name="Sign out").click()
    back_at_sign_in(page, sso_server)
    wait_until(lambda: len(oidc.logouts) == 1, "the provider's end-session call")
    assert oidc.logouts[0].get("id_token_hint")
    page.reload()
    back_at_sign_in(page, sso_server)
    assert page.get_by_text("Signed in as").count() == 0


def test_a_verified_email_without_an_account_gets_no_access(
    page: Any, sso_server: Server, oidc: FakeOIDCProvider
) -> None:
    oidc.identity = {"sub": "u-2", "email": "stranger@acme.example", "email_verified": True}
    start_sso(page, sso_server)
    page.get_by_text(
        "Single sign-on worked, but stranger@acme.example: no active account uses this email"
    ).wait_for()
    assert page.get_by_text("Signed in as").count() == 0
    assert page.get_by_role("button", name=SSO_BUTTON).count() == 0  # sign out of the provider first

    page.get_by_role("button", name="Sign out of single sign-on").click()
    back_at_sign_in(page, sso_server)
    wait_until(lambda: len(oidc.logouts) == 1, "the provider's end-session call")


def test_an_id_token_with_a_forged_signature_signs_nobody_in(
    page: Any, sso_server: Server, oidc: FakeOIDCProvider
) -> None:
    oidc.identity = {"sub": "u-1", "email": EMAIL, "email_verified": True}
    oidc.sign_with_wrong_key = True
    start_sso(page, sso_server)
    wait_until(lambda: len(oidc.token_requests) == 1, "the token exchange")
    back_at_sign_in(page, sso_server)
    assert oidc.token_errors == []  # the provider issued the token; the app refused its signature
    assert page.get_by_text("Signed in as").count() == 0
    assert page.get_by_text("Single sign-on worked").count() == 0


def test_a_sign_in_the_provider_denies_leaves_the_sign_in_page(
    page: Any, sso_server: Server, oidc: FakeOIDCProvider
) -> None:
    oidc.identity = {"sub": "u-1", "email": EMAIL, "email_verified": True}
    oidc.deny = True
    start_sso(page, sso_server)
    wait_until(lambda: len(oidc.authorize_requests) == 1, "the authorization request")
    back_at_sign_in(page, sso_server)
    assert oidc.token_requests == []
    assert page.get_by_text("Signed in as").count() == 0
