"""The `coach` command line: corpus checks, indexing, search; errors as one line on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from coach.cli import accounts as cli_accounts
from coach.cli import cases as cli_cases
from coach.cli import scoring as cli_scoring
from coach.config import get_settings
from coach.errors import CoachError

Handler = Callable[[argparse.Namespace], int]


def _corpus_check(args: argparse.Namespace) -> int:
    from coach.retrieval.corpus import check_corpus, load_documents

    settings = get_settings()
    problems = check_corpus(settings.corpus_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    docs, _ = load_documents(settings.corpus_dir)
    cases = sum(d.kind == "case" for d in docs)
    patterns = len(docs) - cases
    if problems:
        print(f"{len(problems)} problem(s) in {settings.corpus_dir}", file=sys.stderr)
        return 1
    print(f"ok: {cases} cases, {patterns} patterns")
    return 0


def _model_prepare(args: argparse.Namespace) -> int:
    from coach.embeddings import encoder

    model_dir = get_settings().model_dir
    print(f"embedding model ready: {encoder.prepare(model_dir)}")
    print(f"static token table ready: {encoder.prepare_static(model_dir)}")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from coach.retrieval.library import sync_index

    def progress(n: int, total: int, doc_id: str, status: str) -> None:
        if status != "unchanged" or args.verbose:
            print(f"[{n}/{total}] {doc_id}: {status}", file=sys.stderr)

    report = sync_index(rebuild=args.rebuild, progress=progress)
    print(
        f"index: {len(report.added)} indexed, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed ({report.chunks} chunks written)"
    )
    if args.rebuild:  # the rebuild dropped the organisations' cases too; their text is in the database
        print(f"organisation cases: {cli_cases.reindex_org_cases(args.verbose)} indexed again")
    return 0


def _search(args: argparse.Namespace) -> int:
    from coach.retrieval.library import make_library

    if not args.query.strip():
        raise CoachError("the search query is empty")
    organisation = cli_cases.organisation_id(args.org) if args.org else None
    hits = make_library().search(args.query, k=args.k, organisation=organisation)
    if args.json:
        print(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:  # silence would read as a hang or a crash
        print("nothing matched closely enough; describe the failure in other words")
        return 0
    for n, hit in enumerate(hits, start=1):
        print(f"{n}. {hit.title} [{hit.kind}: {hit.id}] {hit.score:.4f}\n   {hit.why}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="CMO interview coach")
    sub = parser.add_subparsers(dest="command", required=True)

    corpus = sub.add_parser("corpus", help="corpus tools")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", required=True)
    corpus_sub.add_parser("check", help="validate every case, pattern and question").set_defaults(
        handler=_corpus_check
    )

    model = sub.add_parser("model", help="embedding model tools")
    model_sub = model.add_subparsers(dest="model_command", required=True)
    model_sub.add_parser("prepare", help="verify the weights and build the ONNX graph").set_defaults(
        handler=_model_prepare
    )

    ing = sub.add_parser("ingest", help="index the corpus (only what changed)")
    ing.add_argument("--rebuild", action="store_true", help="drop the index and rebuild it")
    ing.add_argument("-v", "--verbose", action="store_true", help="list unchanged documents too")
    ing.set_defaults(handler=_ingest)

    search = sub.add_parser("search", help="search the case studies and failure patterns")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--json", action="store_true")
    search.add_argument("--org", help="search as a member of this organisation would (its own cases too)")
    search.set_defaults(handler=_search)
    cli_accounts.register(sub)
    cli_cases.register(sub)
    cli_scoring.register(sub)
    return parser


def undecodable(argv: Sequence[str]) -> str | None:
    """The first argument that is not UTF-8 text: bytes the shell could not decode arrive as lone surrogates
    (PEP 383), which no database, tokenizer or file system call downstream can take. A NUL character too,
    which no file name or C string may hold (only a caller in Python can pass one: main(["score", "\0"]))."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg
        if "\x00" in arg:
            return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if (bad := undecodable(argv)) is not None:
        why = "holds a NUL character" if "\x00" in bad else "is not UTF-8 text; check the terminal's encoding"
        print(f"coach: error: the argument {bad!r} {why}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CoachError as exc:
        print(f"coach: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file named on the command line: missing, a folder, not allowed, disk full
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"coach: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("coach: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
