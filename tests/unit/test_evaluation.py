"""Agreement metrics match their textbook definitions (checked against scikit-learn and scipy)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score

from coach.rubric import overall as overall_of
from coach.scoring.evaluation import agreement_report, quadratic_weighted_kappa, spearman


def test_qwk_matches_scikit_learn() -> None:
    rng = np.random.default_rng(0)
    a = rng.integers(0, 5, 200)
    b = np.clip(a + rng.integers(-1, 2, 200), 0, 4)
    assert abs(quadratic_weighted_kappa(a, b) - cohen_kappa_score(a, b, weights="quadratic")) < 1e-9


def test_spearman_matches_scipy_with_ties() -> None:
    a = [1, 2, 2, 3, 5, 5, 7]
    b = [2, 1, 3, 3, 6, 4, 9]
    assert abs(spearman(a, b) - spearmanr(a, b).statistic) < 1e-9


def test_overall_is_mean_level_times_25() -> None:
    assert overall_of({"describe": 4, "acknowledge": 3, "analyze": 3, "learn": 2, "apply": 1}) == 65


def test_report_counts_flag_precision_and_recall() -> None:
    gold = [dict.fromkeys(("describe", "acknowledge", "analyze", "learn", "apply"), 2)] * 3
    report = agreement_report(gold, gold, [{"blame"}, set(), {"blame"}], [{"blame"}, {"blame"}, set()])
    assert report["components"]["learn"]["exact"] == 1.0
    assert report["flags"]["blame"] == {"support": 2, "precision": 0.5, "recall": 0.5}


# The holdout file h scored by the built-in scorer (frozen: labels and predictions as they were when the
# metrics moved to scikit-learn and scipy), and the report the hand-written metrics gave for it.
HOLDOUT = Path(__file__).parents[1] / "data" / "agreement_holdout_h.jsonl"
OLD_REPORT = Path(__file__).parents[1] / "data" / "agreement_holdout_h.report.json"


def test_the_library_metrics_give_the_figures_the_hand_written_ones_gave() -> None:
    rows = [json.loads(line) for line in HOLDOUT.read_text().splitlines()]
    report = agreement_report(
        [r["gold"] for r in rows],
        [r["predicted"] for r in rows],
        [set(r["gold_flags"]) for r in rows],
        [set(r["predicted_flags"]) for r in rows],
    )
    assert {c: r["qwk"] for c, r in report["components"].items()} == {
        "describe": 0.909,
        "acknowledge": 0.736,
        "analyze": 0.848,
        "learn": 0.785,
        "apply": 0.859,
    }
    assert {k: report["overall"][k] for k in ("spearman", "mean_abs_error")} == {
        "spearman": 0.931,
        "mean_abs_error": 6.7,
    }
    assert report["flags"]["disguised_success"] == {"support": 2, "precision": 0.2, "recall": 0.5}
    assert report["flags"]["off_topic"] == {"support": 1, "precision": None, "recall": 0.0}
    old = json.loads(OLD_REPORT.read_text())
    # The report has since gained the mean overall of both sides; every figure the old code gave is unchanged.
    assert {**report, "overall": {k: report["overall"][k] for k in old["overall"]}} == old


def test_edge_cases_keep_their_old_values() -> None:
    assert quadratic_weighted_kappa([2, 2, 2], [2, 2, 2]) == 1.0
    assert quadratic_weighted_kappa([2, 2, 2], [3, 3, 3]) == 0.0
    assert np.isnan(quadratic_weighted_kappa([], []))
    assert np.isnan(spearman([1, 1, 1], [1, 2, 3]))
    assert abs(spearman([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-9


def test_reports_split_by_a_labelled_field_and_summarise_in_one_line() -> None:
    from dataclasses import dataclass

    from coach.scoring.evaluation import split_reports, summary_line

    @dataclass
    class Row:
        labels: dict[str, int]
        register: str

    levels = [{c: n for c in ("describe", "acknowledge", "analyze", "learn", "apply")} for n in (0, 2, 4, 1)]
    rows = [Row(levels[0], "terse"), Row(levels[1], "terse"), Row(levels[2], "spoken"), Row(levels[3], "")]
    parts = split_reports(rows, levels, "register")
    assert list(parts) == ["terse", "spoken", "-"]
    assert parts["terse"]["n"] == 2 and parts["terse"]["overall"]["mean_labels"] == 25.0
    line = summary_line("terse", parts["terse"])
    assert line.startswith("terse") and "25.0 vs 25.0" in line


def test_eval_reads_the_held_out_sets_and_the_real_answers_by_default(tmp_path) -> None:
    from coach.cli.scoring import default_eval_files
    from coach.config import Settings

    (tmp_path / "corpus" / "holdout").mkdir(parents=True)
    (tmp_path / "corpus" / "holdout" / "answers-x.jsonl").write_text("")
    real = tmp_path / "real-dev.jsonl"
    settings = Settings(corpus_dir=tmp_path / "corpus", calibration_file=real)
    assert default_eval_files(settings) == [tmp_path / "corpus" / "holdout" / "answers-x.jsonl"]
    real.write_text("")
    assert default_eval_files(settings)[-1] == real
