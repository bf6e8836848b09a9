"""The describe ladder read straight off the answer: goal, own role, audience or channel, scale.

Describe is the one part the rubric defines as a checklist (RUBRIC.md, rulings: 2 named with a goal or a
channel; 3 goal + own role + audience or channel/strategy; 4 the same plus scale, timeframe or target
metric). The trained level model reads it from sentence roles and under-reads set-ups told in passing,
as stories do ("My job was to post content for a farm insurer"); the checklist (up to 3) is a floor beneath it. The
floor only counts details in the answer's own terms (coach.scoring.concrete), so rubric words cannot climb it.

Imports: the scoring lexicon and concrete elements only.
"""

from __future__ import annotations

import re

from coach.scoring import lexicon
from coach.scoring.concrete import concrete_elements

_PROJECT = re.compile(
    r"\b(?:campaigns?|launch(?:ed|es)?|promotions?|promo|ads?|advert(?:s|isement)?|e-?mails?|newsletters?|"
    r"posts?|events?|webinars?|projects?|rebrand(?:ing)?|sponsorships?|partnerships?|drives?|pushes|"
    r"programmes?|programs?|initiatives?|products?|releases?|sales?|offers?)\b"
)
# A role as stories give it: the title may come a few words after the article ("I was the digital marketing
# coordinator", "promoted to client services director").
_ROLE = re.compile(
    r"\b(?:my (?:job|role|task|responsibility|client|company|startup|agency|shop|store|business)|"
    r"(?:i (?:was|am)|promoted to|hired as|worked as|working as|joined as) (?:the |a |an |our |their )?"
    r"(?:[a-z-]+ ){0,3}(?:head|lead|director|manager|vp|cmo|founder|co-?founder|owner|coordinator|specialist|"
    r"consultant|freelancer|marketer|officer|executive|strategist|in charge|responsible)|"
    r"i (?:ran|run|led|lead|owned|managed|launched|planned|designed|built|started|founded|created|wrote|"
    r"set up|put together|organi[sz]ed|pitched|chose|picked|booked|scheduled|sent|posted|hired))\b"
)
_SCALE = re.compile(
    r"\b(?:budget|spend|\d|weeks?|months?|quarters?|q[1-4]|year|days?|target(?:ed)? of|goal of|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|fifty|hundred|thousand)\b)"
)


# How stories state a goal in passing: a purpose ("hoping to lift sign-ups", "meant to bring lapsed members
# back"), beside the rubric's own words (lexicon.GOAL).
_PURPOSE = re.compile(
    r"\b(?:hop(?:ed|ing) to|meant to|wanted|designed to|intended to|in order to|aimed? at|expected|"
    r"(?:the|my|our) (?:idea|point|hope|brief|plan|job|task|mission|remit) was|"
    r"to (?:improve|lift|increase|drive|grow|boost|acquire|reach|raise|reactivate|re-engage|convert|sell|attract|"
    r"bring|encourage|double|triple|cut|reduce|capture|recruit|fill|book|sign up|drum up|expand|retain|"
    r"win back|bring back|get (?:more|people|users|customers)))\b"
)


def describe_floor(sentences: tuple[str, ...] | list[str]) -> int:
    """The describe level the answer's own set-up supports by the checklist, 0-4."""
    text = " ".join(sentences).lower()
    if not _PROJECT.search(text):
        return 0
    detail = any(concrete_elements(s, methods=False, metrics=False) for s in sentences)
    goal = bool(lexicon.GOAL.search(text) or _PURPOSE.search(text))
    channel = bool(lexicon.CHANNEL.search(text) or lexicon.AUDIENCE.search(text)) and detail
    if not (goal or channel):
        return 1
    role = bool(_ROLE.search(text) or lexicon.ROLE.search(text))
    if not (goal and role and channel):
        return 2
    return 4 if _SCALE.search(text) else 3
