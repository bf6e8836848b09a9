"""Agreement between a scorer and labelled answers: kappa, agreement, Spearman, flag precision and recall."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_score, recall_score

from coach.rubric import COMPONENTS, FLAG_NAMES, LEVELS
from coach.rubric import overall as overall_of
from coach.scorecard import FallbackReview, JudgeReview, Scorecard


def quadratic_weighted_kappa(a: Sequence[int], b: Sequence[int]) -> float:
    """Cohen's kappa with quadratic weights over the levels 0-4; 1.0 when both raters give one same level."""
    if len(a) == 0:
        return float("nan")
    if len(set(a) | set(b)) == 1:
        return 1.0  # no disagreement was possible, and there was none
    return float(cohen_kappa_score(a, b, labels=list(LEVELS), weights="quadratic"))


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rank correlation (ties ranked by their mean); nan when either side is constant."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns on constant input and returns nan, as we want
        return float(spearmanr(a, b).statistic)


def confusion(a: Sequence[int], b: Sequence[int]) -> list[list[int]]:
    """Rows: the labelled level 0-4; columns: the predicted level."""
    matrix: list[list[int]] = confusion_matrix(a, b, labels=list(LEVELS)).tolist()
    return matrix


def flag_agreement(name: str, gold: Sequence[set[str]], predicted: Sequence[set[str]]) -> dict[str, Any]:
    """Support, precision and recall of one flag; None where nothing was flagged (or nothing was to be)."""
    truth = np.array([name in g for g in gold], dtype=bool)
    guess = np.array([name in p for p in predicted], dtype=bool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        precision = precision_score(truth, guess, zero_division=np.nan) if len(truth) else np.nan
        recall = recall_score(truth, guess, zero_division=np.nan) if len(truth) else np.nan
    return {
        "support": int(truth.sum()),
        "precision": None if np.isnan(precision) else round(float(precision), 3),
        "recall": None if np.isnan(recall) else round(float(recall), 3),
    }


def agreement_report(
    gold: list[dict[str, int]],
    predicted: list[dict[str, int]],
    gold_flags: list[set[str]] | None = None,
    predicted_flags: list[set[str]] | None = None,
) -> dict:
    """Per-component QWK, exact and within-one agreement, confusion; overall Spearman; flag P/R."""
    report: dict = {"n": len(gold), "components": {}}
    for c in COMPONENTS:
        a = [g[c] for g in gold]
        b = [p[c] for p in predicted]
        diff = np.abs(np.array(a) - np.array(b))
        report["components"][c] = {
            "qwk": round(quadratic_weighted_kappa(a, b), 3),
            "exact": round(float((diff == 0).mean()), 3),
            "within_one": round(float((diff <= 1).mean()), 3),
            "confusion": confusion(a, b),
        }
    overall_gold = [overall_of(g) for g in gold]
    overall_pred = [overall_of(p) for p in predicted]
    report["overall"] = {
        "spearman": round(spearman(overall_gold, overall_pred), 3),
        "mean_abs_error": round(float(np.mean(np.abs(np.array(overall_gold) - np.array(overall_pred)))), 1),
        "mean_labels": round(float(np.mean(overall_gold)), 1) if overall_gold else None,
        "mean_scorer": round(float(np.mean(overall_pred)), 1) if overall_pred else None,
    }
    if gold_flags is not None and predicted_flags is not None:
        flags = {name: flag_agreement(name, gold_flags, predicted_flags) for name in FLAG_NAMES}
        report["flags"] = flags
    return report


def summary_line(name: str, report: dict) -> str:
    """One line per evaluated set: per-part QWK and their mean, Spearman, mean overall labels vs scorer."""
    qwk = [report["components"][c]["qwk"] for c in COMPONENTS]
    o = report["overall"]
    parts = " ".join(f"{q:5.2f}" for q in qwk)
    return (
        f"{name:<28} {report['n']:>4}  {parts}  {float(np.nanmean(qwk)):5.2f}  {o['spearman']:5.2f}  "
        f"{o['mean_labels']:>5} vs {o['mean_scorer']:<5}"
    )


SUMMARY_HEADER = (
    "set                             n   desc   ack  anlz learn apply  mean   rho  overall: labels vs scorer"
)


def split_reports(answers: Sequence[Any], predicted: Sequence[dict[str, int]], by: str) -> dict[str, dict]:
    """Agreement per value of a labelled field (register, failure_kind, domain...), largest group first."""
    groups: dict[str, list[int]] = {}
    for i, answer in enumerate(answers):
        groups.setdefault(str(getattr(answer, by, "") or "-"), []).append(i)
    return {
        key: agreement_report([answers[i].labels for i in rows], [predicted[i] for i in rows])
        for key, rows in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    }


def format_report(report: dict) -> str:
    lines = [f"answers: {report['n']}", "component     QWK   exact  within-1"]
    for c, r in report["components"].items():
        lines.append(f"{c:<12} {r['qwk']:>5.3f}  {r['exact']:>5.3f}  {r['within_one']:>6.3f}")
    o = report["overall"]
    lines.append(f"overall Spearman {o['spearman']:.3f}, mean absolute error {o['mean_abs_error']} points")
    lines.append(f"mean overall: labels {o['mean_labels']}, scorer {o['mean_scorer']}")
    if "flags" in report:
        lines.append("flag               support  precision  recall")
        for name, r in report["flags"].items():
            p = "-" if r["precision"] is None else f"{r['precision']:.3f}"
            rc = "-" if r["recall"] is None else f"{r['recall']:.3f}"
            lines.append(f"{name:<18} {r['support']:>7}  {p:>9}  {rc:>6}")
    for c, r in report["components"].items():
        lines.append(f"confusion {c} (rows: labelled level 0-4, columns: predicted):")
        lines.extend("  " + " ".join(f"{v:>3}" for v in row) for row in r["confusion"])
    return "\n".join(lines)


def judge_report(answers: Sequence[Any], cards: Sequence[Scorecard]) -> dict:
    """For `coach eval --scorer llm`: how often the judge answered, and its own agreement with the labels."""
    judged = [(a, c.llm) for a, c in zip(answers, cards, strict=True) if isinstance(c.llm, JudgeReview)]
    reasons: dict[str, int] = {}
    for c in cards:
        if isinstance(c.llm, FallbackReview):
            reasons[c.llm.reason] = reasons.get(c.llm.reason, 0) + 1
    report: dict = {
        "answers": len(cards),
        "judged": len(judged),
        "fallbacks": reasons,
        "components_kept_builtin": sum(len(review.disagreements) for _, review in judged),
    }
    if judged:
        gold = [a.labels for a, _ in judged]
        report["judge_alone"] = agreement_report(gold, [review.levels for _, review in judged])
        report["builtin_alone"] = agreement_report(gold, [review.builtin_levels for _, review in judged])
    return report


def format_judge_report(report: dict) -> str:
    lines = [
        f"LLM judge: answered {report['judged']} of {report['answers']}; "
        f"fallbacks {report['fallbacks'] or 'none'}; components kept at the built-in level: "
        f"{report['components_kept_builtin']}"
    ]
    for name in ("judge_alone", "builtin_alone"):
        if name in report:
            r = report[name]
            qwk = ", ".join(f"{c} {v['qwk']:.3f}" for c, v in r["components"].items())
            lines.append(
                f"{name.replace('_', ' ')}: QWK {qwk}; overall Spearman {r['overall']['spearman']:.3f}"
            )
    return "\n".join(lines)
