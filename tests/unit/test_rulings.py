"""Every relabelling decisions file (2026-12, 2026-12b) is reflected in the corpus files, and the checker notices when not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coach.scoring import rulings

ROOT = Path(__file__).resolve().parents[2]
DECISIONS = ROOT / "corpus" / "rulings" / "2026-12.jsonl"
DECISION_FILES = sorted((ROOT / "corpus" / "rulings").glob("*.jsonl"))
# one line each file's listing must show
LISTED = {
    "2026-12.jsonl": 'a-047 kind: "off_topic" -> "mixed" [scope-project]',
    "2026-12b.jsonl": "a-032 labels.describe: 1 -> 2 [describe-channel-or-goal]",
}


def _copy_corpus(tmp_path: Path, decisions: list[rulings.Decision]) -> Path:
    for file in {d.file for d in decisions}:
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / file, tmp_path / file)
    return tmp_path


def test_every_decisions_file_is_listed() -> None:
    assert sorted(p.name for p in DECISION_FILES) == sorted(LISTED)


@pytest.mark.parametrize("path", DECISION_FILES, ids=lambda p: p.name)
def test_repo_files_agree_with_every_decision(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    decisions = rulings.load_decisions(path)
    assert decisions
    assert rulings.disagreements(decisions, ROOT) == []
    assert rulings.main([str(path), "--root", str(ROOT)]) == 0
    out = capsys.readouterr().out
    assert LISTED[path.name] in out


@pytest.mark.parametrize("path", DECISION_FILES, ids=lambda p: p.name)
def test_decisions_are_well_formed(path: Path) -> None:
    for d in rulings.load_decisions(path):
        assert d.ruling and d.why and (ROOT / d.file).is_file()


def test_later_decisions_do_not_revisit_earlier_ones() -> None:
    """Each file is checked on its own, so no (file, id, field) may be decided in two files."""
    seen: dict[tuple[str, str, str], str] = {}
    for path in DECISION_FILES:
        for d in rulings.load_decisions(path):
            key = (d.file, d.id, d.field)
            assert key not in seen, f"{d.id} {d.field} decided in {seen[key]} and {path.name}"
            seen[key] = path.name


def test_checker_reports_a_row_that_disagrees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    decisions = rulings.load_decisions(DECISIONS)
    root = _copy_corpus(tmp_path, decisions)
    target = next(d for d in decisions if d.id == "d-046" and d.field == "labels.acknowledge")
    path = root / target.file
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        row = json.loads(line)
        if row["id"] == target.id:
            row["labels"]["acknowledge"] = target.old  # undo the decision in the copy
            lines[i] = json.dumps(row, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    bad = rulings.disagreements(decisions, root)
    assert [(b.decision.id, b.decision.field, b.actual) for b in bad] == [
        (target.id, target.field, target.old)
    ]
    assert rulings.main([str(DECISIONS), "--root", str(root)]) == 1
    assert "d-046 labels.acknowledge is 0, decided 1" in capsys.readouterr().err


def test_apply_writes_decisions_and_keeps_other_rows(tmp_path: Path) -> None:
    decisions = rulings.load_decisions(DECISIONS)
    target = next(d for d in decisions if d.id == "b-045" and d.field == "labels.learn")
    root = _copy_corpus(tmp_path, decisions)
    path = root / target.file
    before = path.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in before]
    for row in rows:
        if row["id"] == target.id:
            row["labels"]["learn"] = target.old
    rulings.write_rows(path, rows)

    rulings.apply_to_files([target], root)
    assert path.read_text(encoding="utf-8").splitlines() == before
    assert rulings.disagreements(decisions, root) == []


def test_apply_refuses_a_value_that_is_neither_old_nor_new() -> None:
    decision = rulings.Decision("x-1", "f.jsonl", "labels.apply", 1, 0, "apply-damage-control", "why")
    with pytest.raises(rulings.RulingsError, match="expects 1"):
        rulings.apply_decisions([{"id": "x-1", "labels": {"apply": 3}}], [decision])
