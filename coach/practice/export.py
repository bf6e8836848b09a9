"""Attempts as downloads: JSON with every turn and scorecard, CSV with one row per attempt."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from coach.practice.progress import Entry
from coach.practice.workflow import transcript_lines
from coach.rubric import COMPONENTS

EXPORT_FORMAT = "coach-attempts/1"
CSV_COLUMNS = (
    "attempt_id", "created_at", "question_id", "question", "status", "overall", *COMPONENTS, "flags",
    "word_count", "follow_ups", "scorer", "answer", "transcript",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def attempt_json(entry: Entry) -> dict[str, Any]:
    a = entry.attempt
    return {
        "id": a.id,
        "created_at": a.created_at.isoformat(),
        "question_id": a.question_id,
        "question": a.question_text,
        "status": a.status,
        "answer": a.answer,
        "turns": [
            {
                "position": t.position,
                "question": t.question,
                "answer": t.answer,
                "created_at": t.created_at.isoformat(),
            }
            for t in a.turns
        ],
        "scorecards": [
            {
                "scorer_version": s.scorer_version,
                "created_at": s.created_at.isoformat(),
                "result": dict(s.result),
            }
            for s in a.scorecards
        ],
    }


def attempts_json(entries: Sequence[Entry]) -> str:
    return json.dumps(
        {"format": EXPORT_FORMAT, "attempts": [attempt_json(e) for e in entries]},
        ensure_ascii=False,
        indent=2,
    )


def spreadsheet_safe(value: object) -> object:
    # A spreadsheet runs a cell that starts like a formula; the candidate's text must stay text.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def attempts_csv(entries: Sequence[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        a, card = entry.attempt, entry.card
        levels: list[object] = [card.components[c].level if card else "" for c in COMPONENTS]
        row: list[object] = [
            a.id,
            a.created_at.isoformat(),
            a.question_id,
            a.question_text,
            a.status,
            card.overall if card else "",
            *levels,
            ";".join(card.flags) if card else "",
            card.word_count if card else "",
            len(a.turns),
            card.scorer if card else "",
            a.answer,
            "\n".join(f"{speaker}: {text}" for speaker, text in transcript_lines(a)),
        ]
        writer.writerow([spreadsheet_safe(v) for v in row])
    return out.getvalue()
