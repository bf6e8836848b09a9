"""`coach cases import`, `coach search --org` and `coach train --include-org`, run as the shell runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.config import PROJECT_ROOT, Settings
from coach.storage.permissions import Actor
from coach.storage.store import make_storage
from tests.conftest import CORPUS
from tests.unit.test_extraction import CASE_TEXT, make_docx, make_pdf

COACH = str(Path(sys.executable).parent / "coach")
PASSWORD = "practice-makes-perfect"


@pytest.fixture
def shell(tmp_path: Path, model_dir: Path, scorer_settings: Settings) -> dict[str, str]:
    """The environment of a shell pointed at a data dir of its own (prepared index and scorer copied in)."""
    data = tmp_path / "data"
    data.mkdir()
    if (PROJECT_ROOT / "data" / "chroma").is_dir():
        shutil.copytree(PROJECT_ROOT / "data" / "chroma", data / "chroma")
    shutil.copytree(scorer_settings.data_dir / "scorer", data / "scorer")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env |= {
        "COACH_DATA_DIR": str(data),
        "COACH_MODEL_PATH": str(model_dir),
        "COACH_CORPUS_DIR": str(CORPUS),
        "COACH_ARGON2_TIME_COST": "1",
        "COACH_ARGON2_MEMORY_KIB": "8192",
    }
    for org in ("Acme", "Globex"):
        run(env, "users", "create", "--role", "trainer", "--org", org, "--email", f"t@{org.lower()}.example",
            "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    return env


def run(
    env: dict[str, str], *args: str, stdin: str = "", check: bool = True
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [COACH, *args], input=stdin, text=True, env=env, cwd=PROJECT_ROOT, capture_output=True, timeout=600
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def test_import_files_and_folders_then_search_as_the_organisation(
    shell: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "loyalty.pdf").write_bytes(make_pdf(CASE_TEXT))
    other = [(k, t.replace("loyalty relaunch", "referral scheme")) for k, t in CASE_TEXT]
    (folder / "referral.docx").write_bytes(make_docx(other))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    done = run(shell, "cases", "import", str(folder), str(scan), "--org", "Acme", check=False)
    assert done.returncode == 1  # one file was skipped
    lines = done.stdout.splitlines()
    assert lines[-1] == "2 imported, 1 skipped"
    assert any(line.startswith("imported: ") and "loyalty.pdf" in line for line in lines)
    assert any(line.startswith("imported: ") and "referral.docx" in line for line in lines)
    assert any(line.startswith("skipped: ") and "scan.pdf" in line for line in lines)
    assert "[3/3]" in done.stderr  # progress

    query = "the points bonus was worth less than a coffee"
    acme = json.loads(run(shell, "search", query, "--org", "Acme", "--json").stdout)
    assert acme[0]["title"] in ("The loyalty relaunch nobody noticed", "The referral scheme nobody noticed")
    assert acme[0]["id"].startswith("org-")
    for others in (["--org", "Globex"], []):
        found = json.loads(run(shell, "search", query, *others, "--json").stdout)
        assert not any(h["id"].startswith("org-") for h in found)
    unknown = run(shell, "search", query, "--org", "Nobody", check=False)
    assert unknown.returncode == 1 and "no organisation 'Nobody'" in unknown.stderr

    # a rebuild of the index keeps the organisation's cases (re-indexed from the database)
    rebuilt = run(shell, "ingest", "--rebuild")
    assert "organisation cases: 2 indexed again" in rebuilt.stdout
    assert json.loads(run(shell, "search", query, "--org", "Acme", "--json").stdout)[0]["id"].startswith(
        "org-"
    )


@pytest.mark.slow
def test_train_include_org_reports_agreement_before_and_after(shell: dict[str, str]) -> None:
    """Twelve real held-out answers, shared and labelled by Acme's trainer; a quarter is held back."""
    settings = Settings(
        data_dir=Path(shell["COACH_DATA_DIR"]), model_path=Path(shell["COACH_MODEL_PATH"]), corpus_dir=CORPUS,
        argon2_time_cost=1, argon2_memory_kib=8192,
    )  # fmt: skip
    storage = make_storage(settings)
    try:
        member = storage.accounts.create_user_from_shell("Acme", "c@acme.example", "candidate", PASSWORD)
        candidate = Actor(member.id, member.organisation_id, member.role, member.email)
        trainer = storage.accounts.authenticate(storage.accounts.sign_in("t@acme.example", PASSWORD).token)
        rows = [
            json.loads(line)
            for line in (CORPUS / "holdout" / "answers-f.jsonl").read_text().splitlines()[:12]
        ]
        for row in rows:
            attempt = storage.transcripts.save_attempt(
                candidate,
                question_id="main",
                question_text=row["question"],
                answer=row["answer"],
                shared=True,
            )
            storage.transcripts.record_scorecard(candidate, attempt, {"overall": 0}, "builtin-test")
            storage.labels.set_label(trainer, attempt, row["labels"], row.get("flags") or [])
    finally:
        storage.close()
    done = run(shell, "train", "--include-org", "Acme", "--json")
    report = json.loads(done.stdout[done.stdout.index("{") :])
    assert (report["trained_on"], report["held_back"]) == (9, 3)
    assert set(report["before"]["components"]) == set(report["after"]["components"])
    assert report["after"]["n"] == 3
    assert (Path(shell["COACH_DATA_DIR"]) / "scorer-org-1" / "calibration.json").exists()
    assert "held back" in done.stdout.splitlines()[0]
