"""Scorer latency (p50/p95 at 100, 250, 400 and 800 words; 400 words with related cases too), batch throughput
and cold start."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from coach.config import get_settings
from coach.scoring.labelled import load_labelled, training_files
from coach.scoring.lifecycle import make_scorer

RUNS = 60


def answer_of(words: int, pool: list[str]) -> str:
    out: list[str] = []
    i = 0
    while len(" ".join(out).split()) < words:
        out.extend(pool[i % len(pool)].split(". "))
        i += 1
    return " ".join(" ".join(out).split()[:words])


def cold_start() -> float:
    code = (
        "import time; t=time.perf_counter(); from coach.scoring.lifecycle import make_scorer; s=make_scorer(); "
        "s.score('I led an email campaign for our app that missed its sign-up target by half.', "
        "with_related=False); print(time.perf_counter()-t)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(3)
    ]
    return statistics.median(runs)


def main() -> None:
    settings = get_settings()
    answers = [a.answer for a in load_labelled(training_files(settings.corpus_dir)) if a.total >= 12]
    scorer = make_scorer()
    results: dict[str, object] = {}
    for words in (100, 250, 400, 800):
        text = answer_of(words, answers)
        scorer.score(text, with_related=False)
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            scorer.score(text, with_related=False)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p50, p95 = statistics.median(times), times[int(RUNS * 0.95) - 1]
        results[f"{words}_words"] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}
        print(f"{words:>4} words: p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    # The full scorecard the page shows: related cases from the case library included.
    from coach.retrieval.library import library_finder, make_library

    full = make_scorer(related=library_finder(make_library()))
    text = answer_of(400, answers)
    full.score(text)
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        full.score(text)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p50, p95 = statistics.median(times), times[int(RUNS * 0.95) - 1]
    results["400_words_with_related"] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}
    print(f" 400 words with related cases: p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")
    batch = answers[:200]
    t0 = time.perf_counter()
    for text in batch:
        scorer.score(text, with_related=False)
    rate = len(batch) / (time.perf_counter() - t0)
    results["batch_answers_per_s"] = round(rate, 1)
    print(f"batch: {len(batch)} labelled answers at {rate:.0f} answers/s (no retrieval)")
    cold = cold_start()
    results["cold_start_s"] = round(cold, 2)
    print(f"cold start (import + model load + first score): {cold:.2f} s")
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "bench_score.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
