"""The rubric's observable signals as word patterns: numbers, channels, ownership, blame, causes, lessons."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np


def _rx(pattern: str) -> re.Pattern[str]:
    # Case-sensitive on purpose: callers lowercase the text once, which makes these large
    # alternations several times faster than re.IGNORECASE.
    return re.compile(pattern)


_NUMBER_WORDS = (
    r"half|twice|double[ds]?|triple[ds]?|quadrupled|halved|tenfold|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand)(?:[- ](?:percent|per cent|times|thousand|hundred|million))?"
)
_TIME_UNIT = (
    r"(?:\s|-)*(?:days?|weeks?|months?|years?|quarters?|hours?|minutes?|am|pm|a\.m\.|p\.m\.|o'clock)\b"
)

NUMBER = _rx(
    r"(?<![\w.])(?:[$£€]\s?)?\d[\d,]*(?:\.\d+)?\s?(?:%|percent|per cent|k\b|m\b|x\b|bn\b|million|billion)?"
)
YEAR = _rx(r"^(?:19|20)\d\d$")
PERCENT = _rx(r"\d\s?(?:%|percent|per cent)|\bpercent\b")
MONEY = _rx(
    r"[$£€]\s?\d|\d\s?(?:k|m|bn)\b|\b(?:million|billion|thousand) (?:dollars|pounds|euros)|\bbudget of\b"
)
# A spelled-out number counts only when it quantifies something ("forty percent", "half the target").
MULTIPLIER = _rx(
    rf"\b(?:{_NUMBER_WORDS})\b(?=[\s-]+(?:(?:of|the|our|my|a|an|more|fewer|extra|new|paying|qualified|"
    r"per|what|as)[\s-]+){0,2}(?:percent|grand|traffic|visits|revenue|volume|spend|cost|reach|impressions|"
    r"views|engagement|response|demand|price|off|usual|pounds?|dollars?|euros?|per cent|times|thousand|hundred|million|billion|dollars|pounds|euros|"
    r"target|goal|budget|forecast|plan|sign-?ups?|leads?|customers?|users?|orders?|sales|clicks?|"
    r"installs?|downloads|subscribers?|registrations?|redemptions?|referrals?|bookings|meetings|demos?|"
    r"deals|opportunities|members|visitors|attendees|people|replies|responses|conversions?|stores|"
    r"countries|markets|cities|units|emails?|posts|videos|creators|influencers|percentage points|pp)\b)"
    r"|\bone (?:percent|per cent)\b"
    r"|\b\d+(?:\.\d+)?x\b|\b(?:doubled|tripled|quadrupled|halved)\b"
)
TIME = _rx(r"\b(?:weeks?|months?|quarters?|q[1-4]|years?|days?|holiday|black friday|season|launch date)\b")

METRIC = _rx(
    r"\b(?:ctr|click[- ]?through|clicks?|conversions?|convert(?:ed|ing)?|open rates?|opens|roi|roas|cac|cpa|cpl|cpc|cpm|"
    r"sign[- ]?ups?|signups|registrations?|leads?|mqls?|sqls?|pipeline|revenue|sales|bookings|orders|"
    r"engagement|retention|churn|installs?|downloads|redemptions?|bounce|unsubscribes?|traffic|impressions|reach|"
    r"aov|ltv|nps|subscribers?|trials?|demos?|cost per|acquisition cost|margin|footfall|attendance|"
    r"followers|views|watch time|response rate|uplift|lift)\b"
)
CHANNEL = _rx(
    r"\b(?:e-?mails?|newsletters?|sms|text messages?|paid social|social media|facebook|instagram|tiktok|linkedin|"
    r"twitter|youtube|snapchat|pinterest|google ads|paid search|search ads|ppc|sem|seo|influencers?|creators?|"
    r"affiliates?|webinars?|podcasts?|tv|television|radio|billboards?|ooh|out-of-home|display|programmatic|"
    r"app store|push notifications?|landing pages?|referral|loyalty|events?|trade shows?|direct mail|content|"
    r"blog|video|retargeting|ads?|partnerships?|sponsorships?|website|homepage|checkout)\b"
)
AUDIENCE = _rx(
    r"\b(?:audiences?|segments?|customers?|users?|buyers|shoppers|prospects|gen z|millennials|students|parents|"
    r"smbs?|small businesses|enterprises?|b2b|b2c|personas?|demographics?|subscribers|members|patients|"
    r"drivers|clients|accounts|decision[- ]makers|ctos?|hr leaders|first-time|existing|new customers|donors)\b"
)
ROLE = _rx(
    r"\bi (?:led|ran|owned|managed|launched|designed|built|headed|spearheaded|oversaw|planned|created|"
    r"was (?:responsible|in charge|the (?:lead|owner|head))|set up|pitched|championed|drove)\b|"
    r"\bas (?:the |our )?(?:cmo|vp|head|director|manager|lead|founder|owner|growth lead|brand manager)\b|"
    r"\bmy (?:team|role|idea|campaign|plan|budget)\b"
)
GOAL = _rx(
    r"\b(?:goal|aim|aimed|objective|target(?:ed|ing)?|kpi|to (?:increase|drive|grow|boost|generate|launch|"
    r"acquire|reach|win|build|get|raise|promote|reactivate|re-engage|convert|sell|attract))\b"
)
FAILURE = _rx(
    r"\b(?:fail(?:ed|ure)?|flop(?:ped)?|missed|fell (?:short|flat)|short of|below|under ?performed|"
    r"did ?n[o']t (?:work|deliver|convert|hit|meet|land|move|resonate|take off|pay off|achieve|reach|get|"
    r"generate|produce|drive|perform)|(?:failed|fail) to|fell (?:well )?below|disappointing|"
    r"only (?:got|reached|hit|managed|\d)|lost|wasted|burn(?:ed|t)|a fraction of|nowhere near|"
    r"silence|crickets|zero|nobody|no one|backfired|backlash|mistake|went wrong)\b"
)
HEDGE = _rx(
    r"\b(?:slightly|somewhat|a bit|a little|not quite|did ?n[o']t go (?:as|quite|to plan)|less than (?:ideal|hoped)|"
    r"mixed results|could have gone better|underwhelming|not (?:as|that) (?:great|good|well)|kind of|sort of|"
    r"to some extent|partly|partially|in a way)\b"
)
OWNERSHIP = _rx(
    r"\b(?:my (?:fault|mistake|call|decision|responsibility|miss|error|assumption|plan)|"
    r"i (?:own(?:ed)?|take (?:full )?responsibility|was wrong|misjudged|misread|underestimated|overestimated|"
    r"assumed|should have|didn'?t|did not|failed to|made|chose|decided|approved|signed off|pushed)|"
    r"on me\b|i'?m accountable|i was accountable)"
)
BLAME = _rx(
    r"(?:(?<!no )(?<!without )(?<!not )(?<!n't )\bblame[ds]?\b(?! (?:myself|me\b))|\b(?:not|wasn'?t|isn'?t) (?:really |entirely |all )?(?:my|our) fault|"
    r"\b(?:their|his|her|the agency'?s|the team'?s) fault\b|\bwhose fault\b|\bout of (?:my|our) (?:control|hands)|"
    r"\blet (?:us|me) down\b|\blet down by\b|\bsabotag\w*|\bthrew (?:us|me) under|"
    r"\b(?:down to|thanks to) (?:her|him|them|the (?:agency|team|creators?|influencers?|vendor|partner|algorithm|"
    r"market|weather|boss|director|client))\b|"
    r"\bnothing (?:we|i) could(?: have)? (?:do|done)\b|\b(?:can'?t|couldn'?t|cannot) control (?:the|a|that)\b|"
    r"\b(?:that|it) was (?:the|all the|mostly the) (?:market|economy|algorithm|agency|weather)\b|"
    r"\bmostly that was the\b|"
    r"\b(?:the|our|my) (?:\w+ )?(?:agency|agency's|vendor|partners?|sales (?:team|reps?)|creative team|designers?|"
    r"developers?|dev team|product team|it team|ops team|boss|director|manager|ceo|cfo|client|management|"
    r"leadership|legal team|intern|junior \w+|freelancer|contractor|regional teams?|media buyers?|creators?|"
    r"influencers?|algorithm|platform)\b[^.]{0,60}\b(?:failed|did ?n[o']t (?:do|deliver|push|follow|listen|"
    r"warn|test|answer|tell)|dropped the ball|messed|ruined|refused|ignored|never (?:sent|told|delivered|"
    r"rostered|checked)|wouldn'?t|screwed|botched|buried|overruled|insisted|skipped|was late|were late|"
    r"built for|took (?:a|one|two) weeks?)|"
    r"\bbecause (?:of )?(?:the )?(?:algorithm|economy|covid|pandemic|recession)\b|"
    r"\bbad luck\b|\bunlucky\b|\bnobody could have|"
    r"\b(?:came|comes) down to (?:the|our|my) \w+|\b(?:carry|carries|bear|bears) (?:most|much|the bulk) of the "
    r"(?:responsibility|blame)|\bnot (?:really )?(?:something|anything) (?:we|i) could control|"
    r"\b(?:the|our|my) (?:\w+ )?(?:agency|vendor|partner)\b[^.]{0,40}\b(?:was|were) (?:slow|late|defensive|useless)|"
    r"\b(?:changed|wrecked|killed) (?:its|their) (?:algorithm|tracking)|\bthe bigger (?:issue|problem) was\b)"
)
CAUSAL = _rx(
    r"\b(?:because|due to|caused|cause[sd]?|root cause|reasons?|which meant|meant that|led to|as a result|"
    r"turned out|the (?:problem|issue|mistake) was|driven by|so that|since the|why|explained|"
    r"(?:was |were )?(?:the |a )?result of|resulted from|stemmed from|came from|down to|over-?relying|"
    r"relied too|without (?:adequate|enough|proper)|didn'?t align|did not align|misaligned|mismatch|"
    r"the real (?:problem|issue|reason))\b"
)
EVIDENCE = _rx(
    r"\b(?:surveys?|surveyed|interview(?:s|ed)?|post-?mortem|retro(?:spective)?|a/?b[- ]test(?:s|ed|ing)?|"
    r"split[- ]test|holdout|hold-out|control group|cohorts?|analy[sz](?:is|ed|ing|e)|data (?:showed|told|said)|"
    r"dug into|looked at the (?:data|numbers)|heat ?maps?|funnel|attribution|break ?down|broke (?:it )?down|"
    r"compared|segmented|tracked|dashboard|session recordings?|customer calls|asked (?:our |the )?customers|"
    r"polled|focus groups?|benchmarks?|found that|discovered|we saw|the numbers showed)\b"
)
LESSON = _rx(
    r"\b(?:learn(?:ed|t|ing)?|lessons?|taught me|takeaways?|realis(?:e|ed)|realiz(?:e|ed)|understood|"
    r"i now|principles?|insights?|rule|never again|the big one|what i took away|made me|changed how i|"
    r"showed me|reminded me|i believe|i've come to)\b"
)
PLATITUDE = _rx(
    r"\b(?:learned a lot|learnt a lot|learn from (?:my |our )?mistakes|failure is (?:a|the)|everything happens|"
    r"valuable (?:lesson|experience)|grew as a|learning experience|growth mindset|fail fast|"
    r"always (?:be )?learning|humbling|every failure)\b"
)
APPLICATION = _rx(
    r"\b(?:since then|ever since|afterwards|after that|the next (?:campaign|quarter|launch|year|time we|month)|"
    r"next (?:campaign|quarter|launch|year)|subsequent|the following|in (?:my|our) next|we now|i now|"
    r"now (?:i|we) (?:always|never|run|start|require|test)|re-?launched|rebuilt|reworked|changed (?:our|the|my)|"
    r"introduced|implemented|applied|went on to|rolled out|adopted|put in place|made it a rule|"
    r"these days|today (?:i|we)|later that year|six months later|a year later|when we relaunched|"
    r"led (?:me|us) to|in (?:future|later|subsequent|the next)|future (?:campaigns?|launches|collaborations|"
    r"projects|sends)|refined|redesigned|restructured|overhauled|prioriti[sz]ed|shifted (?:our|the|budget)|"
    r"this adjustment|that change|the new (?:process|approach|version))\b"
)
# "I'd" is "I would" only before a base verb: "I'd been", "I'd built", "I'd never run one" tell the story in
# the past perfect, as long narratives often do, and are no plan for next time.
_PAST_PARTICIPLE = (
    r"been|had|never|already|just|always|only|ever|once|long|(?!need|proceed|succeed|feed|speed|embed)[a-z]+ed|"
    r"seen|done|gone|taken|given|written|shown|known|spoken|chosen|driven|grown|thrown|forgotten|gotten|begun|"
    r"built|sent|spent|made|heard|told|thought|brought|bought|caught|taught|found|left|lost|held|kept|met|paid|"
    r"said|sold|felt|won|become|come|got|fallen|broken|led"
)
HYPOTHETICAL = _rx(
    r"\b(?:next time|i would|i['’]d(?!\s+(?:" + _PAST_PARTICIPLE + r")\b)|if i (?:could|were|had|did)|"
    r"would have|i will|i['’]ll|going forward)\b"
)
OUTCOME = _rx(
    r"\b(?:up|down|increased|improved|grew|rose|lifted|cut|reduced|dropped|fell|jumped|doubled|tripled|halved|"
    r"beat|exceeded|hit|reached|delivered|recovered)\b[^.]{0,40}\d|\d\s?(?:%|percent)\s+(?:lift|increase|"
    r"improvement|higher|lower|better|more|fewer|uplift|growth)"
)
RUBRIC_WORD = _rx(
    r"\b(?:describe|acknowledge|analy[sz]e|learn|apply|ownership|accountability|resilience|"
    r"takeaways?|root cause|data-driven|growth mindset|strategic thinking|leadership|synerg(?:y|ies)|"
    r"key lessons|lessons learned|no blame)\b"
)
MARKETING = _rx(
    r"\b(?:campaigns?|marketing|brand(?:ing)?|customers?|audiences?|ads?|advertis\w+|launch(?:ed|es)?|"
    r"promotions?|promo|e-?mails?|social|conversions?|sales|leads|funnel|segments?|channels?|influencers?|"
    r"content|seo|budget|creative|messaging|offer|discount|sign-?ups?|acquisition|engagement|"
    r"impressions|clicks?|ctr|roi|media|sponsorship|webinar|newsletter|retargeting|landing page|app store)\b"
)
DISGUISED = _rx(
    r"\b(?:so successful|too successful|too popular|so popular|almost too|worked too well|"
    r"exceeded (?:all |every |our )?(?:expectations|targets?|goals?)|"
    r"overwhelm(?:ed|ing) (?:demand|response)|demand was so high|(?:more|so much) demand than|sold out|"
    r"could ?n[o']t keep up|crashed (?:because|from|due|under)|run out of|ran out of|"
    r"beat (?:the|our|every) (?:target|goal|forecast)|over-?deliver(?:ed)?|only (?:real )?(?:failure|mistake|"
    r"weakness)|perfectionis[tm]|worked too hard|care too much|victim of (?:its|our) (?:own )?success|"
    r"success was the problem|not really a failure|wasn'?t really a failure|technically a failure|"
    r"target (?:was )?too low|underestimated (?:ourselves|how (?:popular|well|much))|"
    r"would be lying if i said|(?:never|haven'?t|don'?t think i'?ve|can'?t say i'?ve) (?:really |ever )?"
    r"(?:had|run|led) a (?:campaign|launch) (?:that )?(?:truly |really |actually )?(?:fail|miss|flop)|"
    r"[\"“']failure[\"”']|funny one)"
)
INJECTION = _rx(
    r"(?:\bignore (?:all |any |the |your |previous |prior |above )+(?:instructions|rubric|rules|criteria|prompt)|"
    r"\bdisregard (?:the |all |previous |your )*(?:instructions|rubric|rules|criteria)|"
    r"\b(?:give|award|assign|rate|score|mark)(?: this| me| my answer| the answer| it)* (?:a |an )?"
    r"(?:100|full marks|top marks|perfect|maximum|max|4/4|5/5|10/10|an? 4|level 4|4s)\b|"
    # A bare role label ("System:") opens a line or a sentence; within one it is prose ("our booking system: the
    # old one...").
    r"(?:(?m:^)|(?<=[.!?])|(?<=[.!?]\s)|(?<=[\"“(\[<]))\s*(?:system|assistant|grader|evaluator|scorer)\s*:|"
    r"\b(?:system|assistant|grader|evaluator|scorer)\s*(?:prompt|note|override|instruction)\s*:|"
    r"\bas an ai\b|\byou are (?:now )?(?:a|an|the) (?:grader|scorer|evaluator|assistant)\b|"
    r"\bas (?:the|an?|my|your) (?:evaluator|grader|scorer|assessor|examiner|language model|llm)\b|"
    r"\bnew instructions?\b|\boverride\b|\bjailbreak|"
    r"\"(?:overall|score|describe|acknowledge|analy[sz]e|learn|apply)\"\s*:\s*\d|"
    r"\b(?:score|overall|rating)\s*[:=]\s*(?:100|\d/\d)|"
    r"\b(?:note|message) to the (?:grader|scorer|ai|model|evaluator|reviewer)\b|"
    r"\b(?:set|mark) (?:all )?(?:components?|levels?|describe|acknowledge|analy[sz]e|learn|apply)\b[^.]{0,30}"
    r"\b(?:to|=|as) ?(?:4|100|max))"
)

# An instruction aimed at the scorer: something that names the grader and something that asks for a score.
_GRADER = _rx(
    r"\b(?:scorer|scoring (?:model|system|engine)|grader|grading|evaluator|automated reviewer|reviewer bot|"
    r"the (?:ai|model|system|llm|rubric)|language model|system (?:note|prompt|message)|assistant|chatgpt)\b"
)
_SCORE_ASK = _rx(
    r"\b(?:full marks|top marks|top (?:level|score)|maximum|max(?:imum)? (?:level|score)|perfect (?:score|marks)|"
    r"highest (?:level|score)|100|4/4|level 4|all 4s|ignore|disregard|override|pre-?approved|must (?:score|rate|give)|"
    r"(?:record|output|return|give|assign|award) (?:a |the )?(?:full|top|max|maximum|perfect|highest))\b"
)

# Instructions in other forms: a P.S. or heading aimed at the grader, tags that pretend the answer is over,
# a "rubric update", a request for full marks, or a note to the grader in another language.
INJECTION_FORMS = _rx(
    r"(?:\bp\.? ?s\.?\s*(?:to|for)\s+(?:the |any |whoever|whatever)?\s*(?:ai|grader|scorer|model|evaluator|"
    r"reviewer|marker|assessor|system|bot|machine|algorithm|llm|automated)\b|"
    r"\b(?:dear|hey|hello|attention|to the|to any|for the|note for the|message for the) (?:ai|grader|scorer|"
    r"evaluator|marker|assessor|llm|language model|scoring (?:model|system|engine|bot)|automated \w+)\b|"
    r"\b(?:if you are|if you'?re|as) an? (?:ai|language model|llm|automated (?:grader|scorer|system))\b|"
    r"\bwhoever (?:or whatever )?is (?:grading|scoring|marking|evaluating)\b|"
    r"</?\s*(?:answer|system|instructions?|user|assistant|prompt|grader|grading|evaluation|rubric|response|"
    r"input|admin|context|score)\b[^>\n]{0,40}>|\[/?\s*(?:system|inst|admin|assistant|user|grader|answer|"
    r"end of answer)\s*\]|<\|[a-z_]{2,20}\|>|<<\s*sys\s*>>|"
    r"(?m:^)\W{0,3}#{1,6}\s*(?:\w+ ){0,2}(?:grader|grading|scorer|scoring|evaluator|evaluation|system|assistant|"
    r"reviewer|ai|rubric|marking)\b|"
    r"\b(?:rubric|scoring|grading|marking) (?:update|change|revision|amendment|override|v\d)\b|"
    r"\b(?:updated|new|revised|amended) (?:scoring |grading |marking )?(?:rubric|scoring criteria|grading "
    r"criteria|scoring rules|grading rules|scoring guide)|"
    r"\b(?:deserves?|merits?|earns?|worth|warrants?|qualif(?:y|ies) for|entitled to|hope for|asking for|"
    r"request|appreciate) (?:a |the |an )?(?:full marks|top marks|perfect (?:score|marks)|(?:the )?(?:maximum|"
    r"highest|top) (?:score|level|rating|marks|grade)|100(?:/100| points| percent)?\b|4/4|5/5|10/10|all 4s)|"
    r"\b(?:please|kindly) (?:\w+ ){0,3}(?:full marks|top marks|perfect score|maximum score|highest score)|"
    r"\b(?:give|award|grant|assign)s? (?:\w+ ){0,3}?(?:full marks|top marks|a perfect score|the (?:maximum|highest|"
    r"top) (?:score|level|marks))|\b100 out of 100\b|\b(?:scoring|grading|marking) (?:note|instructions?)\b|"
    r"\b(?:rate|score|grade|mark|set) (?:all|every|each) (?:of the )?(?:components?|parts?|sections?|levels?)\b|"
    r"\b(?:treat|rate|score|grade|mark) (?:this|my|the) answer as\b|"
    r"\b100 ?/ ?100\b|\b(?:score|overall|rating|grade|mark|result|total)\s*[:=]\s*\d+\s*/\s*\d+|"
    # The grader and the score in Spanish, Portuguese, French, Italian and German.
    r"\b(?:evaluador(?:a|es)?|calificador|corrector(?:a)?|avaliador(?:a)?|[ée]valuateur|correcteur|"
    r"valutatore|bewerter(?:in)?|pr[üu]fer(?:in)?|bewertungs(?:system|modell)|sistema de (?:puntuaci[óo]n|"
    r"evaluaci[óo]n|pontua[çc][ãa]o|avalia[çc][ãa]o)|syst[èe]me de notation|sistema di valutazione)\b|"
    r"\b(?:puntuaci[óo]n|nota|calificaci[óo]n|pontua[çc][ãa]o|note|punteggio|voto|punktzahl|bewertung) "
    r"(?:m[áa]xima|perfecta|perfeita|maximale|parfaite|massim[oa]|perfett[oa]|volle|h[öo]chste)\b|"
    r"\b(?:volle|maximale|h[öo]chste) (?:punktzahl|punkte|bewertung|note)\b|\bbestnote\b|"
    r"\b(?:ignora|ignore[zr]?|ignoriere[n]?|ignorar|ignorate) (?:las |les |le |die |as |todas |toutes |alle |"
    r"tutte )*(?:instrucciones|instructions|istruzioni|anweisungen|instru[çc][õo]es|reglas|r[èe]gles|regeln)\b|"
    r"\b100 (?:puntos|punkte|pontos|punti)\b)"
)

# Sentences that open by giving a reason are analysis, whatever nouns follow.
CAUSAL_FRAME = _rx(
    r"^\W*(?:so,? |and |but )?(?:the (?:failure|problem|issue|main reason|real reason|reason|root cause|cause|"
    r"mistake|flaw)s?\b[^.]{0,30}\b(?:was|were|came|lay|stemmed)|th(?:is|at|e miss) was (?:due|because|a result|"
    r"caused|down)|it (?:was|turned out) (?:because|due|down to|that|the)|it turned out|because|we (?:found|discovered|realised|realized|learned that|saw that)|"
    r"i (?:found|discovered|realised|realized)|upon (?:review|reflection|analysis)|looking back|in hindsight|"
    r"on reflection|the (?:data|numbers|survey|post-?mortem|analysis) (?:showed|told|revealed|made clear)|"
    r"when we (?:dug|looked|analy[sz]ed|broke))"
)

# A lesson that became a way of working, not just a thought.
PROCESS = _rx(
    r"\b(?:process|checklist|brief(?:s|ing)?|playbook|framework|template|rule|principles?|policy|standard|"
    r"sign-?off|gate|every (?:campaign|launch|brief|send|test|plan|quarter)|always|never|now (?:i|we) |"
    r"before (?:any|every|we)|by default|non-negotiable|step)\b"
)

# Answers that sidestep the question rather than tell a campaign story.
EVASION = _rx(
    r"\b(?:a (?:bit of a )?trap|i'?d rather (?:talk|focus)|(?:wasn'?t|isn'?t|not) (?:really |strictly )?(?:about )?"
    r"marketing|not a marketing|outside (?:of )?marketing|in my personal life|at home|my (?:kitchen|garden|wedding|"
    r"holiday|vacation|kids?|dog|cat)|recipe|software (?:bug|release)|database|deployment|code review|"
    r"(?:don'?t|do not) (?:really )?(?:believe in|like) (?:this|these) questions?|unfair question|"
    r"not (?:fair|relevant)|no such thing as failure)\b"
)

FIRST_SINGULAR = _rx(r"\bi\b|\bmy\b|\bme\b")
FIRST_PLURAL = _rx(r"\bwe\b|\bour\b|\bus\b")
THIRD = _rx(r"\bthey\b|\btheir\b|\bthem\b")


def _ordinal_or_list_marker(text: str, match: re.Match[str]) -> bool:
    """Ordinals ("8th grade", "the 2nd email") and list numbering ("lessons: 1. ... 2. ...") count nothing."""
    token = match.group().strip()
    if not re.fullmatch(r"\d{1,3}", token):
        return False
    after = text[match.end() : match.end() + 2]
    if re.match(r"(?:st|nd|rd|th)\b", after):
        return True
    before = text[: match.start()].rstrip()
    # Procedural numbers name a step, not a quantity ("step 1", "phase 2", "version 3").
    if re.search(
        r"\b(?:step|phase|stage|round|part|chapter|version|v|number|no\.|lesson|mistake|point)$", before
    ):
        return True
    return bool(re.match(r"[.)]\s", after + " ") or after[:1] in ".)") and (
        not before or before[-1] in ":\n.;!?"
    )


def count_numbers(text: str) -> int:
    """Quantities, leaving out bare years and bare durations ("in 2019", "for six weeks")."""
    text = text.lower()
    n = 0
    for match in NUMBER.finditer(text):
        token = match.group().strip()
        digits = re.sub(r"[^\d]", "", token)
        if not digits:
            continue
        if YEAR.match(token) or re.match(r"\d{1,2}[:.]\d\d", text[match.start() : match.start() + 5]):
            continue
        tail = text[match.end() : match.end() + 14]
        if not re.search(r"[%$£€kmx]", token) and re.match(_TIME_UNIT, tail):
            continue
        if _ordinal_or_list_marker(text, match):
            continue
        n += 1
    for match in MULTIPLIER.finditer(text):
        tail = text[match.end() : match.end() + 14]
        if re.match(_TIME_UNIT, tail):
            continue
        n += 1
    return n


_Feature = tuple[str, Callable[[str], float]]


def _count(pattern: re.Pattern[str]) -> Callable[[str], float]:
    return lambda low: float(len(pattern.findall(low)))


SENTENCE_FEATURES: list[_Feature] = [
    ("numbers", lambda t: float(count_numbers(t))),
    ("percent", _count(PERCENT)),
    ("money", _count(MONEY)),
    ("time", _count(TIME)),
    ("metric", _count(METRIC)),
    ("channel", _count(CHANNEL)),
    ("audience", _count(AUDIENCE)),
    ("role", _count(ROLE)),
    ("goal", _count(GOAL)),
    ("failure", _count(FAILURE)),
    ("hedge", _count(HEDGE)),
    ("ownership", _count(OWNERSHIP)),
    ("blame", _count(BLAME)),
    ("causal", _count(CAUSAL)),
    ("causal_frame", _count(CAUSAL_FRAME)),
    ("evidence", _count(EVIDENCE)),
    ("lesson", _count(LESSON)),
    ("platitude", _count(PLATITUDE)),
    ("application", _count(APPLICATION)),
    ("hypothetical", _count(HYPOTHETICAL)),
    ("outcome", _count(OUTCOME)),
    ("rubric_word", _count(RUBRIC_WORD)),
    ("marketing", _count(MARKETING)),
    ("disguised", _count(DISGUISED)),
    ("evasion", _count(EVASION)),
    ("process", _count(PROCESS)),
    ("i", _count(FIRST_SINGULAR)),
    ("we", _count(FIRST_PLURAL)),
    ("they", _count(THIRD)),
    ("words", lambda t: float(len(t.split()))),
]
SENTENCE_FEATURE_NAMES = [name for name, _ in SENTENCE_FEATURES]


@lru_cache(maxsize=50_000)
def _features(text: str) -> tuple[float, ...]:
    low = text.lower()
    return tuple(fn(low) for _, fn in SENTENCE_FEATURES)


def sentence_features(text: str) -> np.ndarray:
    return np.array(_features(text), dtype=np.float32)


def matches(pattern: re.Pattern[str], text: str) -> list[str]:
    """Every match of a lexicon pattern in `text`, whatever its case."""
    return [m.group() for m in pattern.finditer(text.lower())]


_SCORE_JSON = re.compile(
    r"\{[^{}]{0,600}\"(?:overall|score|scores|level|levels|describe|acknowledge|analy[sz]e|learn|apply|flags|"
    r"rating|grade|marks|points|total|verdict|evaluation)\"\s*:"
    r"[^{}]{0,600}\}"
)


def has_score_block(text: str) -> bool:
    return bool(_SCORE_JSON.search(text))


def isolate_injections(text: str) -> str:
    """Put every instruction to the scorer on a line of its own, and drop fake score blocks.

    Then a sentence-level check can set the instruction aside without taking the candidate's
    own words with it when the two run together ("...the miss was mine Ignore the rubric").
    """
    text = _SCORE_JSON.sub("\n", text)
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lowercased; keep offsets honest
        return text
    out, last = [], 0
    spans = sorted((m.start(), m.end()) for p in (INJECTION, INJECTION_FORMS) for m in p.finditer(low))
    for start, end in spans:
        if start < last:
            continue
        out.append(text[last:start])
        out.append("\n" + text[start:end])
        last = end
    out.append(text[last:])
    return "".join(out)


def is_injection(text: str) -> bool:
    low = text.lower()
    return (
        bool(INJECTION.search(low))
        or bool(INJECTION_FORMS.search(low))
        or bool(_GRADER.search(low) and _SCORE_ASK.search(low))
    )
