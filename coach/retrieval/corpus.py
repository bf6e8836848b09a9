"""The case-study corpus on disk: parsing, validation and the question bank."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

Kind = Literal["case", "pattern"]

CASE_SECTIONS = (
    "Goal",
    "What happened",
    "What went wrong",
    "Impact",
    "Response",
    "Lessons",
    "What a candidate can borrow",
)
PATTERN_SECTIONS = (
    "Symptoms",
    "How to diagnose",
    "Fixes",
    "How to talk about it in an interview",
    "Related cases",
)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.M)


@dataclass(frozen=True)
class Document:
    """One case study or failure pattern, parsed."""

    id: str
    kind: Kind
    title: str
    path: Path
    meta: dict[str, Any]
    sections: dict[str, str]
    content_hash: str

    @property
    def brand(self) -> str:
        return str(self.meta.get("brand", ""))

    @property
    def year(self) -> int | None:
        year = self.meta.get("year")
        return year if isinstance(year, int) else None

    @property
    def failure_modes(self) -> list[str]:
        return list(self.meta.get("failure_modes") or [])

    @property
    def channels(self) -> list[str]:
        return list(self.meta.get("channels") or [])

    @property
    def sources(self) -> list[str]:
        return list(self.meta.get("sources") or [])

    @property
    def related_cases(self) -> list[str]:
        return list(self.meta.get("related_cases") or [])


@dataclass(frozen=True)
class Problem:
    """A validation error, located by file and field."""

    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    probes: dict[str, list[str]] = field(default_factory=dict)
    words: tuple[int, int] = (250, 350)
    hint: str = ""


@dataclass(frozen=True)
class Vocabulary:
    failure_modes: dict[str, str]
    channels: frozenset[str]


class ParseError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def load_vocabulary(corpus_dir: Path) -> Vocabulary:
    modes = yaml.safe_load((corpus_dir / "failure_modes.yaml").read_text(encoding="utf-8")) or {}
    channels = yaml.safe_load((corpus_dir / "channels.yaml").read_text(encoding="utf-8")) or []
    return Vocabulary(failure_modes=dict(modes), channels=frozenset(channels))


def parse_document(path: Path, kind: Kind) -> Document:
    raw = path.read_text(encoding="utf-8")
    match = _FRONT.match(raw)
    if not match:
        raise ParseError("front matter", "missing YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ParseError("front matter", f"invalid YAML: {str(exc).splitlines()[0]}") from exc
    if not isinstance(meta, dict):
        raise ParseError("front matter", "must be a mapping")
    body = match.group(2)
    sections: dict[str, str] = {}
    heads = list(_HEADING.finditer(body))
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        sections[head.group(1)] = body[head.end() : end].strip()
    return Document(
        id=str(meta.get("id", "")),
        kind=kind,
        title=str(meta.get("title", "")),
        path=path,
        meta=meta,
        sections=sections,
        content_hash=hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16],
    )


def _check_document(doc: Document, vocab: Vocabulary) -> list[Problem]:
    problems: list[Problem] = []

    def bad(field: str, message: str) -> None:
        problems.append(Problem(doc.path, field, message))

    if not _ID.match(doc.id):
        bad("id", f"{doc.id!r} must be lowercase words joined by hyphens")
    elif doc.id != doc.path.stem:
        bad("id", f"{doc.id!r} does not match the file name {doc.path.name!r}")
    if not doc.title.strip():
        bad("title", "missing")
    modes = doc.meta.get("failure_modes")
    if not isinstance(modes, list) or not modes:
        bad("failure_modes", "must be a non-empty list")
    else:
        for mode in modes:
            if mode not in vocab.failure_modes:
                bad("failure_modes", f"{mode!r} is not in failure_modes.yaml")
    required = CASE_SECTIONS if doc.kind == "case" else PATTERN_SECTIONS
    if doc.kind == "case":
        if not str(doc.meta.get("brand", "")).strip():
            bad("brand", "missing")
        year = doc.meta.get("year")
        if not isinstance(year, int) or not 1800 <= year <= 2100:
            bad("year", f"{year!r} is not a year")
        channels = doc.meta.get("channels")
        if not isinstance(channels, list) or not channels:
            bad("channels", "must be a non-empty list")
        else:
            for channel in channels:
                if channel not in vocab.channels:
                    bad("channels", f"{channel!r} is not in channels.yaml")
    elif doc.id and doc.id not in vocab.failure_modes:
        bad("id", f"pattern {doc.id!r} is not a failure mode in failure_modes.yaml")
    sources = doc.meta.get("sources")
    if doc.kind == "case" or sources is not None:
        if not isinstance(sources, list) or not sources:
            bad("sources", "must list at least one URL")
        else:
            for url in sources:
                if not re.match(r"^https?://[^\s/]+\.[^\s]+$", str(url)):
                    bad("sources", f"{url!r} is not an http(s) URL")
    for name in required:
        if name not in doc.sections:
            bad(f"## {name}", "section missing")
        elif not doc.sections[name].strip():
            bad(f"## {name}", "section is empty")
    for name in doc.sections:
        if name not in required:
            bad(f"## {name}", f"unexpected section (expected: {', '.join(required)})")
    return problems


def load_documents(corpus_dir: Path) -> tuple[list[Document], list[Problem]]:
    """Every case and pattern in the corpus, with the problems found while reading them."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for kind, folder in (("case", "cases"), ("pattern", "patterns")):
        for path in sorted((corpus_dir / folder).glob("*.md")):
            try:
                docs.append(parse_document(path, kind))  # type: ignore[arg-type]
            except ParseError as exc:
                problems.append(Problem(path, exc.field, str(exc)))
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(Problem(path, "file", f"unreadable: {exc}"))
    return docs, problems


def check_corpus(corpus_dir: Path) -> list[Problem]:
    """Every problem in the corpus: front matter, vocabulary, sources, sections, ids, links."""
    try:
        vocab = load_vocabulary(corpus_dir)
    except (OSError, yaml.YAMLError) as exc:
        return [Problem(corpus_dir, "vocabulary", str(exc))]
    docs, problems = load_documents(corpus_dir)
    seen: dict[str, Path] = {}
    for doc in docs:
        problems.extend(_check_document(doc, vocab))
        if doc.id in seen:
            problems.append(Problem(doc.path, "id", f"{doc.id!r} is also used by {seen[doc.id].name}"))
        seen[doc.id] = doc.path
    case_ids = {d.id for d in docs if d.kind == "case"}
    for doc in docs:
        if doc.kind == "pattern":
            for ref in doc.related_cases:
                if ref not in case_ids:
                    problems.append(Problem(doc.path, "related_cases", f"no case with id {ref!r}"))
    problems.extend(_check_questions(corpus_dir / "questions.yaml"))
    return problems


def _check_questions(path: Path) -> list[Problem]:
    if not path.exists():
        return []
    try:
        load_questions(path)
    except (ValueError, yaml.YAMLError) as exc:
        return [Problem(path, "questions", str(exc))]
    return []


def load_questions(path: Path) -> list[Question]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(raw, list):
        raise ValueError("must be a list of questions")
    questions: list[Question] = []
    ids: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not item.get("id") or not item.get("text"):
            raise ValueError(f"question {i + 1} needs an id and a text")
        if item["id"] in ids:
            raise ValueError(f"question id {item['id']!r} is used twice")
        ids.add(item["id"])
        words = item.get("words") or [250, 350]
        questions.append(
            Question(
                id=str(item["id"]),
                text=str(item["text"]).strip(),
                probes=dict(item.get("probes") or {}),
                words=(int(words[0]), int(words[1])),
                hint=str(item.get("hint", "")),
            )
        )
    return questions
