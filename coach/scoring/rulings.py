"""Relabelling decisions: a reviewable record of every label change made to the labelled corpus.

A decisions file (``corpus/rulings/<yyyy-mm>.jsonl``) holds one JSON object per changed value::

    {"id": "a-047", "file": "corpus/labelled/answers-a.jsonl", "field": "labels.acknowledge",
     "old": 1, "new": 3, "ruling": "scope-project", "why": "one sentence quoting the answer"}

``field`` is ``labels.<component>``, ``flags``, ``kind``, ``style``, ``industry``, ``failure_mode``
or ``sentences[i]`` (the whole ``[sentence, tag]`` pair). ``file`` is relative to the repository root.

This module is deliberately standalone (standard library only), so the checker runs in any checkout:

    python -m coach.scoring.rulings corpus/rulings/2026-12.jsonl          # list changes, verify files
    python -m coach.scoring.rulings corpus/rulings/2026-12.jsonl --apply  # write them, then verify

The check exits non-zero when a file does not hold the ``new`` value of a decision.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REQUIRED = ("id", "file", "field", "old", "new", "ruling", "why")
SIMPLE_FIELDS = ("flags", "kind", "style", "industry", "failure_mode")
COMPONENTS = ("describe", "acknowledge", "analyze", "learn", "apply")
_SENTENCE = re.compile(r"^sentences\[(\d+)\]$")
_MISSING = object()


class RulingsError(Exception):
    """A decisions file or a corpus file that cannot be read or does not fit the decisions."""


@dataclass(frozen=True)
class Decision:
    id: str
    file: str
    field: str
    old: Any
    new: Any
    ruling: str
    why: str

    def describe(self) -> str:
        return f"{self.id} {self.field}: {_show(self.old)} -> {_show(self.new)} [{self.ruling}] {self.why}"


@dataclass(frozen=True)
class Disagreement:
    decision: Decision
    actual: Any

    def describe(self) -> str:
        got = "row missing" if self.actual is _MISSING else _show(self.actual)
        return f"{self.decision.file}: {self.decision.id} {self.decision.field} is {got}, decided {_show(self.decision.new)}"


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _check_field(field: str, where: str) -> None:
    if field in SIMPLE_FIELDS or _SENTENCE.match(field):
        return
    if field.startswith("labels.") and field.split(".", 1)[1] in COMPONENTS:
        return
    raise RulingsError(f"{where}: unknown field {field!r}")


def load_decisions(path: Path | str) -> list[Decision]:
    """Every decision in a JSON Lines file, in file order; raises RulingsError naming the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulingsError(f"{path}: cannot read ({exc.strerror})") from exc
    out: list[Decision] = []
    seen: set[tuple[str, str, str]] = set()
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RulingsError(f"{where}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or any(k not in row for k in REQUIRED):
            raise RulingsError(f"{where}: needs the keys {', '.join(REQUIRED)}")
        _check_field(row["field"], where)
        key = (row["file"], row["id"], row["field"])
        if key in seen:
            raise RulingsError(f"{where}: a second decision for {row['id']} {row['field']}")
        seen.add(key)
        if row["old"] == row["new"]:
            raise RulingsError(f"{where}: old and new are the same")
        out.append(Decision(*(row[k] for k in REQUIRED)))
    return out


def get_field(row: dict[str, Any], field: str) -> Any:
    """The value a decision addresses, or a private sentinel when the row does not have it."""
    m = _SENTENCE.match(field)
    if m:
        sentences = row.get("sentences") or []
        i = int(m.group(1))
        return list(sentences[i]) if i < len(sentences) else _MISSING
    if field.startswith("labels."):
        return (row.get("labels") or {}).get(field.split(".", 1)[1], _MISSING)
    return row.get(field, _MISSING)


def set_field(row: dict[str, Any], field: str, value: Any) -> None:
    m = _SENTENCE.match(field)
    if m:
        row["sentences"][int(m.group(1))] = list(value)
    elif field.startswith("labels."):
        row["labels"][field.split(".", 1)[1]] = value
    else:
        row[field] = value


def apply_decisions(rows: list[dict[str, Any]], decisions: list[Decision]) -> list[dict[str, Any]]:
    """Set each decision's new value on its row (matched by id), in place; returns the rows.

    A row that already holds the new value is left alone, so applying twice is harmless. A row whose
    value is neither old nor new, or a decision whose id is not among the rows, raises RulingsError.
    """
    by_id = {str(r.get("id")): r for r in rows}
    for d in decisions:
        row = by_id.get(d.id)
        if row is None:
            raise RulingsError(f"{d.file}: no row {d.id}")
        current = get_field(row, d.field)
        if current == d.new:
            continue
        if current != d.old:
            shown = "missing" if current is _MISSING else _show(current)
            raise RulingsError(f"{d.file}: {d.id} {d.field} is {shown}, the decision expects {_show(d.old)}")
        if d.field.startswith("sentences[") and (not isinstance(d.new, list) or d.new[0] != d.old[0]):
            raise RulingsError(f"{d.file}: {d.id} {d.field} may change the tag only, not the sentence text")
        set_field(row, d.field, d.new)
    return rows


def read_rows(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RulingsError(f"{path}: cannot read ({exc.strerror})") from exc
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(lines, start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise RulingsError(f"{path.name}:{n}: not JSON ({exc.msg})") from exc
    return rows


def write_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    """One row per line, in the corpus's own serialisation (json.dumps, non-ASCII kept as is)."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _by_file(decisions: list[Decision]) -> dict[str, list[Decision]]:
    out: dict[str, list[Decision]] = {}
    for d in decisions:
        out.setdefault(d.file, []).append(d)
    return out


def disagreements(decisions: list[Decision], root: Path | str) -> list[Disagreement]:
    """Decisions whose file (under root) does not hold the decided new value."""
    root = Path(root)
    out: list[Disagreement] = []
    for file, group in _by_file(decisions).items():
        by_id = {str(r.get("id")): r for r in read_rows(root / file)}
        for d in group:
            row = by_id.get(d.id)
            actual = _MISSING if row is None else get_field(row, d.field)
            if actual != d.new:
                out.append(Disagreement(d, actual))
    return out


def apply_to_files(decisions: list[Decision], root: Path | str) -> list[Path]:
    """Write every decision into its file under root, keeping line order and untouched rows as they are."""
    root = Path(root)
    written: list[Path] = []
    for file, group in _by_file(decisions).items():
        path = root / file
        rows = apply_decisions(read_rows(path), group)
        write_rows(path, rows)
        written.append(path)
    return written


def _find_root(start: Path) -> Path:
    for p in (start, *start.parents):
        if (p / "corpus").is_dir():
            return p
    return start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coach.scoring.rulings", description=__doc__.splitlines()[0]
    )
    parser.add_argument("decisions", type=Path, help="a decisions file, e.g. corpus/rulings/2026-12.jsonl")
    parser.add_argument("--root", type=Path, help="repository root the decisions' file paths are relative to")
    parser.add_argument("--apply", action="store_true", help="write the decisions into the files first")
    args = parser.parse_args(argv)
    try:
        decisions = load_decisions(args.decisions)
        root = args.root or _find_root(args.decisions.resolve().parent)
        if args.apply:
            for path in apply_to_files(decisions, root):
                print(f"wrote {path}")
        for d in decisions:
            print(d.describe())
        per_ruling = Counter(d.ruling for d in decisions)
        per_file = Counter(d.file for d in decisions)
        print(f"\n{len(decisions)} changes to {len({(d.file, d.id) for d in decisions})} rows")
        print("per ruling: " + ", ".join(f"{k} {v}" for k, v in sorted(per_ruling.items())))
        print("per file: " + ", ".join(f"{k} {v}" for k, v in sorted(per_file.items())))
        bad = disagreements(decisions, root)
    except RulingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for b in bad:
        print(f"DISAGREES: {b.describe()}", file=sys.stderr)
    if bad:
        print(f"{len(bad)} decisions are not reflected in the files", file=sys.stderr)
        return 1
    print("all files agree with the decisions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
