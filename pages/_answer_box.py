"""The answer box with a live word and time count (issue 16.4).

Streamlit's own text area tells the server its text only when the candidate leaves it, so a count drawn by the
server lags the typing. This box is a Streamlit v2 component (inline HTML, CSS and JavaScript, so it works with
no network): the browser counts words and time at every keystroke, and the text reaches the server once
typing pauses, where the page saves it as the draft.

The text lives in session state under the page's key, as it did with `st.text_area`: the page may set it
(a restored draft, a voice transcript, "Try again"), and the box shows what the server set. A version number
tells the browser which text is the server's, so a run caused by anything else never overwrites typing.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from coach.practice.workflow import BAND_ICONS, band_messages

HERE = Path(__file__).parent

_CSS = """
label { display: block; font-family: var(--st-font); font-size: 0.875rem; color: var(--st-text-color);
        margin-bottom: 0.5rem; }
textarea { box-sizing: border-box; width: 100%; resize: vertical; padding: 0.75rem;
           font: inherit; font-family: var(--st-font); font-size: 1rem; line-height: 1.5;
           color: var(--st-text-color); background: var(--st-secondary-background-color);
           border: 1px solid var(--st-border-color, transparent); border-radius: var(--st-base-radius, 0.5rem); }
textarea:focus { outline: none; border-color: var(--st-primary-color); }
.count { font-family: var(--st-font); font-size: 0.875rem; color: var(--st-text-color); margin-top: 0.5rem; }
.bar { height: 0.4rem; border-radius: 0.2rem; background: var(--st-secondary-background-color); overflow: hidden;
       margin: 0.25rem 0; }
.bar > span { display: block; height: 100%; background: var(--st-primary-color); transition: width 0.2s; }
.time { opacity: 0.7; }
"""

_HTML = """
<label for="answer"></label>
<textarea id="answer" aria-describedby="answer-count"></textarea>
<div class="count" id="answer-count" aria-live="polite">
  <div class="words"></div><div class="bar"><span></span></div><div class="time"></div>
</div>
"""

_BOX = st.components.v2.component(
    "coach_answer_box", html=_HTML, css=_CSS, js=(HERE / "_answer_box.js").read_text(encoding="utf-8")
)


def _keep(_: object = None) -> None:
    """The box's text changed; the run that follows reads it."""


def answer_box(
    label: str, *, key: str, band: tuple[int, int], elapsed: float, placeholder: str = "", height: int = 280
) -> str:
    """Draw the box and return its text: what the candidate typed, or what the page put under `key`."""
    state = st.session_state
    text = str(state.get(key) or "")
    seen, version = f"{key}_seen", f"{key}_version"
    if state.get(seen) != text:  # the page replaced the text since the box last reported it
        state[version] = state.get(version, 0) + 1
    low, high = band
    result = _BOX(
        key=f"{key}_box{state.get(version, 0)}",
        data={
            "label": label,
            "text": text,
            "version": state.get(version, 0),
            "low": low,
            "high": high,
            "messages": band_messages(band),
            "icons": BAND_ICONS,
            "elapsed": round(elapsed, 1),
            "placeholder": placeholder,
            "height": height,
        },
        default={"text": text},
        on_text_change=_keep,
    )
    typed = result.text if result is not None and isinstance(result.text, str) else text
    state[key] = state[seen] = typed
    return typed
