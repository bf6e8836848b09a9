"""What the scorecard puts first: the most useful coaching point, and an exemplar only when it is stronger."""

from __future__ import annotations

from coach.practice.focus import exemplar_to_show, most_useful_point
from coach.rubric import COMPONENTS, overall
from coach.scorecard import ComponentScore, Exemplar, Scorecard, refused_card


def card(*levels: int, flags: tuple[str, ...] = (), exemplar: int | None = None) -> Scorecard:
    by_part = dict(zip(COMPONENTS, levels, strict=True))
    return Scorecard(
        overall=overall(by_part),
        components={c: ComponentScore(v, (), f"Coach {c} at {v}.") for c, v in by_part.items()},
        flags=flags,
        scorer="test",
        exemplar=None if exemplar is None else Exemplar("e-1", "A strong answer.", None, exemplar),
    )


def test_the_weakest_part_comes_first() -> None:
    point = most_useful_point(card(3, 3, 1, 2, 3))
    assert point is not None
    assert (point.component, point.level, point.text) == ("analyze", 1, "Coach analyze at 1.")
    assert point.title == "Analyze · 1/4"


def test_a_tie_goes_to_the_part_an_interviewer_weighs_most() -> None:
    point = most_useful_point(card(1, 2, 2, 1, 1))
    assert point is not None and point.component == "apply"  # apply before learn before describe
    point = most_useful_point(card(2, 2, 2, 2, 2))
    assert point is not None and point.component == "acknowledge"


def test_a_capping_flag_points_at_the_part_it_caps() -> None:
    point = most_useful_point(card(1, 2, 3, 3, 0, flags=("blame",)))
    assert point is not None and point.component == "acknowledge"
    # Unless that part is already at the top: then the weakest part again.
    point = most_useful_point(card(1, 4, 3, 3, 2, flags=("disguised_success",)))
    assert point is not None and point.component == "describe"


def test_nothing_to_point_at_when_refused_or_perfect() -> None:
    assert most_useful_point(refused_card("empty", "test")) is None
    assert most_useful_point(card(4, 4, 4, 4, 4)) is None


def test_an_exemplar_shows_only_when_it_scored_above_the_candidate() -> None:
    mine = card(3, 3, 3, 3, 3, exemplar=90)  # the candidate: 75
    assert exemplar_to_show(mine) is not None
    assert exemplar_to_show(card(3, 3, 3, 3, 3, exemplar=75)) is None
    assert exemplar_to_show(card(4, 4, 4, 4, 3, exemplar=85)) is None
    assert exemplar_to_show(card(3, 3, 3, 3, 3)) is None
