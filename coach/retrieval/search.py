"""Hybrid search over the case index: dense (Chroma) and BM25 keyword ranks fused by reciprocal rank."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

import numpy as np

from coach.retrieval.indexing import ORG_KEY, SHIPPED
from coach.retrieval.snippets import chunk_body, readable
from coach.retrieval.vectorstore import Metadata, Record, VectorStore, Where

RRF_K = 60  # the constant from Cormack et al.; damps the weight of the very top ranks
CANDIDATES = 40
WIDEN = 4  # the unfiltered dense search asks for this many times the candidates (see _dense)
WHY_CHARS = 320

_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_STOP = frozenset(
    """a an the and or but of to in on at for with by from as is was were be been are it its this that
    these those we our i my me you your they their them he she his her not no so than then there what
    which who whom when where why how all any some into over about after before during up out also
    just very can could would should will had has have do did does""".split()
)


def _stem(word: str) -> str:
    # Crude suffix stripping: enough for "promotions"/"promotion", "targeted"/"target".
    for suffix in ("ations", "ation", "ings", "ing", "edly", "ied", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


class BM25:
    """Okapi BM25 over a fixed list of texts, as an inverted index: a query touches only the chunks that share
    a term with it, so 10,000 chunks cost what their matching postings cost, not a loop over every chunk."""

    def __init__(self, texts: list[str], k1: float = 1.5, b: float = 0.75) -> None:
        docs = [Counter(terms(t)) for t in texts]
        lens = np.array([sum(d.values()) for d in docs], dtype=np.float64)
        avg = float(lens.mean()) if len(docs) else 0.0
        self._norm = k1 * (1 - b + b * lens / (avg or 1))
        postings: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for i, doc in enumerate(docs):
            for t, f in doc.items():
                postings[t][0].append(i)
                postings[t][1].append(f)
        n = len(docs)
        self._postings = {
            t: (np.array(ids, dtype=np.int64), np.array(fs, dtype=np.float64))
            for t, (ids, fs) in postings.items()
        }
        self._idf = {
            t: math.log(1 + (n - len(ids) + 0.5) / (len(ids) + 0.5)) for t, (ids, _) in postings.items()
        }
        self._k1, self._n = k1, n

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self._n, dtype=np.float64)
        for t in set(terms(query)):
            if t in self._postings:
                ids, f = self._postings[t]
                out[ids] += self._idf[t] * f * (self._k1 + 1) / (f + self._norm[ids])
        return out

    def top(self, query: str, n: int) -> list[int]:
        """The indices of the `n` best-scoring texts with any score, best first (ties: the later text first)."""
        scores = self.scores(query)
        hit = np.flatnonzero(scores > 0)
        order = np.lexsort((hit, scores[hit]))[::-1][:n]
        return [int(i) for i in hit[order]]


@dataclass(frozen=True)
class Hit:
    """One retrieved document with the passage that matched."""

    id: str
    title: str
    kind: Literal["case", "pattern"]
    score: float
    why: str
    section: str
    brand: str = ""
    year: int = 0
    failure_modes: tuple[str, ...] = ()
    # The cosine similarity of the document's nearest chunk to the query (0: not among the dense candidates):
    # a fused rank says which is best, not whether anything is relevant at all.
    relevance: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "kind": self.kind, "score": self.score, "why": self.why}


def modes_of(meta: Metadata) -> tuple[str, ...]:
    """The failure modes a chunk's document is tagged with (stored as one comma-separated string)."""
    return tuple(m for m in str(meta.get("failure_modes", "")).split(", ") if m)


def visible_to(organisation: int | None) -> Where:
    """The metadata filter of what a member of `organisation` may find: the shipped corpus and its own cases
    (None: the shipped corpus only)."""
    if organisation is None or organisation == SHIPPED:
        return {ORG_KEY: SHIPPED}
    return {ORG_KEY: {"$in": [SHIPPED, organisation]}}


def _visible(meta: Metadata, organisation: int | None) -> bool:
    owner = meta.get(ORG_KEY, SHIPPED)
    return owner == SHIPPED or (organisation is not None and owner == organisation)


@dataclass(frozen=True)
class _Keyword:
    """BM25 over the chunks one organisation may see (its statistics too: another's cases weigh nothing)."""

    ids: list[str]
    bm25: BM25


def best_passage(text: str, query: str, limit: int = WHY_CHARS) -> str:
    """The sentence(s) of a chunk that share most terms with the query, trimmed for display."""
    return passage(text.split(": ", 1)[1] if ": " in text[:200] else text, query, limit)


def passage(body: str, query: str, limit: int = WHY_CHARS) -> str:
    """The sentence(s) of a text that share most terms with the query, trimmed for display."""
    sentences = [s.strip() for s in _SENTENCE.split(body) if s.strip()]
    if not sentences:
        return body[:limit]
    q = set(terms(query))
    best = max(range(len(sentences)), key=lambda i: (len(q & set(terms(sentences[i]))), -i))
    passage = sentences[best]
    if len(passage) < limit // 2 and best + 1 < len(sentences):
        passage = f"{passage} {sentences[best + 1]}"
    return passage if len(passage) <= limit else passage[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class _Ranked:
    doc_id: str
    score: float
    record: Record
    relevance: float


@dataclass(frozen=True)
class Ranking:
    """One search's documents, best first. The passage shown for a hit is chosen only for the hits taken."""

    query: str
    ranked: list[_Ranked]

    def top(
        self, k: int, *, kind: Literal["case", "pattern"] | None = None, min_relevance: float = 0.0
    ) -> list[Hit]:
        """The best `k` documents of `kind` (any: None), leaving out any below `min_relevance` (none may be
        left: the floor says whether the best are relevant at all, it does not reach further down)."""
        taken = [r for r in self.ranked if kind is None or r.record.meta.get("kind") == kind][: max(k, 0)]
        return [
            hit_of(r.doc_id, r.score, r.record, self.query, r.relevance)
            for r in taken
            if r.relevance >= min_relevance
        ]


class HybridRetriever:
    """Dense and keyword search over the same chunks, fused and grouped into whole documents."""

    def __init__(self, store: VectorStore) -> None:
        self._store = store
        self.refresh()

    def refresh(self) -> None:
        """Reload the chunks after the index changed."""
        self._records: dict[str, Record] = {r.id: r for r in self._store.all()}
        self._keyword: dict[int | None, _Keyword] = {}
        self._by_document: dict[str, tuple[set[str], Metadata]] | None = None

    def _documents(self) -> dict[str, tuple[set[str], Metadata]]:
        """Each document's failure modes and metadata, read from its chunks once per change of the index."""
        if self._by_document is None:
            self._by_document = {
                str(r.meta.get("doc_id")): (set(modes_of(r.meta)), r.meta) for r in self._records.values()
            }
        return self._by_document

    def replace_document(self, doc_id: str, records: list[Record], organisation: int) -> None:
        """Take in one document's new chunks (none: it was removed) without reloading the whole index."""
        self._records = {i: r for i, r in self._records.items() if r.meta.get("doc_id") != doc_id}
        self._records.update({r.id: r for r in records})
        self._by_document = None
        self._keyword.pop(organisation, None)
        if organisation == SHIPPED:
            self._keyword.clear()

    def _keyword_index(self, organisation: int | None) -> _Keyword:
        if organisation not in self._keyword:
            ids = [i for i, r in self._records.items() if _visible(r.meta, organisation)]
            self._keyword[organisation] = _Keyword(ids, BM25([self._records[i].text for i in ids]))
        return self._keyword[organisation]

    def __len__(self) -> int:
        return len({r.meta.get("doc_id") for r in self._records.values()})

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        kind: Literal["case", "pattern"] | None = None,
        organisation: int | None = None,
        failure_modes: Collection[str] | None = None,
        min_relevance: float = 0.0,
    ) -> list[Hit]:
        """The best documents for `query` among those a member of `organisation` may see; with `failure_modes`,
        among the documents tagged with one of them only (the dense side is filtered inside the store, so every
        such document is a candidate however far down the whole index it would rank)."""
        return self.rank(query, organisation=organisation, failure_modes=failure_modes).top(
            k, kind=kind, min_relevance=min_relevance
        )

    def rank(
        self, query: str, *, organisation: int | None = None, failure_modes: Collection[str] | None = None
    ) -> Ranking:
        """Every candidate document for `query`, best first, with no passage chosen yet: one ranking serves
        several kinds and relevance floors for the cost of one search."""
        query = query.strip()
        # Another process (`coach cases import`, a second app server) may have changed the index since it was
        # loaded: counting is cheap, and a changed count reloads the chunks so the keyword side sees them too.
        if self._store.count() != len(self._records):
            self.refresh()
        keyword_index = self._keyword_index(organisation)
        if not query or not keyword_index.ids:
            return Ranking(query, [])
        fused: dict[str, float] = defaultdict(float)
        tagged: set[str] | None = None
        if failure_modes is not None:
            wanted = set(failure_modes)
            tagged = {
                doc_id
                for doc_id, (modes, meta) in self._documents().items()
                if wanted & modes and _visible(meta, organisation)
            }
            if not tagged:
                return Ranking(query, [])
            # Visible ones only, so the store's filter names a few documents (fast), not an organisation.
            dense = self._store.nearest(query, CANDIDATES, where={"doc_id": {"$in": sorted(tagged)}})
        else:
            dense = self._dense(query, organisation)
        similarity = {chunk_id: 1.0 - distance for chunk_id, distance in dense}
        for rank, (chunk_id, _distance) in enumerate(dense):
            fused[chunk_id] += 1.0 / (RRF_K + rank + 1)
        for rank, idx in enumerate(keyword_index.bm25.top(query, CANDIDATES)):
            fused[keyword_index.ids[idx]] += 1.0 / (RRF_K + rank + 1)
        # A document scores as its best chunk; that chunk is its reason.
        best: dict[str, tuple[float, Record]] = {}
        relevance: dict[str, float] = defaultdict(float)
        for chunk_id, score in fused.items():
            record = self._records.get(chunk_id)
            # Chroma filtered already; this guards a chunk another process wrote since the last refresh.
            if record is None or not _visible(record.meta, organisation):
                continue
            doc_id = str(record.meta["doc_id"])
            if tagged is not None and doc_id not in tagged:
                continue
            relevance[doc_id] = max(relevance[doc_id], similarity.get(chunk_id, 0.0))
            if doc_id not in best or score > best[doc_id][0]:
                best[doc_id] = (score, record)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])
        return Ranking(
            query, [_Ranked(doc_id, score, record, relevance[doc_id]) for doc_id, (score, record) in ranked]
        )

    def _dense(self, query: str, organisation: int | None) -> list[tuple[str, float]]:
        """The CANDIDATES nearest chunks `organisation` may see.

        Asked without a filter and filtered here: Chroma's metadata filter lists every matching chunk first,
        about 40 ms at 10,000 chunks against under 1 ms for the nearest-neighbour search itself. Only when
        chunks the organisation may not see crowd the top (other organisations' own cases) is the store asked
        again with the filter, so the candidates are always complete.
        """
        wide = self._store.nearest(query, CANDIDATES * WIDEN)
        seen = [
            (chunk_id, distance)
            for chunk_id, distance in wide
            if (record := self._records.get(chunk_id)) is not None and _visible(record.meta, organisation)
        ]
        if len(seen) >= CANDIDATES or len(wide) < CANDIDATES * WIDEN:
            return seen[:CANDIDATES]
        return self._store.nearest(query, CANDIDATES, where=visible_to(organisation))


def hit_of(doc_id: str, score: float, record: Record, query: str, relevance: float = 0.0) -> Hit:
    """A ranked document as a Hit, with the passage of its best chunk that shares most terms with the query."""
    meta = record.meta
    title, section = str(meta.get("title", doc_id)), str(meta.get("section", ""))
    return Hit(
        id=doc_id,
        title=title,
        kind="pattern" if meta.get("kind") == "pattern" else "case",
        score=round(score, 5),
        why=passage(readable(chunk_body(record.text, title, section)), query),
        section=section,
        brand=str(meta.get("brand", "")),
        year=int(meta.get("year") or 0),
        failure_modes=modes_of(meta),
        relevance=round(relevance, 4),
    )
