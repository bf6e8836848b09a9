"""The trainer workspace from the shell: `coach cases import`, `coach train --include-org`, and the organisation
half of `coach search --org` and `coach ingest --rebuild`. The shell is trusted like `coach users create`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from coach.config import get_settings
from coach.errors import CoachError


def _casebook() -> Any:
    from coach.practice.casebook import make_casebook
    from coach.retrieval.library import make_library
    from coach.storage.store import make_storage

    return make_casebook(make_storage(get_settings()).cases, make_library())


def organisation_id(name_or_id: str) -> int:
    from coach.storage.store import make_storage

    storage = make_storage(get_settings())
    try:
        return storage.cases.organisation_id(name_or_id)
    finally:
        storage.close()


def _import(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise CoachError(f"no such file or folder: {missing[0]}")
    casebook = _casebook()

    def progress(n: int, total: int, path: Path) -> None:
        print(f"[{n}/{total}] {path}", file=sys.stderr, flush=True)

    lines = casebook.import_files(args.org, [Path(p) for p in args.paths], progress=progress)
    for line in lines:
        print(line)
    imported = sum(line.ok for line in lines)
    print(f"{imported} imported, {len(lines) - imported} skipped")
    return 0 if imported == len(lines) else 1


def reindex_org_cases(verbose: bool) -> int:
    """After `coach ingest --rebuild`: every organisation's live cases indexed again."""

    def progress(n: int, total: int, doc_id: str, status: str) -> None:
        if verbose:
            print(f"[{n}/{total}] {doc_id}: {status}", file=sys.stderr)

    count: int = _casebook().reindex_all(progress)
    return count


def _train_org(args: argparse.Namespace) -> int:
    from coach.practice.org_scorer import org_scorer_dir, train_org_scorer
    from coach.storage.store import make_storage

    settings = get_settings()
    storage = make_storage(settings)
    try:
        org = storage.cases.organisation_id(args.include_org)
        labels = storage.labels.labels_from_shell(org)
    finally:
        storage.close()
    result = train_org_scorer(settings, org, labels, log=lambda m: print(m, file=sys.stderr))
    print(
        f"organisation {org}: scorer {result.version} trained with {result.trained_on} labelled attempt(s), "
        f"saved in {org_scorer_dir(settings, org)}; {result.held_back} held back"
    )
    if result.held_back:
        print("agreement with the held-back labels (QWK, built-in -> organisation's):")
        for before, after in zip(result.before.components, result.after.components, strict=True):
            b = "-" if before.qwk is None else f"{before.qwk:.3f}"
            a = "-" if after.qwk is None else f"{after.qwk:.3f}"
            print(
                f"  {before.component:<12} {b:>6} -> {a:>6}   exact {before.exact:.2f} -> {after.exact:.2f}"
            )
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `cases` to the `coach` command."""
    cases = subparsers.add_parser("cases", help="an organisation's own case studies")
    cases_sub = cases.add_subparsers(dest="cases_command", required=True)
    imp = cases_sub.add_parser(
        "import",
        help="import Markdown, text, PDF or Word files (or folders of them) as an organisation's cases",
    )
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--org", required=True, help="the organisation's name (or id)")
    imp.set_defaults(handler=_import)


def train_org_handler(args: argparse.Namespace) -> int:
    return _train_org(args)
