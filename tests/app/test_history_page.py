"""The History page through AppTest: progress charts, filters, read-only transcripts, exports."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pyarrow as pa
import pytest

from coach.storage.permissions import Actor
from coach.storage.store import Storage
from tests.app.conftest import (
    EXAMPLE_1,
    actor_of,
    click,
    html_of,
    ok,
    open_app,
    scored_result,
    seed_attempt,
)

HISTORY = "pages/history.py"


@pytest.fixture
def actor(candidate: str, app_storage: Storage) -> Actor:
    return actor_of(app_storage, candidate)


def _attempt(storage: Storage, actor: Actor, question: str, answer: str, *levels: int) -> int:
    return seed_attempt(
        storage, actor, question, answer, levels, evidence=("I led a campaign.",), flags=("no_metrics",)
    )


def test_no_attempts_yet_points_to_practice(candidate: str) -> None:
    at = open_app(candidate, page=HISTORY)
    assert at.title[0].value == "History"
    assert at.info[0].value.startswith("No attempts yet")
    assert [link.value for link in at.get("page_link")] == ["Go to Practice"]


def test_progress_list_filters_exports_and_a_read_only_transcript(
    candidate: str, actor: Actor, app_storage: Storage
) -> None:
    first = _attempt(app_storage, actor, "failed-campaign", "I led a campaign. <b>first</b>", 1, 1, 2, 1, 1)
    second = _attempt(app_storage, actor, "missed-targets", "I led a campaign. other question", 2, 2, 2, 2, 2)
    retry = app_storage.transcripts.save_attempt(
        actor,
        question_id="failed-campaign",
        question_text="Text of failed-campaign",
        answer="I led a campaign. second try",
        retry_of=first,
    )
    app_storage.transcripts.record_scorecard(
        actor, retry, scored_result(3, 3, 3, 2, 4, evidence=("I led a campaign.",)), "builtin-test"
    )
    at = open_app(candidate, page=HISTORY)

    assert [s.value for s in at.subheader][:3] == ["Progress", "Attempts (3)", "Reopen an attempt"]
    assert len(at.get("vega_lite_chart")) >= 2  # overall, and levels per component, over attempts
    assert len(at.dataframe) == 1
    # The question as asked, not its id.
    assert list(at.dataframe[0].value["question"]) == [
        "Text of failed-campaign",
        "Text of missed-targets",
        "Text of failed-campaign",
    ]
    assert [b.label for b in at.get("download_button")] == [
        "Export JSON",
        "Export CSV",
        "Download PDF report",
    ]

    # The newest attempt is open, read-only: no answer box, no follow-up reply, its change shown.
    opened = next(s for s in at.selectbox if s.label == "Attempt")
    assert opened.format_func(opened.value).startswith("#3 ·")
    assert not at.text_area
    shown = html_of(at)
    assert "second try" in shown and "[Describe + Acknowledge + Analyze + Learn + Apply]" in shown
    assert any(m.value.startswith("**Change since your previous attempt") for m in at.markdown)
    assert "Text of failed-campaign" in opened.format_func(opened.value)

    # Reopen the first one: its markup shows as text.
    ok(opened.set_value(first).run())
    shown = html_of(at)
    assert "&lt;b&gt;first&lt;/b&gt;" in shown and "<b>first" not in shown

    # Filters: one question; then a date range with nothing in it.
    ok(next(s for s in at.selectbox if s.label == "Question").set_value("failed-campaign").run())
    assert "Attempts (2)" in [s.value for s in at.subheader]
    tomorrow = date.today() + timedelta(days=1)
    ok(next(d for d in at.date_input if d.label == "From").set_value(tomorrow).run())
    assert at.info[0].value == "No attempts match these filters."

    # The other question's attempt is no retry: no change since anything.
    at = open_app(candidate, page=HISTORY)
    ok(next(s for s in at.selectbox if s.label == "Attempt").set_value(second).run())
    assert "other question" in html_of(at)
    assert not any(m.value.startswith("**Change since") for m in at.markdown)


def test_an_unscored_attempt_can_be_scored_again_from_history(
    candidate: str, actor: Actor, app_storage: Storage
) -> None:
    attempt_id = _attempt(app_storage, actor, "failed-campaign", EXAMPLE_1)
    at = open_app(candidate, page=HISTORY)
    assert at.error[0].value.startswith("Your answer is saved, but scoring it failed")
    click(at, "Score again")
    assert app_storage.transcripts.get_attempt(actor, attempt_id).status == "scored"
    assert any(m.label == "Overall score" for m in at.metric)
    assert not at.error


def test_the_progress_chart_stays_readable_at_fifty_attempts(
    candidate: str, actor: Actor, app_storage: Storage
) -> None:
    for n in range(50):
        levels = [(n + i) % 5 for i in range(5)]
        _attempt(app_storage, actor, "failed-campaign", f"I led a campaign. try {n}", *levels)
    at = open_app(candidate, page=HISTORY)
    assert "Attempts (50)" in [s.value for s in at.subheader]
    elements = {json.dumps(json.loads(c.proto.spec)): c.proto for c in at.get("vega_lite_chart")}
    spec = next(s for s in elements if '"facet"' in s)
    levels_chart = json.loads(spec)
    # One small line chart per part (rows of a facet), attempts on a numeric axis: no bars to turn into slivers.
    assert levels_chart["facet"]["row"]["field"] == "component"
    assert levels_chart["spec"]["mark"]["type"] == "line"
    assert levels_chart["spec"]["encoding"]["x"]["type"] == "quantitative"
    data = pa.ipc.open_stream(elements[spec].data.data).read_all().to_pylist()
    assert len(data) == 250 and {row["attempt"] for row in data} == set(range(1, 51))
