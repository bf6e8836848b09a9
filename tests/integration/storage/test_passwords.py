"""Passwords (and session tokens) never appear in clear: not in the database, not in any log line."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from coach.config import Settings
from coach.storage import tables as t
from coach.storage.accounts import AccountError, SignInError
from coach.storage.passwords import make_password_hasher
from coach.storage.store import Storage, make_storage
from tests.integration.storage.conftest import ManualClock

COACH = str(Path(sys.executable).parent / "coach")
# Distinctive strings: any occurrence anywhere is a leak.
SECRETS = {
    "bootstrap": "Zebra-Quartz-4471-bootstrap",
    "created": "Zebra-Quartz-4471-created",
    "signup": "Zebra-Quartz-4471-signup",
    "invite": "Zebra-Quartz-4471-invite",
    "changed": "Zebra-Quartz-4471-changed",
    "wrong": "Zebra-Quartz-4471-wrong-guess",
    "shell": "Zebra-Quartz-4471-shell",
    "typo": "Zebra-Quartz-4471-in-the-email-box",
}


def test_default_hashes_are_argon2id_with_the_configured_cost() -> None:
    hasher = make_password_hasher(Settings())
    stored = hasher.hash("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=")
    assert hasher.verify(stored, "correct horse battery staple")
    assert not hasher.verify(stored, "correct horse battery stapler")
    assert not hasher.verify("not a hash", "anything")
    assert hasher.hash("same") != hasher.hash("same")  # salted
    assert make_password_hasher(Settings(argon2_time_cost=4)).needs_rehash(stored)


def test_a_stronger_cost_setting_rehashes_at_the_next_sign_in(
    storage: Storage, storage_settings: Settings, clock: ManualClock
) -> None:
    storage.accounts.create_first_admin("Acme", "admin@acme.example", "the-password-1")
    stronger = make_storage(storage_settings.model_copy(update={"argon2_time_cost": 2}), clock=clock)
    try:
        stronger.accounts.sign_in("admin@acme.example", "the-password-1")
        with stronger.database.reading() as session:
            stored = session.scalar(select(t.User.password_hash))
        assert stored is not None and ",t=2," in stored
        assert storage.accounts.sign_in("admin@acme.example", "the-password-1")  # still verifies
    finally:
        stronger.close()


def _database_text(storage: Storage, database_url: str) -> bytes:
    """Everything the database holds, as bytes: the SQLite files themselves, or every PostgreSQL row."""
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    chunks = []
    with storage.database.engine.connect() as conn:
        for table in t.Base.metadata.sorted_tables:
            chunks += [str(row[0]) for row in conn.execute(text(f'SELECT x::text FROM "{table.name}" x'))]
    return "\n".join(chunks).encode()


def test_no_password_or_token_in_the_database_or_the_logs(
    storage: Storage, database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # SQL echo too: statements and their (hidden) parameters.
    sql_log = logging.getLogger("sqlalchemy.engine")
    sql_level = sql_log.level
    sql_log.setLevel(logging.DEBUG)
    accounts = storage.accounts
    try:
        admin = accounts.create_first_admin("Acme", "admin@acme.example", SECRETS["bootstrap"])
        accounts.create_user(admin.actor, "trainer@acme.example", "trainer", SECRETS["created"])
        org = accounts.set_self_signup(admin.actor, True)
        candidate = accounts.sign_up(org.id, "cand@acme.example", SECRETS["signup"])
        invitation = accounts.invite_user(admin.actor, "rev@acme.example", "reviewer")
        reviewer = accounts.accept_invite(invitation.code, SECRETS["invite"])
        accounts.change_password(candidate.actor, SECRETS["signup"], SECRETS["changed"])
        for _ in range(6):  # through the lockout
            with pytest.raises(SignInError):
                accounts.sign_in("cand@acme.example", SECRETS["wrong"])
        with pytest.raises(SignInError):
            accounts.sign_in(SECRETS["typo"], SECRETS["created"])  # the password typed in the email box
        with pytest.raises(AccountError):
            accounts.create_user(admin.actor, "x@acme.example", "candidate", "short")
        signed_in = accounts.sign_in("trainer@acme.example", SECRETS["created"])
    finally:
        sql_log.setLevel(sql_level)

    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path / "cli"), "COACH_DATABASE_URL": database_url}
    shell = subprocess.run(
        [COACH, "users", "create", "--role", "admin", "--org", "Globex", "--email", "a@globex.example",
         "--password-stdin"],
        input=SECRETS["shell"] + "\n", capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert shell.returncode == 0, shell.stderr
    assert accounts.sign_in("a@globex.example", SECRETS["shell"])

    logs = caplog.text + shell.stdout + shell.stderr
    assert "INSERT INTO users" in caplog.text  # the SQL echo really was captured
    stored = _database_text(storage, database_url)
    assert b"$argon2id$" in stored
    tokens = [admin.token, candidate.token, reviewer.token, signed_in.token, invitation.code]
    for secret in [*SECRETS.values(), *tokens]:
        assert secret not in logs
        assert secret.encode() not in stored
        assert secret.encode("utf-16-le") not in stored
