"""The storage services the app and the CLI use, all over one migrated database."""

from __future__ import annotations

from dataclasses import dataclass

from coach.config import Settings, get_settings
from coach.storage import tables as t
from coach.storage.accounts import Accounts
from coach.storage.assignments import Assignments
from coach.storage.audit import AuditLog
from coach.storage.case_studies import CaseStudies
from coach.storage.cohorts import Cohorts
from coach.storage.database import Database, make_database
from coach.storage.drafts import Drafts
from coach.storage.passwords import make_password_hasher
from coach.storage.personal_data import PersonalData
from coach.storage.question_bank import QuestionBank
from coach.storage.review_queue import ReviewQueue
from coach.storage.reviews import Reviews
from coach.storage.tables import Clock
from coach.storage.trainer_labels import TrainerLabels
from coach.storage.transcripts import Transcripts
from coach.storage.withdrawals import Withdrawals


@dataclass(frozen=True)
class Storage:
    database: Database
    accounts: Accounts
    transcripts: Transcripts
    questions: QuestionBank
    personal_data: PersonalData
    audit: AuditLog
    # Trainer workspace (issue 13).
    cases: CaseStudies
    cohorts: Cohorts
    assignments: Assignments
    labels: TrainerLabels
    # Hiring review (issue 14).
    reviews: Reviews
    review_queue: ReviewQueue
    # Practice flow (issue 16).
    drafts: Drafts
    withdrawals: Withdrawals

    def close(self) -> None:
        self.database.dispose()


def make_storage(
    settings: Settings | None = None, *, database: Database | None = None, clock: Clock = t.utcnow
) -> Storage:
    """Services over the configured database, which is migrated to the newest schema first."""
    settings = settings or get_settings()
    database = database or make_database(settings)
    return Storage(
        database=database,
        accounts=Accounts(database, make_password_hasher(settings), settings, clock=clock),
        transcripts=Transcripts(database, clock=clock),
        questions=QuestionBank(database, clock=clock),
        personal_data=PersonalData(database),
        audit=AuditLog(database),
        cases=CaseStudies(database, clock=clock),
        cohorts=Cohorts(database, clock=clock),
        assignments=Assignments(database, clock=clock),
        labels=TrainerLabels(database, clock=clock),
        reviews=Reviews(database, clock=clock),
        review_queue=ReviewQueue(database),
        drafts=Drafts(database, clock=clock),
        withdrawals=Withdrawals(database, clock=clock),
    )
