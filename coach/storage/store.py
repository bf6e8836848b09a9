"""The storage services the app and the CLI use, all over one migrated database."""

from __future__ import annotations

from dataclasses import dataclass

from coach import tables as t
from coach.accounts import Accounts, Clock
from coach.audit import AuditLog
from coach.config import Settings, get_settings
from coach.database import Database, make_database
from coach.passwords import make_password_hasher
from coach.personal_data import PersonalData
from coach.question_bank import QuestionBank
from coach.transcripts import Transcripts


@dataclass(frozen=True)
class Storage:
    database: Database
    accounts: Accounts
    transcripts: Transcripts
    questions: QuestionBank
    personal_data: PersonalData
    audit: AuditLog

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
    )
