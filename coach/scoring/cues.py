"""Word cues behind the judgement flags: who the failure is put on, a boast dressed as a failure, a story
that answers some other question.

The patterns name kinds of phrasing (a third party as the subject of a failure verb, a first-person cause,
demand outrunning supply), not sentences seen in any answer set. They are lower-case and case-sensitive, like
the lexicon's: callers lowercase once. None of them is a feature of the trained model, so changing them
never retrains it (see MODEL_CODE in lifecycle.py).
"""

from __future__ import annotations

import re


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# -- blame -----------------------------------------------------------------------------------------------

# Who, other than the candidate, a failure can be put on.
PARTY = (
    r"(?:agency|agency'?s \w+|(?:pr |media |design )?firm|retailers?|distributors?|wholesalers?|publishers?|"
    r"landlord|networks?|vendors?|suppliers?|partners?|printers?|contractors?|freelancers?|consultants?|"
    r"clients?|customer'?s team|sales (?:team|reps?|people|department|org)|reps|account managers?|"
    r"boss|manager|director|ceo|cfo|cto|coo|founders?|vp|head of \w+|leadership|management|execs?|executives?|"
    r"board|higher-?ups|stakeholders?|legal(?: team)?|compliance|finance(?: team)?|procurement|"
    r"developers?|devs?|dev team|engineers?|engineering(?: team)?|it (?:team|department)|"
    r"product team|ops(?: team)?|operations(?: team)?|creative team|designers?|copywriters?|"
    r"media (?:buyers?|team)|data team|analytics team|web team|warehouse|fulfil?ment (?:team|partner|centre|center)|"
    r"courier|logistics|(?:other|regional|local|partner) teams?|the team|my team|intern|juniors?|"
    r"colleagues?|coworkers?|co-workers?|predecessor|new hire|"
    r"platforms?|algorithms?|google|facebook|meta|apple|ios(?: \d+)?(?: update)?|tiktok|linkedin|amazon|"
    r"instagram|youtube|pinterest|snapchat|twitter|shopify|app store|"
    r"economy|market|recession|inflation|pandemic|covid|weather|competitors?|competition|regulators?|"
    r"government|(?:city |local )?councils?|authorities|budget cuts?|timing|the news cycle|costs|prices|"
    r"rules|polic(?:y|ies)|regulations?|privacy (?:changes?|rules|update)|updates?|creators|influencers)"
    r"(?:'s \w+(?: \w+)?)?"
)
# What a third party did to the campaign.
FAILED_VERBS = (
    r"(?:did ?n[o']t|didn'?t|never|failed to|refused to|forgot to|neglected to|wouldn'?t|could ?n[o']t|"
    r"was (?:late|slow|too slow|unresponsive|useless|incompetent|wrong|sloppy)|were (?:late|slow|too slow|"
    r"unresponsive|useless|incompetent|wrong|sloppy)|dropped|changed|killed|pulled|cut|slashed|blocked|"
    r"delayed|sat on|rejected|overruled|vetoed|ignored|missed|messed|botched|broke|screwed|ruined|"
    r"sabotaged|undermined|derailed|let (?:us|me) down|kept changing|pushed back|under-?delivered|"
    r"insisted|tightened|restricted|banned|dried up|sank|sunk|kept (?:climbing|rising)|wiped out|hit us|hurt us|"
    r"\w+ed (?:\w+ ){0,4}late|shipped (?:\w+ ){0,3}(?:broken|buggy|late)|"
    r"rewrote|overhauled|switched off|turned off|removed|suspended|paused|deprecated|"
    r"was ?n[o']t (?:good enough|up to)|were ?n[o']t (?:good enough|up to)|came back (?:late|with)|"
    r"dropped the ball|shipped late|went dark|went silent|disappeared|throttled|tanked|crashed|shut down|"
    r"cancell?ed|moved the goal ?posts|sent (?:\w+ ){0,4}?(?:to )?(?:the )?wrong|stopped|decided to)"
)
EXTERNAL = _rx(
    # A third party as the subject of the failure: "the client sat on approvals", "our developers never...".
    # The clause may not hand over to another subject ("the client ever saw it, I never...").
    rf"\b(?:the|our|my|their|his|her|a|an)? ?(?:\w+ )?{PARTY}\b(?:(?!\b(?:i|we|who|which|whose|that|so|"
    rf"because|but|and then|after|when|if)\b)[^.;!?,]){{0,45}}?\b{FAILED_VERBS}\b"
    r"|\b(?:out of|beyond) (?:my|our) (?:hands|control)\b"
    r"|\b(?:circumstances|factors|forces|conditions|things|events) (?:beyond|outside) (?:my|our|your)\b"
    r"|\boutside (?:my|our|your) control\b|\bexternal factors\b|\bat the mercy of\b"
    r"|\b(?:stacked|were against|was against) (?:against )?(?:us|me)\b|\bthe dice\b|\bperfect storm\b"
    r"|\b(?:don'?t|doesn'?t|didn'?t|can'?t|cannot|could ?n'?t) (?:really )?control\b"
    r"|\bnothing (?:\w+ ){0,6}?(?:could|would) (?:have )?(?:fix|fixed|save|saved|change|changed|prevent|"
    r"prevented|help|helped|done|do)\b|\b(?:did|done) (?:everything|all) (?:i|we) could\b"
    r"|\bnothing (?:i|we) could (?:have )?(?:do|done|change)\b"
    r"|\b(?:not much|little|only so much) (?:\w+ ){0,6}?(?:could|can) (?:have )?(?:do|done|change)\b|\b(?:i|we) could ?n[o']t (?:have )?(?:control|"
    r"prevent|stop|fix) (?:that|it|this|the)\b|\bhands were tied\b|\bset (?:me|us) up to fail\b"
    r"|\bnot on (?:me|us)\b|\bnot (?:my|our) (?:fault|call|doing|decision|responsibility)\b"
    r"|\bwas ?n[o']t (?:my|our) (?:fault|call|doing|decision|responsibility)\b"
    r"|\bno fault of (?:my|our) own\b|\bthrough no fault\b|\b(?:had|has) nothing to do with (?:me|us|my|our)\b"
    r"|\bbecause of (?:them|him|her|the (?:client|agency|vendor|algorithm|economy|weather|market|platform))\b"
    r"|\b(?:thanks|due|down) to (?:them|him|her|their|his|her)\b"
    r"|\b(?:the )?(?:blame|fault|responsibility) (?:lies|lay|rests|rested|sits|sat) (?:with|on)\b"
    r"(?! (?:me|us|my|our|a few of us|all of us))"
    r"|\b(?:blame[ds]?|blaming) (?:the|them|him|her|it on|our|my)\b(?! (?:myself|me|own))"
    r"|\bif (?:only )?they had(?:n'?t)? (?:just |only )?\w+"
    r"|\bleft (?:me|us) (?:with|holding)\b|\bwe were let down\b|\blet down by\b"
    # Our own side declared faultless, so the cause must lie elsewhere.
    r"|\b(?:our|my) (?:content|product|creative|execution|strategy|work|distribution|plan|idea|campaign|copy|"
    r"targeting) (?:was|were) (?:excellent|great|solid|strong|good|fine|flawless|perfect|spot on|textbook)\b"
    r"|\b(?:we|i) (?:did|had done) everything (?:right|by the book)\b|\bby the book\b"
    r"|\b(?:we|i) executed (?:it )?(?:perfectly|flawlessly|well)\b"
)
# The failure excused by spreading it: "everyone dropped the ball", "a team failure, nobody's in particular".
SHARED_EXCUSE = _rx(
    r"\b(?:we all|everyone|everybody) (?:dropped|failed|messed|missed|was to blame|were to blame|"
    r"share[sd]? (?:the )?blame)\b|\b(?:collective|team|group|shared) (?:failure|fault|blame|responsibility)\b"
    r"|\bnobody'?s (?:fault|in particular)\b|\bno (?:one|single) person\b|\bnot any one person\b"
    r"|\b(?:partly|partially|a bit|some of it) (?:my|on me)\b[^.]{0,40}\b(?:mostly|largely|mainly|but)\b"
    r"|\b(?:take|took|accept) (?:some|part|a share) of the (?:blame|responsibility)\b"
    r"|\b(?:everybody|everyone|all of us|every team|each team) (?:had|played) (?:a )?(?:hand|part|role) in it\b"
    r"|\b(?:can'?t|cannot|couldn'?t|hard to|impossible to) (?:really )?(?:pin|put) (?:it|this|that) on "
    r"(?:anyone|anybody|one person|any one|a single)\b|\b(?:lots of|many|several) people made (?:\w+ )?(?:slips|"
    r"mistakes|errors)\b"
)
# The candidate's own side as a cause, or the failure owned in so many words.
OWNED = _rx(
    r"\b(?:my|our) (?:own )?(?:mistake|fault|error|call|decision|choice|oversight|miss|misjudg?ement|"
    r"blind spot|assumption|bad|responsibility)\b"
    r"|\b(?:was|were|is) (?:all |entirely |largely |mostly |squarely )?mine\b"
    r"|\b(?<!not )(?:was|is|were) (?:all |entirely |squarely )?(?:on|down to) (?:me|us|my|our)\b"
    r"|\b(?:that|it|this|the miss|the failure|the mistake|the blame|the responsibility) (?:was|is) (?:all )?mine\b"
    r"|\bi (?:should(?: have|'ve)|could have|would have|ought to have|need(?:ed)? to have)\b"
    r"|\bwe (?:should(?: have|'ve)|ought to have)\b"
    r"|\bi (?:(?:had|have) )?(?:never|didn'?t|did not|hadn'?t|had not|failed to|forgot to|neglected to|"
    r"wasn'?t|was not) (?:\w+ ){0,2}?(?:check|test|verify|validat|confirm|ask|push|plan|read|review|"
    r"look|think|question|consider|anticipat|involv|brief|bother|build|set|define|track|measure|"
    r"segment|research|escalat|communicat|catch|notice|see|spot|realis|realiz|clear|align|listen|"
    r"prepar|budget|account|allow|insist|follow|get)\w*"
    r"|\bi (?:had )?(?:chose|picked|approved|signed off|decided|assumed|misjudged|misread|underestimated|"
    r"overestimated|overlooked|ignored|skipped|rushed|trusted|relied|bet|gambled|"
    r"optimi[sz]ed (?:\w+ ){0,3}?for|own (?:it|that|the (?:miss|failure|mistake|result))|take (?:full )?"
    r"responsibility|took (?:full )?responsibility|was wrong|got (?:it|this|that|the \w+) wrong|"
    r"made (?:a|the|an) (?:\w+ )?(?:mistake|call|error|assumption|decision)|let (?:it|that|the)|"
    r"accepted|agreed to|went with|spread|put (?:\S+ )?(?:of )?(?:all|too|the|our|my) ?(?:\w+ )?"
    r"(?:budget|spend|money|eggs|effort)|treated|copied|reused|launched (?:it |the \w+ )?(?:too|without|"
    r"before)|was (?:too|overconfident|naive|accountable|the one))\b"
    r"|\b(?:because|since|as) i\b|\bi'?m accountable\b|\bi was accountable\b|\bon my watch\b"
    r"|\b(?:part|piece|bit|share) (?:that )?i own\b|\bi own (?:the|that|it|this|my)\b|\bi take the blame\b"
    r"|\bi (?:had )?(?:built|based|designed|centred|centered|framed|anchored|pinned) (?:\w+ ){0,4}?"
    r"(?:around|on)\b"
    r"|\bmy (?:own )?(?:plan|brief|targeting|strategy|forecast|model|estimate|budget|timeline|team'?s plan|"
    r"hypothesis|setup|segmentation|copy|creative|list|process|approach|message|messaging|offer|pitch|"
    r"positioning|headline|timing|assumptions?|numbers|judg?ement) (?:was|were|had|didn'?t|did not|never|"
    r"missed|assumed|ignored|relied|answered|overlooked|left out|skipped)\b"
    r"|\bwe (?:didn'?t|did not|never|failed to|forgot to|hadn'?t) (?:\w+ ){0,2}?(?:check|test|verify|validat|"
    r"confirm|research|segment|plan|define|track|measure|pilot|brief|qa|proof)\w*"
    r"|\b(?:we|i) (?:misread|misjudged|underestimated|overestimated|overlooked|assumed|rushed|skipped|"
    r"picked the wrong|chose the wrong|targeted the wrong|used the wrong|sent (?:it )?to the wrong)\b"
    r"|\bmy (?:own )?(?:mistakes|errors|misjudg?ements)\b|\b(?:i|we) went wrong\b"
    r"|\b(?:mistakes?|errors?) (?:that )?(?:i|we) made\b|\bwe made (?:\w+ ){0,2}?(?:mistakes?|errors?)\b"
    r"|\b(?:we|i) (?:were|was|got) (?:\w+ )?(?:cocky|complacent|arrogant|overconfident|greedy|lazy|sloppy|"
    r"careless|naive)\b|\b(?:we|i) broke (?:\w+ ){0,2}?(?:promises?|commitments?|our word)\b|\bi had no excuse"
)
# Owning the whole failure without naming a cause: it cancels an outside cause, but not an answer that
# also calls its own work faultless.
GENERIC_OWNERSHIP = _rx(
    r"\bi own (?:it|that|this)\b|\b(?:i|we) got (?:it|this|that) wrong\b|\b(?:it|that|this) (?:was|is) (?:all )?"
    r"(?:on me|mine)\b|\bi take (?:full )?(?:the )?(?:responsibility|blame)\b|\bmy (?:fault|responsibility)\b"
    r"|\b(?:i|we) decided to (?:launch|start|run|go|build|create|set up|open|try|do)\b"
)
# Our own side declared faultless, so the cause must lie elsewhere.
FAULTLESS = _rx(
    r"\b(?:our|my|the) (?:content|product|creative|execution|strategy|work|distribution|plan|idea|campaign|copy|"
    r"targeting|speakers|messaging|offer|planning|team'?s work) (?:was|were) (?:\w+ )?(?:excellent|great|solid|"
    r"strong|good|fine|flawless|perfect|spot on|textbook|first-class|top-notch)\b"
    r"|\b(?:we|i) (?:did|had done) everything (?:right|by the book)\b|\bby the book\b|\bdo everything right\b"
    r"|\b(?:we|i) executed (?:it )?(?:perfectly|flawlessly|well)\b|\bnothing (?:was )?wrong with (?:what|how|"
    r"the way|our|my)\b|\b(?:nothing|none of (?:it|this|that)) (?:that )?(?:we|i) did (?:was|were) wrong\b"
    r"|\b(?:we|i) did nothing wrong\b"
)
# Chance as the cause: nobody's doing, so nothing to own.
CHANCE = _rx(
    r"\bbad luck\b|\bunlucky\b|\blightning (?:\w+ ){0,2}strik\w*|\bone of those things\b"
    r"|\b(?:these|such) things happen\b|\b(?:could|can) happen to (?:anyone|anybody|everyone|the best)\b"
    r"|\bhappens to (?:everyone|everybody|the best of us)\b|\b(?:nobody|no one) could have (?:predicted|"
    r"foreseen|seen)\b|\bweather (?:\w+ ){0,2}decides?\b|\bluck of the draw\b|\bwrong place,? wrong time\b"
)
# Blame named only to be refused ("my first instinct was to blame the algorithm, but...").
NOT_BLAMING = _rx(
    r"\b(?:could|easy to|tempting to|wouldn'?t|won'?t|don'?t|not going to|rather than|instead of|no point|"
    r"can'?t|instinct was to|wanted to|temptation (?:is|was) to|refuse to|not here to) (?:\w+ ){0,2}?blam\w*"
    r"(?: (?:the|it on|them|him|her|our|my) ?\w*)?"
)
# The failure handed to someone else in so many words: blame whatever else the answer owns.
DISOWNED = _rx(
    r"\b(?:their|his|her|the \w+'s|the \w+ team's) fault\b|\blet (?:us|me) down\b|\blet down by\b"
    r"|\b(?:not|wasn'?t|isn'?t|never) (?:really |entirely |all |just )?(?:my|our) (?:own )?fault\b"
    r"|\bi'?m not to blame\b|\bnot on me\b"
    r"|\b(?:nothing|none of (?:it|this|that)) (?:that )?(?:we|i) did (?:was|were) wrong\b|\b(?:we|i) did nothing wrong\b"
    r"|\b(?:i|we) (?:hadn'?t|had not|didn'?t|did not|haven'?t|have not|never) (?:done|do|did|made) (?:anything|"
    r"any (?:mistakes?|errors?))(?: wrong)?\b|\b(?:wasn'?t|was not|nothing to do with) anything (?:we|i) did\b"
)
# Ownership said only to be denied ("it wasn't my mistake") does not own anything.
DENIED = _rx(
    r"\b(?:not|wasn'?t|isn'?t|never) (?:really |entirely |all |just )?(?:my|our) (?:own )?(?:mistake|fault|"
    r"error|call|decision|responsibility)\b|\bnot (?:on|down to) (?:me|us)\b|\bi (?:didn'?t|did not) "
    r"(?:do anything wrong|make (?:the|that) (?:call|decision))\b|\bi'?m not to blame\b"
)

# The candidate's own campaign as the subject of a finding: "we targeted...", "our list...", "the offer...".
OWN_SIDE = _rx(
    r"\b(?:i|we|my|our|we'd|i'd|we'd been|our own)\b|\bthe (?:offer|message|messaging|targeting|audience|"
    r"creative|copy|headline|timing|list|segment|landing page|brief|budget split|bid|bidding|pricing|price|"
    r"forecast|plan|strategy|positioning|format|quiz|form|sequence|subject line|call to action|cta|trial|"
    r"product|onboarding|setup|tracking|attribution|channel mix|media plan)\b"
)
# A flaw named in so many words.
FLAWED = _rx(
    r"\b(?:wrong|too|weak|vague|fuzzy|generic|confusing|unclear|mismatch\w*|misaligned|irrelevant|broken|"
    r"without|never|did ?n[o']t|had ?n[o']t|was ?n[o']t|were ?n[o']t|only|instead of|rather than|mistake|"
    r"missing|forgot|ignored|skipped|overlooked|assumed|underestimated|overestimated)\b"
)

# -- disguised success -----------------------------------------------------------------------------------

_DEMAND = (
    r"(?:demand|orders?|sign-?ups|registrations|traffic|interest|response|volume|bookings|applications|"
    r"pre-?orders|leads|enquiries|inquiries|requests|customers|visitors|downloads|installs)"
)
_SUPPLY = (
    r"(?:supply|stock|inventory|capacity|production|the factory|what (?:the |our |we )?\w* ?could (?:make|ship|"
    r"produce|handle|deliver|supply|serve)|the warehouse|fulfil?ment|our servers?|the servers?|"
    r"the site|the website|the team|sales|our ability|what we could (?:ship|make|handle|serve|deliver))"
)
# The failure reframed as a virtue or a success in so many words: a boast whatever else the answer says.
DISGUISED_REFRAME = _rx(
    r"\b(?:too|so|almost too|overly) (?:successful|popular|effective|well-received)\b"
    r"|\b(?<!not )(?<!n't )(?<!never )(?:worked|performed|did|went|sold|converted) (?:so|too) well\b"
    r"|\bvictim of (?:its|our|my) (?:own )?success|\bsuccess was the problem\b"
    r"|\b(?:a )?(?:good|nice|champagne|happy) problem(?: to have)?\b"
    r"|\bmy (?:biggest |greatest |main |only |real )?(?:failure|weakness|mistake|flaw) (?:was|is|would be) "
    r"(?:that i )?(?:(?:set|setting) (?:my |our |the )?(?:goals?|targets?|bar|expectations) too low|"
    r"(?:being|i was|i am|i'm) (?:too|a perfectionist|overly)|caring too much|i care(?:d)? too much|"
    r"working too hard|i work(?:ed)? too hard|perfectionism|taking on too much|aiming too high)"
    r"|\bperfectionis[tm]\b|\bi (?:care|cared) too much\b|\bi (?:work|worked) too hard\b"
    r"|\bthe only (?:real )?(?:failure|mistake|weakness|downside)\b"
    r"|\b(?:set|setting|forecast|forecasting|planned|my|our|the) (?:\w+ ){0,3}?(?:goals?|targets?|forecasts?|"
    r"budgets?|expectations) (?:\w+ )?too (?:conservative(?:ly)?|low|cautious(?:ly)?|modest(?:ly)?)"
    r"|\bunder-?promise|\b(?:results|response|demand|sales|performance|uptake) (?:were|was) (?:so|too) "
    r"(?:strong|good|high|big)\b|\bleft money on the table\b|\bcould have (?:gone|grown|scaled|sold) (?:even )?"
    r"(?:further|bigger|higher|more)\b|\bplan for success\b|\b(?:the )?best failure\b"
    r"|\b(?:not|never|hardly|wasn'?t|isn'?t) (?:really |truly |exactly )?(?:a |an )?(?:real |true )?failure\b"
    r"|\btechnically a failure\b|\bhard to call (?:it )?a failure\b"
    r"|\bif (?:that'?s|that is|you can call (?:it|that)) a failure\b"
    r"|\bif you (?:want to|can|could|wanted to) call it (?:that|a failure)\b"
    r"|\b(?:failed|failure),? (?:at least )?on paper\b|\bwould be lying if i said\b"
    r"|\bcan'?t (?:really )?think of (?:a|any) (?:campaign|time|project)\b[^.]{0,30}\bfail"
    r"|\b(?:never|haven'?t|have not) (?:really |truly )?(?:had|run|led) a (?:campaign|launch|project) "
    r"(?:that )?(?:truly |really )?(?:fail|flop|miss)"
    r"|\b(?:anticipate|expect|predict|foresee|plan for)(?:d|ed)? (?:just )?how (?:well|popular|successful|"
    r"much (?:demand|interest|coverage|press|traffic)|many (?:people|orders|customers)|big|fast|quickly)"
    r"|\bwon (?:us )?(?:an? |the )?(?:\w+ )?award\b"
    r"|\b(?:was|were|is) (?:actually |really |in fact |still |in hindsight )?(?:a |an )?(?:big |huge |great |"
    r"massive |real |roaring )success\b"
    # The miss itself recast as a gain, or the "real" result named as a win.
    r"|\bblessing in disguise\b|\bturned out (?:to be )?(?:for the best|a (?:good thing|blessing|plus|gift|win))\b"
    r"|\bworked (?:out )?in (?:our|my) favou?r\b|\bif anything\b[^.;]{0,60}\b(?:better|more (?:appealing|"
    r"special|valuable|personal|engaging)|helped|a plus|an advantage|a bonus)\b|\b(?:nobody|no one) (?:really |"
    r"seemed to |even )?(?:minded|cared|noticed)\b|\b(?:wouldn'?t|would not|don'?t|do not|can'?t|hardly|"
    r"couldn'?t) (?:really |even |honestly )?call (?:it|that|this) a (?:real |true )?failure\b"
    r"|\bthe (?:real|true|actual|hidden) (?:win|success|victory|achievement|upside)\b"
    r"|\b(?:campaign|response|results?|launch|promotion|promo|idea|creative|video|post|it) (?:was|were|did|went) "
    r"(?:\w+ )?(?:too|almost too) (?:good|well)\b|\bw[io]n (?:\w+ ){0,4}?(?:awards?|prizes?|troph(?:y|ies)|"
    r"accolades?)\b|\b(?:every|each|all) (?:single )?(?:one )?(?:of )?(?:them|those|my campaigns|our campaigns|"
    r"(?:campaign|launch) (?:i|we) (?:have |'ve )?(?:ever )?(?:run|led|done|launched)) (?:has |have )?(?:ever )?"
    r"(?:worked|succeeded|paid (?:off|for (?:itself|themselves))|delivered|hit (?:its|their) (?:targets?|goals?))\b"
)
# Demand that outran supply, or a result above plan: the frame of a disguised success, or background to a
# real miss. They count only when nothing in the answer genuinely fell short.
DISGUISED_DEMAND = _rx(
    rf"\b{_DEMAND}\b[^.;!?]{{0,30}}\b(?:outstripped|outran|outpaced|outgrew|exceeded|overwhelmed|swamped|"
    rf"flooded|blew past|was (?:higher|bigger|greater) than|far exceeded|surpassed)\b[^.;!?]{{0,20}}\b{_SUPPLY}"
    rf"|\b(?:could ?n[o']t|could not|couldn'?t|unable to|failed to|struggled to|did ?n[o']t) (?:\w+ )?"
    rf"(?:keep up|keep pace|cope with|handle|meet|fulfil?l?|process|ship|serve|follow up on)\b"
    r"|\b(?:sold|selling) out\b(?! of)|\bstock ran out\b|\bran out of (?:stock|"
    r"inventory|units|product|capacity|seats|tickets|places|codes|samples)\b|\bback-?order"
    r"|\b(?:crashed|went down|buckled|fell over)\b[^.;!?]{0,25}\b(?:under|from|because of|with) (?:the )?"
    r"(?:sheer |huge |massive )?(?:traffic|demand|load|volume|response|rush|influx)"
    r"|\bwent viral\b(?! for (?:all )?the wrong)|\b(?:our |the )?best (?:\w+ )?ever\b"
    r"|\brecord (?:sales|revenue|month|week|quarter|numbers)\b"
    r"|\b(?:all|every one) (?:\w+ )?(?:redeemed|claimed|booked|taken|snapped up|gone) (?:before|within|by|in)\b"
    r"|\b(?:snapped up|fully booked|booked out)\b|\boverwhelmed (?:with|by)\b"
    r"|\b(?:beat|beating|exceeded|exceeding|surpassed|smashed|crushed|blew (?:past|through)|doubled|tripled|"
    r"over-?delivered|overshot)\b[^.;!?]{0,20}\b(?:the |our |its |every |all |my )?(?:\w+ )?(?:targets?|goals?|"
    r"forecasts?|kpis?|projections?|expectations|plan)\b"
    r"|\bblew up\b(?! in)|\b(?:inbox|support|team|servers?|site|phones?|lines) (?:\w+ ){0,2}?(?:drowned|buckled|"
    r"melted)\b|\b(?:far |way |much |many )?more than (?:we|i) (?:had |'d )?(?:aimed|planned|expected|hoped|"
    r"budgeted|forecast|bargained)(?: for)?\b|\benough (?:\w+ ){0,3}?for (?:only )?(?:half|a third|a fraction|"
    r"a quarter|some) of (?:the )?(?:people|customers|those|everyone)\b|\b(?:two|three|four|five|\d+(?:\.\d+)?) "
    r"times (?:the )?(?:industry|category|sector|market|usual|normal|typical|average)\b"
    r"|\b\d+(?:\.\d+)?x (?:the |our )?(?:target|goal|forecast|plan)\b|\b\d+ ?% (?:above|over|ahead of) "
    r"(?:the |our )?(?:target|goal|forecast|plan)\b|\b(?:1\d\d|[2-9]\d\d)\s?% of (?:the |our )?(?:\w+ )?"
    r"(?:target|goal|plan|forecast)|\b(?:two|three|four|five|\d+(?:\.\d+)?) times (?:the |our |what )?"
    r"(?:\w+ ){0,3}?(?:planned|forecast|target|goal|expected|projected|plan)\b"
)
# Costs above plan are a miss, not a boast ("cost per lead three times the plan").
COST = _rx(r"\b(?:costs?|cpa|cac|cpl|cpc|cpm|spend|spent|price|expenses?|overspen\w*|over budget)\b")

# A shortfall against the plan: the story has a real miss, so a success beside it is not the frame.
SHORTFALL = _rx(
    r"\b(?:missed|fell (?:\w+ )?short|short of|below (?:the |our )?(?:target|goal|plan|forecast|benchmark)|"
    r"under ?performed|flopped|lost (?:money|\$|£|€|\d)|wasted|a fraction of|nowhere near|only (?:got|reached|"
    r"hit|managed|made|sold|converted)|(?:\d+ ?%?|half|a third|a quarter) of (?:the |our )?(?:\w+ )?(?:target|goal|plan|"
    r"forecast)|did ?n[o']t (?:hit|meet|reach|come close)|failed to (?:hit|meet|reach|convert|deliver)|"
    r"churn(?:ed)?|refunds?|complaints|backlash|unsubscribe|(?:lost|losing) (?:a|the|our|my|that|this|one of (?:our|my)) (?:\w+ ){0,3}?"
    r"(?:clients?|accounts?|customers?|contracts?|deals?))"
)
# A boast named only to be denied ("it was not a case of being too successful").
NEGATED = _rx(r"\b(?:not|n't|never|no|hardly|nor)\b(?: \S+){0,4} ?$")
# Someone hoping for a sell-out, or saying it did not happen, has not had one.
NOT_A_BOAST = _rx(
    r"\b(?:expected|hoped|planned|forecast|predicted|assumed|thought|would|wanted|meant|believed) (?:\w+ ){0,8}?"
    r"(?:sell out|sold out|keep up|demand|overwhelm|success)|\b(?:looked like|seemed|appeared|declared|called|"
    r"treated as|celebrated as|dashboard showed) (?:\w+ ){0,4}?(?:a )?(?:\w+ )?success|\b(?:did ?n[o']t|never|didn'?t) (?:\w+ )?(?:sell out|come)"
)

# -- off topic -------------------------------------------------------------------------------------------

# Working life: the nouns of a job, an organisation, a project, a client or a market, and the titles of the
# people in it. A story in these terms is a work story, whatever kind of project it is.
WORK = _rx(
    r"\b(?:campaigns?|marketing|brand(?:ing)?|rebrand|clients?|customers?|users|projects?|launch(?:es|ed)?|"
    r"products?|shop|store|studio|members(?:hip)?|offer|promotions?|donors|charity|fundrais\w+|course|instagram|"
    r"tiktok|facebook|linkedin|company|companies|employer|employees|staff|firm|agency|startup|business|"
    r"manager|boss|director|stakeholders?|colleagues?|coworkers?|department|my team|our team|the team|"
    r"deadlines?|budgets?|revenue|profit|margins?|sales?|pipeline|leads|reports?|dashboards?|presentation|"
    r"proposal|pitch|contract|vendors?|suppliers?|partners|partnerships?|procurement|website|site|app|release|"
    r"go-?live|migration|roll-?out|rollout|quarter|q[1-4]|kpis?|targets?|metrics?|conversion|sign-?ups|"
    r"subscri(?:bers|ptions?)|e-?mails?|newsletter|ads?|advertising|social media|seo|content|audience|segment|"
    r"funnel|pric(?:e|es|ing)|onboarding|retention|churn|roi|executives?|board|cmo|ceo|cfo|coo|cto|vp|role|job|"
    r"office|hire[sd]?|hiring|recruit\w*|promoted|account|crm|platform|software|tool|feature|roadmap|webinars?|"
    r"conference|events?|trade (?:fair|show)|exhibitors?|bookings?|orders|stock|inventory|lease|footfall|"
    r"admissions|applications|deals?|quota|reps|pilot|rollback|founder|co-?founder|freelanc\w+|"
    r"head of \w+|(?:\w+ )?(?:officer|coordinator|analyst|consultant|specialist|strategist)s?|"
    r"(?:marketing|content|product|growth|design|sales|team|project|campaign|account|creative|brand|digital|"
    r"social|community|events?|tech|engineering|partnerships?) lead)\b"
)
# The teller's own private life: family, home, leisure, travel, study and private money, anchored on "my"
# (an audience's families, weekends and holidays are what marketing is about, so they do not count). A failure
# told in these terms rather than in work terms answers no question about work, however well it is told.
LIFE = _rx(
    r"\bmy(?: \w+'s)? (?:wife|husband|partner|girlfriend|boyfriend|fianc[eé]e?|sons?|daughters?|kids?|children|"
    r"child|baby|nephews?|nieces?|sisters?|brothers?|mum|mom|mother|dad|father|parents|grandparents|gran|grandma|"
    r"grandmother|grandad|grandfather|family|in-laws|cousins?|friends?|best friend|neighbou?rs?|dog|cat|house|"
    r"home|flat|apartment|garden|balcony|allotment|kitchen|bathroom|garage|car|bike|wedding|birthday|holidays?|"
    r"vacation|trip|savings|pension|hobby|hobbies|diet|weight|fitness|exams?|degree|thesis|dissertation|band|"
    r"guitar|piano|plants?)\b"
    r"|\b(?:nephews?|nieces?|grandparents|in-laws|honeymoon|birthday party|road trip|best man|bridesmaid|"
    r"driving (?:test|lessons?)|race day|seedlings|hire car|at uni|at university|in my (?:free|spare) time|"
    r"after work|for fun|(?:wife|husband|partner|girlfriend|boyfriend) and i)\b"
)
# Something went wrong, in any words: a shortfall, a slip, a loss, a breakage, a misjudgement, a miss owned.
FAILED_STORY = _rx(
    r"\b(?:fail(?:ed|ure|ing|s)?|flop(?:ped|s)?|missed|miss|fell (?:\w+ )?short|short of|(?:well|way|far|came|"
    r"come|falls?|falling) short|under ?perform\w*|unsuccessful|not successful|went wrong|go wrong|mistakes?|"
    r"errors?|wrong|(?:was|were|arrived|went|ran|delivered|shipped|launched|too|weeks|days|months) late|"
    r"delay(?:ed|s)?|slipped|behind schedule|over budget|over (?:\w+ )?budget|overran|overspen[dt]|"
    r"did ?n[o']t|didn'?t|was ?n[o']t|were ?n[o']t|could ?n[o']t|had ?n[o']t|never (?:\w+ )?(?:got|took|"
    r"caught|checked|tested|asked|recovered|came)|backfired|backlash|complaints?|lost|losing|loss(?:es)?|"
    r"wasted|disappointing|disappointed|embarrass\w*|broke|broken|bugs?|glitch\w*|outage|crashed|cancell?ed|"
    r"pulled|scrapped|killed|shelved|closed (?:it|down)|shut (?:it )?down|dropped|declin(?:e|ed|ing)|"
    r"decreas(?:e|ed)|fell|went (?:backwards|down)|go(?:es)? down|sank|slump\w*|plummet\w*|tanked|bombed|"
    r"below|less than|(?:far |much )?fewer (?:\w+ )?than|lower than|worse|poor(?:ly)?|weak|struggl\w*|gave up|"
    r"give up|abandon\w*|stalled|stuck|leak(?:ed|s|ing)|defect\w*|refunds?|churn(?:ed)?|unsubscrib\w*|nobody|no one|"
    r"nothing|zero|crickets|problems?|issues?|blunder|disaster|regret\w*|should(?:n'?t)? have|in hindsight|"
    r"my fault|on me|rushed|skipped|ignored|overlooked|underestimat\w*|overestimat\w*|misjudg\w*|misread|"
    r"forgot|neglected|confus\w*|out of hand|(?:was|were|stayed|remained|went|fell|finished|ended|pretty|"
    r"kind of|basically) flat|too (?:early|high|low|expensive|long|slow|much|little|few|many|broad|narrow|"
    r"generic|complex|complicated)|(?:only|just) (?:about |around |roughly |a |an |\d+|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|twelve|twenty|half|a third|a quarter|a handful|a few|a fraction)|softer than|"
    r"against (?:a |an |the |our |my )?(?:\w+ )?(?:targets?|goals?|plan|forecast))\b"
)
FIRST_PERSON = _rx(r"\b(?:i|my|me|we|our|us)\b")
# Texts of other kinds, named by their own furniture.
GENRE = _rx(
    r"\b(?:preheat|tablespoons?|teaspoons?|tbsp|tsp|cups? of|ingredients|whisk|stir (?:in|until|the)|"
    r"simmer|bake (?:for|at|until)|oven|until golden|season (?:with|to taste)|serves \d|"
    r"recipe|dough|batter|garnish|"
    r"kick-?off|league|the pitch|goalkeeper|striker|midfield|halftime|half-time|scored (?:a|the|two|three)|"
    r"championship|tournament|playoffs?|coach(?:ed|ing)? (?:the |my |our )?(?:kids|team|under|u\d)|"
    r"the season|this season|last season|referee|"
    r"itinerary|boarding|our hotel|the beach|sightseeing|vacation|honeymoon|holiday (?:in|to)|passport|"
    r"dear (?:hiring manager|sir|madam|recruiter)|i am writing to (?:apply|express)|sincerely|"
    r"yours (?:faithfully|truly)|i would welcome the opportunity|my resume|my cv\b|"
    r"stanza|verse|rhym\w*|o muse|"
    r"available in (?:\w+ )?(?:colou?rs|sizes)|perfect for (?:anyone|busy|every)|order (?:yours )?now|"
    r"free shipping|add to cart|features include|"
    r"in today'?s (?:fast-paced |digital )?world|in conclusion|this essay|since the dawn)\b"
)
# The question refused or sidestepped, or no failure owned up to at all.
NO_FAILURE = _rx(
    r"\b(?:i (?:have|'ve) )?never (?:really )?(?:failed|had a failure|had a campaign fail)\b"
    r"|\bcan'?t (?:really )?think of (?:a|any|one) (?:\w+ ){0,4}?(?:that|which) (?:\w+ )?(?:failed|flopped|missed)\b"
    r"|\bi don'?t (?:really )?(?:believe in|do) failure\b|\bno such thing as (?:a )?failure\b"
    r"|\b(?:i'?d|i would) rather not (?:answer|talk about)\b|\bpass on this (?:one|question)\b"
)
# Talking about the question instead of answering it.
SIDESTEP = _rx(
    r"\b(?:this|these|that) (?:kind of |type of |sort of )?questions?\b[^.]{0,40}\b(?:trap|unfair|pointless|"
    r"theatre|theater|useless|game)\b|\b(?:a|bit of a|kind of a|kind of) trap\b|\bi'?d rather (?:talk|focus|"
    r"discuss|tell you)\b|\brather than (?:answer|dwell)"
    # Opinions about interviews in place of a story.
    r"|\bquestions? like (?:this|that)\b|\bwaste of (?:everyone'?s|our|your|my) time\b|\b(?:interviews?|"
    r"interviewing|hiring(?: process(?:es)?)?) (?:\w+ ){0,3}?(?:are|is) (?:broken|a (?:game|ritual|waste|lottery)|"
    r"theatre|theater)\b"
)
