"""Bad input (issue 15) for the scoring API: unicode, control characters, huge,
empty, binary, HTML/JS, SQL-looking and prompt-injection text. Every input gets a scorecard (a refusal being a
card with its reason) or one clear CoachError; nothing else escapes.

`make test` runs the "ci" profile (fixed seed); `make fuzz` the "fuzz" profile (tests/conftest.py). The inputs
are tests/fuzz/inputs.py's, shared with the uploads, forms and CLI suites.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import CoachError
from coach.scorecard import Scorecard
from coach.scoring.scorer import Scorer
from tests.fuzz.conftest import Examples
from tests.fuzz.inputs import texts


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)
@given(answer=texts, question=st.one_of(st.none(), texts))
def test_the_scorer_takes_any_text(
    scorer: Scorer, examples: Examples, answer: str, question: str | None
) -> None:
    examples.hit()
    try:
        card = scorer.score(answer, question=question, with_related=False)
    except CoachError as exc:
        assert str(exc).strip()
        return
    assert isinstance(card, Scorecard)
    examples.ok()
    assert 0 <= card.overall <= 100
    assert card.refused or card.word_count >= 0
