"""The scorecard: what a scorer says about one answer, as frozen values with a stable JSON shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coach.rubric import COMPONENTS


@dataclass(frozen=True)
class ComponentScore:
    level: int
    evidence: tuple[str, ...] = ()
    feedback: str = ""


@dataclass(frozen=True)
class Related:
    id: str
    title: str
    kind: str
    why: str


@dataclass(frozen=True)
class Exemplar:
    id: str
    answer: str
    failure_mode: str | None
    overall: int


@dataclass(frozen=True)
class Scorecard:
    overall: int
    components: dict[str, ComponentScore]
    flags: tuple[str, ...]
    follow_up: str
    scorer: str
    refused: str | None = None
    related: tuple[Related, ...] = ()
    exemplar: Exemplar | None = None
    notes: tuple[str, ...] = ()
    word_count: int = 0
    failure_mode: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def levels(self) -> dict[str, int]:
        return {c: s.level for c, s in self.components.items()}

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of `coach score --json`, plus optional extras other tools may ignore."""
        return {
            "overall": self.overall,
            "components": {
                c: {
                    "level": self.components[c].level,
                    "evidence": list(self.components[c].evidence),
                    "feedback": self.components[c].feedback,
                }
                for c in COMPONENTS
            },
            "flags": list(self.flags),
            "follow_up": self.follow_up,
            "related": [{"id": r.id, "title": r.title, "kind": r.kind, "why": r.why} for r in self.related],
            "scorer": self.scorer,
            "refused": self.refused,
            "notes": list(self.notes),
            "word_count": self.word_count,
            "failure_mode": self.failure_mode,
            "exemplar": None
            if self.exemplar is None
            else {
                "id": self.exemplar.id,
                "answer": self.exemplar.answer,
                "failure_mode": self.exemplar.failure_mode,
                "overall": self.exemplar.overall,
            },
            **self.extra,
        }


def refused_card(reason: str, scorer: str, word_count: int = 0) -> Scorecard:
    return Scorecard(
        overall=0,
        components={c: ComponentScore(0, (), "") for c in COMPONENTS},
        flags=(),
        follow_up="",
        scorer=scorer,
        refused=reason,
        word_count=word_count,
    )
