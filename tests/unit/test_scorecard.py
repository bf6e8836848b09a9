"""The scorecard model and its JSON contract: cards stored before the typed model load, and dump the same."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from coach.rubric import COMPONENTS, Flag
from coach.scorecard import (
    ComponentScore,
    Disagreement,
    FallbackReview,
    JudgeReview,
    Related,
    Rewrite,
    Scorecard,
    refused_card,
)

# Rows as the attempts table holds them from before the typed model (coach 105beb2): a built-in card as the
# practice flow stored it, the same answer judged by the LLM with one disagreement, and a fallback.
OLD_BUILTIN: dict[str, Any] = {
    "overall": 45,
    "components": {
        "describe": {
            "level": 3,
            "evidence": ["I led our spring email campaign."],
            "feedback": "Clear set-up.",
        },
        "acknowledge": {"level": 2, "evidence": ["It missed its target."], "feedback": "Say by how much."},
        "analyze": {"level": 1, "evidence": [], "feedback": "Why did it miss?"},
        "learn": {"level": 2, "evidence": ["I learned to test."], "feedback": "Make it yours."},
        "apply": {"level": 1, "evidence": [], "feedback": "Where did you use it?"},
    },
    "flags": ["no_metrics", "too_short"],
    "follow_up": "By how much did it miss?",
    "related": [
        {"id": "hbo-max-test-email", "title": "HBO Max test email", "kind": "case", "why": "A send."}
    ],
    "scorer": "builtin-5802116ecf86",
    "refused": None,
    "notes": [],
    "word_count": 96,
    "failure_mode": "list-quality",
    "exemplar": {"id": "a-012", "answer": "A strong answer.", "failure_mode": "list-quality", "overall": 90},
    "transcript_turns": 0,
}
DISAGREEMENT_NOTE = (
    "The LLM judge gave analyze 3/4 and the built-in scorer 1/4: the judge and the built-in scorer differ by "
    "2 levels; the built-in level is kept."
)
OLD_JUDGED: dict[str, Any] = {
    **OLD_BUILTIN,
    "overall": 50,
    "components": {
        **OLD_BUILTIN["components"],
        "describe": {**OLD_BUILTIN["components"]["describe"], "level": 4},
    },
    "flags": ["no_metrics", "too_short", "blame"],
    "scorer": "builtin-5802116ecf86+llm-judge-1",
    "notes": [DISAGREEMENT_NOTE],
    "llm": {
        "model": "gpt-4o-mini",
        "prompts": {"judge": "judge-1", "rewrite": "rewrite-1"},
        "rewrite": {
            "text": "I led it; we missed by [by how much?].",
            "missing": ["the gap"],
            "removed_numbers": [],
        },
        "status": "ok",
        "repaired": False,
        "levels": {"describe": 4, "acknowledge": 2, "analyze": 3, "learn": 2, "apply": 1},
        "builtin_levels": {"describe": 3, "acknowledge": 2, "analyze": 1, "learn": 2, "apply": 1},
        "components": {
            c: {"level": lv, "quote": "I led", "quote_found": True, "rationale": f"Because {c}."}
            for c, lv in zip(COMPONENTS, (4, 2, 3, 2, 1), strict=True)
        },
        "flags": ["blame"],
        "follow_up": "What did the data show?",
        "feedback": "Name the number.",
    },
    "judge_disagreement": [
        {
            "component": "analyze",
            "builtin": 1,
            "llm": 3,
            "kept": "builtin",
            "reason": "the judge and the built-in scorer differ by 2 levels",
        }
    ],
    "fallback": None,
}
FALLBACK_NOTE = "LLM judge unavailable: the LLM did not answer within 30 s. This is the built-in score."
OLD_FALLBACK: dict[str, Any] = {
    **OLD_BUILTIN,
    "notes": ["The answer has 6,000 words; only the first 5,000 were scored.", FALLBACK_NOTE],
    "llm": {
        "model": "gpt-4o-mini",
        "prompts": {"judge": "judge-1"},
        "rewrite": None,
        "rewrite_error": "the LLM did not answer within 30 s",
        "status": "fallback",
        "reason": "timeout",
        "message": "the LLM did not answer within 30 s",
    },
    "judge_disagreement": [],
    "fallback": FALLBACK_NOTE,
}
# Keys the typed model added; an old row reads as their defaults.
NEW_KEYS = {"pattern": None, "keyword_stuffed": False}


def test_an_old_built_in_card_loads_and_dumps_as_it_was() -> None:
    card = Scorecard.model_validate(OLD_BUILTIN)
    assert card.levels == {"describe": 3, "acknowledge": 2, "analyze": 1, "learn": 2, "apply": 1}
    assert card.flags == (Flag.NO_METRICS, Flag.TOO_SHORT)
    assert card.components["describe"].evidence == ("I led our spring email campaign.",)
    assert card.related == (Related("hbo-max-test-email", "HBO Max test email", "case", "A send."),)
    assert card.exemplar is not None and card.exemplar.overall == 90
    assert card.transcript_turns == 0 and card.llm is None
    assert card.model_dump(mode="json") == {**OLD_BUILTIN, **NEW_KEYS}


def test_an_old_judged_card_gives_a_typed_review() -> None:
    card = Scorecard.model_validate(OLD_JUDGED)
    review = card.llm
    assert isinstance(review, JudgeReview)
    assert review.levels["analyze"] == 3 and review.builtin_levels["analyze"] == 1
    assert review.components["learn"].rationale == "Because learn."
    assert review.disagreements == (
        Disagreement("analyze", 1, 3, "the judge and the built-in scorer differ by 2 levels"),
    )
    assert review.rewrite == Rewrite("I led it; we missed by [by how much?].", ("the gap",), ())
    assert review.flags == (Flag.BLAME,)
    # The disagreement's line is the review's, not the scorer's: pages show it once, in the LLM's block.
    assert card.notes == () and card.all_notes == (DISAGREEMENT_NOTE,)
    assert card.model_dump(mode="json") == {
        **OLD_JUDGED,
        **NEW_KEYS,
        "llm": {**OLD_JUDGED["llm"], "rewrite_error": None},
    }


def test_an_old_fallback_card_gives_the_reason() -> None:
    card = Scorecard.model_validate(OLD_FALLBACK)
    assert isinstance(card.llm, FallbackReview)
    assert (card.llm.reason, card.llm.message) == ("timeout", "the LLM did not answer within 30 s")
    assert card.llm.note == FALLBACK_NOTE
    assert card.notes == ("The answer has 6,000 words; only the first 5,000 were scored.",)
    assert card.model_dump(mode="json") == {**OLD_FALLBACK, **NEW_KEYS}


@pytest.mark.parametrize("old", [OLD_BUILTIN, OLD_JUDGED, OLD_FALLBACK])
def test_every_card_survives_its_own_json(old: dict[str, Any]) -> None:
    card = Scorecard.model_validate(old)
    assert Scorecard.model_validate(card.model_dump(mode="json")) == card
    assert Scorecard.model_validate_json(card.model_dump_json()) == card
    assert Scorecard.model_validate({**old, "added_by_a_newer_coach": [1]}) == card


def test_a_card_without_the_llm_has_none_of_its_keys() -> None:
    dumped = Scorecard.model_validate(OLD_BUILTIN).revised(transcript_turns=None).model_dump(mode="json")
    assert not {"llm", "judge_disagreement", "fallback", "transcript_turns"} & set(dumped)


def test_the_card_is_frozen_and_checked() -> None:
    card = Scorecard.model_validate(OLD_BUILTIN)
    with pytest.raises(ValidationError):
        card.overall = 100  # type: ignore[misc]
    bad: list[dict[str, Any]] = [
        {**OLD_BUILTIN, "flags": ["not_a_flag"]},
        {**OLD_BUILTIN, "components": {c: v for c, v in OLD_BUILTIN["components"].items() if c != "apply"}},
        {**OLD_BUILTIN, "components": {**OLD_BUILTIN["components"], "apply": {"level": 5}}},
        {**OLD_BUILTIN, "overall": 101},
    ]
    for data in bad:
        with pytest.raises(ValidationError):
            Scorecard.model_validate(data)
    judged = copy.deepcopy(OLD_JUDGED)
    judged["judge_disagreement"][0]["component"] = "vision"
    with pytest.raises(ValidationError, match="not a rubric component"):
        Scorecard.model_validate(judged)
    with pytest.raises(ValidationError):
        card.revised(overall=-1)


def test_components_come_back_in_the_rubric_order() -> None:
    shuffled = {c: OLD_BUILTIN["components"][c] for c in reversed(COMPONENTS)}
    assert list(Scorecard.model_validate({**OLD_BUILTIN, "components": shuffled}).components) == list(
        COMPONENTS
    )


def test_a_refused_card() -> None:
    card = refused_card("The answer is empty.", "builtin-x", 0)
    assert card.refused == "The answer is empty." and card.overall == 0
    assert card.components == {c: ComponentScore(0) for c in COMPONENTS}
    assert Scorecard.model_validate(card.to_dict()) == card
