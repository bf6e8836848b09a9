"""An organisation's own case studies: checked drafts, every saved version kept, delete and restore.

The rules a case must meet (the vocabularies and the sections) belong to the case library; the caller passes
them in as `CaseRules`, so storage decides nothing about the corpus format but still refuses a bad case
before anything is written. Text is stored exactly as typed (HTML included): pages render it escaped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.errors import CoachError
from coach.storage import audit
from coach.storage import tables as t
from coach.storage.audit import acting
from coach.storage.database import Database
from coach.storage.members import serialise
from coach.storage.permissions import Actor, NotFound, Permission, allows, authorise
from coach.storage.tables import Clock

MAX_TITLE = 200
MAX_SECTION = 20_000
MAX_SOURCES = 20
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
_CASE_LOCK = 727_274_013  # PostgreSQL advisory lock: two trainers saving one title queue, one wins


class CaseError(CoachError):
    """A case that cannot be saved as given; the message lists every problem found."""


@dataclass(frozen=True)
class CaseRules:
    """What a case must meet: known failure modes and channels, the allowed and the required sections."""

    failure_modes: Collection[str]
    channels: Collection[str]
    sections: tuple[str, ...]
    required_sections: tuple[str, ...]


@dataclass(frozen=True)
class CaseDraft:
    """A case as a trainer (or an upload) gives it, before it is checked."""

    title: str
    brand: str
    year: int | None
    channels: tuple[str, ...] = ()
    failure_modes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    sections: Mapping[str, str] = field(default_factory=dict)

    def snapshot(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "brand": self.brand,
            "year": self.year,
            "channels": list(self.channels),
            "failure_modes": list(self.failure_modes),
            "sources": list(self.sources),
            "sections": dict(self.sections),
        }

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> CaseDraft:
        return cls(
            title=str(data.get("title", "")),
            brand=str(data.get("brand", "")),
            year=data.get("year"),
            channels=tuple(data.get("channels") or ()),
            failure_modes=tuple(data.get("failure_modes") or ()),
            sources=tuple(data.get("sources") or ()),
            sections=dict(data.get("sections") or {}),
        )

    def cleaned(self) -> CaseDraft:
        """Surrounding spaces gone, empty sections and sources dropped; nothing else is changed."""
        return CaseDraft(
            title=" ".join(self.title.split()),
            brand=self.brand.strip(),
            year=self.year,
            channels=tuple(c.strip() for c in self.channels if c.strip()),
            failure_modes=tuple(m.strip() for m in self.failure_modes if m.strip()),
            sources=tuple(s.strip() for s in self.sources if s.strip()),
            sections={k: v.strip() for k, v in self.sections.items() if v.strip()},
        )


@dataclass(frozen=True)
class CaseRecord:
    id: int
    organisation_id: int
    draft: CaseDraft
    version: int
    deleted: bool
    created_at: datetime
    updated_at: datetime

    @property
    def doc_id(self) -> str:
        """The case's id in the case library's index, unique across organisations."""
        return doc_id(self.organisation_id, self.id)


@dataclass(frozen=True)
class CaseVersionRecord:
    version: int
    action: str
    author: str  # an email, or "shell import" / "a deleted account"
    created_at: datetime
    draft: CaseDraft

    @property
    def markdown(self) -> str:
        return case_markdown(self.draft)


def doc_id(organisation_id: int, case_id: int) -> str:
    return f"org-{organisation_id}-case-{case_id}"


def title_key(title: str) -> str:
    return " ".join(title.lower().split())


def problems(draft: CaseDraft, rules: CaseRules) -> list[str]:
    """Every reason the draft cannot be saved, each a sentence for the person who typed it."""
    found: list[str] = []
    if not draft.title:
        found.append("the title is empty")
    elif len(draft.title) > MAX_TITLE:
        found.append(f"the title is longer than {MAX_TITLE} characters")
    if not draft.brand:
        found.append("the brand is empty")
    elif len(draft.brand) > MAX_TITLE:
        found.append(f"the brand is longer than {MAX_TITLE} characters")
    if not isinstance(draft.year, int) or not 1800 <= draft.year <= 2100:
        found.append("the year is missing or not a year between 1800 and 2100")
    if not draft.channels:
        found.append("choose at least one channel")
    for channel in draft.channels:
        if channel not in rules.channels:
            found.append(f"unknown channel {channel!r}")
    if not draft.failure_modes:
        found.append("choose at least one failure mode")
    for mode in draft.failure_modes:
        if mode not in rules.failure_modes:
            found.append(f"unknown failure mode {mode!r}")
    if len(draft.sources) > MAX_SOURCES:
        found.append(f"at most {MAX_SOURCES} sources")
    for url in draft.sources:
        if not _URL.match(url) or len(url) > 500:
            found.append(f"source {url[:80]!r} is not an http(s) URL")
    for name in rules.required_sections:
        if not draft.sections.get(name, "").strip():
            found.append(f"the section “{name}” is empty")
    for name, text in draft.sections.items():
        if name not in rules.sections:
            found.append(f"unexpected section {name!r} (expected: {', '.join(rules.sections)})")
        elif len(text) > MAX_SECTION:
            found.append(f"the section “{name}” is longer than {MAX_SECTION:,} characters")
    return found


def case_markdown(draft: CaseDraft) -> str:
    """The case as plain Markdown text: what the version history compares."""
    lines = [
        f"title: {draft.title}",
        f"brand: {draft.brand}",
        f"year: {draft.year if draft.year is not None else ''}",
        f"channels: {', '.join(draft.channels)}",
        f"failure modes: {', '.join(draft.failure_modes)}",
        *(f"source: {s}" for s in draft.sources),
    ]
    for name, text in draft.sections.items():
        lines += ["", f"## {name}", "", *text.splitlines()]
    return "\n".join(lines) + "\n"


def text_diff(older: CaseDraft | None, newer: CaseDraft, older_label: str, newer_label: str) -> str:
    """A unified diff of the two versions' text ("" when they are the same)."""
    before = case_markdown(older).splitlines(keepends=True) if older else []
    after = case_markdown(newer).splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, older_label, newer_label))


def _record(row: t.CaseStudy) -> CaseRecord:
    draft = CaseDraft(
        title=row.title,
        brand=row.brand,
        year=row.year,
        channels=tuple(row.channels),
        failure_modes=tuple(row.failure_modes),
        sources=tuple(row.sources),
        sections=dict(row.sections),
    )
    return CaseRecord(
        row.id, row.organisation_id, draft, row.version, row.deleted, row.created_at, row.updated_at
    )


class CaseStudies:
    """Members read their organisation's live cases; trainers (edit_case_study) write, delete and restore."""

    def __init__(self, database: Database, *, clock: Clock = t.utcnow) -> None:
        self._db = database
        self._now = clock

    # --- reading ----------------------------------------------------------------------------------

    def list_cases(self, actor: Actor | None, *, include_deleted: bool = False) -> list[CaseRecord]:
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            query = select(t.CaseStudy).where(t.CaseStudy.organisation_id == fresh.organisation_id)
            if not (include_deleted and allows(fresh.role, Permission.EDIT_CASE_STUDY)):
                query = query.where(t.CaseStudy.deleted.is_(False))
            return [_record(r) for r in session.scalars(query.order_by(t.CaseStudy.title_key))]

    def get_case(self, actor: Actor | None, case_id: int) -> CaseRecord:
        """A live case of the actor's organisation; deleted ones only for its trainers."""
        with self._db.reading() as session:
            fresh = authorise(session, actor)
            row = self._visible(session, fresh, case_id)
            return _record(row)

    def history(self, actor: Actor | None, case_id: int) -> list[CaseVersionRecord]:
        """Every saved version, oldest first."""
        with self._db.reading() as session:
            fresh = authorise(session, actor, Permission.EDIT_CASE_STUDY)
            row = self._visible(session, fresh, case_id)
            versions = session.execute(
                select(t.CaseVersion, t.User.email)
                .outerjoin(t.User, t.User.id == t.CaseVersion.author_id)
                .where(t.CaseVersion.case_id == row.id)
                .order_by(t.CaseVersion.version)
            ).all()
            return [
                CaseVersionRecord(
                    v.version,
                    v.action,
                    email or ("a deleted account" if v.snapshot.get("_by_user") else "shell import"),
                    v.created_at,
                    CaseDraft.from_snapshot(v.snapshot),
                )
                for v, email in versions
            ]

    # --- writing ----------------------------------------------------------------------------------

    def create(self, actor: Actor | None, draft: CaseDraft, rules: CaseRules) -> CaseRecord:
        draft = _checked(draft, rules)
        with acting(self._db, actor, Permission.EDIT_CASE_STUDY) as act:
            session, fresh = act.session, act.actor
            return self._create(session, fresh.organisation_id, fresh.user_id, draft)

    def update(self, actor: Actor | None, case_id: int, draft: CaseDraft, rules: CaseRules) -> CaseRecord:
        draft = _checked(draft, rules)
        with acting(self._db, actor, Permission.EDIT_CASE_STUDY) as act:
            session, fresh = act.session, act.actor
            row = self._visible(session, fresh, case_id)
            if row.deleted:
                raise CaseError("this case is deleted; restore a version of it first")
            if CaseDraft.from_snapshot(_snapshot_of(row)) == draft:
                return _record(row)  # nothing changed: no empty version in the history
            return self._write(session, row, draft, "update", fresh.user_id)

    def delete(self, actor: Actor | None, case_id: int) -> CaseRecord:
        """Hide the case from search and practice; its row and history stay, ready to restore."""
        with acting(self._db, actor, Permission.EDIT_CASE_STUDY) as act:
            session, fresh = act.session, act.actor
            row = self._visible(session, fresh, case_id)
            if row.deleted:
                return _record(row)
            row.deleted = True
            return self._write(
                session, row, CaseDraft.from_snapshot(_snapshot_of(row)), "delete", fresh.user_id
            )

    def restore(self, actor: Actor | None, case_id: int, version: int, rules: CaseRules) -> CaseRecord:
        """Make an earlier version the current one (a new version, so the history only grows)."""
        with acting(self._db, actor, Permission.EDIT_CASE_STUDY) as act:
            session, fresh = act.session, act.actor
            row = self._visible(session, fresh, case_id)
            old = session.scalar(
                select(t.CaseVersion).where(t.CaseVersion.case_id == row.id, t.CaseVersion.version == version)
            )
            if old is None:
                raise NotFound(f"no version {version} of case {case_id}")
            draft = _checked(CaseDraft.from_snapshot(old.snapshot), rules)
            row.deleted = False
            return self._write(session, row, draft, "restore", fresh.user_id, restored_from=version)

    # --- the shell (`coach cases import`, re-indexing): trusted like `coach users create` -----------

    def organisation_id(self, name_or_id: str) -> int:
        """The organisation named (or numbered) so, for the shell."""
        with self._db.reading() as session:
            query = select(t.Organisation.id).where(t.Organisation.name == name_or_id.strip())
            found = session.scalar(query)
            if found is None and name_or_id.strip().isdigit():
                found = session.scalar(select(t.Organisation.id).where(t.Organisation.id == int(name_or_id)))
            if found is None:
                raise CaseError(f"no organisation {name_or_id!r}")
            return found

    def import_from_shell(self, organisation_id: int, draft: CaseDraft, rules: CaseRules) -> CaseRecord:
        draft = _checked(draft, rules)
        with self._db.transaction() as session:
            if session.get(t.Organisation, organisation_id) is None:
                raise CaseError(f"no organisation {organisation_id}")
            return self._create(session, organisation_id, None, draft)

    def live_cases_from_shell(self) -> list[CaseRecord]:
        """Every organisation's live cases, for rebuilding the search index."""
        with self._db.reading() as session:
            rows = session.scalars(
                select(t.CaseStudy).where(t.CaseStudy.deleted.is_(False)).order_by(t.CaseStudy.id)
            )
            return [_record(r) for r in rows]

    # --- inside a transaction ---------------------------------------------------------------------

    @staticmethod
    def _visible(session: Session, actor: Actor, case_id: int) -> t.CaseStudy:
        row = session.get(t.CaseStudy, case_id)
        if row is None or row.organisation_id != actor.organisation_id:
            raise NotFound(f"no case {case_id}")
        if row.deleted and not allows(actor.role, Permission.EDIT_CASE_STUDY):
            raise NotFound(f"no case {case_id}")
        return row

    def _create(
        self, session: Session, organisation_id: int, author_id: int | None, draft: CaseDraft
    ) -> CaseRecord:
        now = self._now()
        row = t.CaseStudy(
            organisation_id=organisation_id,
            title="",
            title_key="",
            brand="",
            version=0,
            deleted=False,
            created_by=author_id,
            created_at=now,
            updated_at=now,
        )
        return self._write(session, row, draft, "create", author_id)

    def _write(
        self,
        session: Session,
        row: t.CaseStudy,
        draft: CaseDraft,
        action: str,
        author_id: int | None,
        **detail: Any,
    ) -> CaseRecord:
        serialise(session, _CASE_LOCK)
        if not row.deleted:
            self._refuse_duplicate(session, row, draft.title)
        row.title, row.title_key, row.brand, row.year = (
            draft.title,
            title_key(draft.title),
            draft.brand,
            draft.year,
        )
        row.channels, row.failure_modes = list(draft.channels), list(draft.failure_modes)
        row.sources, row.sections = list(draft.sources), dict(draft.sections)
        row.version, row.updated_at = row.version + 1, self._now()
        if row.id is None:
            session.add(row)
        session.flush()
        snapshot = {**draft.snapshot(), "_by_user": author_id is not None}
        session.add(
            t.CaseVersion(
                case_id=row.id,
                version=row.version,
                action=action,
                snapshot=snapshot,
                author_id=author_id,
                created_at=row.updated_at,
            )
        )
        audit.record(
            session,
            f"case.{action}",
            actor_id=author_id,
            organisation_id=row.organisation_id,
            target_type="case",
            target_id=row.id,
            version=row.version,
            **detail,
        )
        session.flush()
        return _record(row)

    @staticmethod
    def _refuse_duplicate(session: Session, row: t.CaseStudy, title: str) -> None:
        query = select(t.CaseStudy.id).where(
            t.CaseStudy.organisation_id == row.organisation_id,
            t.CaseStudy.title_key == title_key(title),
            t.CaseStudy.deleted.is_(False),
        )
        if row.id is not None:
            query = query.where(t.CaseStudy.id != row.id)
        if session.scalar(query) is not None:
            raise CaseError(f"your organisation has a case titled {title!r} already")


def _snapshot_of(row: t.CaseStudy) -> dict[str, Any]:
    return _record(row).draft.snapshot()


def _checked(draft: CaseDraft, rules: CaseRules) -> CaseDraft:
    draft = draft.cleaned()
    found = problems(draft, rules)
    if found:
        raise CaseError("; ".join(found))
    return draft
