"""Back up, wipe, restore (issue 15): every attempt and every organisation case is back, and searchable.

The real SQLite database (backed up with the online backup API while open), the real embedded Chroma index
(wiped, then rebuilt from the corpus and the cases in the restored database, as `coach ingest --rebuild`
does), the real scorer.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from coach.config import PROJECT_ROOT, Settings
from coach.practice.casebook import Casebook
from coach.practice.workflow import make_practice
from coach.retrieval.corpus import Question
from coach.retrieval.library import make_library, sync_index
from coach.scoring.scorer import Scorer
from coach.storage.backup import backup_sqlite, restore_sqlite, sqlite_path
from coach.storage.permissions import Actor
from coach.storage.store import make_storage
from tests.conftest import CORPUS
from tests.integration.test_casebook import DRAFT

QUESTION = Question("failed-campaign", "Explain a digital marketing campaign you led that failed.")


def test_back_up_wipe_restore(tmp_path: Path, model_dir: Path, scorer: Scorer) -> None:
    data = tmp_path / "data"
    if (PROJECT_ROOT / "data" / "chroma").is_dir():
        shutil.copytree(PROJECT_ROOT / "data" / "chroma", data / "chroma")
    settings = Settings(
        data_dir=data, model_path=model_dir, corpus_dir=CORPUS, argon2_time_cost=1, argon2_memory_kib=8192
    )
    storage = make_storage(settings)
    library = make_library(settings)

    def user(role: str) -> Actor:
        m = storage.accounts.create_user_from_shell("Acme", f"{role}@acme.example", role, "long-password-1")
        return Actor(m.id, m.organisation_id, m.role, m.email)

    candidate, trainer = user("candidate"), user("trainer")
    practice = make_practice(storage.transcripts, lambda: scorer)
    answers = [f"I led an email campaign that missed its target by {n}0%. I own it." for n in range(1, 4)]
    for answer in answers:
        practice.submit(candidate, QUESTION, answer)
    case = Casebook(storage.cases, library).save(trainer, DRAFT)
    before = [(a.id, a.answer, a.status) for a in storage.transcripts.list_attempts(candidate)]

    backup = backup_sqlite(
        sqlite_path(settings.sqlite_url), tmp_path / "backups" / "coach.db"
    )  # open, in use
    storage.close()
    shutil.rmtree(data)  # the wipe: database and index gone
    # Restored into a fresh data dir, as onto a new machine (Chroma keeps a client per path per process, so
    # reopening the wiped path in this same process would find the old one; a restore runs with the app down).
    new = settings.model_copy(update={"data_dir": tmp_path / "restored"})
    restore_sqlite(backup, sqlite_path(new.sqlite_url))
    sync_index(new, rebuild=True)  # `coach ingest --rebuild`: the corpus, then the organisations' cases
    restored = make_storage(new)
    casebook = Casebook(restored.cases, make_library(new))
    assert casebook.reindex_all() == 1

    after = [(a.id, a.answer, a.status) for a in restored.transcripts.list_attempts(candidate)]
    assert sorted(after) == sorted(before) and len(after) == 3
    assert all(status == "scored" for _, _, status in after)
    assert restored.cases.get_case(trainer, case.id).draft == case.draft
    hits = casebook.search(candidate, "a zorblax coupon leaked to a deals forum", k=3)
    assert case.doc_id in [h.id for h in hits]
    restored.close()
