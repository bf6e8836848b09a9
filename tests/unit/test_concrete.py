"""Levels of 3 or more rest on a concrete element of the part; rubric words alone cannot climb."""

from __future__ import annotations

from coach.scoring.concrete import concrete_elements, gate_levels
from coach.scoring.context import heading_part, section_context
from coach.scoring.model import unique

RUBRIC_SPEAK = (
    "I led a campaign with a clear goal, a defined audience and the right channel.",
    "It fell short of expectations and I owned that.",
    "I identified the root causes through data.",
    "The key lesson reshaped my approach.",
    "I applied it and results improved.",
)


def test_rubric_words_are_not_concrete() -> None:
    assert all(concrete_elements(s) == [] for s in RUBRIC_SPEAK)


def test_details_in_the_answers_own_terms_are_concrete() -> None:
    assert "instagram" in concrete_elements("I ran an Instagram campaign for our gym.")
    assert any("40%" in e for e in concrete_elements("We reached 40% of the sign-up target."))
    assert "late" in concrete_elements("The launch email went out four days late.")
    assert "survey" in concrete_elements("A survey of lapsed buyers showed the offer was weak.")
    assert "Promoter.io" in concrete_elements("The latest campaign I ran for Promoter.io flopped.")


def test_without_any_detail_every_part_stays_low() -> None:
    levels = {"describe": 3, "acknowledge": 3, "analyze": 4, "learn": 3, "apply": 2}
    evidence = {c: list(RUBRIC_SPEAK) for c in levels}
    assert gate_levels(levels, evidence, RUBRIC_SPEAK) == {
        "describe": 1,
        "acknowledge": 2,
        "analyze": 1,
        "learn": 1,
        "apply": 1,
    }


def test_a_specific_level_needs_a_detail_among_its_own_evidence() -> None:
    sentences = ("I ran an Instagram campaign for students.", "I applied the lesson and results improved.")
    levels = {"describe": 3, "acknowledge": 2, "analyze": 2, "learn": 3, "apply": 3}
    evidence = {
        "describe": [sentences[0]],
        "acknowledge": [],
        "analyze": [],
        "learn": [],
        "apply": [sentences[1]],
    }
    gated = gate_levels(levels, evidence, sentences)
    assert gated["describe"] == 3 and gated["apply"] == 2
    # A lesson is specific by following from its cause, in words of its own: held to the answer-wide rule.
    assert gated["learn"] == 3


def test_section_labels_carry_to_the_sentences_under_them() -> None:
    assert heading_part("Lessons learned: cows come in different types.") == "learn"
    assert heading_part("Result: 40% of target.") == "acknowledge"
    assert heading_part("S: I ran email at a retailer.") == "describe"
    assert heading_part("A few things went wrong.") is None
    context = section_context(["Intro line.", "Lessons learned:", "Pay for the right photo.", "Why: no QA."])
    assert context[0].sum() == 0
    assert context[2, 3] == 1 and context[1, -1] == 1 and context[2, -1] == 0
    assert context[3, 2] == 1


def test_repeated_sentences_count_once() -> None:
    assert unique(["We missed.", "we missed", "Then we fixed it.", "We missed."]) == [
        "We missed.",
        "Then we fixed it.",
    ]


def test_the_describe_checklist_reads_goal_role_and_channel() -> None:
    from coach.scoring.ladder import describe_floor

    assert describe_floor(["Thanks for having me."]) == 0
    assert describe_floor(["We did a campaign once."]) == 1
    assert describe_floor(["We ran an Instagram campaign."]) == 2
    assert describe_floor(["I ran an Instagram campaign to get students to sign up."]) >= 3
    # Rubric words alone name no channel or audience of their own.
    assert (
        describe_floor(["I led a campaign with a clear goal, a defined audience and the right channel."]) == 2
    )
