"""Settings for the whole app: the only module that reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every knob, read from `COACH_*` environment variables (or a `.env` file)."""

    model_config = SettingsConfigDict(env_prefix="COACH_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=PROJECT_ROOT / "data")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus")
    # Real answers labelled by the rubric's rulings, for measuring (never training): `coach eval` reads it.
    calibration_file: Path = Field(default=PROJECT_ROOT.parent / "shared" / "calibration" / "real-dev.jsonl")
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

    # Optional LLM judge and coach on any OpenAI-compatible endpoint (docs/llm.md). Off unless a model is
    # named: an OPENAI_API_KEY left in a developer's shell must not send answers anywhere by itself.
    llm_model: str | None = None
    # Unset means OpenAI's own endpoint; e.g. http://127.0.0.1:11434/v1 for a local Ollama.
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("COACH_LLM_API_KEY", "OPENAI_API_KEY")
    )
    # Seconds for one request; a slower endpoint falls back to the built-in score.
    llm_timeout: float = 30.0
    # Retries after a 429 or a 5xx (connection errors and timeouts are not retried).
    llm_max_retries: int = 2
    llm_transcription_model: str = "whisper-1"
    # Where voice answers go, when not the chat endpoint (Ollama, for one, has no transcription).
    llm_transcription_base_url: str | None = None

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def model_dir(self) -> Path:
        return self.model_path or self.data_dir / "model"

    @property
    def sqlite_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'coach.db'}"

    @property
    def llm_enabled(self) -> bool:
        # OpenAI's own endpoint needs a key; a local server (base URL given) may need none.
        return bool(self.llm_model) and (self.llm_base_url is not None or self.llm_api_key is not None)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def export_secrets(secrets: Mapping[str, Any], environ: MutableMapping[str, str] = os.environ) -> list[str]:
    """Copy COACH_* (and OPENAI_API_KEY) from Streamlit's secrets.toml into the environment Settings reads.

    A variable already set wins, as it would over a .env file. Returns the names copied.
    """
    copied = []
    for name, value in secrets.items():
        wanted = name.startswith("COACH_") or name == "OPENAI_API_KEY"
        # Tables ([connections.x]) are Streamlit's own business, not settings.
        if wanted and name not in environ and isinstance(value, str | int | float | bool):
            environ[name] = str(value)
            copied.append(name)
    if copied:
        get_settings.cache_clear()
    return copied
