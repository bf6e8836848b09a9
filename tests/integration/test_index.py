"""Ingestion into the real embedded Chroma: idempotent, incremental, and reopenable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.cli import main as cli
from coach.config import Settings
from coach.retrieval.library import make_library, sync_index
from coach.retrieval.vectorstore import make_vector_store


@pytest.fixture
def small_corpus(corpus_copy: Path) -> Path:
    """The real corpus cut to six documents, so each ingest takes a second."""
    keep = {"new-coke-1985", "hoover-free-flights-1992", "gap-logo-2010", "qantas-luxury-hashtag-2011"}
    for path in (corpus_copy / "cases").glob("*.md"):
        if path.stem not in keep:
            path.unlink()
    for path in (corpus_copy / "patterns").glob("*.md"):
        if path.stem not in {"promotion-abuse", "rebrand-backlash"}:
            path.unlink()
        else:  # its links point at cases cut above
            text = path.read_text()
            start = text.index("related_cases:")
            end = text.index("\n", start)
            path.write_text(text[:start] + "related_cases: []" + text[end:])
    return corpus_copy


def _settings(settings: Settings, corpus: Path) -> Settings:
    return settings.model_copy(update={"corpus_dir": corpus})


def test_ingest_is_idempotent_and_incremental(settings: Settings, small_corpus: Path) -> None:
    s = _settings(settings, small_corpus)
    first = sync_index(s)
    assert len(first.added) == 6 and first.chunks == 6 * 8 - 2 * 2  # cases: 1+7, patterns: 1+5
    again = sync_index(s)
    assert again.added == () and len(again.unchanged) == 6 and again.chunks == 0

    gap = small_corpus / "cases" / "gap-logo-2010.md"
    gap.write_text(gap.read_text().replace("## Impact", "## Impact\n\nA line added by the test."))
    (small_corpus / "cases" / "qantas-luxury-hashtag-2011.md").unlink()
    third = sync_index(s)
    assert third.added == ("gap-logo-2010",)
    assert third.removed == ("qantas-luxury-hashtag-2011",)
    docs = {r.meta["doc_id"] for r in make_vector_store(s).all()}
    assert docs == {
        "new-coke-1985",
        "hoover-free-flights-1992",
        "gap-logo-2010",
        "promotion-abuse",
        "rebrand-backlash",
    }
    gap_chunks = [r for r in make_vector_store(s).all() if r.meta["doc_id"] == "gap-logo-2010"]
    assert len(gap_chunks) == 8 and any("added by the test" in r.text for r in gap_chunks)


def test_rebuild_reindexes_everything(settings: Settings, small_corpus: Path) -> None:
    s = _settings(settings, small_corpus)
    sync_index(s)
    report = sync_index(s, rebuild=True)
    assert len(report.added) == 6 and make_vector_store(s).count() == 44


def test_search_after_reopening_the_collection(settings: Settings, small_corpus: Path) -> None:
    s = _settings(settings, small_corpus)
    sync_index(s)
    # A new client and retriever, as a restarted app would open them.
    hits = make_library(s).search("a free flights offer that cost far more than the products sold", k=3)
    assert hits[0].id == "hoover-free-flights-1992"
    assert hits[0].why and hits[0].kind == "case"
    assert len({h.id for h in hits}) == len(hits)


def test_progress_is_reported_per_document(settings: Settings, small_corpus: Path) -> None:
    seen: list[tuple[int, int, str, str]] = []
    sync_index(_settings(settings, small_corpus), progress=lambda *a: seen.append(a))
    assert [n for n, *_ in seen] == [1, 2, 3, 4, 5, 6] and all(t == 6 for _, t, *_ in seen)


def test_cli_search_json_contract(settings: Settings, small_corpus: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("COACH_CORPUS_DIR", str(small_corpus))
    from coach.config import get_settings

    get_settings.cache_clear()
    assert cli.main(["ingest"]) == 0
    capsys.readouterr()
    assert (
        cli.main(["search", "new logo that customers hated and was dropped in a week", "--k", "3", "--json"])
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert 1 <= len(rows) <= 3
    assert all(set(r) == {"id", "title", "kind", "score", "why"} for r in rows)
    assert rows[0]["id"] == "gap-logo-2010"
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
