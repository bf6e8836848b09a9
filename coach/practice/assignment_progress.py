"""An assignment's completion and scores as the tables (and chart series) the Assignments page shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coach.storage.assignments import AssignmentView, ItemStatus

NOT_DONE = "—"


@dataclass(frozen=True)
class ProgressTables:
    candidates: int
    per_candidate: list[
        dict[str, Any]
    ]  # one row per candidate: done count, then a score (as text) per question
    per_question: list[dict[str, Any]]  # one row per question: completed %, average score


def question_label(position: int, text: str) -> str:
    short = text if len(text) <= 50 else text[:49].rstrip() + "…"
    return f"Q{position}: {short}"


def progress_tables(assignment: AssignmentView, statuses: Sequence[ItemStatus]) -> ProgressTables:
    labels = [question_label(n, item.question_text) for n, item in enumerate(assignment.items, start=1)]
    candidates: dict[str, dict[int, ItemStatus]] = {}
    for status in statuses:
        candidates.setdefault(status.candidate, {})[status.position] = status
    per_candidate = []
    for email, row in candidates.items():
        done = sum(s.done for s in row.values())
        entry: dict[str, Any] = {"candidate": email, "done": f"{done}/{len(labels)}"}
        for position, label in enumerate(labels, start=1):
            found = row.get(position)
            if found is None or not found.done:
                entry[label] = NOT_DONE
            else:
                entry[label] = str(found.overall) if found.overall is not None else "refused"
        per_candidate.append(entry)
    per_question = []
    for position, label in enumerate(labels, start=1):
        column = [row[position] for row in candidates.values() if position in row]
        scores = [s.overall for s in column if s.done and s.overall is not None]
        per_question.append(
            {
                "question": label,
                "completed": sum(s.done for s in column),
                "completed %": round(100 * sum(s.done for s in column) / len(column)) if column else 0,
                "average score": round(sum(scores) / len(scores)) if scores else None,
            }
        )
    return ProgressTables(len(candidates), per_candidate, per_question)
