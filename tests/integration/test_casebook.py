"""Organisation cases in the real Chroma index and the real database: saved, indexed, found by their own
organisation only (inside the vector store query and on the keyword side), deleted, restored, imported."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.config import PROJECT_ROOT, Settings
from coach.practice.casebook import Casebook, draft_from, org_document
from coach.retrieval.extraction import extract
from coach.retrieval.library import CaseLibrary, library_finder, make_library
from coach.retrieval.search import visible_to
from coach.storage.case_studies import CaseDraft
from coach.storage.permissions import Actor
from coach.storage.store import Storage, make_storage
from tests.conftest import CORPUS
from tests.unit.test_extraction import CASE_TEXT, make_pdf

PASSWORD = "practice-makes-perfect"
DRAFT = CaseDraft(
    title="Zephyr kettles: the coupon that printed money",
    brand="Zephyr Appliances",
    year=2024,
    channels=("email",),
    failure_modes=("promotion-abuse",),
    sections={
        "Goal": "Sell ten thousand kettles in spring.",
        "What happened": "A 90 percent zorblax coupon meant for staff leaked to a deals forum overnight.",
        "What went wrong": "No cap per customer and no expiry on the zorblax code.",
    },
)


@pytest.fixture(scope="module")
def library_settings(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Settings:
    """A writable copy of the prepared index (or one built here), so organisation cases can be added."""
    data = tmp_path_factory.mktemp("casebook-data")
    if (PROJECT_ROOT / "data" / "chroma").is_dir():
        shutil.copytree(PROJECT_ROOT / "data" / "chroma", data / "chroma")
    return Settings(data_dir=data, model_path=model_dir, corpus_dir=CORPUS)


@pytest.fixture(scope="module")
def library(library_settings: Settings) -> CaseLibrary:
    return make_library(library_settings)


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    built = make_storage(
        Settings(
            data_dir=tmp_path,
            database_url=f"sqlite:///{tmp_path / 'coach.db'}",
            argon2_time_cost=1,
            argon2_memory_kib=8192,
        )
    )
    yield built
    built.close()


def _user(storage: Storage, org: str, role: str) -> Actor:
    member = storage.accounts.create_user_from_shell(org, f"{role}@{org.lower()}.example", role, PASSWORD)
    return Actor(member.id, member.organisation_id, member.role, member.email)


def test_a_saved_case_is_found_at_once_by_its_organisation_only(
    library: CaseLibrary, storage: Storage
) -> None:
    casebook = Casebook(storage.cases, library)
    trainer = _user(storage, "Acme", "trainer")
    candidate = _user(storage, "Acme", "candidate")
    outsider = _user(storage, "Globex", "candidate")
    steps: list[tuple[int, int]] = []
    record = casebook.save(trainer, DRAFT, progress=lambda n, total, _doc, _section: steps.append((n, total)))
    assert steps[-1][0] == steps[-1][1] == 4  # overview + three sections, one progress step each

    query = "a zorblax coupon leaked to a deals forum"
    assert casebook.search(candidate, query, k=3)[0].id == record.doc_id
    assert record.doc_id not in {h.id for h in casebook.search(outsider, query, k=20)}
    assert record.doc_id not in {h.id for h in library.search(query, k=20)}  # no organisation: corpus only
    # the keyword side alone ("zorblax" is in no shipped case) and the dense side alone both filter
    assert library.store is not None
    dense_mine = library.store.nearest(query, 40, where=visible_to(candidate.organisation_id))
    dense_theirs = library.store.nearest(query, 40, where=visible_to(outsider.organisation_id))
    assert any(i.startswith(record.doc_id) for i, _ in dense_mine)
    assert not any(i.startswith(record.doc_id) for i, _ in dense_theirs)
    assert record.doc_id not in {
        h.id for h in library.retriever.search("zorblax", organisation=outsider.organisation_id)
    }
    assert (
        library.retriever.search("zorblax", k=1, organisation=candidate.organisation_id)[0].id
        == record.doc_id
    )

    related = library_finder(library, candidate.organisation_id)(query, 3)
    assert record.doc_id in {r.id for r in related}
    assert record.doc_id in {d.id for d in casebook.case_documents(candidate)}
    assert record.doc_id not in {d.id for d in casebook.case_documents(outsider)}
    assert casebook.document(outsider, record.doc_id) is None
    opened = casebook.document(candidate, record.doc_id)
    assert opened is not None and opened.sections["Goal"] == DRAFT.sections["Goal"]

    casebook.delete(trainer, record.id)
    assert record.doc_id not in {h.id for h in casebook.search(candidate, query, k=20)}
    assert casebook.document(candidate, record.doc_id) is None
    casebook.restore(trainer, record.id, 1)
    assert casebook.search(candidate, query, k=3)[0].id == record.doc_id


def test_a_library_opened_later_finds_the_indexed_cases(
    library: CaseLibrary, library_settings: Settings, storage: Storage
) -> None:
    """The index is the shared copy: a library opened afterwards (the app after `coach cases import`)."""
    trainer = _user(storage, "Initech", "trainer")
    draft = CaseDraft(**{**DRAFT.__dict__, "title": "Quuxly flyers"})
    record = storage.cases.create(trainer, draft, Casebook(storage.cases, library).rules)
    library.index_case(org_document(record), record.organisation_id)
    reopened = make_library(library_settings)
    hits = reopened.search("zorblax coupon leaked", k=5, organisation=record.organisation_id)
    assert record.doc_id in {h.id for h in hits}
    assert record.doc_id not in {h.id for h in reopened.search("zorblax coupon leaked", k=20)}


def test_shell_import_summarises_each_file(library: CaseLibrary, storage: Storage, tmp_path: Path) -> None:
    casebook = Casebook(storage.cases, library)
    _user(storage, "Acme", "trainer")
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "loyalty.pdf").write_bytes(make_pdf(CASE_TEXT))
    (folder / "renamed.pdf").write_bytes(b"PK\x03\x04 this is a zip")
    (folder / "no-fields.txt").write_text("Just a story\n\nWe sent it and nothing happened.\n")
    (folder / "ignored.png").write_bytes(b"\x89PNG")
    seen: list[str] = []
    lines = casebook.import_files("Acme", [folder], progress=lambda n, total, p: seen.append(f"{n}/{total}"))
    assert seen == ["1/3", "2/3", "3/3"]
    by_name = {line.path.name: line for line in lines}
    assert by_name["loyalty.pdf"].ok, by_name["loyalty.pdf"].message
    assert not by_name["renamed.pdf"].ok and "not a PDF" in by_name["renamed.pdf"].message
    assert not by_name["no-fields.txt"].ok and "the brand is empty" in by_name["no-fields.txt"].message
    assert str(by_name["loyalty.pdf"]).startswith("imported: ")
    (record,) = storage.cases.live_cases_from_shell()
    assert record.draft.title == "The loyalty relaunch nobody noticed"
    hits = library.search("points bonus worth less than a coffee", k=3, organisation=record.organisation_id)
    assert hits[0].id == record.doc_id
    # the same file again is a duplicate title: skipped, nothing changed
    again = casebook.import_files("Acme", [folder / "loyalty.pdf"])
    assert not again[0].ok and "has a case titled" in again[0].message
    assert draft_from(extract("loyalty.pdf", (folder / "loyalty.pdf").read_bytes())).brand == "Acme Coffee"
