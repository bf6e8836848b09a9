"""Bad input (issue 15) for the `coach` command, run in-process through `coach.cli.main.main` as the console
script runs it: random argument lists made of the parser's real subcommands and options plus nasty values,
and nasty contents in the files the subcommands read (`coach score FILE`, `score --jsonl`, `eval FILE`,
`cases import FILE`).

Every run ends with status 0, 1 or 2 and says something (stdout or stderr), and never with a traceback. Its
output goes to streams encoded like a real terminal's under a UTF-8 locale: stdout strict, stderr with
backslash escapes, so text the shell decoded to lone surrogates cannot break the printing either.

Everything runs in a temporary data dir: a small copy of the corpus (3 cases, 3 patterns: indexed in seconds,
not a minute), the trained scorer copied in, and a SQLite database with one organisation.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.cli.main import build_parser, main
from coach.config import Settings, get_settings
from coach.rubric import COMPONENTS
from coach.scoring.lifecycle import scorer_dir
from coach.storage.store import make_storage
from tests.conftest import CORPUS
from tests.fuzz.conftest import PASSWORD, Examples
from tests.fuzz.inputs import NASTY, binary, shell_texts, short_texts, texts
from tests.fuzz.test_fuzz_uploads import mutated

ORG = "Fuzz Org"
# Subcommands that rebuild something heavy are left out of random argv: training the scorer, cross-validating
# (minutes each), rebuilding the index and preparing the model (a minute; their own tests cover them).
HEAVY_OPTIONS = {"--cv", "--rebuild", "--if-stale"}
COMMANDS: list[tuple[str, ...]] = [
    ("score",),
    ("search",),
    ("eval",),
    ("cases", "import"),
    ("users", "create"),
    ("db", "upgrade"),
    ("corpus", "check"),
    ("train",),  # always with --include-org and an organisation that does not exist: see argv()
    ("ingest",),  # without --rebuild, on an index already current: a check, not a rebuild
]
# 15 examples under "ci" and "dev", a quarter of the profile's under "fuzz" (500): a run loads the scorer, opens the
# database and often the index, 0.1-1 s each, where the other suites' inputs take milliseconds. The other
# suites carry the 10,000 total; these two still see every subcommand hundreds of times under make fuzz.
CLI_SETTINGS = settings(
    max_examples=15 if settings.default.max_examples <= 100 else settings.default.max_examples // 4,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
    deadline=None,
)


def _subparser(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> argparse.ArgumentParser:
    for name in path:
        (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = action.choices[name]
    return parser


def _options(path: tuple[str, ...]) -> list[str]:
    """The real option strings of a subcommand, as its parser defines them."""
    parser = _subparser(build_parser(), path)
    found = [s for a in parser._actions for s in a.option_strings if s not in HEAVY_OPTIONS]
    return sorted(found)


OPTIONS = {path: _options(path) for path in COMMANDS}


@dataclass(frozen=True)
class Home:
    """The temporary data dir the CLI runs against, and a folder for the files an example writes."""

    data: Path
    files: Path


@pytest.fixture(scope="module")
def home(
    tmp_path_factory: pytest.TempPathFactory, model_dir: Path, scorer_settings: Settings
) -> Iterator[Home]:
    root = tmp_path_factory.mktemp("cli")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("holdout", "staging"))
    for folder in ("cases", "patterns"):
        for extra in sorted((corpus / folder).glob("*.md"))[3:]:
            extra.unlink()
    data = root / "data"
    shutil.copytree(scorer_dir(scorer_settings), data / "scorer")  # same labelled data: still fresh
    env = {
        "COACH_DATA_DIR": str(data),
        "COACH_MODEL_PATH": str(model_dir),
        "COACH_CORPUS_DIR": str(corpus),
        "COACH_ARGON2_TIME_COST": "1",
        "COACH_ARGON2_MEMORY_KIB": "8192",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        for name in ("COACH_DATABASE_URL", "COACH_CHROMA_HOST", "COACH_LLM_MODEL", "COACH_LLM_BASE_URL"):
            patch.delenv(name, raising=False)
        get_settings.cache_clear()
        storage = make_storage()
        storage.accounts.create_user_from_shell(ORG, "admin@fuzz.example", "admin", PASSWORD)
        storage.close()
        assert run(["ingest"]).status == 0  # the small index, built once
        files = root / "files"
        files.mkdir()
        yield Home(data, files)
    get_settings.cache_clear()


@dataclass(frozen=True)
class Run:
    status: int
    out: str
    err: str


def _terminal(errors: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, write_through=True)


def run(argv: list[str], stdin: bytes = b"") -> Run:
    """`coach ARGV` in-process, as the console script calls it; any exception but SystemExit escapes."""
    out, err = _terminal("strict"), _terminal("backslashreplace")
    # Decoded as a real stdin is under a UTF-8 locale: bytes that are not UTF-8 raise on reading.
    keyboard = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="strict")
    with redirect_stdout(out), redirect_stderr(err), mock.patch.object(sys, "stdin", keyboard):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse: 2 for a usage error, 0 for --help
            status = exc.code if isinstance(exc.code, int) else 1
    texts = []
    for stream in (out, err):
        stream.flush()
        raw = stream.buffer
        assert isinstance(raw, io.BytesIO)
        texts.append(raw.getvalue().decode("utf-8", "replace"))
    return Run(status, *texts)


def check(result: Run, examples: Examples) -> None:
    assert result.status in (0, 1, 2), result
    assert result.out.strip() or result.err.strip(), "a run that says nothing"
    assert "Traceback (most recent call last)" not in result.out + result.err
    if result.status == 0:
        examples.ok()
    else:
        assert result.err.strip(), f"exit {result.status} without a word on stderr"


# --- random argument lists -------------------------------------------------------------------------------


def _write(home: Home, name: str, data: bytes) -> str:
    path = home.files / name
    path.write_bytes(data)
    return str(path)


@st.composite
def argv(draw: st.DrawFn, home: Home) -> list[str]:
    path = draw(st.sampled_from(COMMANDS))
    existing = _write(home, draw(st.sampled_from(["a.md", "a.txt", "a.jsonl", "a.pdf"])), draw(binary))
    values = st.one_of(
        shell_texts,
        st.sampled_from(["-", "0", "-1", "5", "99999999999999999999", ORG, "1", existing, str(home.files)]),
    )
    tokens = draw(st.lists(st.one_of(st.sampled_from(OPTIONS[path] or ["--help"]), values), max_size=6))
    if path == ("train",):  # an organisation's scorer trains for minutes: only ever one that does not exist
        tokens = [t for t in tokens if t != "--include-org"]
        tokens += ["--include-org", f"no such organisation {draw(short_texts)}"]
    prefix = list(path)
    if draw(st.integers(0, 9)) == 0:  # now and then a subcommand that is not one
        prefix = [draw(shell_texts), *prefix[1:]]
    return prefix + tokens


@CLI_SETTINGS
@given(data=st.data(), stdin=st.one_of(short_texts.map(str.encode), texts.map(str.encode), binary))
def test_random_argv(home: Home, examples: Examples, data: st.DataObject, stdin: bytes) -> None:
    examples.hit()
    check(run(data.draw(argv(home), label="argv"), stdin=stdin), examples)


# --- nasty contents in the files the subcommands read -------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), short_texts),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
rows = st.fixed_dictionaries(
    {"answer": st.one_of(texts, json_values)},
    optional={
        "id": json_values,
        "question": st.one_of(texts, json_values),
        "labels": st.one_of(st.fixed_dictionaries({c: st.integers(-1, 5) for c in COMPONENTS}), json_values),
        "flags": st.one_of(st.lists(st.sampled_from(["no_metrics", "blame"])), json_values),
        "sentences": st.one_of(st.lists(st.tuples(texts, st.sampled_from(["describe", "x"]))), json_values),
    },
).map(lambda row: json.dumps(row, ensure_ascii=False))
junk_lines = st.sampled_from(["{", "[" * 100_000, "1" * 5000, '{"answer": "\\ud800"}', "null", "\x00", "]"])
jsonl = st.lists(st.one_of(rows, junk_lines, texts), max_size=5).map("\n".join)
file_contents = st.one_of(
    binary,
    mutated(),
    jsonl.map(lambda s: s.encode("utf-8", "surrogatepass")),
    texts.map(lambda s: s.encode("utf-8")),
)
file_names = st.tuples(
    st.sampled_from(["answer", "case", "-dash", "sp ace", "ünï", "x" * 200]),
    st.sampled_from([".md", ".txt", ".pdf", ".docx", ".jsonl", "", ".exe"]),
).map("".join)
FILE_COMMANDS = [
    ["score", "{file}"],
    ["score", "{file}", "--json", "--no-related"],
    ["score", "--jsonl", "{file}", "--out", "{out}", "--no-related"],
    ["score", "--jsonl", "{file}"],  # no --out: refused
    ["eval", "{file}"],
    ["eval", "{file}", "--by", "register", "--json"],
    ["cases", "import", "{file}", "--org", ORG],
    ["cases", "import", "{file}", "{folder}", "--org", ORG],
]


@CLI_SETTINGS
@given(command=st.sampled_from(FILE_COMMANDS), name=file_names, content=file_contents)
def test_nasty_files(home: Home, examples: Examples, command: list[str], name: str, content: bytes) -> None:
    examples.hit()
    path = _write(home, name, content)
    folder = home.files / "folder"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(content)
    argv = [part.format(file=path, out=str(home.files / "out.jsonl"), folder=str(folder)) for part in command]
    check(run(argv), examples)


def test_nasty_values_reach_the_handlers() -> None:
    """The random argv is not all usage errors: the options come from the parser itself."""
    assert "--no-related" in OPTIONS[("score",)] and "--org" in OPTIONS[("cases", "import")]
    assert "--cv" not in OPTIONS[("eval",)] and NASTY


# --- what the fuzzing found: each was a traceback before the fix in coach/cli or coach/scoring/labelled.py ---

LABELS = '"labels": {"describe": 1, "acknowledge": 1, "analyze": 1, "learn": 1, "apply": 1}'
FOUND = {
    "deep.jsonl": "[" * 100_000,  # RecursionError in json.loads
    "digits.jsonl": "1" * 5000,  # ValueError: past the 4,300-digit limit of int()
    "flags.jsonl": '{"answer": "I led a campaign", ' + LABELS + ', "flags": 5}',  # TypeError
    "sentences.jsonl": '{"answer": "I led a campaign", ' + LABELS + ', "sentences": "ab"}',  # ValueError
    "question.jsonl": '{"answer": "I led a campaign", "question": 5}',
}


@pytest.mark.parametrize(
    "argv",
    [
        ["score", "\ud800"],  # a lone surrogate: the shell's undecodable bytes (UnicodeEncodeError)
        ["search", "\udcff"],
        ["score", "\x00"],  # a NUL: found by make fuzz (pathlib's ValueError: embedded null byte)
        ["search", "coupon\x00leak"],
        ["users", "create", "--role", "admin", "--org", "\ud800", "--email", "x@y.zz", "--password-stdin"],
        ["cases", "import", "{files}", "--org", "\udcff"],
        ["train", "--include-org", "\ud800"],
        ["eval", "--by", "\ud800", "{files}/flags.jsonl"],
        ["score", "{files}"],  # IsADirectoryError
        ["eval", "{files}"],
        ["score", "--jsonl", "{files}/missing.jsonl", "--out", "{files}/out.jsonl"],  # FileNotFoundError
        ["score", "--jsonl", "{files}/ok.jsonl", "--out", "{files}", "--no-related"],  # --out a folder
        *(
            ["score", "--jsonl", f"{{files}}/{name}", "--out", "{files}/out.jsonl"]
            for name in (
                "deep.jsonl",
                "digits.jsonl",
                "question.jsonl",
            )  # the rest are labels: eval's business
        ),
        *(["eval", f"{{files}}/{name}"] for name in FOUND),
        ["eval", "{files}/empty.jsonl"],  # sklearn's ValueError on no samples
        ["eval", "{files}/empty.jsonl", "{files}/flags.jsonl"],
    ],
)
def test_found_by_fuzzing_each_ends_with_one_clear_line(home: Home, argv: list[str]) -> None:
    for name, content in {
        **FOUND,
        "ok.jsonl": '{"answer": "We missed the target by 40%."}',
        "empty.jsonl": "",
    }.items():
        (home.files / name).write_text(content + "\n")
    result = run([part.format(files=home.files) for part in argv], stdin=b"a password long enough\n")
    assert result.status in (1, 2) and result.err.startswith("coach: error: "), result
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_standard_input_that_is_not_utf8_is_refused(home: Home) -> None:
    result = run(["score", "-", "--no-related"], stdin=b"\xff\xfe answer")
    assert (result.status, result.err.strip()) == (1, "coach: error: standard input is not UTF-8 text")


def test_a_search_that_finds_nothing_says_so(home: Home) -> None:
    """Found by test_random_argv under make fuzz: `coach search 0` printed nothing at all."""
    result = run(["search", "0"])
    assert result.status == 0 and result.out.strip(), result
