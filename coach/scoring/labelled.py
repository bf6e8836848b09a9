"""Labelled answers: the team's ratings by the rubric, for training, evaluation and exemplars."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.errors import CoachError
from coach.rubric import COMPONENTS
from coach.scoring.model import SENTENCE_CLASSES


@dataclass(frozen=True)
class LabelledAnswer:
    id: str
    answer: str
    labels: dict[str, int]
    flags: frozenset[str]
    sentences: tuple[tuple[str, str], ...] = ()
    question: str | None = None
    kind: str = ""
    failure_mode: str | None = None
    # How the answer is told and what failed, for evaluation split by them (docs/labelling.md).
    register: str = ""
    failure_kind: str = ""
    domain: str = ""

    @property
    def total(self) -> int:
        return sum(self.labels.values())


def answer_row(line: str, where: str) -> dict[str, Any]:
    """One JSON Lines row with an "answer" string, or a one-line error naming where it is."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CoachError(f"{where}: not JSON ({exc.msg})") from exc
    if not isinstance(row, dict) or not isinstance(row.get("answer"), str):
        raise CoachError(f'{where}: needs an "answer" string')
    return row


def parse_labelled(line: str, where: str) -> LabelledAnswer:
    row = answer_row(line, where)
    labels = row.get("labels")
    if not isinstance(labels, dict) or any(labels.get(c) not in range(5) for c in COMPONENTS):
        raise CoachError(f'{where}: "labels" needs a level 0-4 for each of {", ".join(COMPONENTS)}')
    sentences = tuple((str(s), str(t)) for s, t in row.get("sentences") or [])
    for _, tag in sentences:
        if tag not in SENTENCE_CLASSES:
            raise CoachError(f"{where}: sentence tag {tag!r} is not one of {', '.join(SENTENCE_CLASSES)}")
    return LabelledAnswer(
        id=str(row.get("id", where)),
        answer=row["answer"],
        labels={c: int(labels[c]) for c in COMPONENTS},
        flags=frozenset(row.get("flags") or []),
        sentences=sentences,
        question=row.get("question"),
        kind=str(row.get("kind", "")),
        failure_mode=row.get("failure_mode"),
        register=str(row.get("register") or ""),
        failure_kind=str(row.get("failure_kind") or ""),
        domain=str(row.get("domain") or ""),
    )


def load_labelled(paths: list[Path]) -> list[LabelledAnswer]:
    out: list[LabelledAnswer] = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                out.append(parse_labelled(line, f"{path.name}:{n}"))
    return out


def training_files(corpus_dir: Path) -> list[Path]:
    """The team's labelled answers. corpus/holdout/ is deliberately not among them."""
    return sorted((corpus_dir / "labelled").glob("*.jsonl"))
