"""The adversarial evaluation set: does the built-in scorer generalise beyond its training data?

Every row of tests/data/adversarial/*.jsonl is an answer written independently of corpus/ (never trained on), with
the rubric's target for it in "expect". One test per row, named by the row's id, so a run shows which kinds of
answer the scorer handles and which it does not. Many rows are expected to fail today: they are the targets the
scorer is being improved against, so they are neither marked xfail nor softened here.

Expectation keys (all optional, all checked):
  overall_max / overall_min           bounds on the 0-100 overall score
  <component>_max / <component>_min   bounds on one component's level (describe, acknowledge, analyze, learn, apply)
  flags_include / flags_exclude       flags that must / must not be on the card
  refused                             true: the answer must be refused (not scored); false: it must be scored
A row without "refused" must be scored: an English answer that is refused has not been judged at all, so it
cannot pass a score bound by scoring 0.

Only the top-level `coach` API is used (`coach.score_answer`), so the test survives the package's reorganisation.
`report()` (also run by benchmarks/adversarial_report.py) prints the pass rate per type and the recall of each
expected flag or refusal, for the docs.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

import coach

DATA = Path(__file__).parents[1] / "data" / "adversarial"
COMPONENTS = ("describe", "acknowledge", "analyze", "learn", "apply")
KNOWN_KEYS = {
    "overall_max",
    "overall_min",
    "flags_include",
    "flags_exclude",
    "refused",
    *(f"{c}_{b}" for c in COMPONENTS for b in ("max", "min")),
}


def load_rows(data: Path = DATA) -> list[dict[str, Any]]:
    """Every row of every JSONL file in the set, in file then line order."""
    rows: list[dict[str, Any]] = []
    for path in sorted(data.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                row["_source"] = f"{path.name}:{n}"
                rows.append(row)
    return rows


def check(row: dict[str, Any], card: Any) -> list[str]:
    """What the card gets wrong against the row's expectations; empty when it meets them all."""
    expect = row["expect"]
    problems: list[str] = []
    refused = card.refused is not None
    want_refused = bool(expect.get("refused", False))
    if refused != want_refused:
        problems.append(
            f"refused: expected {want_refused}, got {refused}" + (f" ({card.refused})" if refused else "")
        )
        if not want_refused:
            return problems  # nothing else on a refused card is a judgement of the answer
    levels = card.levels
    if "overall_max" in expect and card.overall > expect["overall_max"]:
        problems.append(f"overall {card.overall} > max {expect['overall_max']}")
    if "overall_min" in expect and card.overall < expect["overall_min"]:
        problems.append(f"overall {card.overall} < min {expect['overall_min']}")
    for name in COMPONENTS:
        if f"{name}_max" in expect and levels[name] > expect[f"{name}_max"]:
            problems.append(f"{name} {levels[name]} > max {expect[f'{name}_max']}")
        if f"{name}_min" in expect and levels[name] < expect[f"{name}_min"]:
            problems.append(f"{name} {levels[name]} < min {expect[f'{name}_min']}")
    for flag in expect.get("flags_include", []):
        if flag not in card.flags:
            problems.append(f"flag {flag!r} missing")
    for flag in expect.get("flags_exclude", []):
        if flag in card.flags:
            problems.append(f"flag {flag!r} present")
    return problems


def score(row: dict[str, Any]) -> Any:
    return coach.score_answer(row["answer"], question=row.get("question"))


def describe_card(card: Any) -> str:
    return f"overall={card.overall} levels={card.levels} flags={list(card.flags)} refused={card.refused!r}"


ROWS = load_rows()


def test_the_set_is_well_formed() -> None:
    ids = [r["id"] for r in ROWS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for row in ROWS:
        assert {"id", "type", "question", "answer", "expect", "note"} <= set(row), row["_source"]
        assert row["answer"].strip() and row["expect"], row["_source"]
        assert set(row["expect"]) <= KNOWN_KEYS, (row["_source"], set(row["expect"]) - KNOWN_KEYS)


# Rows the scorer is known to miss today, each with why (docs/scorer.md, issue 12). Strict: a row that starts
# passing fails here until it is taken off this list, so the list can only shrink honestly.
KNOWN_MISSES = {
    "blame-16": "a missing product blamed on the distributor is read as an own-side finding ('because the product "
    "was not there')",
    "disguised_success-20": "a prize-winning campaign with perfectionism as its failure: the prize is read as a later "
    "success",
    "off_topic_setting-05": "a home renovation told with a budget and a deadline reads as a work project",
    "off_topic_setting-12": "a success with no failure in it: a sentence read as a lesson keeps it on topic",
    "off_topic_setting-13": "a campaign method with no story: its sentences read as lessons keep it on topic",
    "off_topic_setting-16": "learning a language after a move names nothing of work or of private life",
    "non_metric_failure-07": "an owned send to people who had unsubscribed is read below the expected levels",
    "non_metric_failure-08": "an owned broken discount code is read below the expected levels",
}


def _param(row: dict[str, Any]) -> Any:
    miss = KNOWN_MISSES.get(row["id"])
    marks = [pytest.mark.xfail(reason=f"known miss: {miss}", strict=True)] if miss else []
    return pytest.param(row, id=row["id"], marks=marks)


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_adversarial_row(row: dict[str, Any]) -> None:
    card = score(row)
    problems = check(row, card)
    assert not problems, f"{row['id']} ({row['note']}): {'; '.join(problems)}\n  {describe_card(card)}"


# -- the report for the docs ---------------------------------------------------------------------------------


def report(
    rows: Iterable[dict[str, Any]] | None = None,
    scorer: Callable[[dict[str, Any]], Any] = score,
    out: Callable[[str], None] = print,
) -> dict[str, dict[str, Any]]:
    """Score every row; print and return, per type, the pass rate and the recall of each expected flag/refusal."""
    by_type: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"rows": 0, "passed": 0, "hits": defaultdict(lambda: [0, 0]), "failed": []}
    )
    for row in rows if rows is not None else ROWS:
        card = scorer(row)
        problems = check(row, card)
        t = by_type[row["type"]]
        t["rows"] += 1
        t["passed"] += not problems
        if problems:
            t["failed"].append(row["id"])
        expect = row["expect"]
        for flag in expect.get("flags_include", []):
            t["hits"][f"{flag} recall"][0] += flag in card.flags
            t["hits"][f"{flag} recall"][1] += 1
        for flag in expect.get("flags_exclude", []):
            t["hits"][f"no {flag}"][0] += flag not in card.flags
            t["hits"][f"no {flag}"][1] += 1
        if "refused" in expect:
            t["hits"]["refused" if expect["refused"] else "scored"][0] += (
                card.refused is not None
            ) == expect["refused"]
            t["hits"]["refused" if expect["refused"] else "scored"][1] += 1
    result: dict[str, dict[str, Any]] = {}
    out(f"{'type':<20} {'rows':>4} {'pass':>4} {'rate':>6}  flag / refusal recall")
    total_rows = total_passed = 0
    for name, t in by_type.items():
        rate = t["passed"] / t["rows"]
        hits = {k: round(v[0] / v[1], 3) for k, v in t["hits"].items()}
        result[name] = {"rows": t["rows"], "passed": t["passed"], "pass_rate": round(rate, 3), **hits}
        result[name]["failed"] = t["failed"]
        total_rows += t["rows"]
        total_passed += t["passed"]
        recall = ", ".join(f"{k} {v:.0%}" for k, v in hits.items())
        out(f"{name:<20} {t['rows']:>4} {t['passed']:>4} {rate:>6.0%}  {recall}")
    if total_rows:
        out(f"{'all':<20} {total_rows:>4} {total_passed:>4} {total_passed / total_rows:>6.0%}")
    return result


if __name__ == "__main__":
    report()
