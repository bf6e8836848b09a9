"""Ingestion rate and top-5 retrieval latency with 10,000 generated chunks in a real embedded Chroma index.

The chunks are made by a generator from the real case library's sections (each section re-worded with a
numbered brand, channel and year), so their length and vocabulary are those of real chunks. Ingestion is
timed through the store's `add` (embedding included); retrieval through the hybrid retriever the app uses
(dense + BM25, fused), top 5, each query a text not searched before (the store keeps the last query vectors,
so a repeated query would skip the encoder). Goals: >= 300 chunks/s, top-5 p50 <= 20 ms.

    .venv/bin/python benchmarks/bench_scale.py [--chunks 10000] [--queries 40] [--data DIR]

`--data DIR` keeps the index in DIR; a later run with the same DIR and count measures retrieval on it without
ingesting again (ingesting 10,000 chunks takes half an hour on a busy 2-core machine), and says so.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from coach.config import PROJECT_ROOT, Settings
from coach.retrieval.corpus import load_documents
from coach.retrieval.indexing import ORG_KEY, SHIPPED
from coach.retrieval.search import HybridRetriever
from coach.retrieval.vectorstore import Metadata, Record, make_vector_store

CHANNELS = ["email", "paid social", "search", "TV", "influencer", "affiliate", "SMS", "out of home"]
QUERIES = [
    "our email promo code was shared on coupon sites and cost three times the budget",
    "a paid social campaign for students burned the budget without converting",
    "the influencer had a big audience but none of them were our buyers",
    "the hashtag we started was taken over by angry customers",
    "we sent the newsletter to the wrong segment",
]


def generated_chunks(n: int) -> list[Record]:
    docs, _ = load_documents(PROJECT_ROOT / "corpus")
    sections = [(d, name, text) for d in docs for name, text in d.sections.items()]
    out = []
    for i in range(n):
        doc, name, text = sections[i % len(sections)]
        brand, channel, year = f"Brand {i // len(sections)}", CHANNELS[i % len(CHANNELS)], 1990 + i % 35
        body = f"{doc.title} ({brand}, {channel}, {year}). {name}: {text}"
        meta: Metadata = {ORG_KEY: SHIPPED, "doc_id": f"gen-{i // 8}", "kind": "case", "title": f"{doc.title} {i // 8}",
                "section": name}  # fmt: skip
        out.append(Record(f"gen-{i}", body, meta))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--data", help="keep the index here, and reuse it when it holds --chunks chunks")
    args = parser.parse_args()
    chunks = generated_chunks(args.chunks)
    with tempfile.TemporaryDirectory(prefix="coach-scale-") as tmp:
        data = Path(args.data) if args.data else Path(tmp)
        settings = Settings(data_dir=data, model_path=PROJECT_ROOT / "data" / "model", collection="scale")
        store = make_vector_store(settings)
        ingest_rate: float | None = None
        if store.count() != len(chunks):
            store.reset()
            store.add(chunks[:8])  # warm: the model's session and the collection exist before timing
            started = time.perf_counter()
            for at in range(8, len(chunks), args.batch):
                store.add(chunks[at : at + args.batch])
            ingest_rate = round((len(chunks) - 8) / (time.perf_counter() - started), 1)
        retriever = HybridRetriever(store)
        retriever.search(QUERIES[0], k=5)  # warm: the BM25 index is built on the first search
        times = []
        for n in range(args.queries):
            query = f"{QUERIES[n % len(QUERIES)]} ({n})"
            t0 = time.perf_counter()
            hits = retriever.search(query, k=5)
            times.append((time.perf_counter() - t0) * 1000)
            assert len(hits) == 5
        times.sort()
        report = {
            "chunks": store.count(),
            "ingest_chunks_per_s": ingest_rate if ingest_rate is not None else "not measured: index reused",
            "top5_p50_ms": round(statistics.median(times), 1),
            "top5_p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "load_average": [round(x, 1) for x in os.getloadavg()],
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
