"""A writer process for the kill test: saves answers in a loop and reports each committed one on stdout.

Usage: python writer.py DATABASE_URL SESSION_TOKEN START. Prints "<attempt id> <n>" after each commit.
"""

from __future__ import annotations

import sys

from coach.config import Settings
from coach.storage.store import make_storage


def answer_text(n: int) -> str:
    """Long enough that a kill often lands while the row is being written."""
    return f"answer {n}: the spring campaign reached 40% of its sign-up target. " * 60 + f"end {n}"


def main() -> None:
    url, token, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    storage = make_storage(Settings(database_url=url))
    actor = storage.accounts.authenticate(token)
    n = start
    while True:
        attempt_id = storage.transcripts.save_attempt(
            actor, question_id="failed-campaign", question_text=f"question {n}", answer=answer_text(n)
        )
        storage.transcripts.add_turn(actor, attempt_id, f"follow-up {n}", f"turn answer {n}")
        print(attempt_id, n, flush=True)
        n += 1


if __name__ == "__main__":
    main()
