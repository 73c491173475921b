"""The one typed settings object. Every knob is an environment variable prefixed ``STRIDEWISE_``
except ``DATABASE_URL``, which keeps its conventional name."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.cwd() / "var"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STRIDEWISE_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("DATABASE_URL", "STRIDEWISE_DATABASE_URL"),
        description="SQLAlchemy URL. Empty means the embedded SQLite file in data_dir.",
    )
    base_url: str = "http://127.0.0.1:8000"
    secret_key: str = Field(default="dev-only-change-me", min_length=8)
    secure_cookies: bool = False

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "Stridewise <no-reply@stridewise.local>"
    mail_max_attempts: int = 5
    mail_retry_base_seconds: float = Field(
        default=30.0, gt=0, description="First retry delay for a failed mail; doubles each try."
    )
    outbox_poll_seconds: float = Field(
        default=5.0, gt=0, description="How often the in-app outbox worker looks for due mail."
    )
    outbox_worker_enabled: bool = True

    nucc_taxonomy_path: Path | None = Field(
        default=None,
        description="NUCC taxonomy CSV (v25.1) for labels of every code; None = bundled subset.",
    )
    directory_taxonomy_codes: Path | None = Field(
        default=None,
        description="CSV of taxonomy codes the directory keeps (column 'code'); None = bundled.",
    )

    map_tile_url: str = Field(
        default="",
        description="Optional Leaflet tile URL template; empty keeps the map offline.",
    )
    map_tile_attribution: str = ""

    kb_dir: Path | None = Field(
        default=None,
        description="Knowledge directory the web app serves (see `stridewise kb copy`); "
        "None = the packaged knowledge. `stridewise serve --kb DIR` sets it.",
    )

    rate_limit_login_per_minute: int = 10
    rate_limit_requests_per_hour: int = 20

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'stridewise.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
