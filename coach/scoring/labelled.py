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
    except (ValueError, RecursionError) as exc:  # a number past 4,300 digits, arrays nested thousands deep
        raise CoachError(f"{where}: not JSON this program can read ({type(exc).__name__})") from exc
    if not isinstance(row, dict) or not isinstance(row.get("answer"), str):
        raise CoachError(f'{where}: needs an "answer" string')
    if row.get("question") is not None and not isinstance(row["question"], str):
        raise CoachError(f'{where}: "question" must be a string')
    return row


def parse_labelled(line: str, where: str) -> LabelledAnswer:
    row = answer_row(line, where)
    labels = row.get("labels")
    if not isinstance(labels, dict) or any(labels.get(c) not in range(5) for c in COMPONENTS):
        raise CoachError(f'{where}: "labels" needs a level 0-4 for each of {", ".join(COMPONENTS)}')
    given, flags = row.get("sentences") or [], row.get("flags") or []
    if not isinstance(given, list) or not all(isinstance(p, list) and len(p) == 2 for p in given):
        raise CoachError(f'{where}: "sentences" needs a list of [sentence, tag] pairs')
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise CoachError(f'{where}: "flags" needs a list of flag names')
    sentences = tuple((str(s), str(t)) for s, t in given)
    for _, tag in sentences:
        if tag not in SENTENCE_CLASSES:
            raise CoachError(f"{where}: sentence tag {tag!r} is not one of {', '.join(SENTENCE_CLASSES)}")
    return LabelledAnswer(
        id=str(row.get("id", where)),
        answer=row["answer"],
        labels={c: int(labels[c]) for c in COMPONENTS},
        flags=frozenset(flags),
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
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CoachError(f"{path}: not UTF-8 text") from exc
        except OSError as exc:
            raise CoachError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                out.append(parse_labelled(line, f"{path.name}:{n}"))
    return out


def training_files(corpus_dir: Path) -> list[Path]:
    """The team's labelled answers. corpus/holdout/ is deliberately not among them."""
    return sorted((corpus_dir / "labelled").glob("*.jsonl"))
