"""The scorer's subcommands: `coach train`, `coach score`, `coach eval`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from coach.config import get_settings
from coach.errors import CoachError


def _scorer(with_related: bool) -> Any:
    from coach.scorer import library_finder, make_scorer

    if not with_related:
        return make_scorer()
    from coach.library import make_library

    return make_scorer(related=library_finder(make_library()))


def _train(args: argparse.Namespace) -> int:
    from coach.scorer import train_and_save

    start = time.perf_counter()
    model = train_and_save(log=lambda m: print(m, file=sys.stderr))
    print(f"scorer {model.version} trained on {model.meta['answers']} answers "
          f"({model.meta['sentences']} sentences) in {time.perf_counter() - start:.1f} s")
    return 0


def _read_text(path: str | None) -> str:
    if path in (None, "-"):
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CoachError(f"no such file: {path}") from exc
    except UnicodeDecodeError as exc:
        raise CoachError(f"{path} is not UTF-8 text") from exc


def _score(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _score_batch(args)
    card = _scorer(not args.no_related).score(_read_text(args.path))
    if args.json:
        print(json.dumps(card.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if card.refused:
        print(f"not scored: {card.refused}")
        return 0
    print(f"overall {card.overall}/100  ({card.scorer})")
    for name, comp in card.components.items():
        print(f"  {name:<12} {comp.level}/4  {comp.feedback}")
    if card.flags:
        print("flags: " + ", ".join(card.flags))
    print(f"follow-up: {card.follow_up}")
    for note in card.notes:
        print(f"note: {note}")
    return 0


def _score_batch(args: argparse.Namespace) -> int:
    if not args.out:
        raise CoachError("--jsonl needs --out FILE")
    scorer = _scorer(not args.no_related)  # loaded once for the whole batch
    lines = Path(args.jsonl).read_text(encoding="utf-8").splitlines()
    start = time.perf_counter()
    count = 0
    with Path(args.out).open("w", encoding="utf-8") as out:
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CoachError(f"{args.jsonl}:{n}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("answer"), str):
                raise CoachError(f"{args.jsonl}:{n}: needs an \"answer\" string")
            card = scorer.score(row["answer"], question=row.get("question"))
            out.write(json.dumps({"id": row.get("id", n), **card.to_dict()}, ensure_ascii=False) + "\n")
            count += 1
    took = time.perf_counter() - start
    print(f"scored {count} answers in {took:.2f} s ({count / max(took, 1e-9):.0f}/s) -> {args.out}",
          file=sys.stderr)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from coach import encoder
    from coach.embedding import load_static_embedder
    from coach.evaluation import agreement_report, format_report
    from coach.labelled import load_labelled, training_files
    from coach.scorer import vocabulary_words

    settings = get_settings()
    if args.cv:
        answers = load_labelled(training_files(settings.corpus_dir))
        from coach.training import cross_validate

        report = cross_validate(
            answers, load_static_embedder(settings.model_dir), args.cv,
            vocabulary=vocabulary_words(encoder.tokenizer_path()), log=lambda m: print(m, file=sys.stderr),
        )
        report["mode"] = f"{args.cv}-fold cross-validation on corpus/labelled"
    else:
        if not args.file:
            raise CoachError("give a labelled FILE.jsonl, or --cv K")
        answers = load_labelled([Path(args.file)])
        if args.scorer != "builtin":
            raise CoachError(f"scorer {args.scorer!r} is not available here (builtin only)")
        scorer = _scorer(False)
        cards = [scorer.score(a.answer, question=a.question) for a in answers]
        report = agreement_report(
            [a.labels for a in answers], [c.levels for c in cards],
            [set(a.flags) for a in answers], [set(c.flags) for c in cards],
        )
        report["mode"] = f"{args.file} scored by {scorer.version}"
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(report["mode"])
        print(format_report(report))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    train = sub.add_parser("train", help="train the built-in scorer from corpus/labelled")
    train.set_defaults(handler=_train)

    score = sub.add_parser("score", help="score an answer (a file, or - for standard input)")
    score.add_argument("path", nargs="?", default="-")
    score.add_argument("--json", action="store_true", help="print the scorecard as JSON")
    score.add_argument("--jsonl", metavar="IN", help="score every line of IN ({id, answer, question?})")
    score.add_argument("--out", metavar="OUT", help="with --jsonl: where to write the scorecards")
    score.add_argument("--no-related", action="store_true", help="skip the case-study retrieval")
    score.set_defaults(handler=_score)

    ev = sub.add_parser("eval", help="agreement with labelled answers")
    ev.add_argument("file", nargs="?", help="labelled JSONL: {answer, labels, flags?}")
    ev.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation on the team's labels")
    ev.add_argument("--scorer", default="builtin", help="which scorer to evaluate (builtin)")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(handler=_eval)
