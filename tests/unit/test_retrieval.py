"""BM25, passage choice and fusion, on small in-memory data."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.retrieval.indexing import ORG_KEY, SHIPPED
from coach.retrieval.search import BM25, HybridRetriever, best_passage, terms, visible_to
from coach.retrieval.vectorstore import Record, Where
from tests.fakes import InMemoryVectorStore


def test_terms_drop_stopwords_and_fold_plurals() -> None:
    assert terms("The promotions were targeted at the students") == ["promotion", "target", "student"]


def test_bm25_ranks_the_matching_text_first() -> None:
    bm25 = BM25(["free flights with a vacuum", "a new logo", "a hashtag hijacked by critics"])
    scores = bm25.scores("hijacked hashtag")
    assert int(scores.argmax()) == 2 and scores[0] == scores[1] == 0
    assert bm25.top("hijacked hashtag", 5) == [2]  # only texts that share a term


def _bm25_by_the_book(texts: list[str], query: str, k1: float = 1.5, b: float = 0.75) -> list[float]:
    """Okapi BM25 written out as the formula reads, one text at a time: the reference for the index."""
    docs = [terms(t) for t in texts]
    avg = sum(map(len, docs)) / len(docs)
    out = []
    for doc in docs:
        score = 0.0
        for t in set(terms(query)):
            df = sum(t in d for d in docs)
            f = doc.count(t)
            if f:
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                score += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * len(doc) / (avg or 1)))
        out.append(score)
    return out


WORDS = ["coupon", "leak", "email", "budget", "students", "tiktok", "brand", "the", "launch", "target"]


@settings(max_examples=60)
@given(
    texts=st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), min_size=1, max_size=15),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join),
)
def test_bm25_index_scores_as_the_formula_and_ranks_ties_stably(texts: list[str], query: str) -> None:
    bm25 = BM25(texts)
    expected = _bm25_by_the_book(texts, query)
    assert list(bm25.scores(query)) == pytest.approx(expected)
    ranked = sorted((s, i) for i, s in enumerate(bm25.scores(query)) if s > 0)[::-1]
    assert bm25.top(query, 40) == [i for _, i in ranked][:40]


def test_best_passage_picks_the_sentence_sharing_most_terms() -> None:
    text = "Title. What went wrong: The offer was weak. The coupon was forwarded to millions. Stores ran out."
    assert best_passage(text, "coupon forwarded by email").startswith("The coupon was forwarded")


def _record(chunk: str, doc: str, text: str, kind: str = "case") -> Record:
    return Record(
        chunk, text, {"doc_id": doc, "kind": kind, "title": doc, "section": "Goal", ORG_KEY: SHIPPED}
    )


def test_fusion_groups_chunks_into_documents_and_filters_kind() -> None:
    records = [
        _record("a#0", "a", "A. Goal: a coupon forwarded widely"),
        _record("a#1", "a", "A. Impact: coupon chaos in stores"),
        _record("b#0", "b", "B. Goal: a logo redesign"),
        _record("p#0", "p", "P. Symptoms: coupon codes leak", kind="pattern"),
    ]
    # Dense ranks given by hand, unlike the keyword ones (b#0, a#1, p#0, a#0): the fusion is under test.
    angle = {"B. Goal: a logo redesign": 0.0, "A. Impact: coupon chaos in stores": 0.2}
    angle |= {"P. Symptoms: coupon codes leak": 0.5, "A. Goal: a coupon forwarded widely": 1.0}
    store = InMemoryVectorStore(embed=lambda text: {"x": 1.0, "y": angle.get(text, 0.0)})
    store.add(records)
    retriever = HybridRetriever(store)
    assert [i for i, _ in store.nearest("coupon forwarded", 4)] == ["b#0", "a#1", "p#0", "a#0"]
    hits = retriever.search("coupon forwarded", k=5)
    assert next(h.id for h in hits) == "a" and len({h.id for h in hits}) == len(hits) == 3
    assert [h.id for h in retriever.search("coupon forwarded", k=5, kind="pattern")] == ["p"]
    assert retriever.search("   ") == []


def test_chunks_added_by_another_process_are_searched_without_a_restart() -> None:
    store = InMemoryVectorStore()
    store.add([_record("a#0", "a", "A. Goal: a coupon forwarded widely")])
    retriever = HybridRetriever(store)
    assert [h.id for h in retriever.search("warehouse queue", k=5)] in ([], ["a"])
    # As `coach cases import` does from the shell: straight into the store, not through this retriever.
    store.add([_record("b#0", "b", "B. What happened: the warehouse queue ran to nine days")])
    assert retriever.search("warehouse queue", k=5)[0].id == "b"


class CountingStore(InMemoryVectorStore):
    """The in-memory store, remembering the filter of every dense query it was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[Where | None] = []

    def nearest(self, text: str, k: int, where: Where | None = None) -> list[tuple[str, float]]:
        self.asked.append(where)
        return super().nearest(text, k, where)


def test_dense_candidates_stay_complete_when_other_organisations_crowd_the_top() -> None:
    store = CountingStore()
    # 200 chunks of organisation 7, all nearer the query than the shipped ones.
    theirs = [
        Record(
            f"o{i}#0", f"coupon leak coupon leak {i}", {"doc_id": f"org-7-{i}", "kind": "case", ORG_KEY: 7}
        )
        for i in range(200)
    ]
    ours = [_record(f"s{i}#0", f"s{i}", f"S{i}. Goal: a coupon offer {i}") for i in range(5)]
    store.add(theirs + ours)
    retriever = HybridRetriever(store)

    hits = retriever.search("coupon leak", k=10)  # the shipped corpus only
    assert {h.id for h in hits} == {f"s{i}" for i in range(5)}
    assert store.asked[-2:] == [
        None,
        visible_to(None),
    ]  # the wide ask came back crowded: asked again, filtered

    store.asked.clear()
    assert len(retriever.search("coupon leak", k=10, organisation=7)) == 10
    assert store.asked == [None]  # enough visible among the wide ask: no filtered query


def test_one_ranking_answers_each_kind_and_floor_as_separate_searches_do() -> None:
    store = CountingStore()
    store.add(
        [
            _record("a#0", "a", "A. Goal: a coupon forwarded widely"),
            _record("a#1", "a", "A. Impact: coupon chaos in stores"),
            _record("b#0", "b", "B. Goal: a logo redesign nobody liked"),
            _record("c#0", "c", "C. What happened: the coupon code leaked to forums"),
            _record("p#0", "p", "P. Symptoms: coupon codes leak", kind="pattern"),
            _record("q#0", "q", "Q. Symptoms: a redesign that customers reject", kind="pattern"),
        ]
    )
    retriever = HybridRetriever(store)
    query = "our coupon leaked and the redesign was rejected"
    store.asked.clear()
    ranking = retriever.rank(query)
    assert len(store.asked) == 1  # one dense query for every kind below
    for kind in (None, "case", "pattern"):
        for k in (1, 2, 5):
            for floor in (0.0, 0.3, 0.9):
                assert ranking.top(k, kind=kind, min_relevance=floor) == retriever.search(
                    query, k, kind=kind, min_relevance=floor
                )
    # The floor leaves out what is below it among the best k; it does not reach further down the ranking.
    best = ranking.top(1, kind="case")
    assert ranking.top(1, kind="case", min_relevance=best[0].relevance + 1e-6) == []
