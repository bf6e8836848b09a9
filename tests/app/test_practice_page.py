"""The Practice page through AppTest: answer, scorecard, follow-up, try again, failures, voice, escaping."""

from __future__ import annotations

import pytest

from coach.config import get_settings
from coach.scorecard import Scorecard
from coach.scoring.scorer import Scorer
from coach.storage.permissions import Actor
from coach.storage.store import Storage
from tests.app.conftest import (
    EXAMPLE_1,
    NAMES,
    PASSWORD,
    TOKEN,
    actor_of,
    answer_box,
    click,
    html_of,
    ok,
    open_app,
    submit_answer,
    text_area,
)
from tests.fake_openai import FakeOpenAI, Reply


def attempt_card(storage: Storage, actor: Actor, attempt_id: int) -> Scorecard:
    """The attempt's newest stored scorecard."""
    record = storage.transcripts.get_attempt(actor, attempt_id).latest_scorecard
    assert record is not None
    return Scorecard.model_validate(record.result)


def test_candidates_land_on_practice_with_the_question_bank(candidate: str) -> None:
    at = open_app(candidate)
    assert at.title[0].value == "Practice"
    question = at.selectbox[0]
    assert question.label == "Question"
    assert question.value == "failed-campaign"
    assert len(question.options) >= 5
    assert not at.get("audio_input")  # no transcription backend configured
    box = answer_box(at).data  # the browser counts words and time from these (tests/e2e/test_answer_box.py)
    assert box["label"] == "Your answer" and box["text"] == ""
    assert (box["low"], box["high"]) == (250, 350) and 0 <= box["elapsed"] < 60


def test_surprise_me_picks_another_question(candidate: str) -> None:
    at = open_app(candidate)
    click(at, "🎲 Surprise me")
    assert at.selectbox[0].value != "failed-campaign"
    chosen = at.selectbox[0].value
    answer_box(at).input("some words").run()
    assert at.selectbox[0].value == chosen  # the choice survives reruns


def test_try_again_keeps_the_question_and_new_question_forgets_the_attempt(candidate: str) -> None:
    at = open_app(candidate)
    click(at, "🎲 Surprise me")
    chosen = at.selectbox[0].value
    at = submit_answer(
        at, "I led a paid social campaign that missed its sign-up target by forty percent last spring."
    )
    at = click(at, "↻ Try again")
    assert at.selectbox[0].value == chosen
    assert at.expander[-1].label == "Your previous answer to this question"
    at = submit_answer(at, "I led an email campaign that failed because we sent it at three in the morning.")
    at = click(at, "New question")
    assert at.selectbox[0].value == chosen  # the choice stays; the previous answer does not
    assert all(e.label != "Your previous answer to this question" for e in at.expander)
    assert answer_box(at).value == ""


def test_the_answer_box_gets_the_question_band_and_keeps_what_was_typed(candidate: str) -> None:
    at = open_app(candidate)
    ok(answer_box(at).input(EXAMPLE_1).run())
    assert answer_box(at).value == EXAMPLE_1
    version = answer_box(at).data["version"]
    ok(at.run())  # a run from anything else (another widget) keeps the text and does not send it back as new
    box = answer_box(at).data
    assert box["text"] == EXAMPLE_1 and box["version"] == version and (box["low"], box["high"]) == (250, 350)


def test_rehearse_with_a_case_shows_the_scenario(candidate: str) -> None:
    at = open_app(candidate)
    ok(at.toggle[0].set_value(True).run())
    case = next(s for s in at.selectbox if s.label == "Case")
    ok(case.set_value("adidas-boston-marathon-email-2017").run())
    shown = "\n".join(m.value for m in at.markdown)
    assert "Scenario: Adidas emails runners" in shown
    assert "**Goal**" in shown and "**What happened**" in shown


def test_an_empty_answer_is_not_saved(candidate: str, app_storage: Storage) -> None:
    at = open_app(candidate)
    click(at, "Score my answer")
    assert [e.value for e in at.error] == ["Type (or record) your answer first."]
    assert app_storage.transcripts.list_attempts(actor_of(app_storage, candidate)) == []


def test_example_1_scorecard_then_follow_up_then_try_again(candidate: str, app_storage: Storage) -> None:
    actor = actor_of(app_storage, candidate)
    at = submit_answer(open_app(candidate), EXAMPLE_1)

    # Saved and scored.
    (attempt,) = app_storage.transcripts.list_attempts(actor)
    assert attempt.status == "scored" and attempt.answer == EXAMPLE_1
    assert [h.value for h in at.header] == ["Scorecard", "Follow-up"]
    overall = next(m for m in at.metric if m.label == "Overall score")
    assert overall.value.endswith("/100")
    html = html_of(at)
    # Scorecard first: the levels and the one point to work on come before the transcript.
    assert not at.get("vega_lite_chart")  # no chart repeating the levels' text
    assert html.index('class="coach-levels"') < html.index('class="coach-focus"') < html.index("coach-answer")
    card = attempt_card(app_storage, actor, attempt.id)
    for name, level in zip(NAMES, card.levels.values(), strict=True):
        assert f'{name}</span> <b class="coach-level">{level}/4</b>' in html
    assert "Work on this first: " in html
    for name in NAMES:
        assert f"[{name}]" in html  # evidence labelled in text, not by colour alone
        assert any(m.value.startswith(f"**{name}** · level ") for m in at.markdown)  # coaching per component
    assert html.count('<mark class="coach-evidence"') >= 5
    assert "<b>no_metrics</b>: No number, percentage or measured result" in html
    assert any(s.value == "Related cases" for s in at.subheader)
    assert any(c.value.startswith("Why it matched:") for c in at.caption)
    compare = [e for e in at.expander if e.label.startswith("A strong answer to compare")]
    assert card.exemplar is not None
    assert len(compare) == (1 if card.exemplar.overall > card.overall else 0)
    follow_up = at.chat_message[-1]
    assert follow_up.avatar == "🧑‍💼"
    assert "?" in follow_up.get("html")[0].value

    # Follow-up: one transcript, stored turn, scored again as a whole.
    text_area(at, "Your reply to the interviewer").input(
        "I found it in the post-mortem: engagement was 40% below target and 70% of the audience was on TikTok, "
        "where we had spent 5% of the budget."
    )
    at = click(at, "Send reply and score the whole exchange")
    stored = app_storage.transcripts.get_attempt(actor, attempt.id)
    assert len(stored.turns) == 1 and stored.turns[0].answer.startswith("I found it in the post-mortem")
    assert len(stored.scorecards) == 2 and stored.status == "scored"
    assert stored.scorecards[-1].result["transcript_turns"] == 1
    assert "no_metrics" not in stored.scorecards[-1].result["flags"]
    assert any(m.value == "**Change since your answer before the follow-up**" for m in at.markdown)
    assert "40% below target" in html_of(at)

    # Try again: a new attempt; the first stays; the change per component is shown.
    at = click(at, "↻ Try again")
    assert answer_box(at).value == ""
    assert at.expander[-1].label == "Your previous answer to this question"
    at = submit_answer(at, EXAMPLE_1 + " Engagement rose 35% on the next three launches.")
    assert len(app_storage.transcripts.list_attempts(actor)) == 2
    change = next(m.value for m in at.markdown if m.value.startswith("**Change since your previous attempt"))
    assert change
    deltas = {m.label: m.delta for m in at.metric if m.label in NAMES}
    assert set(deltas) == set(NAMES)
    assert all(d == "0" or d[0] in "+-" for d in deltas.values()), deltas


def test_another_user_in_the_same_browser_never_sees_the_last_attempt(
    candidate: str, app_storage: Storage
) -> None:
    at = submit_answer(
        open_app(candidate), "I led a campaign for a bank that failed to reach students at all."
    )
    assert at.header[0].value == "Scorecard"
    app_storage.accounts.create_user_from_shell("Acme", "other@acme.example", "candidate", PASSWORD)
    at.session_state[TOKEN] = app_storage.accounts.sign_in("other@acme.example", PASSWORD).token
    ok(at.run())
    assert at.title[0].value == "Practice" and not at.header  # the answer box, not the other's scorecard
    assert "practice_attempt" not in at.session_state
    assert "bank that failed" not in html_of(at)


def test_a_scoring_failure_keeps_the_answer_and_offers_score_again(
    candidate: str, app_storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    actor = actor_of(app_storage, candidate)

    def broken(self: Scorer, answer: str, *, question: str | None = None, with_related: bool = True) -> None:
        raise RuntimeError("the model file is corrupt")

    original = Scorer.score
    monkeypatch.setattr(Scorer, "score", broken)
    at = submit_answer(open_app(candidate), EXAMPLE_1)
    (attempt,) = app_storage.transcripts.list_attempts(actor)
    assert attempt.status == "unscored" and attempt.answer == EXAMPLE_1
    assert "Your answer is saved, but scoring it failed" in at.error[0].value
    assert not at.header  # no scorecard

    monkeypatch.setattr(Scorer, "score", original)
    at = click(at, "Score again")
    assert app_storage.transcripts.get_attempt(actor, attempt.id).status == "scored"
    assert [h.value for h in at.header][:1] == ["Scorecard"]
    assert not at.error


@pytest.mark.parametrize(
    "answer",
    [
        "<script>alert(1)</script>",
        "I led a <b>launch</b> campaign that failed <img src=x onerror=alert(1)> and we missed the target by 40%.",
    ],
)
def test_answers_are_rendered_as_text(candidate: str, answer: str) -> None:
    at = submit_answer(open_app(candidate), answer)
    html = html_of(at)
    assert "<script" not in html and "<img" not in html and "<b>launch" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;img src=x onerror=alert(1)&gt;" in html
    # Nothing from the answer reaches Markdown either.
    assert all("alert(1)" not in m.value for m in at.markdown)


def test_voice_answer_is_transcribed_into_the_answer_box(
    candidate: str, fake_llm: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_llm.script(
        "transcription", Reply(body={"text": "I led a paid social campaign that missed its target."})
    )
    monkeypatch.setenv("COACH_LLM_TRANSCRIPTION_BASE_URL", fake_llm.url)
    get_settings.cache_clear()
    try:
        at = open_app(candidate)
        (audio,) = at.get("audio_input")
        ok(audio.set_value(("answer.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64), "audio/wav")).run())
        assert answer_box(at).value == "I led a paid social campaign that missed its target."
        assert len(fake_llm.of_kind("transcription")) == 1
        ok(answer_box(at).input("I led a paid social campaign that missed its target by 30%.").run())
        assert len(fake_llm.of_kind("transcription")) == 1  # the same recording is not sent twice
        assert "30%" in answer_box(at).value
    finally:
        get_settings.cache_clear()  # the next test must not see this test's transcription endpoint
