"""The data directory's disk full (issue 15): a clear message for each write, and no corrupted database or index.

How the full disk is simulated, honestly: not with a full filesystem (mounting a small tmpfs needs privileges
CI may not have), but with RLIMIT_FSIZE in a child process (tests/integration/full_disk_writer.py): there the
kernel refuses any write past 16 KiB into any file with EFBIG, where a full disk refuses one with ENOSPC.
It is stricter than a full disk (which still lets a file be rewritten in place) and it reaches the same code:
SQLite and Chroma's SQLite report it as "disk I/O error" (ENOSPC would read "database or disk is full"), and
both wordings map to the same clear messages (StorageFull, IndexFull). Everything else is real: the SQLite
database, the embedded Chroma index with the shipped corpus and an organisation's case, the casebook.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from coach.config import PROJECT_ROOT, Settings
from coach.practice.casebook import Casebook
from coach.retrieval.library import make_library
from coach.storage.permissions import Actor
from coach.storage.store import make_storage
from tests.conftest import CORPUS
from tests.integration.test_casebook import DRAFT

WRITER = Path(__file__).with_name("full_disk_writer.py")
LIMIT = 16 * 1024


def _run_writer(data: Path, model_dir: Path, actors: list[Actor], limit: int) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    done = subprocess.run(
        [sys.executable, str(WRITER), str(data), str(model_dir), str(CORPUS), str(limit),
         json.dumps([dataclasses.astuple(a) for a in actors])],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def test_full_disk_gives_clear_errors_and_leaves_database_and_index_intact(
    tmp_path: Path, model_dir: Path
) -> None:
    data = tmp_path / "data"
    if (PROJECT_ROOT / "data" / "chroma").is_dir():  # `make test` built it: copied, not embedded again
        shutil.copytree(PROJECT_ROOT / "data" / "chroma", data / "chroma")
    settings = Settings(
        data_dir=data, model_path=model_dir, corpus_dir=CORPUS, argon2_time_cost=1, argon2_memory_kib=8192
    )
    storage = make_storage(settings)

    def user(role: str) -> Actor:
        m = storage.accounts.create_user_from_shell("Acme", f"{role}@acme.example", role, "long-password-1")
        return Actor(m.id, m.organisation_id, m.role, m.email)

    candidate, trainer = user("candidate"), user("trainer")
    storage.transcripts.save_attempt(
        candidate, question_id="failed-campaign", question_text="Q", answer="Written before the disk filled."
    )
    case = Casebook(storage.cases, make_library(settings)).save(trainer, DRAFT)
    storage.close()

    full = {r["write"]: r for r in _run_writer(data, model_dir, [candidate, trainer], LIMIT)}
    assert full["attempt"]["error"] == "StorageFull"
    assert full["attempt"]["message"].startswith("the database's disk is full or refused a write (")
    assert full["attempt"]["message"].endswith("): nothing was written")
    assert full["case"]["error"] == "StorageFull"  # the case is written to the database before the index
    assert full["index"]["error"] == "IndexFull"
    assert full["index"]["message"].startswith("the case index's disk is full or refused a write (")

    assert _integrity(data / "coach.db") == "ok"
    assert _integrity(data / "chroma" / "chroma.sqlite3") == "ok"
    with sqlite3.connect(data / "coach.db") as conn:
        assert conn.execute("SELECT answer FROM attempts").fetchall() == [
            ("Written before the disk filled.",)
        ]
        assert conn.execute("SELECT count(*) FROM case_studies").fetchone() == (1,)

    # The space is back: a fresh process finds the earlier contents and writes again.
    after = _run_writer(data, model_dir, [candidate, trainer], 0)
    found = {r["search"]: r["ids"] for r in after if "search" in r}
    assert case.doc_id in found["a zorblax coupon leaked to a deals forum"]
    assert "digiorno-whyistayed-2014" in found["pizza brand tweeted into a domestic violence hashtag"]
    assert {r["write"]: r["error"] for r in after if "write" in r} == {
        "attempt": None,
        "case": None,
        "index": None,
    }
    assert _integrity(data / "coach.db") == "ok"
    assert _integrity(data / "chroma" / "chroma.sqlite3") == "ok"
