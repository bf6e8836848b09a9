"""The 2026-12 relabelling decisions are all reflected in the corpus files, and the checker notices when not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coach.scoring import rulings

ROOT = Path(__file__).resolve().parents[2]
DECISIONS = ROOT / "corpus" / "rulings" / "2026-12.jsonl"


def _copy_corpus(tmp_path: Path, decisions: list[rulings.Decision]) -> Path:
    for file in {d.file for d in decisions}:
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / file, tmp_path / file)
    return tmp_path


def test_repo_files_agree_with_every_decision(capsys: pytest.CaptureFixture[str]) -> None:
    decisions = rulings.load_decisions(DECISIONS)
    assert decisions
    assert rulings.disagreements(decisions, ROOT) == []
    assert rulings.main([str(DECISIONS), "--root", str(ROOT)]) == 0
    out = capsys.readouterr().out
    assert "a-047 kind: \"off_topic\" -> \"mixed\" [scope-project]" in out


def test_decisions_are_well_formed() -> None:
    for d in rulings.load_decisions(DECISIONS):
        assert d.ruling and d.why and (ROOT / d.file).is_file()


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
    assert [(b.decision.id, b.decision.field, b.actual) for b in bad] == [(target.id, target.field, target.old)]
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
