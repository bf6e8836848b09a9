"""The cookie routes app.py adds to Streamlit's server: one-time codes, HttpOnly/SameSite, same-origin only."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient

from pages._session_cookie import (
    CLEAR_PATH,
    COOKIE,
    HANDOFF_SECONDS,
    SET_PATH,
    Handoffs,
    make_routes,
    post_script,
)

SAME = {"Sec-Fetch-Site": "same-origin"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _client(handoffs: Handoffs) -> TestClient:
    return TestClient(Starlette(routes=make_routes(handoffs)), base_url="http://127.0.0.1:8501")


def test_a_code_sets_an_httponly_strict_cookie_with_the_session_lifetime_once() -> None:
    handoffs = Handoffs()
    code = handoffs.issue("the-token", 3600)
    client = _client(handoffs)
    reply = client.post(SET_PATH, content=code, headers=SAME)
    assert reply.status_code == 204
    header = reply.headers["set-cookie"]
    assert header.startswith(f"{COOKIE}=the-token;")
    for part in ("HttpOnly", "Max-Age=3600", "Path=/", "SameSite=strict"):
        assert part in header
    assert "Secure" not in header  # plain http on 127.0.0.1; https gets Secure
    again = client.post(SET_PATH, content=code, headers=SAME)
    assert again.status_code == 400 and "set-cookie" not in again.headers


def test_an_expired_or_unknown_code_sets_nothing() -> None:
    clock = Clock()
    handoffs = Handoffs(clock)
    code = handoffs.issue("the-token", 3600)
    clock.now += HANDOFF_SECONDS + 1
    client = _client(handoffs)
    assert client.post(SET_PATH, content=code, headers=SAME).status_code == 400
    assert client.post(SET_PATH, content="made-up", headers=SAME).status_code == 400


def test_cross_site_requests_are_refused() -> None:
    handoffs = Handoffs()
    code = handoffs.issue("the-token", 3600)
    client = _client(handoffs)
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://evil.example"}, {}):
        reply = client.post(SET_PATH, content=code, headers=headers)
        assert reply.status_code == 403 and "set-cookie" not in reply.headers
        assert client.post(CLEAR_PATH, headers=headers).status_code == 403
    assert client.post(SET_PATH, content=code, headers={"Origin": "http://127.0.0.1:8501"}).status_code == 204


def test_sign_out_expires_the_cookie() -> None:
    reply = _client(Handoffs()).post(CLEAR_PATH, headers=SAME)
    assert reply.status_code == 204
    header = reply.headers["set-cookie"]
    assert header.startswith(f'{COOKIE}="";') and "Max-Age=0" in header and "HttpOnly" in header


def test_the_page_script_posts_the_code_and_nothing_else() -> None:
    code = Handoffs().issue("secret-token", 60)
    script = post_script(SET_PATH, code)
    assert code in script and "secret-token" not in script
    try:
        post_script(SET_PATH, '");alert(1);("')
    except ValueError:
        pass
    else:
        raise AssertionError("a code that is not URL-safe base64 must not reach the script")
