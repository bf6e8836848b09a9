"""Concrete elements: what an answer says in its own terms, as opposed to the rubric's vocabulary.

The rubric's level 3 is "specific: concrete to this campaign". A level of 3 or more in a part therefore
needs a concrete element of that part among its evidence: a named channel or audience, a number with what it
measures, a named metric, a named cause or method, a proper name. An answer made only of the rubric's words
("a clear goal, audience and channel... root causes through data... a crisp lesson") has none, so its
levels cannot climb however fluent it is.

Imports: coach.rubric and the scoring lexicon only.
"""

from __future__ import annotations

import re

from coach.rubric import COMPONENTS
from coach.scoring import lexicon

# Words the lexicon's patterns match that are the rubric's own vocabulary, not a detail of a campaign.
GENERIC = frozenset(
    """audience audiences segment segments customers customer users user clients client accounts members
    existing personas persona demographic demographics content channel channels data analysis analyzed
    analysed analyse analyze analysing analyzing compared tracked dashboard discovered found that break down
    breakdown benchmarks benchmark funnel attribution ads ad website partnerships partnership events event
    new customers lift uplift lead targeting drivers driver budget creative offer roi kpis kpi""".split()
)
# Detail that the lexicon's broad patterns leave out: causes, gaps and things a campaign is made of.
_DETAIL = re.compile(
    r"\b(?:landing pages?|checkout|sign-?up forms?|forms?|onboarding|pricing|prices?|discounts?|coupons?|"
    r"promo(?:tion)? codes?|offers?|free shipping|subject lines?|headlines?|ad copy|copy|creative|"
    r"visuals?|images?|photos?|videos?|hashtags?|memes?|jingles?|slogans?|taglines?|logos?|packaging|"
    r"lists?|suppression|opt-?ins?|unsubscribes?|bounces?|spam|inbox|send times?|time ?zones?|"
    r"weekends?|holidays?|christmas|black friday|summer|winter|deadlines?|late|delay(?:ed|s)?|slipp?ed|"
    r"postponed|wrong (?:list|segment|link|price|date|audience|version)|broken|typo|bug|pixels?|utms?|"
    r"tags?|tracking|cookies?|inventory|stock|warehouse|servers?|site crash(?:ed)?|budgets?|spend|cpc|cpm|"
    r"bids?|targeting|keywords?|geo|locations?|stores?|app|apps|mobile|desktop|phones?|sms|push|"
    r"influencers?|creators?|celebrit(?:y|ies)|partners?|agency|vendor|printer|billboards?|radio|tv|"
    r"podcasts?|webinars?|newsletters?|e-?mails?|trade shows?|booths?|samples?|trials?|demos?|tickets?|"
    r"rsvps?|pre-?orders?|downloads?|installs?|leads?|sign-?ups?|subscribers?|followers?|views|clicks?|"
    r"orders?|bookings?|awareness|survey(?:s|ed)?|interview(?:s|ed)?|post-?mortem|a/?b[- ]tests?|"
    r"split[- ]tests?|holdout|control group|cohorts?|heat ?maps?|session recordings?|focus groups?|"
    r"win-?loss|search terms?|logs?|zero|nobody|no one|not (?:a )?single|none of|"
    r"younger|older|teens?|teenagers?|college|retirees?|seniors|first-time|rural|urban|local|moms?|dads?)\b"
)
_METHOD = re.compile(
    r"(?:surveys?|surveyed|interview(?:s|ed)?|post-?mortem|retro(?:spective)?|a/?b[- ]tests?|split[- ]tests?|"
    r"holdout|control group|cohorts?|heat ?maps?|session recordings?|focus groups?|win-?loss|logs?)"
)
# Capitalised words inside a sentence: brands, products, places, platforms ("Promoter.io", "LinkedIn").
_PROPER = re.compile(r"(?<=[a-z,;:] )[A-Z][A-Za-z0-9'.&-]{2,}")
_NOT_PROPER = frozenset(
    {"I", "I'm", "I've", "I'd", "The", "This", "That", "We", "Our", "My", "It", "And", "But"}
)


def concrete_elements(sentence: str, *, methods: bool = True, metrics: bool = True) -> list[str]:
    """The concrete details a sentence names, in the order found (lower-case, except proper names).

    `methods=False` leaves out named methods ("post-mortem", "survey"): they make a diagnosis stronger, but a
    cause, a lesson or a later change is only specific when it names something about the campaign itself.
    `metrics=False` also leaves out bare metric names ("engagement", "conversion"): naming what was measured
    is not yet a story.
    """
    low = sentence.lower()
    found: list[str] = []
    patterns = [lexicon.CHANNEL, lexicon.AUDIENCE, lexicon.METRIC, _DETAIL] + (
        [lexicon.EVIDENCE] if methods else []
    )
    for pattern in patterns:
        found += [
            m.group()
            for m in pattern.finditer(low)
            if m.group() not in GENERIC
            and (methods or not _METHOD.fullmatch(m.group()))
            and (metrics or not lexicon.METRIC.fullmatch(m.group()))
        ]
    found += [m.group() for m in lexicon.NUMBER.finditer(low) if not lexicon.YEAR.match(m.group().strip())]
    found += [m.group() for m in lexicon.MULTIPLIER.finditer(low)]
    # Acronyms ("KPIs", "ROI", "CRM") are the trade's vocabulary, not names.
    found += [
        w.rstrip(".")
        for w in _PROPER.findall(sentence)
        if w not in _NOT_PROPER and not re.fullmatch(r"[A-Z]{2,}s?\.?", w)
    ]
    out: list[str] = []
    for item in (f.strip() for f in found):
        if item and item not in out:
            out.append(item)
    return out


# The parts whose specific levels need a detail of the campaign itself, not only a named method.
NEEDS_SUBJECT = frozenset({"analyze", "apply"})
# A specific lesson is specific by following from the cause ("engagement from the wrong seat is not
# pipeline"), often in words of its own: learn is held to the answer-wide rule only.
_GATED = frozenset({"describe", "acknowledge", "analyze", "apply"})


def has_concrete(
    sentences: list[str] | tuple[str, ...], *, methods: bool = True, metrics: bool = True
) -> bool:
    return any(concrete_elements(s, methods=methods, metrics=metrics) for s in sentences)


# Without a concrete element anywhere, every part stays at "hinted at" or below, except that a plainly
# owned failure can still be stated without detail (acknowledge 2: "owned but unspecific").
CAP_WITHOUT_DETAIL = dict.fromkeys(COMPONENTS, 1) | {"acknowledge": 2}
# Levels 3 and 4 are "specific": they need a concrete element of that part among its evidence.
SPECIFIC_LEVEL = 3


def gate_levels(
    levels: dict[str, int], evidence: dict[str, list[str]], all_sentences: tuple[str, ...]
) -> dict[str, int]:
    """The levels that the answer's own details support: rubric words alone cannot climb."""
    if not has_concrete(all_sentences, methods=False, metrics=False):
        return {c: min(v, CAP_WITHOUT_DETAIL[c]) for c, v in levels.items()}
    return {
        c: (
            v
            if v < SPECIFIC_LEVEL
            or c not in _GATED
            or has_concrete(evidence.get(c, []), methods=c not in NEEDS_SUBJECT)
            else SPECIFIC_LEVEL - 1
        )
        for c, v in levels.items()
    }
