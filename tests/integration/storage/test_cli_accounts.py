"""`coach users create` from the shell: the first admin (or any user), errors as one line on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.storage.permissions import Role
from coach.storage.store import Storage

COACH = str(Path(sys.executable).parent / "coach")


def _coach(
    database_url: str, tmp_path: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path / "cli"), "COACH_DATABASE_URL": database_url}
    return subprocess.run([COACH, *args], input=stdin, capture_output=True, text=True, timeout=120, env=env)


def test_users_create_makes_the_first_admin(storage: Storage, database_url: str, tmp_path: Path) -> None:
    assert storage.accounts.needs_first_admin()
    done = _coach(
        database_url, tmp_path, "users", "create", "--role", "admin", "--org", "Acme Retail",
        "--email", "Boss@Acme.example", "--name", "Bo", "--password-stdin", stdin="a-long-password\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "created admin boss@acme.example (user 1) in organisation 'Acme Retail'\n"
    assert not storage.accounts.needs_first_admin()
    signed_in = storage.accounts.sign_in("boss@acme.example", "a-long-password")
    assert signed_in.actor.role is Role.ADMIN
    assert storage.accounts.organisation(signed_in.actor).name == "Acme Retail"
    # A second user joins the same organisation, matched without regard to case.
    done = _coach(
        database_url, tmp_path, "users", "create", "--role", "reviewer", "--org", "acme retail",
        "--email", "rev@acme.example", "--password-stdin", stdin="another-long-one\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    members = storage.accounts.list_members(signed_in.actor)
    assert [(m.email, m.role) for m in members] == [
        ("boss@acme.example", Role.ADMIN),
        ("rev@acme.example", Role.REVIEWER),
    ]


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (["--role", "admin", "--org", "A", "--email", "a@a.example", "--password-stdin"], "short\n",
         "coach: error: the password needs at least 10 characters"),
        (["--role", "admin", "--org", "A", "--email", "not-an-email", "--password-stdin"], "long-enough-pw\n",
         "coach: error: enter a valid email address"),
        (["--role", "admin", "--org", "A", "--email", "a@a.example", "--password-stdin"], "",
         "coach: error: the password is empty"),
        (["--role", "admin", "--org", "A", "--email", "a@a.example"], "",
         "coach: error: no terminal to ask for the password; pass it with --password-stdin"),
        (["--role", "owner", "--org", "A", "--email", "a@a.example"], "", "invalid choice: 'owner'"),
        (["--org", "A", "--email", "a@a.example"], "", "the following arguments are required: --role"),
    ],
)  # fmt: skip
def test_users_create_errors_are_one_line(
    storage: Storage, database_url: str, tmp_path: Path, args: list[str], stdin: str, expected: str
) -> None:
    done = _coach(database_url, tmp_path, "users", "create", *args, stdin=stdin)
    assert done.returncode != 0
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert storage.accounts.needs_first_admin()


def test_a_duplicate_email_is_refused(storage: Storage, database_url: str, tmp_path: Path) -> None:
    args = [
        "users",
        "create",
        "--role",
        "candidate",
        "--org",
        "A",
        "--email",
        "a@a.example",
        "--password-stdin",
    ]
    assert _coach(database_url, tmp_path, *args, stdin="long-enough-pw\n").returncode == 0
    done = _coach(database_url, tmp_path, *args, stdin="long-enough-pw\n")
    assert (done.returncode, done.stderr) == (1, "coach: error: an account with this email exists already\n")
