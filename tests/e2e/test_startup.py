"""How long `make run` takes, already installed, until the first page is drawn in the browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, NoReturn

import pytest

from coach.config import PROJECT_ROOT, Settings
from tests.e2e.conftest import ARTIFACTS, Timings, first_paint_at, free_port, prepare_data, stop, wait_healthy

pytestmark = pytest.mark.e2e
# Seconds from `make run` to the sign-in form drawn in Chromium. Measured with the index and scorer already
# prepared, on 2 cores shared with other test runs (load average 16-22): 35.1, 37.4 and 54.9 s (health "ok"
# at 27.9, 31.2, 44.4 s). The budget leaves room for such a machine; a start that trains the scorer or
# embeds the corpus again (minutes) breaks it.
FIRST_PAINT_BUDGET_S = 90


def _cannot_run(reason: str) -> NoReturn:
    """Skip on a developer's machine; under CI a start-up that was never measured is a failure."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def test_make_run_to_first_paint(
    browser: Any, tmp_path: Path, model_dir: Path, scorer_settings: Settings, timings: Timings
) -> None:
    if shutil.which("make") is None:
        _cannot_run("make is not installed")
    if subprocess.run(["make", "-q", "install"], cwd=PROJECT_ROOT, capture_output=True).returncode != 0:
        _cannot_run(
            "the venv is not installed from the current pyproject.toml; `make test` installs it first"
        )
    env = prepare_data(tmp_path / "data", model_dir, scorer_settings)
    # An already-prepared checkout: its stamps written once (untimed), so `make run` spawns no coach step.
    subprocess.run(["make", "prepare"], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = ARTIFACTS / "make-run.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        started = time.monotonic()
        # `make run` as a user types it (PORT only moves it off 8501): prepare's checks, then streamlit run.
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            healthy = wait_healthy(url, process, log, started)
            painted = first_paint_at(browser, url)
        finally:
            stop(process)
    timings.record("make_run_to_health_ok_s", healthy - started)
    timings.record("make_run_to_first_paint_s", painted - started)
    assert painted > healthy > started
    assert painted - started <= FIRST_PAINT_BUDGET_S, (
        f"`make run` took {painted - started:.1f} s to the first page, over the {FIRST_PAINT_BUDGET_S} s budget; "
        f"see {log}"
    )
