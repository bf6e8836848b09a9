"""Ingestion of the corpus into the vector store: chunk by section, skip what has not changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coach.retrieval.corpus import Document, Vocabulary
from coach.retrieval.vectorstore import Record, VectorStore

Progress = Callable[[int, int, str, str], None]
# The "org" metadata of the shipped corpus: visible to every organisation. An organisation's own cases carry
# its id, and every search filters on this key inside the vector store query (see search.visible_to).
SHIPPED = 0
ORG_KEY = "org"


@dataclass(frozen=True)
class IngestReport:
    added: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    chunks: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def chunk_document(doc: Document, vocab: Vocabulary, organisation: int = SHIPPED) -> list[Record]:
    """One overview chunk plus one per section, each carrying the document's metadata."""
    base: dict[str, str | int | float | bool] = {
        ORG_KEY: organisation,
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
        if record.meta.get(ORG_KEY, SHIPPED) != SHIPPED:
            continue  # an organisation's case: not the corpus's to update or remove
        # A chunk indexed before organisations had cases lacks the key: index its document again.
        fresh = ORG_KEY in record.meta and indexed.get(str(record.meta.get("doc_id")), "") != "stale"
        indexed[str(record.meta.get("doc_id"))] = str(record.meta.get("hash")) if fresh else "stale"
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


def index_document(
    store: VectorStore,
    doc: Document,
    vocab: Vocabulary,
    organisation: int,
    progress: Progress | None = None,
) -> list[Record]:
    """(Re)index one organisation's case: its old chunks go, the new ones are added one by one (progress
    after each: an upload shows it moving). Returns the chunks written."""
    records = chunk_document(doc, vocab, organisation)
    store.delete_where("doc_id", doc.id)
    for n, record in enumerate(records, start=1):
        store.add([record])
        if progress:
            progress(n, len(records), doc.id, str(record.meta["section"]))
    return records
