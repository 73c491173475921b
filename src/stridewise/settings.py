"""The one typed settings object. Every knob is an environment variable prefixed ``STRIDEWISE_``
except ``DATABASE_URL``, which keeps its conventional name."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    """One per-user place, whatever folder a command runs from: ``$XDG_DATA_HOME/stridewise``,
    else ``~/.local/share/stridewise`` (override with ``STRIDEWISE_DATA_DIR``)."""
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "stridewise"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STRIDEWISE_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Per-user data folder (the SQLite file, the local mailbox).",
    )
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("DATABASE_URL", "STRIDEWISE_DATABASE_URL"),
        description="SQLAlchemy URL. Empty means the embedded SQLite file in data_dir.",
    )
    base_url: str = "http://127.0.0.1:8000"
    secret_key: str = Field(default="dev-only-change-me", min_length=8)
    secure_cookies: bool = False

    dev: bool = Field(
        default=False,
        description="Development mode (set by `stridewise serve --dev` and `make run`): serves "
        "the local mailbox at /dev/mailbox. Never on in production.",
    )
    smtp_host: str = Field(
        default="",
        description="SMTP server. Empty = local mailbox mode: mail is written to "
        "data_dir/mailbox (and shown at /dev/mailbox in development), never sent.",
    )
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
    def local_mailbox(self) -> bool:
        """Whether mail goes to the local mailbox folder instead of an SMTP server."""
        return not self.smtp_host.strip()

    @property
    def local_mailbox_enabled(self) -> bool:
        """Whether /dev/mailbox may be served: local mailbox mode in development only."""
        return self.local_mailbox and self.dev

    @property
    def mailbox_dir(self) -> Path:
        return self.data_dir / "mailbox"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        folder = self.data_dir.expanduser().resolve()
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'stridewise.sqlite3'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
