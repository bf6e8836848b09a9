"""Ingestion of the corpus into the vector store: chunk by section, skip what has not changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coach.retrieval.corpus import Document, Vocabulary
from coach.retrieval.vectorstore import Record, VectorStore

Progress = Callable[[int, int, str, str], None]


@dataclass(frozen=True)
class IngestReport:
    added: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    chunks: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def chunk_document(doc: Document, vocab: Vocabulary) -> list[Record]:
    """One overview chunk plus one per section, each carrying the document's metadata."""
    base: dict[str, str | int | float | bool] = {
        "doc_id": doc.id,
        "kind": doc.kind,
        "title": doc.title,
        "brand": doc.brand,
        "year": doc.year or 0,
        "channels": ", ".join(doc.channels),
        "failure_modes": ", ".join(doc.failure_modes),
        "hash": doc.content_hash,
    }
    # The overview states the failure modes in words, so a plain description of the
    # failure ("the promotion cost far more than planned") can match it.
    modes = " ".join(vocab.failure_modes.get(m, m) for m in doc.failure_modes)
    overview = f"{doc.title}. {doc.brand} {doc.year or ''}. {modes}".strip()
    records = [Record(f"{doc.id}#overview", overview, {**base, "section": "Overview"})]
    for i, (name, text) in enumerate(doc.sections.items()):
        records.append(Record(f"{doc.id}#{i}", f"{doc.title}. {name}: {text}", {**base, "section": name}))
    return records


def ingest(
    store: VectorStore,
    docs: list[Document],
    vocab: Vocabulary,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Bring the store in line with `docs`: idempotent, by content hash; removes deleted documents."""
    if rebuild:
        store.reset()
    indexed: dict[str, str] = {}
    for record in store.all():
        indexed[str(record.meta.get("doc_id"))] = str(record.meta.get("hash"))
    added: list[str] = []
    unchanged: list[str] = []
    chunks = 0
    for n, doc in enumerate(docs, start=1):
        if indexed.get(doc.id) == doc.content_hash:
            unchanged.append(doc.id)
            status = "unchanged"
        else:
            if doc.id in indexed:
                store.delete_where("doc_id", doc.id)
            records = chunk_document(doc, vocab)
            store.add(records)
            chunks += len(records)
            added.append(doc.id)
            status = "indexed"
        if progress:
            progress(n, len(docs), doc.id, status)
    current = {d.id for d in docs}
    removed = sorted(set(indexed) - current)
    for doc_id in removed:
        store.delete_where("doc_id", doc_id)
    return IngestReport(tuple(added), tuple(unchanged), tuple(removed), chunks)
