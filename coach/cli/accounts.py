"""The `coach db` and `coach users` subcommands: migrations and accounts from the shell."""

from __future__ import annotations

import argparse
import getpass
import sys

from coach.config import get_settings
from coach.errors import CoachError
from coach.storage.permissions import Role


def _db_upgrade(args: argparse.Namespace) -> int:
    from coach.storage.database import current_revision, describe_url, make_database

    settings = get_settings()
    database = make_database(settings)
    try:
        print(
            f"database at revision {current_revision(database.engine)}: {describe_url(settings.sqlite_url)}"
        )
    finally:
        database.dispose()
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat the password: ") != password:
            raise CoachError("the two passwords differ")
    else:
        raise CoachError("no terminal to ask for the password; pass it with --password-stdin")
    if not password:
        raise CoachError("the password is empty")
    return password


def _users_create(args: argparse.Namespace) -> int:
    from coach.storage.store import make_storage

    password = _read_password(args)
    storage = make_storage()
    try:
        member = storage.accounts.create_user_from_shell(
            args.org, args.email, args.role, password, display_name=args.name
        )
    finally:
        storage.close()
    print(f"created {member.role} {member.email} (user {member.id}) in organisation {args.org!r}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `db` and `users` to the `coach` command."""
    db = subparsers.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="create or migrate the database to the newest schema").set_defaults(
        handler=_db_upgrade
    )

    users = subparsers.add_parser("users", help="accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    create = users_sub.add_parser(
        "create", help="create a user (and the organisation if it is new); the first admin, for instance"
    )
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--org", required=True, help="organisation name")
    create.add_argument("--email", required=True)
    create.add_argument("--name", default="", help="display name")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of stdin"
    )
    create.set_defaults(handler=_users_create)
