"""The sign-in cookie: an HttpOnly, SameSite=Strict cookie that carries the session token across reloads, tabs
and links, set and cleared by two server routes that app.py adds to Streamlit's own (st.App).

A script run cannot send HTTP headers, and JavaScript cannot set an HttpOnly cookie, so after a sign-in the
page posts a one-time code (never the token) to /_coach/session, which answers with the cookie; signing out
posts to /_coach/sign-out, which expires it. The token is the one the database knows only by its hash, so the
cookie lives no longer than the session it names, and signing out ends that session on the server too.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

COOKIE = "coach_session"
SET_PATH, CLEAR_PATH = "/_coach/session", "/_coach/sign-out"
HANDOFF_SECONDS = 60.0  # a code not redeemed by then is dropped: the page posts it as soon as it draws


@dataclass(frozen=True)
class _Handoff:
    token: str
    max_age: int
    expires: float


class Handoffs:
    """One-time codes for session tokens, in this server process (the script and the routes share it)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._codes: dict[str, _Handoff] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def _now(self) -> float:
        return self._clock()

    def issue(self, token: str, max_age: int) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            now = self._now()
            for stale in [c for c, h in self._codes.items() if h.expires <= now]:
                del self._codes[stale]
            self._codes[code] = _Handoff(token, max(0, max_age), now + HANDOFF_SECONDS)
        return code

    def redeem(self, code: str) -> tuple[str, int] | None:
        with self._lock:
            handoff = self._codes.pop(code, None)
        if handoff is None or handoff.expires <= self._now():
            return None
        return handoff.token, handoff.max_age


HANDOFFS = Handoffs()


def _same_origin(request: Request) -> bool:
    """Only the app's own pages may set or clear the cookie (a cross-site form cannot sign anyone in)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    return origin is not None and origin.split("://", 1)[-1] == request.headers.get("host")


def _cookie(response: Response, request: Request, value: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def make_routes(handoffs: Handoffs = HANDOFFS) -> list[Route]:
    async def set_session(request: Request) -> Response:
        if not _same_origin(request):
            return Response("cross-site request refused", status_code=403)
        found = handoffs.redeem((await request.body()).decode(errors="replace").strip())
        if found is None:
            return Response("unknown or expired code", status_code=400)
        response = Response(status_code=204, headers={"Cache-Control": "no-store"})
        _cookie(response, request, found[0], found[1])
        return response

    async def clear_session(request: Request) -> Response:
        if not _same_origin(request):
            return Response("cross-site request refused", status_code=403)
        response = Response(status_code=204, headers={"Cache-Control": "no-store"})
        _cookie(response, request, "", 0)
        return response

    return [
        Route(SET_PATH, set_session, methods=["POST"]),
        Route(CLEAR_PATH, clear_session, methods=["POST"]),
    ]


def post_script(path: str, body: str = "") -> str:
    """The HTML that makes this browser post `body` to one of the routes above (run once, where drawn)."""
    if not body.replace("-", "").replace("_", "").isalnum() and body:
        raise ValueError("a handoff code is URL-safe base64")
    return (
        f'<script>fetch("{path}", {{method: "POST", body: "{body}", credentials: "same-origin", '
        'headers: {"Content-Type": "text/plain"}});</script>'
    )
