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

    database_url: str | None = None

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
