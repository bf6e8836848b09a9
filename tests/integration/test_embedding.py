"""The offline encoder matches sentence-transformers and refuses weights it does not know."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from coach.embeddings import encoder
from coach.embeddings.embedders import LangChainEmbeddings, MiniLMEmbedder, load_embedder
from coach.errors import CoachError

# Computed once with sentence-transformers (torch 2.13 CPU) on the same packaged weights:
# SentenceTransformer(get_model_path()).encode(sentences, normalize_embeddings=True).
REFERENCE = json.loads((Path(__file__).parents[1] / "data" / "reference_vectors.json").read_text())


def test_vectors_match_sentence_transformers(model_dir: Path) -> None:
    got = load_embedder(model_dir).embed(REFERENCE["sentences"])
    want = np.array(REFERENCE["vectors"], dtype=np.float32)
    cosines = (got * want).sum(axis=1) / np.linalg.norm(want, axis=1)
    assert got.shape == (4, 384)
    assert cosines.min() >= 0.9999, cosines


def test_vectors_do_not_depend_on_batch_padding(model_dir: Path) -> None:
    embedder = load_embedder(model_dir)
    alone = embedder.embed([REFERENCE["sentences"][0]])
    batched = embedder.embed(REFERENCE["sentences"])[0:1]
    assert float((alone * batched).sum()) > 0.99999


def test_empty_input_gives_empty_matrix(model_dir: Path) -> None:
    assert load_embedder(model_dir).embed([]).shape == (0, 384)


def test_langchain_adapter_returns_the_same_vectors(model_dir: Path) -> None:
    embedder = load_embedder(model_dir)
    adapter = LangChainEmbeddings(embedder)
    query = adapter.embed_query("a launch met with silence")
    docs = adapter.embed_documents(["a launch met with silence", "a hashtag hijacked"])
    assert len(query) == 384 and len(docs) == 2
    assert np.allclose(query, docs[0], atol=1e-5)


def test_tampered_weights_fail_with_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "model.safetensors"
    shutil.copy(encoder.source_dir() / "model.safetensors", bad)
    with bad.open("r+b") as fh:
        fh.seek(-4, 2)
        fh.write(b"\x00\x00\x00\x00")
    with pytest.raises(CoachError, match="not the known all-MiniLM-L6-v2"):
        encoder.verify_weights(bad)


def test_prepare_reuses_a_built_graph_and_rebuilds_a_stale_one(tmp_path: Path) -> None:
    path = encoder.prepare(tmp_path)
    first = path.stat().st_mtime_ns
    assert encoder.prepare(tmp_path).stat().st_mtime_ns == first
    (tmp_path / (encoder.GRAPH_NAME + ".stamp")).write_text("old")
    assert encoder.prepare(tmp_path).stat().st_mtime_ns != first
    assert isinstance(MiniLMEmbedder(path, encoder.tokenizer_path()).embed(["ok"]), np.ndarray)
