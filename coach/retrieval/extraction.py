"""Text out of an uploaded case file (Markdown, plain text, PDF, Word .docx), mapped onto the case sections.

What the file is, is decided by its content, not its name: a renamed binary is refused with a clear message,
as are files over 5 MB, PDFs that do not parse or hold no text (scans), and empty files. Headings that name
a case section (or a common synonym: "Objective", "Root cause", "Results", "Takeaways"...) start that
section; other text goes to "What happened". A few "Field: value" lines at the top (Brand, Year, Channels,
Failure modes, Sources), or the corpus format's YAML front matter, fill in the case's fields.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Literal

import yaml

from coach.errors import CoachError
from coach.retrieval.corpus import CASE_SECTIONS

MAX_BYTES = 5 * 1024 * 1024
Kind = Literal["markdown", "text", "pdf", "docx"]
KINDS: dict[str, Kind] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".pdf": "pdf",
    ".docx": "docx",
}
DEFAULT_SECTION = "What happened"

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Goal": ("goal", "goals", "objective", "objectives", "aim", "aims", "the brief", "brief"),
    "What happened": ("what happened", "summary", "the campaign", "background", "the story", "overview"),
    "What went wrong": (
        "what went wrong", "why it failed", "root cause", "root causes", "causes", "the problem",
        "diagnosis", "mistakes",
    ),
    "Impact": ("impact", "results", "result", "outcome", "outcomes", "consequences", "the cost"),
    "Response": ("response", "what we did", "reaction", "recovery", "aftermath"),
    "Lessons": ("lessons", "lessons learned", "lessons learnt", "learnings", "takeaways", "what we learned"),
    "What a candidate can borrow": (
        "what a candidate can borrow", "for candidates", "interview angle", "in an interview",
    ),
}  # fmt: skip
HEADINGS = {synonym: section for section, names in _SYNONYMS.items() for synonym in names}
FIELDS = {
    "title": "title",
    "brand": "brand",
    "company": "brand",
    "client": "brand",
    "year": "year",
    "channels": "channels",
    "channel": "channels",
    "failure modes": "failure_modes",
    "failure mode": "failure_modes",
    "failure_modes": "failure_modes",
    "sources": "sources",
    "source": "sources",
}
_FIELD_LINE = re.compile(r"^\s*([A-Za-z_ ]{3,20})\s*:\s*(.+?)\s*$")
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


class ExtractionError(CoachError):
    """A file that cannot be turned into a case; the message names the file and the reason."""


@dataclass(frozen=True)
class Extracted:
    """What one file gave: a title, the fields it named, its text by section, and the headings not mapped."""

    name: str
    kind: Kind
    title: str
    fields: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    unmapped: tuple[str, ...] = ()


def section_for(heading: str) -> str | None:
    """The case section a heading names ("3. Root cause:" is "What went wrong"), or None."""
    key = re.sub(r"^[\s#*\d.)-]+|[\s:*]+$", "", heading).lower()
    key = " ".join(key.split())
    return HEADINGS.get(key)


def kind_of(name: str) -> Kind:
    suffix = PurePath(name).suffix.lower()
    if suffix not in KINDS:
        raise ExtractionError(
            f"{name}: unsupported file type; upload Markdown (.md), text (.txt), PDF or Word (.docx)"
        )
    return KINDS[suffix]


def _check_content(name: str, kind: Kind, data: bytes) -> None:
    if not data.strip():
        raise ExtractionError(f"{name}: the file is empty")
    if len(data) > MAX_BYTES:
        raise ExtractionError(f"{name}: {len(data) / 1024 / 1024:.1f} MB is over the 5 MB limit")
    if kind == "pdf" and not data.lstrip()[:5] == b"%PDF-":
        raise ExtractionError(f"{name}: this is not a PDF (its content does not start like one)")
    if kind == "docx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" not in archive.namelist():
                    raise ExtractionError(f"{name}: this is not a Word .docx document")
        except zipfile.BadZipFile:
            raise ExtractionError(f"{name}: this is not a Word .docx document") from None
    if kind in ("markdown", "text") and b"\x00" in data:
        raise ExtractionError(f"{name}: this is not a text file (it holds binary data)")


def _pdf_text(name: str, data: bytes) -> tuple[str, str]:
    """(text, title from the document information) of a PDF."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(f"{name}: the PDF is password-protected")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        title = str(reader.metadata.get("/Title") or "") if reader.metadata else ""
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file; all mean "cannot read it"
        raise ExtractionError(f"{name}: the PDF could not be read ({type(exc).__name__}: {exc})") from None
    if not text.strip():
        raise ExtractionError(
            f"{name}: the PDF holds no text (a scanned document?); paste its text into the form instead"
        )
    return text, title


def _docx_text(name: str, data: bytes) -> tuple[str, str]:
    """Word paragraphs as Markdown-like lines: headings become "## ..."; the Title style gives the title."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors on a damaged file
        raise ExtractionError(f"{name}: the Word document could not be read ({type(exc).__name__})") from None
    lines, title = [], ""
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = paragraph.text.strip()
        if not text:
            continue
        if style == "Title" and not title:
            title = text
        elif style.startswith("Heading"):
            lines.append(f"## {text}")
        else:
            lines.append(text)
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    if not lines and not title:
        raise ExtractionError(f"{name}: the Word document holds no text")
    return "\n".join(lines), title


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return {}, text  # not front matter after all: keep the text as it is
    return (meta if isinstance(meta, dict) else {}), match.group(2)


def _field_value(key: str, value: str) -> Any:
    if key in ("channels", "failure_modes", "sources"):
        return [v.strip() for v in re.split(r"[,;]\s*|\s+(?=https?://)", value) if v.strip()]
    if key == "year":
        digits = re.search(r"\b(1[89]\d\d|20\d\d|2100)\b", value)
        return int(digits.group(1)) if digits else None
    return value


def split_sections(text: str) -> tuple[str, dict[str, Any], dict[str, str], tuple[str, ...]]:
    """(title, fields, sections, unmapped headings) of plain or Markdown text."""
    title, fields = "", dict[str, Any]()
    parts: dict[str, list[str]] = {}
    unmapped: list[str] = []
    current = DEFAULT_SECTION
    in_header = True
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            parts.setdefault(current, []).append("")
            continue
        heading = _MD_HEADING.match(line)
        name = heading.group(2) if heading else line
        section = section_for(name) if (heading or len(line) <= 60) else None
        if section is not None:
            current, in_header = section, False
            continue
        if heading and len(heading.group(1)) == 1 and not title:
            title = heading.group(2).strip()
            continue
        field_line = _FIELD_LINE.match(line) if in_header else None
        if field_line and field_line.group(1).strip().lower() in FIELDS:
            key = FIELDS[field_line.group(1).strip().lower()]
            value = _field_value(key, field_line.group(2))
            if key == "title":
                title = title or str(value)
            elif key in ("channels", "failure_modes", "sources"):
                fields[key] = [*fields.get(key, []), *value]
            else:
                fields[key] = value
            continue
        if heading:
            unmapped.append(heading.group(2).strip())
            parts.setdefault(current, []).append(f"**{heading.group(2).strip()}**")
            in_header = False
            continue
        if in_header and not title and not parts.get(current) and len(line.strip()) <= 120:
            title = line.strip()  # a PDF or text file's first short line is its title
            continue
        in_header = False
        parts.setdefault(current, []).append(line.strip())
    sections = {
        name: body
        for name in CASE_SECTIONS
        if name in parts and (body := re.sub(r"\n{3,}", "\n\n", "\n".join(parts[name])).strip())
    }
    return title, fields, sections, tuple(unmapped)


def extract(name: str, data: bytes) -> Extracted:
    """The case one uploaded file holds, or an ExtractionError saying why there is none."""
    kind = kind_of(name)
    _check_content(name, kind, data)
    meta: dict[str, Any] = {}
    doc_title = ""
    if kind == "pdf":
        text, doc_title = _pdf_text(name, data)
    elif kind == "docx":
        text, doc_title = _docx_text(name, data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ExtractionError(f"{name}: this is not UTF-8 text") from None
        if kind == "markdown":
            meta, text = _front_matter(text)
    title, fields, sections, unmapped = split_sections(text)
    for key in ("brand", "year", "channels", "failure_modes", "sources"):
        if meta.get(key) not in (None, "", []):
            fields[key] = meta[key]
    title = str(
        meta.get("title") or doc_title or title or PurePath(name).stem.replace("-", " ").replace("_", " ")
    )
    if not sections:
        raise ExtractionError(f"{name}: no text was found in the file")
    return Extracted(name, kind, title.strip(), fields, sections, unmapped)
