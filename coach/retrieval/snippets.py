"""A chunk's text as a reader sees it in a result: without the title and heading the index prepends, list
markers, Markdown emphasis or the corpus's own case ids."""

from __future__ import annotations

import re

# A case id as the corpus writes it in a list of related cases: "**quibi-launch-2020**:" or `ford-edsel-1957`.
_CASE_ID = re.compile(r"[*_`]{0,2}\b[a-z0-9]+(?:-[a-z0-9]+)*-(?:19|20)\d{2}\b[*_`]{0,2}:?")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+")
_EMPHASIS = re.compile(r"\*\*|__|`")
_ORPHAN_PUNCTUATION = re.compile(r"\s+([,;:.])|([(\[])\s*[,;]?\s*([)\]])|^[,;:\s]+")


def chunk_body(text: str, title: str, section: str) -> str:
    """The chunk without the "<title>. <section>: " the index put in front of it (and a heading the section's
    text repeats), so a result never shows its heading twice."""
    for prefix in (f"{title}. {section}: ", f"{title}. "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    heading = f"{section}:"
    while section and text.lstrip().startswith(heading):
        text = text.lstrip()[len(heading) :]
    return text.strip()


def _clean_line(line: str) -> str:
    line = _LIST_MARKER.sub("", line)
    line = _CASE_ID.sub("", line)
    line = _EMPHASIS.sub("", line)
    line = _ORPHAN_PUNCTUATION.sub(lambda m: m.group(1) or "", " ".join(line.split()))
    line = " ".join(line.split()).strip(" ,;:")
    return line[:1].upper() + line[1:]


def readable(text: str) -> str:
    """One paragraph of plain sentences: each list item its own sentence, markers, ids and emphasis gone."""
    lines = [_clean_line(raw) for raw in text.splitlines()]
    sentences = [line if line[-1] in ".!?…" else f"{line}." for line in lines if line]
    return " ".join(sentences)
