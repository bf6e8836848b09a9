"""The review queue in SQL: the organisation's shared attempts, filtered, sorted and paginated by the database.

Filters and sorting run on copies of the figures they need (scorecards.overall/flags, reviews.overall and
status, added by revision 0004), never on JSON. What blind review hides from a reviewer (the coach's score
and flags before their own entry, the disagreement before their own review) is NULL in the query itself,
so a filter or a sort on it cannot reveal it either: such attempts sort last and match no score filter.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from coach.storage import tables as t
from coach.storage.database import Database
from coach.storage.permissions import Actor, Permission, authorise
from coach.storage.records import ReviewRecord, review_record
from coach.storage.review_policy import policy_of

Reviewed = Literal["any", "not by me", "by me", "by nobody", "by fewer than"]
Sort = Literal["newest", "oldest", "score, highest", "score, lowest", "disagreement"]
REVIEWED: tuple[Reviewed, ...] = ("any", "not by me", "by me", "by nobody", "by fewer than")
SORTS: tuple[Sort, ...] = ("newest", "oldest", "score, highest", "score, lowest", "disagreement")
MAX_PAGE = 200


@dataclass(frozen=True)
class QueueQuery:
    cohort_id: int | None = None
    candidate_id: int | None = None
    question_id: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    overall_min: int | None = None  # the coach's overall, 0-100, both ends included
    overall_max: int | None = None
    flags: tuple[str, ...] = ()  # attempts the coach flagged with any of these
    reviewed: Reviewed = "any"
    fewer_than: int = 2  # with reviewed="by fewer than": attempts with fewer reviews than this
    sort: Sort = "newest"


@dataclass(frozen=True)
class QueueRow:
    attempt_id: int
    candidate_id: int
    candidate: str  # email
    cohort: str | None
    question_id: str
    question_text: str
    created_at: datetime
    scored: bool  # the coach's score is current (not waiting for a follow-up's score)
    coach_overall: int | None  # None: unscored, refused, or hidden (see coach_hidden)
    coach_hidden: bool
    flags: tuple[str, ...]
    reviews: int  # reviews in force
    mine: bool  # the actor's own review is in
    disagreement: int | None  # highest minus lowest overall among the coach and the reviews


@dataclass(frozen=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    total: int
    page: int  # from 1
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True)
class Details:
    """What exports and reports add to a row: the coach's card and the reviews, as far as the actor may see."""

    row: QueueRow
    card: dict[str, Any] | None  # the stored scorecard JSON, None when unscored or hidden
    scorer_version: str | None
    reviews: tuple[ReviewRecord, ...]  # in force, visible to the actor
    reviewers: dict[int, str] = field(default_factory=dict)  # reviewer id -> email
    transcript: tuple[tuple[str, str], ...] = ()  # (speaker, text)


@dataclass(frozen=True)
class QueueOptions:
    candidates: dict[int, str]  # id -> email, with a shared attempt
    questions: dict[str, str]  # id -> text
    cohorts: dict[int, str]  # id -> name


def spread(coach: int | None, low: int | None, high: int | None, n: int) -> int | None:
    """Highest minus lowest overall among the coach and the reviews; None with fewer than two to compare."""
    found = [v for v in (coach, low, high) if v is not None]
    return max(found) - min(found) if found and (n >= 2 or (coach is not None and n >= 1)) else None


def _spread_sql(coach: Any, low: Any, high: Any, n: Any) -> Any:
    """`spread` in SQL, with CASE: SQLite and PostgreSQL spell greatest/least (and their NULLs) differently."""
    top = case((coach.is_(None), high), (high.is_(None), coach), (coach > high, coach), else_=high)
    bottom = case((coach.is_(None), low), (low.is_(None), coach), (coach < low, coach), else_=low)
    enough = or_(and_(coach.is_not(None), n >= 1), n >= 2)
    return case((enough, top - bottom), else_=None)


def _figures(actor: Actor, query: QueueQuery, ids: Sequence[int] | None = None) -> Any:
    """Each shared attempt in the filters' reach with its figures: the newest scorecard's overall and flags
    (a window over the covering index (attempt, id, overall, flags): the large result JSON is never read) and
    the reviews' count, lowest and highest overall and the actor's own (one GROUP BY over the covering index
    (attempt, status, reviewer, overall)). Joined once and MATERIALIZED, so every filter and sort reads plain
    columns."""

    def narrowed(statement: Any) -> Any:
        statement = _attempt_filters(statement, actor, query)
        return statement if ids is None else statement.where(t.Attempt.id.in_(ids))

    newest = func.row_number().over(partition_by=t.Scorecard.attempt_id, order_by=t.Scorecard.id.desc())
    cards = narrowed(
        select(t.Scorecard.attempt_id, t.Scorecard.overall, t.Scorecard.flags, newest.label("rank")).join(
            t.Attempt, t.Attempt.id == t.Scorecard.attempt_id
        )
    ).cte("cards")
    current = t.Review.status == "current"
    mine = t.Review.reviewer_id == actor.user_id
    marks = narrowed(
        select(
            t.Review.attempt_id,
            func.sum(case((current, 1), else_=0)).label("n"),
            func.min(case((current, t.Review.overall), else_=None)).label("low"),
            func.max(case((current, t.Review.overall), else_=None)).label("high"),
            func.max(case((and_(mine, current), 1), else_=0)).label("mine"),
            func.max(case((mine, 1), else_=0)).label("entered"),  # current or pending
        )
        .join(t.Attempt, t.Attempt.id == t.Review.attempt_id)
        .where(t.Review.status.in_(("current", "pending")))
        .group_by(t.Review.attempt_id)
    ).cte("marks")
    # Only the card of the transcript as it stands: none while a follow-up waits for its score.
    scored = t.Attempt.status == "scored"
    statement = narrowed(
        select(
            t.Attempt.id.label("id"),
            t.Attempt.created_at.label("created_at"),
            case((scored, cards.c.overall), else_=None).label("coach"),
            case((scored, cards.c.flags), else_="").label("flags"),
            func.coalesce(marks.c.n, 0).label("n"),
            marks.c.low,
            marks.c.high,
            func.coalesce(marks.c.mine, 0).label("mine"),
            func.coalesce(marks.c.entered, 0).label("entered"),
        )
        .outerjoin(cards, and_(cards.c.attempt_id == t.Attempt.id, cards.c.rank == 1))
        .outerjoin(marks, marks.c.attempt_id == t.Attempt.id)
    )
    return statement.cte("figures").prefix_with("MATERIALIZED")


def _attempt_filters(statement: Select[Any], actor: Actor, query: QueueQuery) -> Select[Any]:
    """The filters on the attempt itself (who, what, when): these narrow the rows before any figure."""
    statement = statement.where(
        t.Attempt.organisation_id == actor.organisation_id, t.Attempt.shared.is_(True)
    )
    if query.cohort_id is not None:
        statement = statement.where(
            t.Attempt.user_id.in_(select(t.User.id).where(t.User.cohort_id == query.cohort_id))
        )
    if query.candidate_id is not None:
        statement = statement.where(t.Attempt.user_id == query.candidate_id)
    if query.question_id:
        statement = statement.where(t.Attempt.question_id == query.question_id)
    if query.since is not None:
        statement = statement.where(t.Attempt.created_at >= query.since)
    if query.until is not None:
        statement = statement.where(t.Attempt.created_at < query.until)
    return statement


@dataclass(frozen=True)
class _Visible:
    """The figures as the actor may see them: what blind review hides is NULL."""

    coach: Any
    flags: Any
    n: Any
    mine: Any
    spread: Any
    hidden: Any


def _visible(figures: Any, blind: bool) -> _Visible:
    f = figures.c
    mine, entered = f.mine == 1, f.entered == 1
    spread = _spread_sql(f.coach, f.low, f.high, f.n)
    if not blind:
        return _Visible(f.coach, f.flags, f.n, mine, spread, literal(False))
    return _Visible(
        case((entered, f.coach), else_=None),
        case((entered, f.flags), else_=""),
        f.n,
        mine,
        case((mine, spread), else_=None),
        ~entered,
    )


def _needs_figures(query: QueueQuery) -> bool:
    return bool(
        query.overall_min is not None
        or query.overall_max is not None
        or query.flags
        or query.reviewed != "any"
        or query.sort not in ("newest", "oldest")
    )


class ReviewQueue:
    """Reviewers (read_shared_attempts) see their organisation's shared attempts only.

    A page is two queries: the ids in order (filters and sort, LIMIT/OFFSET; the figures computed only when a
    filter or the sort reads them), then the figures of those ids; the count runs on the first's filters.
    """

    def __init__(self, database: Database) -> None:
        self._db = database

    @staticmethod
    def _ids(actor: Actor, query: QueueQuery, blind: bool) -> Select[Any]:
        """The matching attempt ids, in the queue's order (no limit)."""
        if not _needs_figures(query):
            plain = _attempt_filters(select(t.Attempt.id), actor, query)
            if query.sort == "oldest":
                return plain.order_by(t.Attempt.created_at.asc(), t.Attempt.id.asc())
            return plain.order_by(t.Attempt.created_at.desc(), t.Attempt.id.desc())
        figures = _figures(actor, query)
        seen = _visible(figures, blind)
        statement = select(figures.c.id)
        if query.overall_min is not None:
            statement = statement.where(seen.coach >= query.overall_min)
        if query.overall_max is not None:
            statement = statement.where(seen.coach <= query.overall_max)
        if query.flags:
            statement = statement.where(or_(*(seen.flags.like(f"%,{flag},%") for flag in query.flags)))
        if query.reviewed == "not by me":
            statement = statement.where(~seen.mine)
        elif query.reviewed == "by me":
            statement = statement.where(seen.mine)
        elif query.reviewed == "by nobody":
            statement = statement.where(seen.n == 0)
        elif query.reviewed == "by fewer than":
            statement = statement.where(seen.n < query.fewer_than)
        newest = (figures.c.created_at.desc(), figures.c.id.desc())
        key = {
            "oldest": (figures.c.created_at.asc(), figures.c.id.asc()),
            "score, highest": (seen.coach.desc().nulls_last(), *newest),
            "score, lowest": (seen.coach.asc().nulls_last(), *newest),
            "disagreement": (seen.spread.desc().nulls_last(), *newest),
        }.get(query.sort, newest)
        return statement.order_by(*key)

    @staticmethod
    def _rows(session: Session, actor: Actor, ids: Sequence[int], blind: bool) -> list[QueueRow]:
        """The rows of these attempts, in the order given."""
        if not ids:
            return []
        figures = _figures(actor, QueueQuery(), ids)
        candidate = aliased(t.User)
        columns = (
                t.Attempt.id,
                t.Attempt.user_id,
                candidate.email,
                t.Cohort.name,
                t.Attempt.question_id,
                t.Attempt.question_text,
                t.Attempt.created_at,
                t.Attempt.status,
                figures.c.coach,
                figures.c.flags,
                figures.c.n,
                figures.c.low,
                figures.c.high,
                figures.c.mine,
                figures.c.entered,
        )  # fmt: skip
        found = session.execute(
            select(*columns)
            .join(figures, figures.c.id == t.Attempt.id)
            .join(candidate, candidate.id == t.Attempt.user_id)
            .outerjoin(t.Cohort, t.Cohort.id == candidate.cohort_id)
        ).all()
        by_id = {values[0]: values for values in found}
        return [_row(by_id[i], blind) for i in ids if i in by_id]

    def page(self, actor: Actor | None, query: QueueQuery, page: int = 1, size: int = 25) -> QueuePage:
        """One page of the filtered, sorted queue, and how many attempts match in all."""
        size = max(1, min(size, MAX_PAGE))
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.READ_SHARED_ATTEMPTS)
            blind = policy_of(session, fresh.organisation_id).blind
            ids = self._ids(fresh, query, blind)
            if _needs_figures(query):
                # The figures are computed once: every matching id in order (10,000 ints at most), then a slice.
                every = list(session.scalars(ids))
                total = len(every)
                page = max(1, min(page, max(1, -(-total // size))))
                chosen = every[(page - 1) * size : page * size]
            else:
                total = int(
                    session.scalar(select(func.count()).select_from(ids.order_by(None).subquery())) or 0
                )
                page = max(1, min(page, max(1, -(-total // size))))
                chosen = list(session.scalars(ids.limit(size).offset((page - 1) * size)))
            return QueuePage(tuple(self._rows(session, fresh, chosen, blind)), total, page, size)

    def all_rows(self, actor: Actor | None, query: QueueQuery, batch: int = 500) -> Iterator[list[Details]]:
        """Every matching attempt with its details, in the queue's order, a batch at a time (for exports)."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.READ_SHARED_ATTEMPTS)
            blind = policy_of(session, fresh.organisation_id).blind
            ids = list(session.scalars(self._ids(fresh, query, blind)))
        for start in range(0, len(ids), batch):
            with self._db.reading() as session:
                rows = self._rows(session, fresh, ids[start : start + batch], blind)
            yield self.details(actor, rows)

    def details(self, actor: Actor | None, rows: Sequence[QueueRow]) -> list[Details]:
        """The scorecards and reviews of these rows, as far as the actor may see them."""
        ids = [r.attempt_id for r in rows]
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.READ_SHARED_ATTEMPTS)
            cards = self._cards(session, [r.attempt_id for r in rows if r.scored and not r.coach_hidden])
            reviews: dict[int, list[ReviewRecord]] = {i: [] for i in ids}
            for review in session.scalars(
                select(t.Review)
                .join(t.Attempt, t.Attempt.id == t.Review.attempt_id)
                .where(
                    t.Review.attempt_id.in_(ids),
                    t.Review.status == "current",
                    t.Attempt.organisation_id == fresh.organisation_id,
                    t.Attempt.shared.is_(True),
                )
                .order_by(t.Review.id)
            ):
                reviews[review.attempt_id].append(review_record(review))
            turns: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
            for turn in session.scalars(
                select(t.Turn).where(t.Turn.attempt_id.in_(ids)).order_by(t.Turn.position)
            ):
                turns[turn.attempt_id] += [("Interviewer", turn.question), ("Candidate", turn.answer)]
            answers = dict(
                session.execute(
                    select(t.Attempt.id, t.Attempt.answer).where(
                        t.Attempt.id.in_(ids), t.Attempt.organisation_id == fresh.organisation_id
                    )
                ).all()
            )
            reviewer_ids = {r.reviewer_id for found in reviews.values() for r in found if r.reviewer_id}
            emails = dict(
                session.execute(
                    select(t.User.id, t.User.email).where(
                        t.User.id.in_(reviewer_ids), t.User.organisation_id == fresh.organisation_id
                    )
                ).all()
            )
            blind = policy_of(session, fresh.organisation_id).blind
            out = []
            for row in rows:
                visible = [
                    r
                    for r in reviews[row.attempt_id]
                    if not blind or row.mine or r.reviewer_id == fresh.user_id
                ]
                version, card = cards.get(row.attempt_id, (None, None))
                transcript = (
                    ("Interviewer", row.question_text),
                    ("Candidate", answers.get(row.attempt_id, "")),
                    *turns[row.attempt_id],
                )
                out.append(Details(row, card, version, tuple(visible), emails, transcript))
            return out

    @staticmethod
    def _cards(session: Session, ids: list[int]) -> dict[int, tuple[str, dict[str, Any]]]:
        if not ids:
            return {}
        latest = (
            select(func.max(t.Scorecard.id))
            .where(t.Scorecard.attempt_id.in_(ids))
            .group_by(t.Scorecard.attempt_id)
        )
        rows = session.execute(
            select(t.Scorecard.attempt_id, t.Scorecard.scorer_version, t.Scorecard.result).where(
                t.Scorecard.id.in_(latest)
            )
        )
        return {attempt_id: (version, dict(result)) for attempt_id, version, result in rows}

    def options(self, actor: Actor | None) -> QueueOptions:
        """What the filters offer: candidates with a shared attempt, the questions they answered, cohorts."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.READ_SHARED_ATTEMPTS)
            shared = and_(t.Attempt.organisation_id == fresh.organisation_id, t.Attempt.shared.is_(True))
            candidates = session.execute(
                select(t.User.id, t.User.email)
                .where(t.User.id.in_(select(t.Attempt.user_id).where(shared).distinct()))
                .order_by(t.User.email)
            ).all()
            questions = session.execute(
                select(t.Attempt.question_id, func.max(t.Attempt.question_text))
                .where(shared)
                .group_by(t.Attempt.question_id)
                .order_by(t.Attempt.question_id)
            ).all()
            cohorts = session.execute(
                select(t.Cohort.id, t.Cohort.name)
                .where(t.Cohort.organisation_id == fresh.organisation_id)
                .order_by(t.Cohort.name)
            ).all()
            return QueueOptions(dict(candidates), dict(questions), dict(cohorts))


def _row(values: Sequence[Any], blind: bool) -> QueueRow:
    (attempt_id, user_id, email, cohort, question_id, question_text, created_at, status, coach, flags, n, low,
     high, mine, entered) = values  # fmt: skip
    hidden = blind and not entered
    return QueueRow(
        attempt_id=attempt_id,
        candidate_id=user_id,
        candidate=email,
        cohort=cohort,
        question_id=question_id,
        question_text=question_text,
        created_at=created_at,
        scored=status == "scored",
        coach_overall=None if hidden else coach,
        coach_hidden=hidden,
        flags=() if hidden else tuple(f for f in (flags or "").split(",") if f),
        reviews=int(n or 0),
        mine=bool(mine),
        disagreement=None if blind and not mine else spread(coach, low, high, int(n or 0)),
    )
