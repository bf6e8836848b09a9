"""Agreement between a scorer and labelled answers: kappa, agreement, Spearman, flag precision and recall."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from coach.rubric import COMPONENTS, FLAG_NAMES, LEVELS
from coach.rubric import overall as overall_of


def quadratic_weighted_kappa(a: Sequence[int], b: Sequence[int], levels: int = len(LEVELS)) -> float:
    observed = np.zeros((levels, levels))
    for x, y in zip(a, b, strict=True):
        observed[x, y] += 1
    n = observed.sum()
    if n == 0:
        return float("nan")
    weights = np.array([[(i - j) ** 2 for j in range(levels)] for i in range(levels)]) / (levels - 1) ** 2
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / n
    denom = (weights * expected).sum()
    return 1.0 if denom == 0 else float(1 - (weights * observed).sum() / denom)


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    def ranks(x: Sequence[float]) -> np.ndarray:
        arr = np.asarray(x, dtype=float)
        order = arr.argsort(kind="mergesort")
        r = np.empty(len(arr))
        r[order] = np.arange(len(arr))
        for value in np.unique(arr):  # average ranks of ties
            tie = arr == value
            r[tie] = r[tie].mean()
        return r

    ra, rb = ranks(a), ranks(b)
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def confusion(a: Sequence[int], b: Sequence[int]) -> list[list[int]]:
    m = np.zeros((len(LEVELS), len(LEVELS)), dtype=int)
    for x, y in zip(a, b, strict=True):
        m[x, y] += 1
    return m.tolist()


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
    }
    if gold_flags is not None and predicted_flags is not None:
        flags = {}
        for name in FLAG_NAMES:
            tp = sum(name in g and name in p for g, p in zip(gold_flags, predicted_flags, strict=True))
            fp = sum(name not in g and name in p for g, p in zip(gold_flags, predicted_flags, strict=True))
            fn = sum(name in g and name not in p for g, p in zip(gold_flags, predicted_flags, strict=True))
            flags[name] = {
                "support": tp + fn,
                "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            }
        report["flags"] = flags
    return report


def format_report(report: dict) -> str:
    lines = [f"answers: {report['n']}", "component     QWK   exact  within-1"]
    for c, r in report["components"].items():
        lines.append(f"{c:<12} {r['qwk']:>5.3f}  {r['exact']:>5.3f}  {r['within_one']:>6.3f}")
    o = report["overall"]
    lines.append(f"overall Spearman {o['spearman']:.3f}, mean absolute error {o['mean_abs_error']} points")
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


def judge_report(answers: Sequence[Any], cards: Sequence[Any]) -> dict:
    """For `coach eval --scorer llm`: how often the judge answered, and its own agreement with the labels."""
    judged = [
        (a, c)
        for a, c in zip(answers, cards, strict=True)
        if (c.extra.get("llm") or {}).get("status") == "ok"
    ]
    reasons: dict[str, int] = {}
    for c in cards:
        if c.extra.get("fallback"):
            code = (c.extra.get("llm") or {}).get("reason", "unknown")
            reasons[code] = reasons.get(code, 0) + 1
    report: dict = {
        "answers": len(cards),
        "judged": len(judged),
        "fallbacks": reasons,
        "components_kept_builtin": sum(len(c.extra.get("judge_disagreement") or []) for c in cards),
    }
    if judged:
        gold = [a.labels for a, _ in judged]
        report["judge_alone"] = agreement_report(gold, [c.extra["llm"]["levels"] for _, c in judged])
        report["builtin_alone"] = agreement_report(
            gold, [c.extra["llm"]["builtin_levels"] for _, c in judged]
        )
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
