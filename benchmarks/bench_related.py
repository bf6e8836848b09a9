"""How well the scorecard's related cases match the answer: by similarity alone, with relevance cuts, from the
likeliest failure pattern's cases only, and as the scorecard picks them now (library_finder: the cases of the
two likeliest patterns, and first any case so close that it tells the same story).

Team-written labelled answers (corpus/labelled, the training batches: no held-out or real-dev answer) each
name the failure mode their story is about. For each, the query the scorecard searches with (its evidence,
coach.scoring.coaching.retrieval_query) is run against the case library, and each related case counts as a
match when one of its failure modes is the answer's. Reported: the share of the cases shown that match
("precision"), the share of answers left with no related case, and the mean shown. Run:

    .venv/bin/python benchmarks/bench_related.py [--answers 300]
"""

from __future__ import annotations

import argparse
import json
import statistics

from coach.config import get_settings
from coach.retrieval.library import library_finder, make_library
from coach.scoring import coaching
from coach.scoring.labelled import load_labelled, training_files
from coach.scoring.lifecycle import make_scorer

SHOWN = 3  # the scorecard shows up to three related cases
CUTS = (0.0, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args()
    settings = get_settings()
    answers = [a for a in load_labelled(training_files(settings.corpus_dir)) if a.failure_mode][
        : args.answers
    ]
    scorer, library = make_scorer(), make_library()
    find, modes = library_finder(library), {d.id: d.failure_modes for d in library.documents.values()}
    rows = []  # per answer: [(relevance, matches), ...] best first, by similarity alone
    picked = []  # per answer: [matches, ...] of the cases the scorecard shows
    top_only = []  # per answer: [matches, ...] of the likeliest pattern's cases only
    for a in answers:
        analysis = scorer.analyse(a.answer)
        query = coaching.retrieval_query(scorer.evidence(analysis), analysis.sentences)
        hits = library.search(query, k=SHOWN, kind="case", min_relevance=0.0)
        rows.append([(h.relevance, a.failure_mode in h.failure_modes) for h in hits])
        picked.append([a.failure_mode in modes[r.id] for r in find(query, SHOWN) if r.kind == "case"])
        (top,) = library.search(query, k=1, kind="pattern", min_relevance=0.0)
        only = library.search(query, k=SHOWN, kind="case", min_relevance=0.0, failure_modes=[top.id])
        top_only.append([a.failure_mode in h.failure_modes for h in only])
    matched = [r for hits in rows for r, m in hits if m]
    unmatched = [r for hits in rows for r, m in hits if not m]
    report: dict[str, object] = {
        "answers": len(rows),
        "relevance_of_matching_cases": {"n": len(matched), "median": round(statistics.median(matched), 3)},
        "relevance_of_other_cases": {"n": len(unmatched), "median": round(statistics.median(unmatched), 3)},
        "cuts": {},
    }
    for cut in CUTS:
        kept = [[m for r, m in hits if r >= cut] for hits in rows]
        shown = sum(map(len, kept))
        report["cuts"][str(cut)] = {  # type: ignore[index]
            "precision": round(sum(map(sum, kept)) / shown, 3) if shown else None,
            "answers_with_none": round(sum(not k for k in kept) / len(kept), 3),
            "answers_with_a_match": round(sum(any(k) for k in kept) / len(kept), 3),
            "mean_shown": round(shown / len(kept), 2),
        }
    for name, chosen in (("likeliest_pattern_only", top_only), ("scorecard_now", picked)):
        shown = sum(map(len, chosen))
        report[name] = {
            "precision": round(sum(map(sum, chosen)) / shown, 3) if shown else None,
            "answers_with_none": round(sum(not p for p in chosen) / len(chosen), 3),
            "answers_with_a_match": round(sum(any(p) for p in chosen) / len(chosen), 3),
            "mean_shown": round(shown / len(chosen), 2),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
