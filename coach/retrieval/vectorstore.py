"""Vector storage behind a small protocol: ChromaDB on disk by default, a Chroma server when configured."""

from __future__ import annotations

import errno
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from coach.config import Settings, get_settings
from coach.embeddings.embedders import load_embedder
from coach.errors import CoachError

Metadata = dict[str, str | int | float | bool]
# A Chroma `where` filter on the chunks' metadata, e.g. {"org": {"$in": [0, 7]}}.
Where = dict[str, Any]
# How Chroma (its SQLite, its HNSW files, or a server's reply) words a write the disk refused: SQLite says
# "disk I/O error" when the kernel refuses with EFBIG or EIO rather than ENOSPC.
_NO_SPACE_WORDS = ("database or disk is full", "disk i/o error", "no space left on device", "file too large")
_NO_SPACE = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


class IndexFull(CoachError):
    """The disk under the case index refused a write; what was indexed before is untouched."""


def _no_space(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
        return True
    return any(words in str(exc).lower() for words in _NO_SPACE_WORDS)


@contextmanager
def _writing() -> Iterator[None]:
    """Chroma's error for a full disk as one line the user can act on; any other error passes unchanged."""
    try:
        yield
    except Exception as exc:
        if not _no_space(exc):
            raise
        reason = " ".join(str(exc).split())
        raise IndexFull(
            f"the case index's disk is full or refused a write ({reason}): free some space"
        ) from exc


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    meta: Metadata


@runtime_checkable
class VectorStore(Protocol):
    def add(self, records: Sequence[Record]) -> None: ...

    def delete_where(self, key: str, value: str) -> None: ...

    def all(self) -> list[Record]: ...

    def nearest(self, text: str, k: int, where: Where | None = None) -> list[tuple[str, float]]: ...

    def reset(self) -> None: ...

    def count(self) -> int: ...


def _chroma_function_class() -> type:
    """The ChromaDB embedding function, registered so a reopened collection finds it by name."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class CoachMiniLM(EmbeddingFunction[Documents]):
        def __init__(self, model_dir: str | None = None) -> None:
            self._model_dir = model_dir

        def __call__(self, input: Documents) -> Embeddings:
            model_dir = Path(self._model_dir) if self._model_dir else get_settings().model_dir
            return list(load_embedder(model_dir).embed(list(input)))

        @staticmethod
        def name() -> str:
            return "coach-minilm-l6-v2"

        def default_space(self) -> Any:
            return "cosine"

        def supported_spaces(self) -> Any:
            return ["cosine"]

        def get_config(self) -> dict[str, Any]:
            return {"model_dir": self._model_dir}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> CoachMiniLM:
            return CoachMiniLM(config.get("model_dir"))

    return CoachMiniLM


_FUNCTION_CLASS: type | None = None


def chroma_embedding_function(settings: Settings) -> Any:
    global _FUNCTION_CLASS
    if _FUNCTION_CLASS is None:
        _FUNCTION_CLASS = _chroma_function_class()
    return _FUNCTION_CLASS(str(settings.model_dir))


class ChromaStore:
    """A Chroma collection whose embeddings come from the offline MiniLM encoder."""

    def __init__(self, client: Any, name: str, function: Any) -> None:
        self._client = client
        self._name = name
        self._function = function
        self._collection = self._open()
        # A scorecard searches the same text more than once (its failure pattern, then that pattern's cases):
        # the encoder pass is most of a search's cost, so the last few query vectors are kept.
        self._query_vector = lru_cache(maxsize=32)(self._embed_query)

    def _embed_query(self, text: str) -> Any:
        return self._function([text])[0]

    def _open(self) -> Any:
        return self._client.get_or_create_collection(
            self._name, embedding_function=self._function, metadata={"hnsw:space": "cosine"}
        )

    def add(self, records: Sequence[Record]) -> None:
        if records:
            with _writing():
                self._collection.add(
                    ids=[r.id for r in records],
                    documents=[r.text for r in records],
                    metadatas=[r.meta for r in records],
                )

    def delete_where(self, key: str, value: str) -> None:
        with _writing():
            self._collection.delete(where={key: value})

    def all(self) -> list[Record]:
        got = self._collection.get(include=["documents", "metadatas"])
        return [
            Record(i, d or "", dict(m or {}))
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]

    def nearest(self, text: str, k: int, where: Where | None = None) -> list[tuple[str, float]]:
        """The k chunks nearest to `text` among those matching `where` (filtered inside Chroma's query)."""
        if k <= 0:
            return []
        # No count() first: Chroma returns what it has when asked for more (a round trip saved per search).
        got = self._collection.query(
            query_embeddings=[self._query_vector(text)], n_results=k, where=where, include=["distances"]
        )
        return list(zip(got["ids"][0], got["distances"][0], strict=True))

    def reset(self) -> None:
        self._client.delete_collection(self._name)
        self._collection = self._open()

    def count(self) -> int:
        return int(self._collection.count())


def make_vector_store(settings: Settings | None = None) -> VectorStore:
    """Chroma embedded in the data dir, or the Chroma server named by COACH_CHROMA_HOST."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = settings or get_settings()
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        else:
            settings.chroma_path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
        return ChromaStore(client, settings.collection, chroma_embedding_function(settings))
    except (ValueError, ConnectionError, OSError) as exc:
        where = (
            f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else settings.chroma_path
        )
        raise CoachError(f"cannot open the case index at {where}: {exc}") from exc
