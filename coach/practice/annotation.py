"""The answer marked up with its evidence: each sentence labelled by component in text, all of it escaped."""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coach.rubric import COMPONENT_NAMES, COMPONENT_QUESTIONS, COMPONENTS

# Light backgrounds with a darker border of the same hue; the label text is the cue that never depends on colour.
COMPONENT_COLOURS = {
    "describe": ("#dbeafe", "#1d4ed8"),
    "acknowledge": ("#fee2e2", "#b91c1c"),
    "analyze": ("#fef3c7", "#b45309"),
    "learn": ("#dcfce7", "#15803d"),
    "apply": ("#ede9fe", "#6d28d9"),
}


@dataclass(frozen=True)
class Segment:
    """A stretch of the answer, and the components it is evidence for (none: plain text)."""

    text: str
    components: tuple[str, ...] = ()


def _pattern(sentence: str) -> re.Pattern[str] | None:
    # The scorer may have joined or trimmed whitespace: match the same words with any spacing between.
    words = sentence.split()
    return re.compile(r"\s+".join(map(re.escape, words))) if words else None


def annotate(text: str, evidence: Mapping[str, Sequence[str]]) -> list[Segment]:
    """Split `text` into plain and evidence segments; evidence not found in `text` is skipped."""
    spans: list[tuple[int, int, str]] = []
    for component in COMPONENTS:
        for sentence in evidence.get(component, ()):
            pattern = _pattern(sentence)
            match = pattern.search(text) if pattern else None
            if match:
                spans.append((match.start(), match.end(), component))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(c for c in COMPONENTS if any(s <= start and end <= e for s, e, k in spans if k == c))
        piece = text[start:end]
        if segments and segments[-1].components == covering:
            segments[-1] = Segment(segments[-1].text + piece, covering)
        elif piece:
            segments.append(Segment(piece, covering))
    return segments


def escaped(text: str) -> str:
    """Candidate (or scorer) text made inert for HTML: every tag and entity shows as the characters typed."""
    return html.escape(text, quote=True)


def text_html(text: str, *, muted: bool = False) -> str:
    """A block of untrusted text as escaped HTML that keeps its line breaks."""
    colour = "color:#475569;" if muted else ""
    return f'<div style="white-space:pre-wrap;line-height:1.6;{colour}">{escaped(text)}</div>'


def label_html(components: Sequence[str]) -> str:
    names = " + ".join(COMPONENT_NAMES[c] for c in components)
    border = COMPONENT_COLOURS[components[0]][1]
    return (
        f'<span class="coach-label" style="font-size:0.72em;font-weight:700;letter-spacing:0.04em;'
        f'text-transform:uppercase;color:{border};margin-right:0.3em">[{names}]</span>'
    )


def answer_html(text: str, evidence: Mapping[str, Sequence[str]]) -> str:
    """The answer with each evidence sentence highlighted and preceded by its component's name."""
    parts = []
    for segment in annotate(text, evidence):
        body = escaped(segment.text)
        if not segment.components:
            parts.append(body)
            continue
        background, border = COMPONENT_COLOURS[segment.components[0]]
        names = ", ".join(COMPONENT_NAMES[c] for c in segment.components)
        parts.append(
            f'<mark class="coach-evidence" data-component="{segment.components[0]}" title="Evidence: {names}" '
            f'style="background:{background};border-bottom:2px solid {border};border-radius:3px;'
            f'padding:0.05em 0.2em;color:inherit">{label_html(segment.components)}{body}</mark>'
        )
    return f'<div class="coach-answer" style="white-space:pre-wrap;line-height:1.9">{"".join(parts)}</div>'


def legend_html() -> str:
    """The key to the highlights, with each name spelled out."""
    items = []
    for component in COMPONENTS:
        background, border = COMPONENT_COLOURS[component]
        items.append(
            f'<span style="background:{background};border-bottom:2px solid {border};border-radius:3px;'
            f'padding:0.1em 0.4em;margin-right:0.4em;font-size:0.85em">{COMPONENT_NAMES[component]}: '
            f"{escaped(COMPONENT_QUESTIONS[component])}</span>"
        )
    return f'<div style="line-height:2.2">{"".join(items)}</div>'
