"""Embedding throughput and search latency on this machine: `make bench` or run directly."""

from __future__ import annotations

import statistics
import time

from coach.config import get_settings
from coach.embeddings.embedders import load_embedder
from coach.retrieval.library import make_library

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


def main() -> None:
    t0 = time.perf_counter()
    embedder = load_embedder(get_settings().model_dir)
    embedder.embed(["warm up"])
    print(f"embedder cold load: {time.perf_counter() - t0:.2f} s")
    sentences = [
        f"Sentence {i}: the campaign targeted {i % 7} segments with paid social and email."
        for i in range(1000)
    ]
    t0 = time.perf_counter()
    embedder.embed(sentences)
    took = time.perf_counter() - t0
    print(f"embedding: 1000 sentences in {took:.2f} s = {1000 / took:.0f} sentences/s")

    t0 = time.perf_counter()
    library = make_library()
    print(f"library open (Chroma + BM25): {time.perf_counter() - t0:.2f} s")
    library.search("warm up")
    times = []
    for _ in range(5):
        for q in QUERIES:
            t0 = time.perf_counter()
            library.search(q, k=5)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"search latency over {len(times)} queries: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
