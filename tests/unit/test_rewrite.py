"""The rewrite check: no number reaches the candidate that their answer did not state."""

from __future__ import annotations

from coach.llm.rewrite import MISSING_NUMBER, RewrittenAnswer, check_rewrite, numbers_in

ANSWER = (
    "I led a $40k campaign in Q3 2022 that reached forty percent of a 1,500 sign-up target over six weeks."
)


def rewrite(text: str, missing: list[str] | None = None):
    return check_rewrite(RewrittenAnswer(rewrite=text, missing=missing or []), ANSWER)


def test_numbers_are_normalised() -> None:
    assert numbers_in(ANSWER) >= {"40", "3", "2022", "1500", "6"}
    assert numbers_in("2.50 and 2.5 and 1,000") == {"2.5", "1000"}


def test_the_candidates_own_numbers_stay_in_any_spelling() -> None:
    text = "I led a $40k campaign in Q3 2022: we hit 40% of the 1,500 target in 6 weeks."
    result = rewrite(text)
    assert result.text == text and result.removed_numbers == ()


def test_invented_numbers_are_replaced_and_listed() -> None:
    result = rewrite(
        "Sign-ups fell 35% and a survey of 200 users showed why; next time ROI rose threefold, then 2x."
    )
    assert result.text == (
        f"Sign-ups fell {MISSING_NUMBER} and a survey of {MISSING_NUMBER} users showed why; "
        f"next time ROI rose threefold, then {MISSING_NUMBER}."
    )
    assert result.removed_numbers == ("35%", "200", "2x")
    assert result.missing[-1].startswith("Numbers the coach could not find")


def test_spelled_out_inventions_and_currency_are_caught_whole() -> None:
    result = rewrite("We spent $90,000 over twelve weeks, about €3.5m in total, forty percent on video.")
    assert result.text == (
        f"We spent {MISSING_NUMBER} over {MISSING_NUMBER} weeks, about {MISSING_NUMBER} in total, forty percent on video."
    )
    assert result.removed_numbers == ("$90,000", "twelve", "€3.5m")


def test_bracketed_prompts_pass_and_missing_notes_are_checked_too() -> None:
    result = rewrite("Sign-ups rose [by how much?].", ["Add the result, e.g. up 25%", "Name the target"])
    assert result.text == "Sign-ups rose [by how much?]."
    assert result.missing[:2] == (f"Add the result, e.g. up {MISSING_NUMBER}", "Name the target")
