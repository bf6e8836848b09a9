"""In-process fakes that satisfy the real protocols: a vector store in memory and a scripted chat client.

Unit tests of the retriever and the judge use these: no HTTP server, no Chroma, no sleeps. The wire-level
fake (tests/fake_openai.py) stays for the integration tests of the real OpenAI client.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from coach.llm.client import ChatClient, LLMFailure, M, Structured
from coach.llm.prompts import Prompt
from coach.retrieval.vectorstore import Record, VectorStore, Where

Vector = Mapping[str, float]  # sparse: dimension -> weight


def bag_of_words(text: str) -> Vector:
    return {word: float(n) for word, n in Counter(re.findall(r"[a-z0-9]+", text.lower())).items()}


def _cosine(a: Vector, b: Vector) -> float:
    dot = sum(weight * b.get(dim, 0.0) for dim, weight in a.items())
    norms = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norms if norms else 0.0


def matches(meta: dict[str, Any], where: Where | None) -> bool:
    """Chroma's `where` on one record's metadata: equality, $eq, $ne, $in, $nin, $and, $or."""
    if not where:
        return True
    for key, condition in where.items():
        if key == "$and":
            if not all(matches(meta, c) for c in condition):
                return False
            continue
        if key == "$or":
            if not any(matches(meta, c) for c in condition):
                return False
            continue
        value = meta.get(key)
        if not isinstance(condition, dict):
            condition = {"$eq": condition}
        if not all(_OPERATORS[op](value, operand) for op, operand in condition.items()):
            return False
    return True


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "$eq": lambda value, operand: bool(value == operand),
    "$ne": lambda value, operand: bool(value != operand),
    "$in": lambda value, operand: value in operand,
    "$nin": lambda value, operand: value not in operand,
}


class InMemoryVectorStore:
    """A `VectorStore` in a dict: nearest by cosine distance (Chroma's space here) over `embed`'s vectors.

    `embed` defaults to a bag of words; a test that wants ranks of its own gives vectors by hand.
    """

    def __init__(self, embed: Callable[[str], Vector] = bag_of_words) -> None:
        self._embed = embed
        self._records: dict[str, Record] = {}
        self.queries: list[str] = []  # what `nearest` was asked, in order

    def add(self, records: Sequence[Record]) -> None:
        for record in records:
            if record.id in self._records:
                raise ValueError(f"duplicate id {record.id}")  # as Chroma's add refuses one
            self._records[record.id] = record

    def delete_where(self, key: str, value: str) -> None:
        self._records = {i: r for i, r in self._records.items() if r.meta.get(key) != value}

    def all(self) -> list[Record]:
        return list(self._records.values())

    def nearest(self, text: str, k: int, where: Where | None = None) -> list[tuple[str, float]]:
        self.queries.append(text)
        query = self._embed(text)
        scored = [
            (r.id, 1.0 - _cosine(query, self._embed(r.text)))
            for r in self._records.values()
            if matches(r.meta, where)
        ]
        return sorted(scored, key=lambda pair: (pair[1], pair[0]))[:k]

    def reset(self) -> None:
        self._records = {}

    def count(self) -> int:
        return len(self._records)


Reply = BaseModel | dict[str, Any] | Exception | Callable[[Prompt], "BaseModel | dict[str, Any] | Exception"]


class ScriptedChat:
    """A `ChatClient` that answers from a script: per schema name, the replies in order, the last repeating.

    A reply is the schema's model, a dict validated into it, an exception to raise (an `LLMFailure` is what
    the real client raises), or a function of the prompt giving one of those. Every call is recorded.
    """

    def __init__(self, model: str = "scripted", **script: Reply | list[Reply]) -> None:
        self.model = model
        self._script: dict[str, list[Reply]] = {
            name: list(replies) if isinstance(replies, list) else [replies]
            for name, replies in script.items()
        }
        self.asked: list[tuple[str, Prompt]] = []

    def of_kind(self, schema: type[BaseModel] | str) -> list[Prompt]:
        name = schema if isinstance(schema, str) else schema.__name__
        return [prompt for kind, prompt in self.asked if kind == name]

    async def ask(self, prompt: Prompt, schema: type[M]) -> Structured[M]:
        self.asked.append((schema.__name__, prompt))
        replies = self._script.get(schema.__name__)
        if not replies:
            raise LLMFailure("invalid_output", f"nothing scripted for {schema.__name__}")
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if callable(reply) and not isinstance(reply, BaseModel | Exception):
            reply = reply(prompt)
        if isinstance(reply, Exception):
            raise reply
        value = reply if isinstance(reply, schema) else schema.model_validate(reply)
        return Structured(value, repaired=False)


# The fakes are the real protocols' types: mypy checks these two assignments.
_store: VectorStore = InMemoryVectorStore()
_chat: ChatClient = ScriptedChat()
