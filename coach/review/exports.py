"""The filtered queue as CSV and JSON: one row per attempt with the coach's levels and flags, each reviewer's
levels, comment and reasons, and how far they all agree. What blind review hides from the exporting reviewer
is left out of the file as it is of the page."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from coach.practice.export import spreadsheet_safe
from coach.practice.workflow import card_from_dict
from coach.rubric import COMPONENTS
from coach.storage.review_queue import Details

EXPORT_FORMAT = "coach-reviews/2"
BASE_COLUMNS = (
    "attempt_id", "submitted_at", "candidate", "cohort", "question_id", "question", "coach_status",
    "coach_overall", *(f"coach_{c}" for c in COMPONENTS), "coach_flags", "scorer", "reviews",
    "disagreement", "agreement_exact", "agreement_within_one",
)  # fmt: skip
REVIEWER_FIELDS = (
    "reviewer",
    "reviewed_at",
    "revision",
    "blind",
    "overall",
    *COMPONENTS,
    "comment",
    "reasons",
)


def _coach(item: Details) -> tuple[str, dict[str, Any] | None]:
    """The coach's status and, when shown, its figures."""
    row = item.row
    if row.coach_hidden and row.scored:
        return "hidden until your review", None
    if not row.scored or item.card is None:
        return "not scored", None
    card = card_from_dict(item.card)
    if card.refused:
        return f"refused: {card.refused}", None
    return "scored", {
        "overall": card.overall,
        "levels": card.levels,
        "flags": list(card.flags),
        "version": item.scorer_version,
    }


def attempt_agreement(coach: dict[str, int] | None, reviews: list[dict[str, int]]) -> dict[str, float | None]:
    """Across every pair of raters (the coach and each reviewer) and every component: the share of exactly
    equal levels and of levels at most one apart; None with fewer than two raters."""
    raters = ([coach] if coach else []) + reviews
    gaps = [abs(a[c] - b[c]) for a, b in combinations(raters, 2) for c in COMPONENTS]
    if not gaps:
        return {"exact": None, "within_one": None}
    return {
        "exact": round(sum(g == 0 for g in gaps) / len(gaps), 3),
        "within_one": round(sum(g <= 1 for g in gaps) / len(gaps), 3),
    }


def attempt_json(item: Details) -> dict[str, Any]:
    row = item.row
    status, coach = _coach(item)
    reviews = [
        {
            "reviewer": item.reviewers.get(r.reviewer_id or -1, f"(deleted reviewer, review {r.id})"),
            "reviewed_at": r.created_at.isoformat(),
            "revision": r.revision,
            "blind": r.blind,
            "overall": r.overall,
            "levels": r.levels.model_dump(),
            "comment": r.comment,
            "reasons": dict(r.reasons),
        }
        for r in item.reviews
    ]
    return {
        "id": row.attempt_id,
        "candidate": row.candidate,
        "cohort": row.cohort,
        "submitted_at": row.created_at.isoformat(),
        "question_id": row.question_id,
        "question": row.question_text,
        "transcript": [{"speaker": s, "text": text} for s, text in item.transcript],
        "coach_status": status,
        "coach": coach,
        "reviews": reviews,
        "agreement": {
            "disagreement": row.disagreement,
            **attempt_agreement(coach["levels"] if coach else None, [r["levels"] for r in reviews]),
        },
    }


def queue_json(batches: Iterable[list[Details]]) -> str:
    attempts = [attempt_json(item) for batch in batches for item in batch]
    return json.dumps({"format": EXPORT_FORMAT, "attempts": attempts}, ensure_ascii=False, indent=2)


def queue_csv(batches: Iterable[list[Details]]) -> str:
    """One row per attempt; reviewer 1, 2, ... columns as many as the attempt with the most reviews needs."""
    attempts = [attempt_json(item) for batch in batches for item in batch]
    slots = max((len(a["reviews"]) for a in attempts), default=0)
    header = [*BASE_COLUMNS, *(_column(i, f) for i in range(1, slots + 1) for f in REVIEWER_FIELDS)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for a in attempts:
        coach = a["coach"] or {}
        levels = coach.get("levels") or {}
        cells: list[object] = [
            a["id"], a["submitted_at"], a["candidate"], a["cohort"] or "", a["question_id"], a["question"],
            a["coach_status"], coach.get("overall", ""), *(levels.get(c, "") for c in COMPONENTS),
            ";".join(coach.get("flags", ())), coach.get("version") or "", len(a["reviews"]),
            _blank(a["agreement"]["disagreement"]), _blank(a["agreement"]["exact"]),
            _blank(a["agreement"]["within_one"]),
        ]  # fmt: skip
        for review in a["reviews"]:
            cells += [
                review["reviewer"], review["reviewed_at"], review["revision"], "yes" if review["blind"] else "no",
                review["overall"], *(review["levels"][c] for c in COMPONENTS), review["comment"],
                "; ".join(f"{c}: {why}" for c, why in review["reasons"].items()),
            ]  # fmt: skip
        cells += [""] * (len(header) - len(cells))
        writer.writerow([spreadsheet_safe(v) for v in cells])
    return out.getvalue()


def _column(number: int, name: str) -> str:
    """reviewer1, reviewer1_reviewed_at, ..., reviewer1_reasons."""
    return f"reviewer{number}" if name == "reviewer" else f"reviewer{number}_{name}"


def _blank(value: object) -> object:
    return "" if value is None else value
