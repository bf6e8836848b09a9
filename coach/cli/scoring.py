"""The scorer's subcommands: `coach train`, `coach score`, `coach eval`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from coach.config import Settings, get_settings
from coach.errors import CoachError
from coach.scorecard import JudgeReview, Scorecard


def _scorer(with_related: bool) -> Any:
    from coach.scoring.lifecycle import make_scorer

    if not with_related:
        return make_scorer()
    from coach.retrieval.library import library_finder, make_library

    return make_scorer(related=library_finder(make_library()))


def _train(args: argparse.Namespace) -> int:
    from coach.scoring.lifecycle import is_fresh, train_and_save, training_fingerprint

    settings = get_settings()
    if args.include_org:  # an organisation's own scorer: coach/cli/cases.py
        from coach.cli.cases import train_org_handler

        return train_org_handler(args)
    if args.if_stale and is_fresh(settings):
        print(f"scorer up to date ({training_fingerprint(settings)})")
        return 0
    start = time.perf_counter()
    model = train_and_save(log=lambda m: print(m, file=sys.stderr))
    print(
        f"scorer {model.version} trained on {model.meta['answers']} answers "
        f"({model.meta['sentences']} sentences) in {time.perf_counter() - start:.1f} s"
    )
    return 0


def _read_text(path: str | None) -> str:
    if path in (None, "-"):
        try:
            return sys.stdin.read()
        except UnicodeDecodeError as exc:
            raise CoachError("standard input is not UTF-8 text") from exc
    return read_file(path)


def read_file(path: str) -> str:
    """A UTF-8 text file's content, or a CoachError saying why not (missing, a folder, unreadable, binary)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CoachError(f"no such file: {path}") from exc
    except UnicodeDecodeError as exc:
        raise CoachError(f"{path} is not UTF-8 text") from exc
    except OSError as exc:
        raise CoachError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done == total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def _llm_cards(
    items: list[tuple[str, str | None]],
    *,
    with_related: bool,
    concurrency: int,
    rewrite: bool,
    progress: bool,
) -> list[Scorecard]:
    """Built-in scorer plus LLM judge, `concurrency` answers at a time, in input order."""
    from coach.llm.reviewer import review_many

    settings = get_settings()
    if not settings.llm_enabled:
        raise CoachError(
            "--llm needs an LLM: set COACH_LLM_MODEL and COACH_LLM_BASE_URL or COACH_LLM_API_KEY"
        )
    return asyncio.run(
        review_many(
            _scorer(with_related),
            items,
            settings,
            concurrency=concurrency,
            rewrite=rewrite,
            progress=_progress if progress else None,
        )
    )


def _print_llm(card: Scorecard) -> None:
    llm = card.llm
    if llm is None:
        return
    if isinstance(llm, JudgeReview):
        print(f"LLM judge ({llm.model}): {llm.feedback}")
        for name, judged in llm.components.items():
            print(f"  {name:<12} {judged.level}/4  {judged.rationale}")
    if llm.rewrite:
        print("stronger version of your answer:")
        print(llm.rewrite.text)
        for gap in llm.rewrite.missing:
            print(f"  to fill in: {gap}")


def _score(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _score_batch(args)
    if args.llm:
        (card,) = _llm_cards(
            [(_read_text(args.path), None)],
            with_related=not args.no_related,
            concurrency=1,
            rewrite=True,
            progress=False,
        )
    else:
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
    for note in card.all_notes:
        print(f"note: {note}")
    _print_llm(card)
    return 0


def _rows(path: str) -> list[tuple[int, dict[str, Any]]]:
    from coach.scoring.labelled import answer_row

    rows = []
    for n, line in enumerate(read_file(path).splitlines(), start=1):
        if line.strip():
            rows.append((n, answer_row(line, f"{path}:{n}")))
    return rows


def _score_batch(args: argparse.Namespace) -> int:
    if not args.out:
        raise CoachError("--jsonl needs --out FILE")
    rows = _rows(args.jsonl)
    start = time.perf_counter()
    if args.llm:
        cards = _llm_cards(
            [(row["answer"], row.get("question")) for _, row in rows],
            with_related=not args.no_related,
            concurrency=args.concurrency,
            rewrite=False,
            progress=True,
        )
    else:
        scorer = _scorer(not args.no_related)  # loaded once for the whole batch
        cards = [scorer.score(row["answer"], question=row.get("question")) for _, row in rows]
    count = 0
    with Path(args.out).open("w", encoding="utf-8") as out:
        for (n, row), card in zip(rows, cards, strict=True):
            out.write(json.dumps({"id": row.get("id", n), **card.to_dict()}, ensure_ascii=False) + "\n")
            count += 1
    took = time.perf_counter() - start
    print(
        f"scored {count} answers in {took:.2f} s ({count / max(took, 1e-9):.0f}/s) -> {args.out}",
        file=sys.stderr,
    )
    return 0


def _eval(args: argparse.Namespace) -> int:
    from coach.embeddings import encoder
    from coach.embeddings.embedders import load_static_embedder
    from coach.scoring.evaluation import agreement_report, format_report
    from coach.scoring.labelled import load_labelled, training_files
    from coach.scoring.lifecycle import vocabulary_words

    settings = get_settings()
    if args.cv:
        answers = load_labelled(training_files(settings.corpus_dir))
        from coach.scoring.training import cross_validate

        report = cross_validate(
            answers,
            load_static_embedder(settings.model_dir),
            args.cv,
            vocabulary=vocabulary_words(encoder.tokenizer_path()),
            log=lambda m: print(m, file=sys.stderr),
        )
        report["mode"] = f"{args.cv}-fold cross-validation on corpus/labelled"
    else:
        files = [Path(f) for f in args.file] or default_eval_files(settings)
        if not files:
            raise CoachError("give a labelled FILE.jsonl, or --cv K")
        if len(files) > 1:
            return _eval_many(files, args)
        answers = _some_labelled(files[0])
        if args.scorer == "llm":
            items = [(a.answer, a.question) for a in answers]
            cards = _llm_cards(
                items, with_related=True, concurrency=args.concurrency, rewrite=False, progress=True
            )
        else:
            scorer = _scorer(False)
            cards = [scorer.score(a.answer, question=a.question) for a in answers]
        report = agreement_report(
            [a.labels for a in answers],
            [c.levels for c in cards],
            [set(a.flags) for a in answers],
            [set(c.flags) for c in cards],
        )
        report["mode"] = f"{files[0]} scored by {cards[0].scorer if cards else args.scorer}"
        if args.by:
            from coach.scoring.evaluation import split_reports

            report["by"] = {args.by: split_reports(answers, [c.levels for c in cards], args.by)}
        if args.scorer == "llm":
            from coach.scoring.evaluation import judge_report

            report["judge"] = judge_report(answers, cards)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(report["mode"])
        print(format_report(report))
        if "judge" in report:
            from coach.scoring.evaluation import format_judge_report

            print(format_judge_report(report["judge"]))
        if "by" in report:
            from coach.scoring.evaluation import SUMMARY_HEADER, summary_line

            print(f"by {args.by}:")
            print(SUMMARY_HEADER)
            for key, part in report["by"][args.by].items():
                print(summary_line(key, part))
    return 0


def _some_labelled(path: Path) -> list[Any]:
    """The labelled answers in `path`; agreement over none is undefined (sklearn raises), so say so instead."""
    from coach.scoring.labelled import load_labelled

    answers = load_labelled([path])
    if not answers:
        raise CoachError(f"{path} holds no labelled answers")
    return answers


def default_eval_files(settings: Settings) -> list[Path]:
    """The team's held-out sets, and the real-answer development set when it is beside the project."""
    files = sorted((settings.corpus_dir / "holdout").glob("*.jsonl"))
    return files + ([settings.calibration_file] if settings.calibration_file.exists() else [])


def _eval_many(files: list[Path], args: argparse.Namespace) -> int:
    """Several labelled sets side by side (the built-in scorer): one summary line each, split on request."""
    from coach.scoring.evaluation import SUMMARY_HEADER, agreement_report, split_reports, summary_line

    scorer = _scorer(False)
    reports: dict[str, dict] = {}
    for path in files:
        answers = _some_labelled(path)
        cards = [scorer.score(a.answer, question=a.question) for a in answers]
        levels = [c.levels for c in cards]
        report = agreement_report(
            [a.labels for a in answers],
            levels,
            [set(a.flags) for a in answers],
            [set(c.flags) for c in cards],
        )
        if args.by:
            report["by"] = {args.by: split_reports(answers, levels, args.by)}
        reports[str(path)] = report
    if args.json:
        print(json.dumps(reports, indent=2))
        return 0
    print(f"scored by {scorer.version}")
    print(SUMMARY_HEADER)
    for name, report in reports.items():
        print(summary_line(Path(name).name, report))
        for key, part in report.get("by", {}).get(args.by, {}).items():
            print(summary_line(f"  {args.by}={key}", part))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    train = sub.add_parser("train", help="train the built-in scorer from corpus/labelled")
    train.add_argument("--if-stale", action="store_true", help="only when the data or the scorer changed")
    train.add_argument(
        "--include-org",
        metavar="ORG",
        help="train a scorer for this organisation (name or id) with its trainers' labels added",
    )
    train.add_argument("--json", action="store_true", help="with --include-org: print the figures as JSON")
    train.set_defaults(handler=_train)

    score = sub.add_parser("score", help="score an answer (a file, or - for standard input)")
    score.add_argument("path", nargs="?", default="-")
    score.add_argument("--json", action="store_true", help="print the scorecard as JSON")
    score.add_argument("--jsonl", metavar="IN", help="score every line of IN ({id, answer, question?})")
    score.add_argument("--out", metavar="OUT", help="with --jsonl: where to write the scorecards")
    score.add_argument("--no-related", action="store_true", help="skip the case-study retrieval")
    score.add_argument(
        "--llm", action="store_true", help="add the LLM judge (docs/llm.md); falls back if it fails"
    )
    score.add_argument(
        "--concurrency", type=int, default=4, metavar="N", help="with --llm: answers in flight"
    )
    score.set_defaults(handler=_score)

    ev = sub.add_parser("eval", help="agreement with labelled answers")
    ev.add_argument(
        "file",
        nargs="*",
        help="labelled JSONL files ({answer, labels, flags?}); none: the held-out sets and the real-answer set",
    )
    ev.add_argument(
        "--by", metavar="FIELD", help="also split the figures by register, failure_kind or domain"
    )
    ev.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation on the team's labels")
    ev.add_argument(
        "--scorer", default="builtin", choices=["builtin", "llm"], help="which scorer to evaluate"
    )
    ev.add_argument(
        "--concurrency", type=int, default=4, metavar="N", help="with --scorer llm: answers in flight"
    )
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(handler=_eval)
