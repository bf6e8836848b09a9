"""Organisation cases: how long indexing one case takes, and search latency with 500 of them added.

Runs on a copy of the prepared index (data/chroma), so the real one is left alone:
    .venv/bin/python benchmarks/bench_org_cases.py [--cases 500]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from coach.config import PROJECT_ROOT, Settings, get_settings
from coach.practice.casebook import org_document
from coach.retrieval.library import CaseLibrary, make_library
from coach.storage.case_studies import CaseDraft, CaseRecord

ORG, OTHER_ORG = 1, 2
QUERIES = [
    "our email promo code was shared on coupon sites and cost three times the budget",
    "a paid social campaign for students burned the budget without converting",
    "we redesigned the packaging and loyal customers could not find it on the shelf",
    "the influencer had a big audience but none of them were our buyers",
    "a product launch met with silence",
    "the hashtag we started was taken over by angry customers",
    "we sent the newsletter to the wrong segment",
    "the landing page bounced most of the paid traffic",
]
PRODUCTS = [
    "meal kit",
    "running shoe",
    "budgeting app",
    "coffee pod",
    "pet insurance",
    "e-bike",
    "skincare serum",
]
CHANNELS = ["email", "paid-social", "search", "influencer", "tv", "out-of-home", "sms"]
MODES = [
    "weak-offer",
    "wrong-channel",
    "list-quality",
    "promotion-abuse",
    "creative-tone-deaf",
    "wrong-audience",
]
MISSES = [
    "the discount code leaked to deal forums and redemptions tripled the planned cost",
    "the audience we reached was twice the age of our buyers",
    "the landing page took nine seconds to load on phones",
    "the list had not been cleaned in three years and a third of it bounced",
    "the joke in the video read as mocking our own customers",
    "the offer was worth less than what loyal customers already got",
]


def synthetic_case(n: int, rng: random.Random) -> CaseRecord:
    product, miss = rng.choice(PRODUCTS), rng.choice(MISSES)
    draft = CaseDraft(
        title=f"Client case {n}: the {product} launch",
        brand=f"Client {n}",
        year=rng.randint(2015, 2026),
        channels=tuple(rng.sample(CHANNELS, 2)),
        failure_modes=tuple(rng.sample(MODES, 1)),
        sections={
            "Goal": f"Grow {product} sales by {rng.randint(10, 60)}% in a quarter.",
            "What happened": f"The campaign ran for {rng.randint(2, 12)} weeks; {miss}.",
            "What went wrong": f"Nobody tested the plan before launch: {miss}.",
            "Lessons": "Test the whole funnel with real customers before spending the budget.",
        },
    )
    return CaseRecord(n, ORG, draft, 1, False, None, None)  # type: ignore[arg-type]


def latency(library: CaseLibrary, organisation: int | None) -> tuple[float, float]:
    library.search("warm up", organisation=organisation)
    times = []
    for _ in range(5):
        for query in QUERIES:
            start = time.perf_counter()
            library.search(query, k=5, organisation=organisation)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=500)
    args = parser.parse_args()
    base = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        if (PROJECT_ROOT / "data" / "chroma").is_dir():
            shutil.copytree(PROJECT_ROOT / "data" / "chroma", data / "chroma")
        library = make_library(Settings(data_dir=data, model_path=base.model_dir, corpus_dir=base.corpus_dir))
        p50, p95 = latency(library, ORG)
        print(f"search, shipped corpus only (67 documents): p50 {p50:.1f} ms, p95 {p95:.1f} ms")

        rng = random.Random(13)
        one_case = []
        start_all = time.perf_counter()
        for n in range(1, args.cases + 1):
            doc = org_document(synthetic_case(n, rng))
            start = time.perf_counter()
            library.index_case(doc, ORG)
            one_case.append(time.perf_counter() - start)
        total = time.perf_counter() - start_all
        one_case.sort()
        print(
            f"indexing one case (5 chunks, dense and keyword): median {statistics.median(one_case) * 1000:.0f} ms, "
            f"p95 {one_case[int(len(one_case) * 0.95) - 1] * 1000:.0f} ms; {args.cases} cases in {total:.1f} s"
        )
        # The first search after new cases rebuilds that organisation's keyword index once.
        start = time.perf_counter()
        library.search("warm up", organisation=ORG)
        print(
            f"first search after the additions (keyword index rebuilt): {(time.perf_counter() - start) * 1000:.0f} ms"
        )
        p50, p95 = latency(library, ORG)
        print(
            f"search, as the organisation with {args.cases} cases of its own: p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        )
        p50, p95 = latency(library, OTHER_ORG)
        print(
            f"search, as another organisation (those cases filtered out): p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        )
        p50, p95 = latency(library, None)
        print(f"search, no organisation (shipped corpus only): p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
