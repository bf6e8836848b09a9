"""Corpus parsing and `coach corpus check`: every error names its file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.cli import main as cli
from coach.retrieval.corpus import check_corpus, load_questions, parse_document

GOOD_CASE = """---
id: {id}
title: "A test case"
brand: Acme
year: 2020
channels: [email]
failure_modes: [list-quality]
sources:
  - https://example.org/report
---

## Goal
Sell more.
## What happened
A send.
## What went wrong
The wrong list.
## Impact
Unsubscribes.
## Response
An apology.
## Lessons
Check lists.
## What a candidate can borrow
Own the send.
"""


def _problems(corpus: Path) -> list[str]:
    return [str(p) for p in check_corpus(corpus)]


def test_the_real_corpus_is_clean() -> None:
    assert _problems(Path(__file__).parents[2] / "corpus") == []


def test_a_good_case_passes(corpus_copy: Path) -> None:
    (corpus_copy / "cases" / "acme-email-2020.md").write_text(GOOD_CASE.format(id="acme-email-2020"))
    assert _problems(corpus_copy) == []
    doc = parse_document(corpus_copy / "cases" / "acme-email-2020.md", "case")
    assert doc.brand == "Acme" and doc.year == 2020 and doc.sections["Impact"] == "Unsubscribes."


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [
        (
            lambda t: t.replace("failure_modes: [list-quality]", "failure_modes: [bad-luck]"),
            "failure_modes",
            "'bad-luck' is not in failure_modes.yaml",
        ),
        (
            lambda t: t.replace("channels: [email]", "channels: [carrier-pigeon]"),
            "channels",
            "'carrier-pigeon' is not in channels.yaml",
        ),
        (lambda t: t.replace("  - https://example.org/report\n", ""), "sources", "at least one URL"),
        (
            lambda t: t.replace("https://example.org/report", "example dot org"),
            "sources",
            "not an http(s) URL",
        ),
        (lambda t: t.replace("year: 2020", "year: soon"), "year", "is not a year"),
        (lambda t: t.replace("## Impact\nUnsubscribes.\n", "## Impact\n\n"), "## Impact", "section is empty"),
        (lambda t: t.replace("## Lessons\nCheck lists.\n", ""), "## Lessons", "section missing"),
        (lambda t: t.replace("id: acme-email-2020", "id: other-id"), "id", "does not match the file name"),
        (lambda t: t.replace("brand: Acme\n", ""), "brand", "missing"),
        (lambda t: t.replace("year: 2020\n", "year: [2020\n"), "front matter", "invalid YAML"),
        (lambda t: t.split("---\n", 2)[2], "front matter", "missing YAML front matter"),
    ],
)
def test_each_error_names_file_and_field(corpus_copy: Path, edit, field: str, message: str) -> None:
    path = corpus_copy / "cases" / "acme-email-2020.md"
    path.write_text(edit(GOOD_CASE.format(id="acme-email-2020")))
    problems = _problems(corpus_copy)
    assert any(p.startswith(f"{path}: {field}: ") and message in p for p in problems), problems


def test_duplicate_ids_are_reported(corpus_copy: Path) -> None:
    text = (corpus_copy / "cases" / "gap-logo-2010.md").read_text()
    (corpus_copy / "patterns" / "gap-logo-2010.md").write_text(text)
    assert any("also used by" in p for p in _problems(corpus_copy))


def test_pattern_links_must_point_at_cases(corpus_copy: Path) -> None:
    path = corpus_copy / "patterns" / "timing.md"
    path.write_text(path.read_text().replace("related_cases: [", "related_cases: [no-such-case, ", 1))
    assert any(
        p.startswith(f"{path}: related_cases: no case with id 'no-such-case'") for p in _problems(corpus_copy)
    )


def test_questions_need_unique_ids(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text("- {id: a, text: one}\n- {id: a, text: two}\n")
    with pytest.raises(ValueError, match="used twice"):
        load_questions(path)


def test_cli_check_exits_non_zero_and_lists_problems(corpus_copy: Path, monkeypatch, capsys) -> None:
    from coach.config import get_settings

    (corpus_copy / "cases" / "acme-email-2020.md").write_text(GOOD_CASE.format(id="wrong"))
    monkeypatch.setenv("COACH_CORPUS_DIR", str(corpus_copy))
    get_settings.cache_clear()
    try:
        assert cli.main(["corpus", "check"]) == 1
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "acme-email-2020.md: id:" in err and "1 problem(s)" in err
