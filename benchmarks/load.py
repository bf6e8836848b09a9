"""Load: N simulated candidates submit answers through the practice page's own path, scoring and storage included.

Each candidate is a thread (as Streamlit runs each browser session's script in a thread of one process) that
signs up as its own account and calls `Practice.submit` (coach.practice.workflow, what pages/practice.py
calls) with the shared scorer (related cases from the real Chroma index) over one database, until its
answers are sent or the time is up. Bounded in count and time; nothing leaves the machine.

Reports throughput, p50/p95/p99 latency of a submit, errors, and the attempts and scorecards found in the
database against the answers sent (they must be equal; the exit status is 1 if not).

    .venv/bin/python benchmarks/load.py [--candidates 50] [--answers 4] [--seconds 120] [--database-url URL]

--database-url: e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test (the tables are created by the
migrations; use a database of its own). Default: a SQLite file in a temporary data dir.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from coach.config import PROJECT_ROOT, Settings
from coach.practice.workflow import make_practice
from coach.retrieval.corpus import Question, load_questions
from coach.retrieval.library import library_finder, make_library
from coach.scoring.labelled import load_labelled, training_files
from coach.scoring.lifecycle import make_scorer
from coach.storage import tables as t
from coach.storage.permissions import Actor
from coach.storage.store import make_storage

PASSWORD = "load-test-password"


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_settings(data: Path, database_url: str | None) -> Settings:
    # The prepared scorer and index are copied in: this measures serving, not training or indexing.
    shutil.copytree(PROJECT_ROOT / "data" / "scorer", data / "scorer")
    shutil.copytree(PROJECT_ROOT / "data" / "chroma", data / "chroma")
    return Settings(
        data_dir=data,
        model_path=PROJECT_ROOT / "data" / "model",
        database_url=database_url,
        argon2_time_cost=1,  # 50 sign-ups should not measure password hashing
        argon2_memory_kib=8192,
    )


def candidate(
    n: int,
    practice: object,
    actor: Actor,
    question: Question,
    answers: list[str],
    stop_at: float,
    out: Results,
) -> None:
    for i, answer in enumerate(answers):
        if time.monotonic() >= stop_at:
            return
        with out.lock:
            out.sent += 1
        started = time.perf_counter()
        try:
            outcome = practice.submit(actor, question, f"{answer}\n\n(candidate {n}, answer {i})")  # type: ignore[attr-defined]
            if outcome.card is None:
                raise RuntimeError(outcome.error or "not scored")
        except Exception as exc:  # counted and reported: a load test lists every failure, it does not stop
            with out.lock:
                out.errors.append(f"candidate {n} answer {i}: {type(exc).__name__}: {exc}")
            continue
        with out.lock:
            out.latencies.append(time.perf_counter() - started)


def run(args: argparse.Namespace, data: Path) -> dict[str, object]:
    settings = make_settings(data, args.database_url)
    storage = make_storage(settings)
    scorer = make_scorer(settings, related=library_finder(make_library(settings)))
    practice = make_practice(storage.transcripts, lambda: scorer)
    question = load_questions(settings.corpus_dir / "questions.yaml")[0]
    pool = [
        a.answer for a in load_labelled(training_files(settings.corpus_dir)) if len(a.answer.split()) > 150
    ]
    stamp = int(time.time())
    actors = []
    for n in range(args.candidates):
        member = storage.accounts.create_user_from_shell(
            "Load test", f"load-{stamp}-{n}@example.com", "candidate", PASSWORD
        )
        actors.append(Actor(member.id, member.organisation_id, member.role, member.email))
    scorer.score(pool[0], question=question.text)  # warm: the first score loads lazily built tables
    out = Results()
    stop_at = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=candidate,
            args=(n, practice, actor, question, [pool[(n * args.answers + i) % len(pool)] for i in range(args.answers)],
                  stop_at, out),
            name=f"candidate-{n}",
        )
        for n, actor in enumerate(actors)
    ]  # fmt: skip
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 120)
    elapsed = time.perf_counter() - started
    ids = [a.user_id for a in actors]
    with storage.database.reading() as session:
        attempts = session.scalar(
            select(func.count()).select_from(t.Attempt).where(t.Attempt.user_id.in_(ids))
        )
        cards = session.scalar(
            select(func.count())
            .select_from(t.Scorecard)
            .join(t.Attempt, t.Scorecard.attempt_id == t.Attempt.id)
            .where(t.Attempt.user_id.in_(ids))
        )
    storage.close()
    ms = [s * 1000 for s in out.latencies]
    return {
        "candidates": args.candidates,
        "database": storage.database.backend,
        "answers_sent": out.sent,
        "answers_scored": len(out.latencies),
        "errors": len(out.errors),
        "error_samples": out.errors[:5],
        "attempt_rows": attempts,
        "scorecard_rows": cards,
        "rows_match_sent": attempts == out.sent and cards == len(out.latencies),
        "seconds": round(elapsed, 1),
        "throughput_per_s": round(len(out.latencies) / elapsed, 2),
        "p50_ms": round(statistics.median(ms), 1) if ms else None,
        "p95_ms": round(percentile(ms, 0.95), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "process_rss_mb": round(rss_mb()),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--answers", type=int, default=4, help="answers per candidate (upper bound)")
    parser.add_argument("--seconds", type=float, default=120, help="stop sending after this long")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coach-load-") as tmp:
        report = run(args, Path(tmp) / "data")
    print(json.dumps(report, indent=2))
    return 0 if report["rows_match_sent"] and not report["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
