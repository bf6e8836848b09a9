"""The in-process fakes are the real protocols' types: isinstance, and the same method signatures."""

from __future__ import annotations

import asyncio
import inspect

import pytest
from pydantic import BaseModel

from coach.llm.client import ChatClient, LLMFailure
from coach.llm.prompts import Prompt
from coach.retrieval.vectorstore import ChromaStore, Record, VectorStore
from tests.fakes import InMemoryVectorStore, ScriptedChat, matches


def _methods(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if callable(member) and not name.startswith("_")
    }


@pytest.mark.parametrize(
    ("fake", "protocol", "real"),
    [(InMemoryVectorStore(), VectorStore, ChromaStore), (ScriptedChat(), ChatClient, None)],
)
def test_each_fake_satisfies_its_protocol(fake: object, protocol: type, real: type | None) -> None:
    assert isinstance(fake, protocol)
    expected = _methods(protocol)
    assert expected, "the protocol declares no methods?"
    for name, signature in expected.items():
        got = inspect.signature(getattr(type(fake), name))
        assert list(got.parameters) == list(signature.parameters), name
        assert [p.kind for p in got.parameters.values()] == [p.kind for p in signature.parameters.values()]
        if real is not None:  # the real implementation agrees with the protocol too
            assert list(inspect.signature(getattr(real, name)).parameters) == list(signature.parameters)


def test_something_else_is_not_taken_for_a_store() -> None:
    assert not isinstance(object(), VectorStore) and not isinstance(object(), ChatClient)


def test_the_store_filters_like_chroma_and_ranks_by_cosine() -> None:
    store = InMemoryVectorStore()
    store.add(
        [
            Record("a", "coupon codes leaked to deal sites", {"doc_id": "a", "org": 0}),
            Record("b", "a logo redesign nobody liked", {"doc_id": "b", "org": 0}),
            Record("c", "our coupon went viral on a forum", {"doc_id": "c", "org": 7}),
        ]
    )
    assert [i for i, _ in store.nearest("leaked coupon codes", 3)] == ["a", "c", "b"]
    assert [i for i, _ in store.nearest("leaked coupon codes", 3, where={"org": 0})] == ["a", "b"]
    assert [i for i, _ in store.nearest("coupon", 3, where={"org": {"$in": [0, 7]}})][:2] == ["a", "c"]
    assert store.nearest("coupon", 1)[0][1] < store.nearest("logo", 3)[-1][1] + 1  # distances, not scores
    with pytest.raises(ValueError, match="duplicate"):
        store.add([Record("a", "again", {})])
    store.delete_where("doc_id", "a")
    assert store.count() == 2 and {r.id for r in store.all()} == {"b", "c"}
    store.reset()
    assert store.count() == 0 and store.nearest("coupon", 3) == []
    assert matches({"org": 3}, {"$or": [{"org": 3}, {"org": 4}]})
    assert not matches({"org": 3}, {"$and": [{"org": 3}, {"kind": "case"}]})


class Answer(BaseModel):
    text: str


def test_the_chat_plays_its_script_and_records_each_call() -> None:
    prompt = Prompt("test", "test-1", "system", "user")
    chat = ScriptedChat(
        Answer=[{"text": "first"}, Answer(text="second"), lambda p: {"text": p.user}],
    )

    async def run() -> list[str]:
        return [(await chat.ask(prompt, Answer)).value.text for _ in range(4)]

    assert asyncio.run(run()) == ["first", "second", "user", "user"]  # the last reply repeats
    assert len(chat.of_kind(Answer)) == 4
    failing = ScriptedChat(Answer=LLMFailure("timeout", "too slow"))
    with pytest.raises(LLMFailure, match="too slow"):
        asyncio.run(failing.ask(prompt, Answer))
    with pytest.raises(LLMFailure, match="nothing scripted"):
        asyncio.run(ScriptedChat().ask(prompt, Answer))
