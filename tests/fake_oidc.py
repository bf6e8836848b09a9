"""A scripted OpenID Connect provider on 127.0.0.1 for the single sign-on tests: real HTTP, real RS256 tokens.

It does what a provider does on the wire (discovery, the authorization endpoint, the token endpoint with PKCE
and client authentication, JWKS, userinfo, end-session) and approves every sign-in at once as `identity`, so
a browser test can follow the whole redirect round trip. It signs with its own RSA key through `cryptography`,
not with the client library under test. `sign_with_wrong_key` and `deny` script the failures.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_ID = "coach-test-client"
CLIENT_SECRET = "coach-test-secret"
KEY_ID = "coach-test-key"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_b64(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass
class Grant:
    """An authorization code waiting for its token request."""

    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    identity: dict[str, Any]


@dataclass
class FakeOIDCProvider:
    """The provider's state: who signs in, what it was asked, and which failure (if any) to play."""

    identity: dict[str, Any] = field(default_factory=dict)
    deny: bool = False  # the authorization endpoint answers error=access_denied
    sign_with_wrong_key: bool = False  # id_tokens signed by a key the JWKS does not publish
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    token_errors: list[str] = field(default_factory=list)
    logouts: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def __post_init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._grants: dict[str, Grant] = {}
        self._lock = threading.Lock()

    # -- protocol documents --------------------------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "end_session_endpoint": f"{self.url}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        public = self._key.public_key().public_numbers()
        return {
            "keys": [
                {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": KEY_ID, "n": _int_b64(public.n),
                 "e": _int_b64(public.e)}
            ]
        }  # fmt: skip

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "aud": grant.client_id, "iat": now, "exp": now + 300} | grant.identity
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        header = {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
        key = self._other_key if self.sign_with_wrong_key else self._key
        signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    # -- endpoints -----------------------------------------------------------------------------------------
    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.authorize_requests.append(query)
        redirect_uri, state = query.get("redirect_uri", ""), query.get("state", "")
        if query.get("client_id") != CLIENT_ID or not redirect_uri:
            return 400, {"Content-Type": "text/plain"}, b"unknown client or no redirect_uri"
        if self.deny:
            reply = {"error": "access_denied", "error_description": "the user said no", "state": state}
            return 302, {"Location": f"{redirect_uri}?{urlencode(reply)}"}, b""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = Grant(
                client_id=CLIENT_ID,
                redirect_uri=redirect_uri,
                nonce=query.get("nonce"),
                code_challenge=query.get("code_challenge"),
                code_challenge_method=query.get("code_challenge_method"),
                identity=dict(self.identity),
            )
        return 302, {"Location": f"{redirect_uri}?{urlencode({'code': code, 'state': state})}"}, b""

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, Any]]:
        self.token_requests.append(form)
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return self._token_error("invalid_client", "wrong client id or secret", status=401)
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code is good once
        if form.get("grant_type") != "authorization_code" or grant is None:
            return self._token_error("invalid_grant", "unknown, used or missing code")
        if form.get("redirect_uri") != grant.redirect_uri:
            return self._token_error("invalid_grant", "redirect_uri differs from the authorization request")
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            expected = _b64(hashlib.sha256(verifier.encode()).digest())
            if grant.code_challenge_method != "S256" or expected != grant.code_challenge:
                return self._token_error("invalid_grant", "PKCE verifier does not match the challenge")
        access_token = secrets.token_urlsafe(24)
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(grant),
            "scope": "openid email profile",
        }

    def _token_error(self, error: str, description: str, status: int = 400) -> tuple[int, dict[str, Any]]:
        self.token_errors.append(f"{error}: {description}")
        return status, {"error": error, "error_description": description}


def _handler(provider: FakeOIDCProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, document: dict[str, Any]) -> None:
            self._send(status, {"Content-Type": "application/json"}, json.dumps(document).encode())

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(200, provider.metadata())
            elif parts.path == "/jwks":
                self._json(200, provider.jwks())
            elif parts.path == "/authorize":
                self._send(*provider.authorize(query))
            elif parts.path == "/userinfo":
                self._json(200, provider.identity)
            elif parts.path == "/logout":
                provider.logouts.append(query)
                target = query.get("post_logout_redirect_uri")
                if target:
                    self._send(302, {"Location": target}, b"")
                else:
                    self._send(200, {"Content-Type": "text/plain"}, b"signed out")
            else:
                self._send(404, {"Content-Type": "text/plain"}, b"not found")

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/token":
                self._send(404, {"Content-Type": "text/plain"}, b"not found")
                return
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
            self._json(*provider.token(form, self.headers.get("Authorization")))

    return Handler


class RunningProvider:
    """A FakeOIDCProvider served on a free port of 127.0.0.1 from a background thread."""

    def __init__(self, provider: FakeOIDCProvider) -> None:
        self.provider = provider
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
        provider.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeOIDCProvider:
        self._thread.start()
        return self.provider

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
