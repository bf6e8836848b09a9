"""The interview loop with the real scorer over a real database: three follow-ups, no repeats, ignored replies."""

from __future__ import annotations

from pathlib import Path

from coach.practice.interview import MAX_FOLLOW_UPS
from coach.practice.workflow import make_practice
from coach.rubric import COMPONENT_NAMES, COMPONENTS, MAX_LEVEL, overall
from coach.scorecard import ComponentScore, Scorecard
from coach.scoring.scorer import Scorer
from coach.storage.permissions import Actor
from coach.storage.store import Storage
from tests.integration.test_practice import QUESTION, actor, storage  # noqa: F401 (fixtures)

EXAMPLE_1 = (Path(__file__).parents[1] / "data" / "rubric_example_1.txt").read_text().strip()
REPLIES = {
    "describe": "As head of growth I led the six-week Instagram campaign, with a budget of $80,000, aimed at "
    "getting 10,000 students aged 18 to 24 to sign up for our budgeting app.",
    "acknowledge": "We reached 3,100 sign-ups against a 10,000 target, and the channel choice was mine.",
    "analyze": "The post-mortem showed it: engagement came in 40% below target, and a survey found 70% of the "
    "audience spent its time on TikTok, where we had put 5% of the budget.",
    "learn": "I learned to check where the audience really spends its time before choosing a channel, and I "
    "now test the channel with a small budget first.",
    "apply": "On the next launch I tested three channels with 10% of the budget first, and sign-ups beat the "
    "target by 12%.",
}
IGNORING = "Thanks for asking. I really enjoy hiking on weekends with my family and friends."


def test_three_follow_ups_each_on_a_new_part_then_the_interview_ends(
    storage: Storage,  # noqa: F811
    actor: Actor,  # noqa: F811
    scorer: Scorer,
) -> None:
    practice = make_practice(storage.transcripts, lambda: scorer)
    outcome = practice.submit(actor, QUESTION, EXAMPLE_1)
    asked: list[str] = []
    probed: list[str | None] = []
    for _ in range(MAX_FOLLOW_UPS):
        follow_up = outcome.follow_up
        assert follow_up is not None and follow_up.question
        assert outcome.card is not None
        if follow_up.probes is not None:  # the weakest part not probed yet
            levels = outcome.card.levels
            assert levels[follow_up.probes] == min(v for c, v in levels.items() if c not in probed)
        asked.append(follow_up.question)
        probed.append(follow_up.probes)
        reply = REPLIES.get(follow_up.probes or "", REPLIES["apply"])
        outcome = practice.answer_follow_up(actor, outcome.attempt.id, follow_up, reply)
        assert outcome.card is not None and not outcome.card.refused
    assert len(set(asked)) == MAX_FOLLOW_UPS, asked  # never the same question twice
    assert len(set(probed)) == MAX_FOLLOW_UPS, probed  # each on a part not probed before
    assert outcome.follow_up is None  # three asked: the interview is over
    stored = storage.transcripts.get_attempt(actor, outcome.attempt.id)
    assert [t.question for t in stored.turns] == asked
    assert [t.probes for t in stored.turns] == probed
    # Reopened later, it stays over.
    assert practice.open(actor, outcome.attempt.id).follow_up is None


def test_a_reply_that_ignores_the_question_is_told_so_and_does_not_raise_that_part(
    storage: Storage,  # noqa: F811
    actor: Actor,  # noqa: F811
    scorer: Scorer,
) -> None:
    practice = make_practice(storage.transcripts, lambda: scorer)
    first = practice.submit(actor, QUESTION, EXAMPLE_1)
    assert first.card is not None and first.follow_up is not None
    part = first.follow_up.probes
    assert part is not None
    ignored = practice.answer_follow_up(actor, first.attempt.id, first.follow_up, IGNORING)
    assert ignored.card is not None
    assert ignored.unanswered is not None and COMPONENT_NAMES[part] in ignored.unanswered
    assert ignored.card.levels[part] <= first.card.levels[part]
    assert ignored.unanswered in ignored.card.notes  # kept with the stored card, for History and the PDF
    stored = storage.transcripts.get_attempt(actor, first.attempt.id).latest_scorecard
    assert stored is not None and ignored.unanswered in stored.result["notes"]
    # The next question moves on: that part counts as probed, and the question is a new one.
    assert ignored.follow_up is not None
    assert ignored.follow_up.probes != part
    assert ignored.follow_up.question != first.follow_up.question

    # A reply that does answer its question is not told anything.
    answered = practice.answer_follow_up(
        actor, first.attempt.id, ignored.follow_up, REPLIES[ignored.follow_up.probes or "apply"]
    )
    assert answered.unanswered is None


class GenerousAfterAReply:
    """The real scorer, except that any exchange holding IGNORING gets `part` at the top level, its evidence
    taken from the first answer: a scorer (a newer model, say) that reads the whole exchange more kindly
    without the reply addressing the part."""

    def __init__(self, scorer: Scorer, part: str) -> None:
        self._scorer, self._part = scorer, part
        self.version = scorer.version

    def score(self, answer: str, *, question: str | None = None) -> Scorecard:
        card = self._scorer.score(answer, question=question)
        if IGNORING not in answer:
            return card
        first = answer.split("\n\n")[0].split(". ")[0]
        components = {**card.components, self._part: ComponentScore(MAX_LEVEL, (first,), "")}
        levels = {c: components[c].level for c in COMPONENTS}
        return card.revised(components=components, overall=overall(levels))


def test_scoring_again_keeps_a_part_an_ignored_reply_held(
    storage: Storage,  # noqa: F811
    actor: Actor,  # noqa: F811
    scorer: Scorer,
) -> None:
    first = make_practice(storage.transcripts, lambda: scorer).submit(actor, QUESTION, EXAMPLE_1)
    assert first.card is not None and first.follow_up is not None and first.follow_up.probes is not None
    part = first.follow_up.probes
    held_at = first.card.levels[part]
    assert held_at < MAX_LEVEL
    practice = make_practice(storage.transcripts, lambda: GenerousAfterAReply(scorer, part))
    ignored = practice.answer_follow_up(actor, first.attempt.id, first.follow_up, IGNORING)
    assert ignored.card is not None and ignored.card.levels[part] == held_at

    again = practice.score_again(actor, first.attempt.id)
    assert again.card is not None
    assert again.card.levels[part] == held_at  # the whole exchange re-read does not undo the judgement
    assert ignored.unanswered in again.card.notes
    assert again.card.overall == ignored.card.overall
