"""What a scorecard puts first: the one coaching point that helps most, and whether an exemplar is worth showing."""

from __future__ import annotations

from dataclasses import dataclass

from coach.rubric import COMPONENT_NAMES, COMPONENTS, MAX_LEVEL, Flag
from coach.scorecard import Exemplar, Scorecard

# Between two parts at the same level, the one an interviewer weighs most: owning the miss, then the
# diagnosis, then what changed afterwards; the set-up is rarely what loses the room.
WEIGHT_ORDER = ("acknowledge", "analyze", "apply", "learn", "describe")
# A flag that caps one part whatever else the answer does: fixing it comes before anything else.
CAPPING_FLAGS = {Flag.BLAME: "acknowledge", Flag.DISGUISED_SUCCESS: "acknowledge"}


@dataclass(frozen=True)
class CoachingPoint:
    component: str
    level: int
    text: str

    @property
    def title(self) -> str:
        return f"{COMPONENT_NAMES[self.component]} · {self.level}/{MAX_LEVEL}"


def most_useful_point(card: Scorecard) -> CoachingPoint | None:
    """The coaching to act on first: a part a flag caps, else the weakest part (ties by WEIGHT_ORDER).

    Every level is worth the same to the overall, and a low level is the cheapest to raise, so the lowest
    part wins; None for a refused card, or when every part is already at the top level.
    """
    if card.refused:
        return None
    levels = card.levels
    capped = [CAPPING_FLAGS[Flag(f)] for f in card.flags if f in CAPPING_FLAGS]
    open_parts = [c for c in COMPONENTS if levels[c] < MAX_LEVEL]
    if not open_parts:
        return None
    candidates = [c for c in capped if c in open_parts] or open_parts
    part = min(candidates, key=lambda c: (levels[c], WEIGHT_ORDER.index(c)))
    return CoachingPoint(part, levels[part], card.components[part].feedback)


def exemplar_to_show(card: Scorecard) -> Exemplar | None:
    """The strong answer to compare, only when it scored above the candidate's own: a weaker one teaches nothing."""
    if card.exemplar is None or card.refused or card.exemplar.overall <= card.overall:
        return None
    return card.exemplar
