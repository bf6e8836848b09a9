"""Section labels in an answer ("Result:", "Lessons learned:", STAR headings) and the part they announce.

Real answers are often structured: a STAR answer, a blog-style "The fail: ... The story: ... Lessons
learned: ...", bullets under "What I changed". A sentence under "Lessons learned:" is a lesson even when it
reads as a bare imperative ("Pay for the right stock photo."). The label is read from the text before a
sentence only, so text appended after an answer can never change how its earlier sentences are read.

Imports: the standard library and numpy only.
"""

from __future__ import annotations

import re

import numpy as np

from coach.rubric import COMPONENTS

# Label words, lower-case, per part. Checked against the words before a colon (or a whole short line).
_LABELS: dict[str, tuple[str, ...]] = {
    "describe": (
        "situation",
        "task",
        "background",
        "context",
        "the story",
        "story",
        "the campaign",
        "campaign",
        "the project",
        "project",
        "setup",
        "set-up",
        "the brief",
        "brief",
        "overview",
        "the goal",
        "goal",
        "objective",
        "the plan",
        "plan",
        "action",
        "actions",
        "what we did",
        "the idea",
        "s",
        "t",
        "a",
    ),
    "acknowledge": (
        "result",
        "results",
        "outcome",
        "the outcome",
        "what happened",
        "the fail",
        "fail",
        "the failure",
        "failure",
        "the mistake",
        "mistake",
        "the miss",
        "the problem",
        "problem",
        "the damage",
        "r",
        "the result",
        "the bad news",
        "where it went wrong",
    ),
    "analyze": (
        "why",
        "why it failed",
        "why it happened",
        "cause",
        "causes",
        "root cause",
        "root causes",
        "what went wrong",
        "diagnosis",
        "analysis",
        "the reason",
        "reasons",
        "post-mortem",
        "postmortem",
        "what we found",
        "findings",
        "the why",
    ),
    "learn": (
        "lesson",
        "lessons",
        "lessons learned",
        "lessons learnt",
        "lesson learned",
        "learning",
        "learnings",
        "key learning",
        "key learnings",
        "takeaway",
        "takeaways",
        "key takeaway",
        "what i learned",
        "what i learnt",
        "the moral",
        "moral",
        "insight",
        "insights",
        "reflection",
        "l",
    ),
    "apply": (
        "what i changed",
        "what i do now",
        "what i do differently",
        "since then",
        "next time",
        "going forward",
        "what happened next",
        "the fix",
        "applied",
        "application",
        "how i applied it",
        "today",
        "now",
        "the comeback",
        "the turnaround",
        "what changed",
    ),
}
_LABEL_TO_PART = {label: part for part, labels in _LABELS.items() for label in labels}
_HEAD = re.compile(r"^\s*(?:\*\*|#+\s*)?([a-z][a-z' -]{0,40}?)\s*(?:\*\*)?\s*[:\-–—]\s*(?:\*\*)?(?=\s|$)")
_MAX_LABEL_WORDS = 5
CONTEXT_FEATURES = len(COMPONENTS) + 1


def heading_part(sentence: str) -> str | None:
    """The part a sentence's leading label announces ("Result: ...", "Lessons learned:"), if any."""
    match = _HEAD.match(sentence.lower())
    if not match:
        return None
    label = match.group(1).strip()
    if len(label.split()) > _MAX_LABEL_WORDS:
        return None
    # Single letters count only as STAR initials written "S:", never as a stray "a -" in prose.
    if len(label) == 1 and not re.match(r"^\s*[star]\s*:", sentence.lower()):
        return None
    return _LABEL_TO_PART.get(label)


def section_context(sentences: list[str]) -> np.ndarray:
    """Per sentence: a one-hot of the part announced by the nearest label at or before it, and whether the
    sentence carries a label itself. Rows of zeros where no label has appeared yet."""
    out = np.zeros((len(sentences), CONTEXT_FEATURES), np.float32)
    current: int | None = None
    for i, sentence in enumerate(sentences):
        part = heading_part(sentence)
        if part is not None:
            current = COMPONENTS.index(part)
            out[i, -1] = 1.0
        if current is not None:
            out[i, current] = 1.0
    return out
