"""`make run` on an already-prepared checkout until the first page is drawn in Chromium (goal: <= 3 s).

A data dir of its own (the trained scorer and the index copied from ./data, one candidate account) is
prepared once with `make prepare` (not timed); then `make run` is started RUNS times and timed to
/_stcore/health and to the sign-in heading drawn in headless Chromium. Also prints what `make -n prepare`
would still do (nothing, on a prepared checkout). Loopback only; each run is stopped after it paints.

    .venv/bin/python benchmarks/startup.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TIMEOUT = 120.0
CHROMIUM = "/usr/bin/chromium"
EMAIL, PASSWORD = "bench@acme.example", "practice-makes-perfect"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
            return bool(reply.read().decode().strip() == "ok")
    except OSError:
        return False


def environment(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_") and "PROXY" not in k.upper()}
    return env | {
        "COACH_DATA_DIR": str(data),
        "COACH_MODEL_PATH": str(ROOT / "data" / "model"),
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }


def prepared_data(data: Path) -> dict[str, str]:
    shutil.copytree(ROOT / "data" / "scorer", data / "scorer")
    shutil.copytree(ROOT / "data" / "chroma", data / "chroma")
    env = environment(data)
    subprocess.run(["make", "prepare"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [str(BIN / "coach"), "users", "create", "--role", "candidate", "--org", "Acme", "--email", EMAIL,
         "--password-stdin"],
        input=PASSWORD + "\n", text=True, env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return env


def one_run(browser: Any, env: dict[str, str], log: Path) -> tuple[float, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        started = time.monotonic()
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            while not healthy(url):
                if process.poll() is not None or time.monotonic() - started > TIMEOUT:
                    raise SystemExit(f"the app did not start:\n{log.read_text()[-2000:]}")
                time.sleep(0.05)
            health = time.monotonic() - started
            context = browser.new_context()
            page = context.new_page()
            page.goto(url)
            page.get_by_role("heading", name="Sign in").wait_for(timeout=TIMEOUT * 1000)
            painted = time.monotonic() - started
            context.close()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
    return health, painted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="coach-startup-") as tmp:
        env = prepared_data(Path(tmp) / "data")
        dry = subprocess.run(["make", "-n", "prepare"], cwd=ROOT, env=env, capture_output=True, text=True)
        pending = [line for line in dry.stdout.splitlines() if "coach" in line or "pip" in line]
        print(f"make -n prepare would run: {pending or 'nothing'}")
        results = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox"], headless=True
            )
            for n in range(args.runs):
                health, painted = one_run(browser, env, Path(tmp) / f"run-{n}.log")
                results.append((health, painted))
                print(f"run {n + 1}: health {health:.2f} s, first paint {painted:.2f} s")
            browser.close()
    paints = [p for _, p in results]
    summary = {
        "runs": len(results),
        "health_median_s": round(statistics.median(h for h, _ in results), 2),
        "first_paint_median_s": round(statistics.median(paints), 2),
        "first_paint_max_s": round(max(paints), 2),
        "prepare_pending": pending,
        "load_average": os.getloadavg(),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
