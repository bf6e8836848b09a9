"""`make prepare` (and so `make run`) on a prepared checkout starts no Python process; a change re-runs its step.

The steps are stamp files in the Makefile; `make -n` prints what make would run without running it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from coach.config import PROJECT_ROOT, Settings
from coach.scoring.lifecycle import MODEL_CODE

MAKEFILE = PROJECT_ROOT / "Makefile"


def _make(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["make", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _coach_steps(dry_run: str) -> list[str]:
    """The coach subcommands a `make -n` listing would run ("ingest", "train --if-stale", ...)."""
    return [m.group(1).strip() for m in re.finditer(r"/coach (.+)$", dry_run, re.MULTILINE)]


def test_the_scorer_stamp_names_every_file_the_trained_model_depends_on() -> None:
    listed = re.search(r"^SCORER_CODE\s*:=.*?,(.*?)\)$", MAKEFILE.read_text(), re.MULTILINE)
    assert listed is not None
    assert set(MODEL_CODE) <= set(listed.group(1).split())


@pytest.fixture
def checkout_env(
    tmp_path: Path, corpus_copy: Path, model_dir: Path, scorer_settings: Settings
) -> dict[str, str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    if subprocess.run(["make", "-q", "install"], cwd=PROJECT_ROOT, capture_output=True).returncode != 0:
        pytest.skip(
            "the venv is not installed from the current pyproject.toml; `make test` installs it first"
        )
    data = tmp_path / "data"
    shutil.copytree(scorer_settings.data_dir / "scorer", data / "scorer")
    if (PROJECT_ROOT / "data" / "chroma").is_dir():  # prepared by `make test`: indexing anew takes minutes
        shutil.copytree(PROJECT_ROOT / "data" / "chroma", data / "chroma")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    return env | {
        "COACH_DATA_DIR": str(data),
        "COACH_MODEL_PATH": str(model_dir),
        "COACH_CORPUS_DIR": str(corpus_copy),
    }


def test_a_prepared_checkout_runs_nothing_and_a_changed_case_runs_only_the_ingest(
    checkout_env: dict[str, str], corpus_copy: Path
) -> None:
    assert {"ingest", "train --if-stale"} <= set(_coach_steps(_make("-n", "prepare", env=checkout_env)))
    _make("prepare", env=checkout_env)
    assert _coach_steps(_make("-n", "prepare", env=checkout_env)) == []

    case = sorted((corpus_copy / "cases").glob("*.md"))[0]
    case.write_text(case.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _coach_steps(_make("-n", "prepare", env=checkout_env)) == ["ingest"]

    _make("prepare", env=checkout_env)
    labelled = sorted((corpus_copy / "labelled").glob("*.jsonl"))[0]
    labelled.rename(labelled.with_suffix(".jsonl.off"))  # a file gone: its folder changed
    assert _coach_steps(_make("-n", "prepare", env=checkout_env)) == ["train --if-stale"]
