"""The scorecard: what a scorer says about one answer, as one frozen pydantic model with a stable JSON shape.

`Scorecard.model_dump(mode="json")` is the JSON contract (`coach score --json`, the stored `result` of an
attempt, the exports) and `Scorecard.model_validate` reads it back, cards stored before this model included.
The LLM's view of an answer is typed too (`JudgeReview` or `FallbackReview` in `Scorecard.llm`); in JSON it
keeps the place it always had: `llm`, with `judge_disagreement` and `fallback` beside it and a line in
`notes` for each disagreement and for a fallback.

Imports only coach.rubric: components, levels and flags are the rubric's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic.dataclasses import dataclass

from coach.rubric import COMPONENTS, MAX_LEVEL, Flag

# Reading stored cards must not break on a key a newer coach added: unknown keys are ignored.
_VALUES = ConfigDict(frozen=True, extra="ignore")
_PARTS = ConfigDict(extra="ignore")  # the dataclasses' (frozen is the decorator's own argument)


def _component(name: str) -> str:
    if name not in COMPONENTS:
        raise ValueError(f"{name!r} is not a rubric component ({', '.join(COMPONENTS)})")
    return name


V = TypeVar("V")


def _all_five(by_component: dict[str, V]) -> dict[str, V]:
    """The same mapping in the rubric's order, if it names each component exactly once."""
    if set(by_component) != set(COMPONENTS):
        raise ValueError(
            f"expected one entry for each of {', '.join(COMPONENTS)}; got {sorted(by_component)}"
        )
    return {c: by_component[c] for c in COMPONENTS}


Component = Annotated[str, AfterValidator(_component)]
LevelValue = Annotated[int, Field(ge=0, le=MAX_LEVEL)]
Levels = Annotated[dict[str, LevelValue], AfterValidator(_all_five)]


# The small values are pydantic dataclasses: validated inside the card, and built positionally as before.
@dataclass(frozen=True, config=_PARTS)
class ComponentScore:
    level: LevelValue
    evidence: tuple[str, ...] = ()
    feedback: str = ""


@dataclass(frozen=True, config=_PARTS)
class Related:
    id: str
    title: str
    kind: str  # "case" or "pattern"
    why: str


@dataclass(frozen=True, config=_PARTS)
class Exemplar:
    id: str
    answer: str
    failure_mode: str | None
    overall: int


# -- the LLM's review -------------------------------------------------------------------------------------


@dataclass(frozen=True, config=_PARTS)
class JudgedComponent:
    """The judge's level for one component, the sentence it quoted, and why (one sentence)."""

    level: LevelValue
    quote: str
    quote_found: bool
    rationale: str


@dataclass(frozen=True, config=_PARTS)
class Disagreement:
    """A component where the judge's level was not kept: both levels, and why."""

    component: Component
    builtin: LevelValue
    llm: LevelValue
    reason: str
    kept: Literal["builtin"] = "builtin"

    @property
    def note(self) -> str:
        return (
            f"The LLM judge gave {self.component} {self.llm}/4 and the built-in scorer {self.builtin}/4: "
            f"{self.reason}; the built-in level is kept."
        )


@dataclass(frozen=True, config=_PARTS)
class Rewrite:
    """The candidate's answer rewritten by the LLM: numbers it could not find replaced by a prompt, and listed."""

    text: str
    missing: tuple[str, ...] = ()
    removed_numbers: tuple[str, ...] = ()


class _Review(BaseModel):
    model_config = _VALUES

    model: str = ""
    prompts: dict[str, str] = Field(default_factory=dict)  # template name -> version, e.g. judge -> judge-1
    rewrite: Rewrite | None = None
    rewrite_error: str | None = None


class JudgeReview(_Review):
    """The judge answered: its levels beside the built-in ones, and where the built-in level was kept."""

    status: Literal["ok"] = "ok"
    repaired: bool = False  # the reply needed its one repair turn
    levels: Levels
    builtin_levels: Levels
    components: Annotated[dict[str, JudgedComponent], AfterValidator(_all_five)]
    flags: tuple[Flag, ...] = ()
    follow_up: str = ""
    feedback: str = ""
    disagreements: tuple[Disagreement, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(d.note for d in self.disagreements)


class FallbackReview(_Review):
    """The judge did not answer usably: the card is the built-in score, marked with the reason."""

    status: Literal["fallback"] = "fallback"
    reason: str  # timeout, connection, rate_limited, server_error, http_error, invalid_output
    message: str  # the reason in words

    @property
    def note(self) -> str:
        return f"LLM judge unavailable: {self.message}. This is the built-in score."

    @property
    def notes(self) -> tuple[str, ...]:
        return (self.note,)


LLMReview = Annotated[JudgeReview | FallbackReview, Field(discriminator="status")]


# -- the card ----------------------------------------------------------------------------------------------


class Scorecard(BaseModel):
    """One answer's score: levels with their evidence and coaching, flags, follow-up, related cases."""

    model_config = _VALUES

    overall: int = Field(ge=0, le=100)
    components: Annotated[dict[str, ComponentScore], AfterValidator(_all_five)]
    flags: tuple[Flag, ...] = ()
    follow_up: str = ""
    related: tuple[Related, ...] = ()
    scorer: str
    refused: str | None = None
    notes: tuple[str, ...] = ()  # the scorer's; the LLM review's own lines are `llm.notes`
    word_count: int = 0
    failure_mode: str | None = None
    exemplar: Exemplar | None = None
    # The closest failure pattern the built-in retrieval found (failure_mode is its id): the LLM judge's
    # prompt shows it without a second retrieval.
    pattern: Related | None = None
    # The rubric's cap for an answer made of its own vocabulary, as the built-in analysis decided it.
    keyword_stuffed: bool = False
    llm: LLMReview | None = None
    # How many follow-up turns the scored transcript held (the practice flow's; None elsewhere).
    transcript_turns: int | None = None

    @property
    def levels(self) -> dict[str, int]:
        return {c: s.level for c, s in self.components.items()}

    @property
    def all_notes(self) -> tuple[str, ...]:
        """The scorer's notes, then the LLM review's (a disagreement or a fallback), as plain text shows them."""
        return self.notes + (self.llm.notes if self.llm else ())

    def revised(self, **changes: Any) -> Scorecard:
        """A copy with `changes`, validated like any card (pydantic's model_copy would not check them)."""
        return type(self).model_validate({**dict(self), **changes})

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: the same as `model_dump(mode="json")`."""
        return self.model_dump(mode="json")

    @model_validator(mode="before")
    @classmethod
    def _from_contract(cls, data: Any) -> Any:
        """The JSON shape to the model: `judge_disagreement` joins the review, `fallback` is derived."""
        if not isinstance(data, Mapping):
            return data
        data = dict(data)
        review, disagreements = data.get("llm"), data.pop("judge_disagreement", None)
        data.pop("fallback", None)
        if isinstance(review, Mapping) and review.get("status") == "ok" and "disagreements" not in review:
            data["llm"] = {**review, "disagreements": disagreements or ()}
        return data

    @model_validator(mode="after")
    def _own_notes_only(self) -> Scorecard:
        # The JSON's notes carry the review's lines too (see _to_contract); kept once, in the review.
        if self.llm is None or not set(self.llm.notes) & set(self.notes):
            return self
        return self.model_copy(update={"notes": tuple(n for n in self.notes if n not in self.llm.notes)})

    @model_serializer(mode="wrap")
    def _to_contract(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("transcript_turns") is None:
            data.pop("transcript_turns", None)
        review = data.pop("llm", None)
        if self.llm is not None and isinstance(review, dict):
            data["notes"] = [*data["notes"], *self.llm.notes]
            data["judge_disagreement"] = review.pop("disagreements", [])
            data["fallback"] = self.llm.note if isinstance(self.llm, FallbackReview) else None
            data["llm"] = review
        return data


def refused_card(reason: str, scorer: str, word_count: int = 0) -> Scorecard:
    return Scorecard(
        overall=0,
        components={c: ComponentScore(0) for c in COMPONENTS},
        scorer=scorer,
        refused=reason,
        word_count=word_count,
    )
