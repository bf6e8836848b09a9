"""Scorer latency (p50/p95 at 100, 250, 400 and 800 words; 400 words with related cases too), batch throughput
and cold start."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from coach.config import get_settings
from coach.scoring.labelled import load_labelled, training_files
from coach.scoring.lifecycle import make_scorer

RUNS = 30


def answer_of(words: int, pool: list[str]) -> str:
    out: list[str] = []
    i = 0
    while len(" ".join(out).split()) < words:
        out.extend(pool[i % len(pool)].split(". "))
        i += 1
    return " ".join(" ".join(out).split()[:words])


def unseen(words: int, pool: Iterator[str]) -> str:
    """An answer of `words` words made of labelled answers no earlier call took: the scorer caches per sentence
    (and the library per query), so an answer scored again and again would time the caches, not a new answer."""
    out: list[str] = []
    while len(out) < words:
        out.extend(next(pool).split())
    return " ".join(out[:words])


def timed(score: Callable[[str], object], texts: list[str]) -> dict[str, float]:
    times = []
    for text in texts:
        t0 = time.perf_counter()
        score(text)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
    }


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
    labelled = load_labelled(training_files(settings.corpus_dir))
    # Every answer told as a story (not the off-topic or injection rows, which are refused or cut short).
    answers = [a.answer for a in labelled if not {"off_topic", "injection"} & set(map(str, a.flags))]
    pool = iter(answers)
    scorer = make_scorer()
    scorer.score(answer_of(400, answers[-20:]), with_related=False)  # warm: the arrays paged in
    results: dict[str, object] = {}
    batch = [next(pool) for _ in range(100)]
    t0 = time.perf_counter()
    for text in batch:
        scorer.score(text, with_related=False)
    rate = len(batch) / (time.perf_counter() - t0)
    results["batch_answers_per_s"] = round(rate, 1)
    print(f"batch: {len(batch)} labelled answers at {rate:.0f} answers/s (no retrieval)")
    for words in (100, 250, 400, 800):
        texts = [unseen(words, pool) for _ in range(RUNS)]
        results[f"{words}_words"] = got = timed(lambda t: scorer.score(t, with_related=False), texts)
        print(f"{words:>4} words: p50 {got['p50_ms']:6.1f} ms   p95 {got['p95_ms']:6.1f} ms")
    # The full scorecard the page shows: related cases from the case library included.
    from coach.retrieval.library import library_finder, make_library

    full = make_scorer(related=library_finder(make_library()))
    full.score(answer_of(400, answers[-20:]))
    texts = [unseen(400, pool) for _ in range(RUNS)]
    results["400_words_with_related"] = got = timed(full.score, texts)
    print(f" 400 words with related cases: p50 {got['p50_ms']:6.1f} ms   p95 {got['p95_ms']:6.1f} ms")
    cold = cold_start()
    results["cold_start_s"] = round(cold, 2)
    print(f"cold start (import + model load + first score): {cold:.2f} s")
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "bench_score.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
