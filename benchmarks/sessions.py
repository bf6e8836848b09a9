"""N concurrent browser sessions (default 20) against the real server: sign in, answer, wait for the scorecard.

`streamlit run app.py` on 127.0.0.1 over a data dir of its own (the prepared scorer and index copied in, N
candidate accounts); headless Chromium opens N tabs at once (Playwright's async API), each signs in as its
own candidate, types a 300-word answer and presses "Score my answer". Reports the time to a scorecard per
session (p50/max), failures, and the server's RSS before and after. Bounded: every wait times out.

    .venv/bin/python benchmarks/sessions.py [--sessions 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# benchmarks/startup.py, beside this file: the script's folder is on sys.path.
from startup import BIN, CHROMIUM, ROOT, environment, free_port, healthy

PASSWORD = "practice-makes-perfect"
TIMEOUT_MS = 240_000


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def answer() -> str:
    from coach.scoring.labelled import load_labelled, training_files

    long = [a.answer for a in load_labelled(training_files(ROOT / "corpus")) if len(a.answer.split()) > 250]
    return long[0]


async def one_session(browser: Any, url: str, email: str, text: str) -> float:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        await page.goto(url)
        await page.get_by_role("heading", name="Sign in", exact=True).wait_for()
        await page.get_by_label("Email").fill(email)
        await page.get_by_label("Password", exact=True).fill(PASSWORD)
        await page.get_by_role("button", name="Sign in", exact=True).click()
        await page.get_by_role("heading", name="Practice", exact=True).wait_for()
        box = page.get_by_label("Your answer")
        await box.fill(text)
        await box.press("Control+Enter")
        started = time.monotonic()
        await page.get_by_role("button", name="Score my answer").click()
        await page.get_by_role("heading", name="Scorecard", exact=True).wait_for()
        return time.monotonic() - started
    finally:
        await context.close()


async def drive(url: str, n: int, text: str) -> list[float | str]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"], headless=True
        )
        results = await asyncio.gather(
            *(one_session(browser, url, f"s{i}@acme.example", text) for i in range(n)), return_exceptions=True
        )
        await browser.close()
    return [r if isinstance(r, float) else f"{type(r).__name__}: {r}"[:200] for r in results]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    import shutil

    with tempfile.TemporaryDirectory(prefix="coach-sessions-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data" / "scorer", data / "scorer")
        shutil.copytree(ROOT / "data" / "chroma", data / "chroma")
        env = environment(data) | {"COACH_ARGON2_TIME_COST": "1", "COACH_ARGON2_MEMORY_KIB": "8192"}
        for i in range(args.sessions):
            subprocess.run(
                [str(BIN / "coach"), "users", "create", "--role", "candidate", "--org", "Acme", "--email",
                 f"s{i}@acme.example", "--password-stdin"],
                input=PASSWORD + "\n", text=True, env=env, cwd=ROOT, check=True, capture_output=True,
            )  # fmt: skip
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = (Path(tmp) / "streamlit.log").open("w")
        server = subprocess.Popen(
            [str(BIN / "streamlit"), "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while not healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the app did not start")
                time.sleep(0.2)
            idle = rss_mb(server.pid)
            results = asyncio.run(drive(url, args.sessions, answer()))
            loaded = rss_mb(server.pid)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    times = [r for r in results if isinstance(r, float)]
    report = {
        "sessions": args.sessions,
        "scorecards": len(times),
        "failures": [r for r in results if isinstance(r, str)],
        "time_to_scorecard_p50_s": round(statistics.median(times), 2) if times else None,
        "time_to_scorecard_max_s": round(max(times), 2) if times else None,
        "server_rss_idle_mb": round(idle),
        "server_rss_after_mb": round(loaded),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }
    print(json.dumps(report, indent=2))
    return 0 if len(times) == args.sessions else 1


if __name__ == "__main__":
    sys.exit(main())
