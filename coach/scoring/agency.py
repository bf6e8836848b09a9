"""Who a failure story makes the cause: the grammatical subject of each clause that says what went wrong.

Blame is read from who does the failing, not from a list of sentences: "the agency / the stores / IT / the
owners / they ... didn't / never / refused / held / declined" puts the failure on an outside party, while
"I / we should have", "I chose", "my mistake" owns it (`coach.scoring.cues.OWNED`). The subject of a clause is
the few words before its failure verb; its head noun decides the kind of party, and "they", "he" or "she"
take the kind of the party named last. The people a campaign speaks to (customers, users, shoppers) are
never a party to blame: their not buying is the failure itself, not an excuse.

Numbers are read the same way for disguised successes: a figure tied to the plan ("a target of 900", "the
10% goal", "we expected 500") against the figure achieved tells whether the story fell short or overshot,
whatever words carry them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

from coach.scoring import cues

OUTSIDE, AUDIENCE, OWN = "outside", "audience", "own"
SUBJECT_WORDS = 6

# Clause boundaries: a new clause may bring a new subject ("the client ever saw it, but I never...").
_CLAUSE = re.compile(
    r"[;:,()\"“”]|\s[-–—]+\s|\.\.\.|\bso\b(?= (?:i|we|they|he|she|the|our|my|it|nobody|no one)\b)"
    r"|\b(?:and|but|because|since|while|although|though|yet|until|when|whereas|which|who|that|where|if|unless)\b"
)
# Words that open a clause without being its subject.
_LEAD = re.compile(
    r"^(?:\s*\b(?:then|also|just|really|honestly|basically|simply|still|even|unfortunately|meanwhile|"
    r"ultimately|eventually|later|finally|instead|worse|plus|of course|on top of that|in the end|sadly|"
    r"apparently|obviously|clearly|at first|of all)\b)+"
)
# What an outside party did to the campaign: any negated verb, or a verb of obstruction or breakdown.
_FAILING = re.compile(
    rf"\b(?:{cues.FAILED_VERBS}|(?:did|would|could|was|were|had) ?n[o']t\b|"
    r"(?:did|would|could|was|were|had) not\b|never\b|refused\b|declined\b|"
    r"held (?:up|back|onto)?|withheld|stripped|took (?:\w+ ){0,2}(?:days|weeks|months|ages|forever)|"
    r"kept (?:using|sending|moving|delaying|ignoring|postponing|cancell?ing)|walked away|backed out|pulled out|"
    r"locked up|froze|glitched|went down|cut out|"
    r"got (?:\w+ ){0,6}?(?:too |so )?late)"
)
# The first verb of a clause that tells no failure: where its subject ends.
_VERB = re.compile(
    r"\b(?:is|are|was|were|had|has|have|did|do|does|will|would|could|can|should|got|went|came|made|took|"
    r"gave|kept|sent|ran|set|put|spent|chose|bought|built|thought|told|said|saw|knew|left|lost|won|held|wrote|"
    r"paid|brought|began|felt|found|led|meant|sold|cut|hit|let|became|fell|grew|forgot|understood|\w+ed)\b"
)
_PRONOUN = re.compile(r"^(?:they|he|she|them)$")
_FIRST = re.compile(r"\b(?:i|we|me|us|i'd|we'd|i've|we've)\b")
# People and organisations, by the head of the noun phrase: named roles and groups, and the suffixes roles
# are made of (a reviewer, a strategist, an accountant), less the things that share those endings.
_GROUP = re.compile(
    r"^(?:teams?|departments?|dept|divisions?|offices?|groups?|committees?|boards?|units?|staff|crew|folks|"
    r"guys|people|owners?|franchisees?|stores?|shops?|branches|chains?|outlets|retailers?|studios?|"
    r"agenc(?:y|ies)|firms?|companies|company|partners?|reps|bosses|heads?|leadership|management|"
    r"hq|headquarters|corporate|legal|compliance|finance|procurement|sales|ops|marketing|execs?)$"
)
_ROLE = re.compile(r"^\w{3,}(?:er|or|ist|ant|ent|ian|ee)s?$")
_NOT_A_ROLE = re.compile(
    r"^(?:order|number|newsletter|banner|offer|poster|flyer|timer|paper|letter|content|event|percent|"
    r"budget|quarter|summer|winter|center|centre|filter|server|browser|computer|counter|header|footer|"
    r"folder|voucher|sticker|trailer|cover|answer|matter|error|color|colour|factor|sector|monitor|"
    r"weather|water|power|tier|mirror|meter|corner|border|calendar|market|ticket|talent|moment|segment|"
    r"element|comment|payment|placement|engagement|agreement|document|experiment|investment|statement|"
    r"management|environment|equipment|government|component|incident|parent|student|agent|percent|"
    r"cent|accent|rent|tent|intent|extent|patent|recipient|client|user|customer|subscriber|member|"
    r"follower|buyer|shopper|reader|viewer|consumer|donor|visitor|attendee|employee|trainee|other|"
    r"another|either|neither|whether|ever|never|however|after|later|under|over|rather|together|"
    r"further|upper|lower|better|bigger|harder|easier|faster|slower|longer|shorter|sooner|earlier|"
    r"it|idea|data|media|launch|email|ad|site|website|page|list|app|product|campaign)s?$"
)
_ACRONYM = re.compile(r"\b(?:IT|HQ|PR|QA|HR|CFO|CEO|COO|CTO|CMO|CRO|VP|SVP|EVP|GM)\b")
# The people a campaign speaks to: their not responding is the failure, not someone to blame.
_AUDIENCE = re.compile(
    r"\b(?:customers?|users?|subscribers?|members?|followers?|buyers?|shoppers?|readers?|viewers?|"
    r"consumers?|donors?|visitors?|attendees?|students?|parents?|families|prospects?|leads?|patients?|"
    r"guests?|fans|people|audiences?|public|players?|gamers?|kids|travell?ers|homeowners?|drivers?|"
    r"accountants?|teachers?|nurses?|managers? we (?:were )?target\w*)\b"
)
_AUDIENCE_SUBJECT = re.compile(rf"^(?:\w+ ){{0,3}}?{_AUDIENCE.pattern}$")
# Hedges and adverbs between a subject and its verb ("the owners never really committed") are not its head.
_FILLER = re.compile(
    r"\b(?:just|then|also|really|simply|still|even|only|always|already|basically|honestly|actually|"
    r"clearly|completely|totally|both|all|ever|literally|kind of|sort of|like)\b"
)
# Making the campaign: who launched it, picked its parts and spent its money.
_MAKING = re.compile(
    r"\b(?:launched|ran|picked|chose|spent|set|planned|designed|created|hired|went (?:to|with|for)|decided|"
    r"produced|built|commissioned|approved|signed off|came up with|put together|booked|bought|rolled out)\b"
)
_LEADING = re.compile(
    r"\b(?:led|ran|managed|owned|launched|headed|planned|designed|built|chose|picked|decided|spent|"
    r"was (?:responsible|in charge|the lead|leading|running)|set)\b"
)


# Compiled once: these run for every clause of every answer.
_PARTY_LAST = re.compile(rf"\b{cues.PARTY}$")
_NAMED = re.compile(r"\b(?:the|a|an|our|their|his|her|my)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)")
_NEXT_FIGURE = re.compile(r"\b(?:against|versus|vs|than|of|short)\b|\d")


def _kind(subject: str, raw: str) -> str | None:
    """The kind of party a clause's subject names: outside, audience, own, or None (a thing, unknown)."""
    words = subject.split()
    if not words or len(words) > SUBJECT_WORDS:
        return None
    if _ACRONYM.search(raw):
        return OUTSIDE
    if _FIRST.fullmatch(words[0]) or (words[0] in ("my", "our") and not _is_party(words[-1], subject)):
        return OWN
    # "Board members", "store staff": a party's word before the head makes them the party's people.
    grouped = any(_GROUP.match(w) for w in words[:-1] if w != "people")
    if _AUDIENCE_SUBJECT.match(subject) and not grouped:
        return AUDIENCE
    return OUTSIDE if grouped or _is_party(words[-1], subject) else None


def _is_party(head: str, subject: str) -> bool:
    if _GROUP.match(head) or _PARTY_LAST.search(subject):
        return True
    return bool(_ROLE.match(head)) and not _NOT_A_ROLE.match(head) and not _AUDIENCE.search(head)


def _subject(clause: str) -> str:
    """The words before the clause's verb, cut at a relative clause ("the agency we'd hired")."""
    words = _FILLER.sub(" ", clause).split()
    for i, word in enumerate(words[1:], 1):
        if _FIRST.fullmatch(word):
            return " ".join(words[:i])
    return " ".join(words)


def clause_subjects(sentences: Sequence[str]) -> tuple[tuple[int, str | None, str], ...]:
    """(sentence index, kind of subject, the clause after its subject) for every clause of the answer.

    `sentences` keep their case ("IT", "HQ" are departments, "it" is a pronoun). A pronoun subject takes
    the kind of the last party named, as a subject or after a verb, in this sentence or the two before.
    """
    return _clause_subjects(tuple(sentences))


# The flags read one answer's clauses several times (whole answer, then sentence by sentence): read once.
@lru_cache(maxsize=512)
def _clause_subjects(sentences: tuple[str, ...]) -> tuple[tuple[int, str | None, str], ...]:
    out: list[tuple[int, str | None, str]] = []
    last: list[tuple[int, str]] = []
    for n, sentence in enumerate(sentences):
        for raw in _CLAUSE.split(sentence):
            clause = _LEAD.sub("", raw.strip().lower()).strip()
            verb = _FAILING.search(clause) or _VERB.search(clause)
            head = clause[: verb.start()] if verb else clause if len(clause.split()) <= 4 else ""
            subject = _subject(head)
            if _PRONOUN.match(subject):
                kind = next((k for i, k in reversed(last) if n - i <= 2), None)
            else:
                start = len(raw.strip()) - len(clause)
                kind = _kind(subject, raw.strip()[start : start + len(head)])
                if kind in (OUTSIDE, AUDIENCE, OWN):
                    last.append((n, kind))
            rest = clause[verb.start() :] if verb else ""
            last.extend((n, k) for k in _mentions(rest if verb else clause))
            out.append((n, kind, rest))
    return tuple(out)


def _mentions(rest: str) -> list[str]:
    # Parties named after the verb ("the main reason was the distributor") are what a later "they" means.
    kinds = []
    for m in _NAMED.finditer(rest):
        phrase = m.group(1)
        if _AUDIENCE.search(phrase):
            kinds.append(AUDIENCE)
        elif any(_is_party(word, phrase) for word in phrase.split()):
            kinds.append(OUTSIDE)
    return kinds


# Backing withheld by the many: "only two of the directors believed in it".
_FEW_BACKED = re.compile(
    r"\bonly (?:one|two|three|a few|a couple|a handful|some)\b(?P<who>[^.;]{0,50}?)\b(?:truly |really )?"
    r"(?:believed|cared|backed|supported|bought in|committed|signed up to|got behind)\b"
)


# How people took the campaign, not what they did to it: "the client wasn't happy", "dentists didn't want
# another app" are the failure's symptoms, and a buyer named by trade is still the audience.
_RESPONSE = re.compile(
    r"(?:did|would|could|was|were|had) ?n[o']t (?:\w+ )?(?:happy|pleased|impressed|thrilled|amused|satisfied|"
    r"keen|excited|interested|surprised|want|need|like|see|understand|know|read|open|click|buy|use|notice|trust|"
    r"respond|engage|convert|find|feel|think|seem)\b"
)


def outside_causes(sentences: Sequence[str]) -> list[int]:
    """Indices of the sentences with a clause whose subject is an outside party doing the failing."""
    found = {
        n
        for n, kind, rest in clause_subjects(sentences)
        if kind == OUTSIDE and _FAILING.match(rest) and not _RESPONSE.match(rest)
    }
    for n, sentence in enumerate(sentences):
        few = _FEW_BACKED.search(sentence.lower())
        if (
            few
            and not _AUDIENCE.search(few["who"])
            and any(_is_party(w, few["who"]) for w in few["who"].split())
        ):
            found.add(n)
    return sorted(found)


def told_of_others(sentence: str) -> bool:
    """A sentence whose failing is done by outside parties and none by the teller: not an own-side finding."""
    clauses = clause_subjects([sentence])
    return bool(outside_causes([sentence])) and not any(kind == OWN for _, kind, _ in clauses)


def others_campaign(sentences: Sequence[str]) -> bool:
    """The campaign told as someone else's: outside parties launch it, pick its parts and spend on it, and
    no clause has the teller leading, choosing or spending."""
    clauses = clause_subjects(sentences)
    theirs = sum(kind == OUTSIDE and bool(_MAKING.match(rest)) for _, kind, rest in clauses)
    mine = sum(kind == OWN and bool(_LEADING.search(rest[:40])) for _, kind, rest in clauses)
    return theirs >= 2 and mine == 0


# -- numbers against the plan ----------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?%|\s?k\b)?")
_PLAN = re.compile(
    r"\b(?:targets?|goals?|plan|planned|forecasts?|forecasted|expected|expecting|expect|hoped|hoping|aimed|"
    r"aiming|budgeted|projected|projection|promised|quota|objective|ambition|wanted|benchmark)\b"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _figures(sentence: str) -> list[tuple[float, bool, bool]]:
    """Each figure in a lower-cased sentence: (value, is a percentage, is tied to the plan)."""
    out = []
    for m in _NUMBER.finditer(sentence):
        digits, unit = m.group(1), (m.group(2) or "").strip()
        if _YEAR.match(digits) and not unit:
            continue
        value = float(digits.replace(",", "")) * (1000 if unit == "k" else 1)
        before = sentence[max(0, m.start() - 30) : m.start()]
        # "900 I had planned", "the 10% goal"; but in "30 leads against a target" the plan is the next figure.
        after = _NEXT_FIGURE.split(sentence[m.end() : m.end() + 25])[0]
        planned = bool(
            _PLAN.search(" ".join(before.split()[-4:])) or _PLAN.search(" ".join(after.split()[:3]))
        )
        out.append((value, unit == "%", planned))
    return out


def against_plan(sentences: Sequence[str]) -> tuple[bool, bool]:
    """(fell short, overshot): a figure achieved below or above a figure tied to the plan, in one sentence
    or two neighbouring ones ("we expected 1,000. we sold 90.")."""
    short = over = False
    windows = list(sentences) + [f"{a} {b}" for a, b in itertools.pairwise(sentences)]
    for window in windows:
        figures = _figures(window)
        for plan, percent, _ in (f for f in figures if f[2]):
            results = [v for v, pc, tied in figures if not tied and pc == percent]
            short = short or any(v < plan for v in results)
            over = over or any(v >= 1.5 * plan for v in results)
    return short, over
