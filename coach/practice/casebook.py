"""The casebook: the shipped case library and an organisation's own cases as one, for the pages and the shell.

Saving a case writes it to the database (with its version) and then indexes that one case, so search, the
"rehearse with a case" list and a scorecard's related cases see it at once; deleting takes it out of the
index and keeps its history.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coach.errors import CoachError
from coach.retrieval.corpus import CASE_SECTIONS, Document
from coach.retrieval.extraction import KINDS, Extracted, ExtractionError, extract
from coach.retrieval.indexing import Progress
from coach.retrieval.library import CaseLibrary
from coach.retrieval.search import Hit
from coach.storage.case_studies import CaseDraft, CaseError, CaseRecord, CaseRules, CaseStudies
from coach.storage.permissions import Actor

# The sections a case cannot do without: the scenario a candidate rehearses from is built on them.
REQUIRED_SECTIONS = ("Goal", "What happened", "What went wrong")
ORG_DOC_PREFIX = "org-"


def org_document(record: CaseRecord) -> Document:
    """An organisation's case in the shape of a corpus document (what the index and the pages take)."""
    draft = record.draft
    meta = {
        "id": record.doc_id,
        "title": draft.title,
        "brand": draft.brand,
        "year": draft.year,
        "channels": list(draft.channels),
        "failure_modes": list(draft.failure_modes),
        "sources": list(draft.sources),
        "organisation": record.organisation_id,
    }
    content = json.dumps(draft.snapshot(), sort_keys=True).encode()
    return Document(
        id=record.doc_id,
        kind="case",
        title=draft.title,
        path=Path(f"organisation-{record.organisation_id}/case-{record.id}"),
        meta=meta,
        sections={name: draft.sections[name] for name in CASE_SECTIONS if name in draft.sections},
        content_hash=hashlib.sha256(content).hexdigest()[:16],
    )


def is_org_document(doc: Document) -> bool:
    """True for an organisation's own case (its text is a trainer's: render it escaped, never as Markdown)."""
    return "organisation" in doc.meta


def draft_from(extracted: Extracted) -> CaseDraft:
    """A draft prefilled from an uploaded file: the trainer completes it in the preview."""
    fields = extracted.fields
    year = fields.get("year")
    return CaseDraft(
        title=extracted.title,
        brand=str(fields.get("brand") or ""),
        year=year if isinstance(year, int) else None,
        channels=tuple(str(c) for c in fields.get("channels") or ()),
        failure_modes=tuple(str(m) for m in fields.get("failure_modes") or ()),
        sources=tuple(str(s) for s in fields.get("sources") or ()),
        sections=dict(extracted.sections),
    )


@dataclass(frozen=True)
class ImportLine:
    """One file of `coach cases import`: what became of it."""

    path: Path
    ok: bool
    message: str

    def __str__(self) -> str:
        return f"{'imported' if self.ok else 'skipped'}: {self.path}: {self.message}"


class Casebook:
    def __init__(self, cases: CaseStudies, library: CaseLibrary) -> None:
        self.cases = cases
        self.library = library
        vocabulary = library.vocabulary
        if vocabulary is None:
            raise CoachError("the casebook needs a case library opened with its vocabulary")
        self.failure_modes = vocabulary.failure_modes
        self.channels = sorted(vocabulary.channels)
        self.rules = CaseRules(
            failure_modes=frozenset(vocabulary.failure_modes),
            channels=vocabulary.channels,
            sections=CASE_SECTIONS,
            required_sections=REQUIRED_SECTIONS,
        )

    # --- reading, as a member of an organisation ---------------------------------------------------

    def search(
        self, actor: Actor, query: str, k: int = 5, kind: Literal["case", "pattern"] | None = None
    ) -> list[Hit]:
        return self.library.search(query, k, kind, organisation=actor.organisation_id)

    def case_documents(self, actor: Actor | None) -> list[Document]:
        """Every case the actor may rehearse with: the shipped ones and their organisation's, by title."""
        own = [org_document(r) for r in self.cases.list_cases(actor)] if actor is not None else []
        return sorted([*self.library.cases(), *own], key=lambda d: d.title.lower())

    def document(self, actor: Actor | None, doc_id: str) -> Document | None:
        """A shipped document, or a case of the actor's organisation; None for anything else."""
        if not doc_id.startswith(ORG_DOC_PREFIX):
            return self.library.get(doc_id)
        if actor is None:
            return None
        prefix = f"{ORG_DOC_PREFIX}{actor.organisation_id}-case-"
        if not doc_id.startswith(prefix) or not doc_id[len(prefix) :].isdigit():
            return None
        try:
            return org_document(self.cases.get_case(actor, int(doc_id[len(prefix) :])))
        except CoachError:
            return None

    # --- writing, as a trainer ---------------------------------------------------------------------

    def save(
        self, actor: Actor, draft: CaseDraft, case_id: int | None = None, progress: Progress | None = None
    ) -> CaseRecord:
        """Create (or update) the case, then index it; an error before the write changes nothing."""
        if case_id is None:
            record = self.cases.create(actor, draft, self.rules)
        else:
            record = self.cases.update(actor, case_id, draft, self.rules)
        self._index(record, progress)
        return record

    def delete(self, actor: Actor, case_id: int) -> CaseRecord:
        record = self.cases.delete(actor, case_id)
        self.library.remove_case(record.doc_id, record.organisation_id)
        return record

    def restore(
        self, actor: Actor, case_id: int, version: int, progress: Progress | None = None
    ) -> CaseRecord:
        record = self.cases.restore(actor, case_id, version, self.rules)
        self._index(record, progress)
        return record

    def _index(self, record: CaseRecord, progress: Progress | None) -> None:
        try:
            self.library.index_case(org_document(record), record.organisation_id, progress)
        except Exception as exc:
            # The case is committed; only the search copy is behind. `coach ingest` brings it up to date.
            raise CoachError(
                f"the case is saved (version {record.version}) but indexing it failed ({exc}); "
                "run `coach ingest` to index it"
            ) from exc

    # --- the shell -------------------------------------------------------------------------------------

    def import_files(
        self,
        organisation: str,
        paths: Iterable[Path],
        progress: Callable[[int, int, Path], None] | None = None,
    ) -> list[ImportLine]:
        """`coach cases import`: each file extracted, checked and saved as the organisation's case, or skipped
        with the reason; one bad file does not stop the others."""
        organisation_id = self.cases.organisation_id(organisation)
        files = sorted(set(expand(paths)))
        lines = []
        for n, path in enumerate(files, start=1):
            if progress:
                progress(n, len(files), path)
            lines.append(self._import_one(organisation_id, path))
        return lines

    def _import_one(self, organisation_id: int, path: Path) -> ImportLine:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return ImportLine(path, False, f"unreadable ({exc.strerror})")
        try:
            draft = draft_from(extract(path.name, data))
            record = self.cases.import_from_shell(organisation_id, draft, self.rules)
            chunks = self.library.index_case(org_document(record), organisation_id)
        except (ExtractionError, CaseError) as exc:
            return ImportLine(path, False, str(exc).removeprefix(f"{path.name}: "))
        return ImportLine(path, True, f"{record.draft.title!r} as {record.doc_id} ({chunks} chunks indexed)")

    def reindex_all(self, progress: Progress | None = None) -> int:
        """Index every organisation's live cases again (after `coach ingest --rebuild`). Cases indexed."""
        records = self.cases.live_cases_from_shell()
        for n, record in enumerate(records, start=1):
            self.library.index_case(org_document(record), record.organisation_id)
            if progress:
                progress(n, len(records), record.doc_id, "indexed")
        return len(records)


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the case files (by extension) inside folders, recursively."""
    for path in paths:
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in KINDS)
        else:
            yield path


def make_casebook(cases: CaseStudies, library: CaseLibrary) -> Casebook:
    return Casebook(cases, library)
