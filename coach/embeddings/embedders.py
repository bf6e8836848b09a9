"""Sentence embeddings with the offline MiniLM encoder, for ChromaDB, LangChain and the scorer."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from coach.embeddings import encoder

MAX_TOKENS = 256  # what sentence-transformers uses for this model
BATCH = 32
DIM = 384


class Embedder(Protocol):
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through onnxruntime: mean pooling and L2 normalisation, as sentence-transformers."""

    dim = DIM

    def __init__(self, graph: Path, tokenizer_file: Path, *, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle worker threads must sleep, not spin: a query vector is one short run inside a Python-heavy
        # scoring call, and on two cores the spinning threads took the CPU the scorer needed (a full
        # scorecard of a new answer: 96-101 ms spinning, 55 ms not; benchmarks/bench_score.py).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if threads:
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        # Pad per batch to its longest member, not to 256: most sentences are short.
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            idx = order[start : start + BATCH]
            with self._lock:
                encs = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encs], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
            (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.clip(norms, 1e-12, None)
        return out


@lru_cache(maxsize=4)
def load_embedder(model_dir: Path) -> MiniLMEmbedder:
    """The embedder for one model folder, built and loaded once per process."""
    return MiniLMEmbedder(encoder.prepare(model_dir), encoder.tokenizer_path())


class LangChainEmbeddings(Embeddings):
    """The same embedder behind LangChain's `Embeddings` interface."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._embedder.embed([text])[0].tolist()


class StaticEmbedder:
    """Sentence vectors as the mean of per-token vectors distilled from the encoder (see encoder.py)."""

    dim = DIM

    def __init__(self, table: np.ndarray, tokenizer_file: Path) -> None:
        from tokenizers import Tokenizer

        self._table = table
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        for i, enc in enumerate(self._tokenizer.encode_batch(list(texts), add_special_tokens=False)):
            if enc.ids:
                vec = self._table[enc.ids].mean(axis=0)
                out[i] = vec / max(float(np.linalg.norm(vec)), 1e-12)
        return out


@lru_cache(maxsize=4)
def load_static_embedder(model_dir: Path) -> StaticEmbedder:
    table = np.load(encoder.prepare_static(model_dir), mmap_mode="r")
    return StaticEmbedder(np.asarray(table), encoder.tokenizer_path())
