"""End-to-end fixtures: the real app served by `streamlit run` on a free port, driven by Debian's Chromium.

The fixtures live for this package only: Playwright's sync API keeps an event loop running while the browser
is open, and the async tests that follow in the session need theirs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from coach.config import PROJECT_ROOT, Settings
from tests.conftest import CORPUS

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EMAIL, PASSWORD = "candidate@acme.example", "practice-makes-perfect"
BIN = Path(sys.executable).parent
START_TIMEOUT = 120  # seconds; a cold start that has to build the index takes about a minute


@dataclass
class Server:
    url: str
    data_dir: Path
    started: float  # time.monotonic() just before `streamlit run`
    healthy: float  # when /_stcore/health first answered "ok"
    log: Path


@dataclass
class Timings:
    values: dict[str, Any] = field(default_factory=dict)

    def record(self, name: str, seconds: float) -> None:
        self.values[name] = round(seconds, 2)
        print(f"\ntiming: {name} = {seconds:.2f} s")


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
            return bool(reply.read().decode().strip() == "ok")
    except OSError:
        return False


@pytest.fixture(scope="package")
def chromium() -> str:
    path = _chromium()
    if path is None:
        message = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="package")
def timings() -> Iterator[Timings]:
    found = Timings()
    yield found
    if found.values:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "timings.json").write_text(json.dumps(found.values, indent=2) + "\n")


def prepare_data(data: Path, model_dir: Path, scorer_settings: Settings, **extra: str) -> dict[str, str]:
    """A data dir with the trained scorer, the index and one candidate; the environment that points at it.

    `extra`: more COACH_* variables (a PostgreSQL URL, a Chroma server), set before the candidate is created.
    """
    from coach.scoring.lifecycle import scorer_dir

    # The trained scorer and the built index are copied in, so a start measures the app, not training.
    shutil.copytree(scorer_dir(scorer_settings), data / "scorer")
    if (PROJECT_ROOT / "data" / "chroma").is_dir():
        shutil.copytree(PROJECT_ROOT / "data" / "chroma", data / "chroma")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COACH_", "OPENAI_")) and "PROXY" not in k.upper()
    }
    env |= {
        "COACH_DATA_DIR": str(data),
        "COACH_MODEL_PATH": str(model_dir),
        "COACH_CORPUS_DIR": str(CORPUS),
        "COACH_ARGON2_TIME_COST": "1",
        "COACH_ARGON2_MEMORY_KIB": "8192",
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        **extra,
    }
    subprocess.run(
        [str(BIN / "coach"), "users", "create", "--role", "candidate", "--org", "Acme", "--email", EMAIL,
         "--password-stdin"],
        input=PASSWORD + "\n", text=True, env=env, cwd=PROJECT_ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return env


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, started: float) -> float:
    """When /_stcore/health first answered "ok" (time.monotonic())."""
    while not _healthy(url):
        if process.poll() is not None or time.monotonic() - started > START_TIMEOUT:
            pytest.fail(f"the app did not start; see {log}:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)
    return time.monotonic()


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the process and its children (make starts streamlit as a child): its whole process group."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def first_paint_at(browser: Any, url: str) -> float:
    """Open the app in a new tab; when its first page (the sign-in form) was drawn (time.monotonic())."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.get_by_role("heading", name="Sign in").wait_for(timeout=START_TIMEOUT * 1000)
        return time.monotonic()
    finally:
        context.close()


@contextmanager
def serve(
    env: dict[str, str], data: Path, log: Path, *extra: str, port: int | None = None
) -> Iterator[Server]:
    """`streamlit run app.py` (the app with its cookie routes) on 127.0.0.1 (a free port unless given) until
    the block ends; `extra` are more command-line options."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        str(BIN / "streamlit"), "run", "app.py", "--server.port", str(port), "--server.address",
        "127.0.0.1", "--server.headless", "true", *extra,
    ]  # fmt: skip
    with log.open("w") as out:
        started = time.monotonic()
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            healthy = wait_healthy(url, process, log, started)
            yield Server(url, data, started, healthy, log)
        finally:
            stop(process)


@pytest.fixture(scope="package")
def server(
    chromium: str, tmp_path_factory: pytest.TempPathFactory, model_dir: Path, scorer_settings: Settings
) -> Iterator[Server]:
    """`streamlit run streamlit_app.py` over a data dir of its own, with one candidate account in it."""
    data = tmp_path_factory.mktemp("e2e-data")
    env = prepare_data(data, model_dir, scorer_settings)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(env, data, ARTIFACTS / "streamlit.log") as running:
        yield running


@pytest.fixture(scope="package")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def first_paint(server: Server, browser: Any, timings: Timings) -> float:
    """Seconds from `streamlit run` to the first page drawn in the browser (the sign-in form)."""
    painted = first_paint_at(browser, server.url)
    timings.record("streamlit_run_to_health_ok_s", server.healthy - server.started)
    timings.record("streamlit_run_to_first_paint_s", painted - server.started)
    return painted - server.started


@dataclass
class Tab:
    page: Any
    dialogs: list[str]


@pytest.fixture
def tab(browser: Any, server: Server, first_paint: float) -> Iterator[Tab]:
    """A fresh browser tab (no session) that records every JavaScript dialog it is shown."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    opened = Tab(page, [])

    def on_dialog(dialog: Any) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.set_default_timeout(60_000)
    yield opened
    context.close()
