"""The Review page's queries with 10,000 shared attempts, on SQLite and on PostgreSQL: p50/p95 per view.

Seeds one organisation: 300 candidates in 6 cohorts, 8 reviewers, 10,000 shared attempts (and 1,000 private
ones) over 18 months, each scored (a full scorecard JSON, one in 25 refused, one in 20 waiting for a
follow-up's score), with 0-3 reviews in force and some earlier revisions. Then times what one page view runs:
the filter options, the policy, and the queue page (its count and its rows), for the default view and for
filtered and sorted ones, as the blind reviewer who has reviewed about a third of them.

    .venv/bin/python benchmarks/bench_review_queue.py [--runs 40] [--only sqlite|postgresql]

PostgreSQL: COACH_TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test) names the
server; the benchmark creates a database of its own there and drops it at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from coach.config import Settings
from coach.review.queue import Filters, org_agreement
from coach.rubric import COMPONENTS, FLAG_NAMES, overall
from coach.storage import tables as t
from coach.storage.permissions import Actor, Role
from coach.storage.review_policy import card_columns
from coach.storage.store import Storage, make_storage

ATTEMPTS, PRIVATE, CANDIDATES, COHORTS, REVIEWERS = 10_000, 1_000, 300, 6, 8
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2025, 6, 1, tzinfo=UTC)


def _card(rng: random.Random) -> dict[str, Any]:
    levels = [rng.randint(0, 4) for _ in COMPONENTS]
    refused = "the answer is empty" if rng.random() < 0.04 else None
    sentence = "We missed the sign-up target by 40% because the landing page failed on mobile. "
    return {
        "overall": 0 if refused else overall(dict(zip(COMPONENTS, levels, strict=True))),
        "components": {
            c: {
                "level": 0 if refused else v,
                "evidence": [sentence] * 2,
                "feedback": "Say what you changed. " * 4,
            }
            for c, v in zip(COMPONENTS, levels, strict=True)
        },
        "flags": rng.sample(FLAG_NAMES, rng.choice([0, 0, 1, 1, 2])),
        "follow_up": "What did the data show?",
        "related": [{"id": "c1", "title": "A case", "kind": "case", "why": "It also leaked a code. " * 5}]
        * 3,
        "scorer": "builtin-bench",
        "refused": refused,
        "notes": [],
        "word_count": 300,
        "failure_mode": None,
        "exemplar": None,
    }


def seed(storage: Storage, rng: random.Random) -> Actor:
    """Everything in bulk inserts; returns the reviewer the timings are taken as."""
    db = storage.database
    with db.transaction() as session:
        org = t.Organisation(name="Acme", self_signup=False, share_by_default=True, created_at=START)
        session.add(org)
        session.flush()
        cohorts = [
            t.Cohort(organisation_id=org.id, name=f"Cohort {i}", created_at=START) for i in range(COHORTS)
        ]
        session.add_all(cohorts)
        session.flush()

        def user(email: str, role: str, cohort: int | None = None) -> t.User:
            return t.User(organisation_id=org.id, cohort_id=cohort, email=email, display_name="", role=role,
                          password_hash=None, active=True, created_at=START)  # fmt: skip

        candidates = [
            user(f"c{i}@acme.example", "candidate", cohorts[i % COHORTS].id) for i in range(CANDIDATES)
        ]
        reviewers = [user(f"r{i}@acme.example", "reviewer") for i in range(REVIEWERS)]
        session.add_all(candidates + reviewers)
        session.flush()
        org_id, candidate_ids, reviewer_ids = org.id, [c.id for c in candidates], [r.id for r in reviewers]

    span = 18 * 30 * 24 * 3600
    total = ATTEMPTS + PRIVATE
    for start in range(0, total, 2000):
        with db.transaction() as session:
            rows = []
            for i in range(start, min(start + 2000, total)):
                at = START + timedelta(seconds=rng.randrange(span))
                rows.append({
                    "user_id": rng.choice(candidate_ids), "organisation_id": org_id,
                    "question_id": f"q{rng.randrange(12)}", "question_text": "Explain a campaign that failed.",
                    "answer": "We launched a campaign that missed. " * 40, "shared": i < ATTEMPTS,
                    "status": "unscored" if rng.random() < 0.05 else "scored", "created_at": at, "updated_at": at,
                })  # fmt: skip
            ids = session.scalars(
                insert(t.Attempt).returning(t.Attempt.id, sort_by_parameter_order=True), rows
            ).all()
            cards, reviews = [], []
            for attempt_id, row in zip(ids, rows, strict=True):
                result = _card(rng)
                cards.append({"attempt_id": attempt_id, "scorer_version": "builtin-bench", "result": result,
                              "created_at": row["created_at"], **card_columns(result)})  # fmt: skip
                if not row["shared"]:
                    continue
                for reviewer in rng.sample(reviewer_ids, rng.choice([0, 1, 1, 2, 2, 3])):
                    when = row["created_at"] + timedelta(days=rng.randint(0, 20))
                    revisions = (
                        2 if rng.random() < 0.1 else 1
                    )  # one in ten revised: the first kept as history
                    for revision in range(1, revisions + 1):
                        levels = {c: rng.randint(0, 4) for c in COMPONENTS}
                        reviews.append({
                            "attempt_id": attempt_id, "reviewer_id": reviewer, "levels": levels,
                            "comment": "Solid ownership; thin analysis.", "created_at": when, "revision": revision,
                            "status": "current" if revision == revisions else "replaced",
                            "overall": overall(levels), "reasons": {}, "blind": revision == 1,
                        })  # fmt: skip
            session.execute(insert(t.Scorecard), cards)
            if reviews:
                session.execute(insert(t.Review), reviews)
    with db.reading() as session:
        me = session.get(t.User, reviewer_ids[0])
        assert me is not None
        return Actor(me.id, me.organisation_id, Role(me.role), me.email)


VIEWS: dict[str, Filters] = {
    "default (newest, page 1)": Filters(),
    "newest, page 200 of 400": Filters(),
    "cohort + date range (3 months)": Filters(cohort_id=2, start=date(2026, 1, 1), end=date(2026, 3, 31)),
    "candidate": Filters(candidate_id=17),
    "question, sorted by score": Filters(question_id="q3", sort="score, highest"),
    "coach 40-70 + flag, by score": Filters(overall=(40, 70), flags=("blame",), sort="score, lowest"),
    "fewer than 2 reviewers, by disagreement": Filters(
        reviewed="by fewer than", fewer_than=2, sort="disagreement"
    ),
    "reviewed by me, by disagreement": Filters(reviewed="by me", sort="disagreement"),
    "not reviewed by me, oldest": Filters(reviewed="not by me", sort="oldest"),
    "reviewed by nobody": Filters(reviewed="by nobody"),
}


def _timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    fn()  # warm the caches and the plan
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
    }


def measure(storage: Storage, actor: Actor, runs: int) -> dict[str, Any]:
    queue, reviews = storage.review_queue, storage.reviews
    # Make the measured reviewer's cohort ids match the seeded ones.
    options = queue.options(actor)
    cohort_ids = list(options.cohorts)
    candidate_ids = list(options.candidates)
    out: dict[str, Any] = {}
    for name, filters in VIEWS.items():
        if filters.cohort_id is not None:
            filters = Filters(**{**filters.__dict__, "cohort_id": cohort_ids[filters.cohort_id]})
        if filters.candidate_id is not None:
            filters = Filters(**{**filters.__dict__, "candidate_id": candidate_ids[filters.candidate_id]})
        query = filters.query()
        number = 200 if "page 200" in name else 1

        def view(query: Any = query, number: int = number) -> object:
            reviews.policy(actor)
            queue.options(actor)
            return queue.page(actor, query, number, 25)

        found = queue.page(actor, query, number, 25)
        out[name] = {"matches": found.total, **_timed(view, runs)}
    out["(page query alone, default view)"] = _timed(
        lambda: queue.page(actor, Filters().query(), 1, 25), runs
    )
    started = time.perf_counter()
    exported = sum(len(batch) for batch in queue.all_rows(actor, Filters().query()))
    out["export of the whole queue (details of every row)"] = {
        "rows": exported,
        "seconds": round(time.perf_counter() - started, 2),
    }
    started = time.perf_counter()
    figures = org_agreement(reviews, actor)
    out["agreement page figures"] = {
        "reviews": figures.reviews,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return out


@contextmanager
def sqlite_storage() -> Iterator[Storage]:
    with tempfile.TemporaryDirectory() as folder:
        storage = make_storage(Settings(data_dir=Path(folder), database_url=f"sqlite:///{folder}/bench.db"))
        try:
            yield storage
        finally:
            storage.close()


@contextmanager
def postgres_storage() -> Iterator[Storage]:
    base = make_url(os.environ.get("COACH_TEST_DATABASE_URL") or PG_DEFAULT)
    admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"coach_bench_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    storage = make_storage(Settings(database_url=url))
    try:
        yield storage
    finally:
        storage.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for backend, opened in (("sqlite", sqlite_storage), ("postgresql", postgres_storage)):
        if args.only and args.only != backend:
            continue
        with opened() as storage:
            started = time.perf_counter()
            actor = seed(storage, random.Random(14))
            if backend == "postgresql":
                with storage.database.engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
            with storage.database.reading() as session:
                attempts = session.scalar(select(t.Attempt.id).order_by(t.Attempt.id.desc()).limit(1))
            seeded = round(time.perf_counter() - started, 1)
            results[backend] = {
                "seeded_s": seeded,
                "attempts": attempts,
                **measure(storage, actor, args.runs),
            }
        print(f"\n{backend}: seeded {attempts} attempts in {seeded} s")
        for view, figures in results[backend].items():
            if isinstance(figures, dict):
                print(f"  {view:48s} {json.dumps(figures)}")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
