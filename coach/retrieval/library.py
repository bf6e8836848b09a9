"""The case library: the corpus on disk plus its search index, as the app and the CLI use them."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal

from coach.config import Settings, get_settings
from coach.errors import CoachError
from coach.retrieval.corpus import Document, Vocabulary, load_documents, load_vocabulary
from coach.retrieval.indexing import ORG_KEY, SHIPPED, IngestReport, Progress, index_document, ingest
from coach.retrieval.search import Hit, HybridRetriever
from coach.retrieval.vectorstore import VectorStore, make_vector_store
from coach.scorecard import Related

# The cosine similarity below which a document is no match at all, whatever its rank: between the weakest
# top hit of a real failure description and the strongest of nonsense (benchmarks/bench_relevance.py).
RELEVANCE_MIN = 0.40  # measured: real 0.465-0.763, nonsense 0.147-0.352
# A related case this similar to a scorecard's evidence tells the same story: 1% of the team's labelled answers
# have one (benchmarks/bench_related.py), a candidate rehearsing a library case scores about 0.75.
SAME_STORY = 0.60


def sync_index(
    settings: Settings | None = None,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    store: VectorStore | None = None,
) -> IngestReport:
    """Index what changed in the corpus (everything with `rebuild`)."""
    settings = settings or get_settings()
    docs, problems = load_documents(settings.corpus_dir)
    if problems:
        raise CoachError(
            f"the corpus has {len(problems)} problem(s), first: {problems[0]}; run `coach corpus check`"
        )
    vocab = load_vocabulary(settings.corpus_dir)
    return ingest(store or make_vector_store(settings), docs, vocab, rebuild=rebuild, progress=progress)


@dataclass
class CaseLibrary:
    """The shipped documents by id, and hybrid search over them and the organisations' own cases.

    `organisation` None searches the shipped corpus only; an organisation's id adds its own cases (and
    never another's: the filter runs inside the vector store query and on the keyword side alike).
    """

    documents: dict[str, Document]
    retriever: HybridRetriever
    store: VectorStore | None = None
    vocabulary: Vocabulary | None = None

    def search(
        self,
        query: str,
        k: int = 5,
        kind: Literal["case", "pattern"] | None = None,
        *,
        organisation: int | None = None,
        min_relevance: float = RELEVANCE_MIN,
        failure_modes: Collection[str] | None = None,
    ) -> list[Hit]:
        """The best documents for `query`, leaving out any below `min_relevance` (none may be left); with
        `failure_modes`, only documents tagged with one of them."""
        return self.retriever.search(
            query,
            k,
            kind=kind,
            organisation=organisation,
            failure_modes=failure_modes,
            min_relevance=min_relevance,
        )

    def index_case(self, doc: Document, organisation: int, progress: Progress | None = None) -> int:
        """Index one organisation's case (dense and keyword); search sees it when this returns. Chunks written."""
        if self.store is None or self.vocabulary is None:
            raise CoachError("this case library is read-only")
        if organisation == SHIPPED:
            raise CoachError("organisation cases need an organisation")
        records = index_document(self.store, doc, self.vocabulary, organisation, progress)
        self.retriever.replace_document(doc.id, records, organisation)
        return len(records)

    def remove_case(self, doc_id: str, organisation: int) -> None:
        if self.store is None:
            raise CoachError("this case library is read-only")
        self.store.delete_where("doc_id", doc_id)
        self.retriever.replace_document(doc_id, [], organisation)

    def get(self, doc_id: str) -> Document | None:
        return self.documents.get(doc_id)

    def cases(self) -> list[Document]:
        return sorted((d for d in self.documents.values() if d.kind == "case"), key=lambda d: d.title)

    def patterns(self) -> list[Document]:
        return sorted((d for d in self.documents.values() if d.kind == "pattern"), key=lambda d: d.title)


def make_library(settings: Settings | None = None, *, store: VectorStore | None = None) -> CaseLibrary:
    """Open the index, building it first if it is empty."""
    settings = settings or get_settings()
    store = store or make_vector_store(settings)
    # Empty, or built before organisations had cases (chunks without the org key): bring it up to date.
    if store.count() == 0 or any(ORG_KEY not in r.meta for r in store.all()):
        sync_index(settings, store=store)
    docs, _ = load_documents(settings.corpus_dir)
    vocabulary = load_vocabulary(settings.corpus_dir)
    return CaseLibrary({d.id: d for d in docs}, HybridRetriever(store), store, vocabulary)


def library_finder(
    library: CaseLibrary, organisation: int | None = None
) -> Callable[[str, int], list[Related]]:
    """Related cases and patterns from the case library, with the passage that matched (the scorer's finder);
    with an organisation, its own cases are among them."""

    def find(query: str, k: int) -> list[Related]:
        # The story's failure pattern, then cases of its two likeliest patterns only. Ranked by similarity
        # alone, the cases shown shared the answer's failure mode one time in five on the team's labelled
        # answers (a streaming-video launch beside an audience-targeting miss); from the two likeliest
        # patterns, about one in three, with a case for nine answers in ten (the likeliest alone: two in five,
        # but none for a third of answers, a trainer's case the candidate rehearsed with among them).
        # benchmarks/bench_related.py measures all three. No relevance floor: RELEVANCE_MIN was measured on
        # short library queries, and on evidence queries similarity hardly tells matching cases from others.
        # One ranking of the whole library gives the patterns and the same-story cases alike.
        ranking = library.retriever.rank(query, organisation=organisation)
        patterns = ranking.top(2, kind="pattern")
        if not patterns:
            return []
        modes = [p.id for p in patterns]
        # A case that tells the same story (a trainer's case the candidate rehearsed with) comes first, whatever
        # its tags: the pattern guess can miss it.
        same = ranking.top(k, kind="case", min_relevance=SAME_STORY)
        tagged = library.search(
            query, k=k, kind="case", organisation=organisation, min_relevance=0.0, failure_modes=modes
        )
        shown = {h.id for h in same}
        cases = same + [h for h in tagged if h.id not in shown]
        return [Related(h.id, h.title, h.kind, h.why) for h in patterns[:1] + cases[:k]]

    return find
