"""The cross-check between the LLM judge and the built-in scorer, on fixed verdicts."""

from __future__ import annotations

from dataclasses import asdict

from coach.llm.judge import JudgeVerdict, first_sentence, merged_flags, quote_in_answer, reconcile

ANSWER = "I led the spring email campaign. It missed the sign-up target. The offer was weak."
BUILTIN = {"describe": 3, "acknowledge": 2, "analyze": 2, "learn": 0, "apply": 1}


def verdict(
    levels: dict[str, int], quote: str = "I led the spring email campaign", flags: list[str] | None = None
) -> JudgeVerdict:
    return JudgeVerdict.model_validate(
        {
            **{
                c: {"level": v, "quote": quote if v else "", "rationale": "Because."}
                for c, v in levels.items()
            },
            "flags": flags or [],
            "follow_up": "Why?",
            "feedback": "Good.",
        }
    )


def test_within_one_level_the_judge_is_kept() -> None:
    judged = {"describe": 4, "acknowledge": 1, "analyze": 3, "learn": 1, "apply": 1}
    levels, conflicts = reconcile(BUILTIN, [], verdict(judged), ANSWER)
    assert levels == judged and conflicts == []


def test_two_levels_apart_keeps_the_builtin_level_and_says_so() -> None:
    levels, conflicts = reconcile(BUILTIN, [], verdict({**BUILTIN, "learn": 2, "apply": 4}), ANSWER)
    assert levels == BUILTIN
    assert [(d.component, d.builtin, d.llm) for d in conflicts] == [("learn", 0, 2), ("apply", 1, 4)]
    assert asdict(conflicts[1]) == {
        "component": "apply",
        "builtin": 1,
        "llm": 4,
        "kept": "builtin",
        "reason": "the judge and the built-in scorer differ by 3 levels",
    }
    assert conflicts[1].note == (
        "The LLM judge gave apply 4/4 and the built-in scorer 1/4: "
        "the judge and the built-in scorer differ by 3 levels; the built-in level is kept."
    )


def test_injection_keeps_every_builtin_level_that_differs() -> None:
    judged = {"describe": 4, "acknowledge": 2, "analyze": 3, "learn": 0, "apply": 1}
    levels, conflicts = reconcile(BUILTIN, ["injection"], verdict(judged), ANSWER)
    assert levels == BUILTIN
    assert {d.component for d in conflicts} == {"describe", "analyze"}
    assert all("injection" in d.reason for d in conflicts)


def test_an_invented_quote_is_not_trusted() -> None:
    levels, conflicts = reconcile(BUILTIN, [], verdict(BUILTIN, quote="we surveyed 2,000 customers"), ANSWER)
    assert levels == BUILTIN  # same levels, but the reason is recorded for every component with a level
    assert {d.reason for d in conflicts} == {"the judge's quote is not in the answer"}


def test_quotes_match_despite_case_spacing_and_quote_marks() -> None:
    assert quote_in_answer("“it missed  the sign-up target.”", ANSWER)
    assert not quote_in_answer("", ANSWER)
    assert not quote_in_answer("the offer was strong", ANSWER)


def test_judge_may_add_judgement_flags_only() -> None:
    v = verdict(BUILTIN, flags=["blame", "no_metrics", "off_topic", "too_long"])
    assert merged_flags(["too_short"], v) == ["too_short", "blame"]
    assert merged_flags(["injection"], v) == ["injection"]


def test_rationale_is_one_sentence() -> None:
    assert first_sentence("It says X. Then more. And more.") == "It says X."
    assert first_sentence("e.g. it says x") == "e.g. it says x"
    assert len(first_sentence("word " * 200)) == 400
