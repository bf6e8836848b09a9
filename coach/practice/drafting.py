"""The answer being typed, kept as a server-side draft: what to show when the answer box opens, and when to save.

The page calls `opening_text` when the box first shows a question (a reload, another device, another question)
and `keep_draft` on every run with what the box holds; saving happens only when the text changed since the
last save, so the widget's own debounce (how often it reports keystrokes) sets the pace.
"""

from __future__ import annotations

from coach.storage.drafts import Drafts
from coach.storage.permissions import Actor


def opening_text(drafts: Drafts, actor: Actor, question_id: str, current: str) -> str:
    """The saved draft for this question if there is one, else what the box holds now (kept, not wiped)."""
    draft = drafts.get(actor, question_id)
    return draft.text if draft is not None else current


def keep_draft(drafts: Drafts, actor: Actor, question_id: str, text: str, last_saved: str | None) -> str:
    """Save `text` as the question's draft if it differs from `last_saved`; returns the text now saved.

    Raises DraftError (a CoachError, with a message for the candidate) for text too long to keep.
    """
    if text != last_saved:
        drafts.save(actor, question_id, text)
    return text
