"""Vector storage behind a small protocol: ChromaDB on disk by default, a Chroma server when configured."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from coach.config import Settings, get_settings
from coach.embeddings.embedders import load_embedder
from coach.errors import CoachError

Metadata = dict[str, str | int | float | bool]
# A Chroma `where` filter on the chunks' metadata, e.g. {"org": {"$in": [0, 7]}}.
Where = dict[str, Any]


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

    def _open(self) -> Any:
        return self._client.get_or_create_collection(
            self._name, embedding_function=self._function, metadata={"hnsw:space": "cosine"}
        )

    def add(self, records: Sequence[Record]) -> None:
        if records:
            self._collection.add(
                ids=[r.id for r in records],
                documents=[r.text for r in records],
                metadatas=[r.meta for r in records],
            )

    def delete_where(self, key: str, value: str) -> None:
        self._collection.delete(where={key: value})

    def all(self) -> list[Record]:
        got = self._collection.get(include=["documents", "metadatas"])
        return [
            Record(i, d or "", dict(m or {}))
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]

    def nearest(self, text: str, k: int, where: Where | None = None) -> list[tuple[str, float]]:
        """The k chunks nearest to `text` among those matching `where` (filtered inside Chroma's query)."""
        n = min(k, self.count())
        if n == 0:
            return []
        got = self._collection.query(query_texts=[text], n_results=n, where=where, include=["distances"])
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
