"""Settings for the whole app: the only module that reads the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every knob, read from `COACH_*` environment variables (or a `.env` file)."""

    model_config = SettingsConfigDict(env_prefix="COACH_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=PROJECT_ROOT / "data")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus")
    # Where the built ONNX graph lives; defaults to data_dir/model.
    model_path: Path | None = None

    # ChromaDB: embedded on disk unless a server host is given.
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "casebook"

    # SQLAlchemy URL; unset means SQLite in the data dir (see sqlite_url). PostgreSQL:
    # postgresql+psycopg://user@host:5432/dbname
    database_url: str | None = None
    # How long a SQLite writer waits for the lock before giving up; concurrent answers queue behind it.
    sqlite_busy_timeout_seconds: float = 30.0

    # Accounts. A session is absolute: it ends this long after sign-in, whatever the activity.
    session_hours: float = 12.0
    # After this many failed sign-ins for one email, that email is locked for login_lockout_minutes.
    login_max_failures: int = 5
    login_lockout_minutes: float = 15.0
    password_min_length: int = 10
    # Argon2id cost; the defaults are argon2-cffi's RFC 9106 "low memory" profile.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    # What a new organisation starts with; its admin can change both afterwards.
    self_signup_default: bool = False
    share_by_default: bool = False
    invite_days: float = 7.0

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def model_dir(self) -> Path:
        return self.model_path or self.data_dir / "model"

    @property
    def sqlite_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'coach.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
