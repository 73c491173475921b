"""The one typed settings object. Every knob is an environment variable prefixed ``STRIDEWISE_``
except ``DATABASE_URL``, which keeps its conventional name. docs/settings.md lists them all; it
is generated from this class (``stridewise settings doc``) and a test keeps it current."""

from __future__ import annotations

import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from stridewise.errors import StridewiseError

PLACEHOLDER_SECRET = "dev-only-change-me"
# HMAC keys shorter than this are guessable enough to forge a session or CSRF token offline.
MIN_PRODUCTION_SECRET = 32


class Environment(StrEnum):
    """``development``: a laptop or the tests (placeholder secrets allowed). ``production``:
    anything reachable by others (placeholder and short secrets refused)."""

    development = "development"
    production = "production"


class SettingsError(StridewiseError, ValueError):
    """The settings cannot be used for what was asked (e.g. serving with a placeholder secret)."""


def _default_data_dir() -> Path:
    """One per-user place, whatever folder a command runs from: ``$XDG_DATA_HOME/stridewise``,
    else ``~/.local/share/stridewise`` (override with ``STRIDEWISE_DATA_DIR``)."""
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "stridewise"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STRIDEWISE_", env_file=".env", extra="ignore")

    env: Environment = Field(
        default=Environment.production,
        description="development or production. Production (the default) refuses to serve with "
        "the placeholder or a short secret key; `make run` and the tests use development.",
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Per-user data folder (the SQLite file, the local mailbox): "
        "$XDG_DATA_HOME/stridewise, else ~/.local/share/stridewise.",
    )
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("DATABASE_URL", "STRIDEWISE_DATABASE_URL"),
        description="SQLAlchemy URL. Empty means the embedded SQLite file in data_dir.",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The public address of the site, used in links sent by email.",
    )
    secret_key: str = Field(
        default=PLACEHOLDER_SECRET,
        min_length=8,
        description="Signs sessions, CSRF tokens and claim codes. At least 32 characters in "
        "production, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`.",
    )
    secure_cookies: bool = Field(
        default=False, description="Mark cookies Secure (set true behind HTTPS)."
    )

    smtp_host: str = Field(
        default="",
        description="SMTP server. Empty = local mailbox mode: mail is written to "
        "data_dir/mailbox (and shown at /dev/mailbox in development), never sent.",
    )
    smtp_port: int = Field(default=8025, description="SMTP server port.")
    smtp_username: str = Field(default="", description="SMTP user; empty means no login.")
    smtp_password: str = Field(default="", description="SMTP password.")
    smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP connection to TLS.")
    mail_from: str = Field(
        default="Stridewise <no-reply@stridewise.local>", description="The From: of every mail."
    )
    mail_max_attempts: int = Field(
        default=5, description="Sending attempts before a mail is marked failed."
    )
    mail_retry_base_seconds: float = Field(
        default=30.0, gt=0, description="First retry delay for a failed mail; doubles each try."
    )
    outbox_poll_seconds: float = Field(
        default=5.0, gt=0, description="How often the in-app outbox worker looks for due mail."
    )
    outbox_worker_enabled: bool = Field(
        default=True,
        description="Run the outbox mail worker inside the web app for its whole life.",
    )

    nucc_taxonomy_path: Path | None = Field(
        default=None,
        description="NUCC taxonomy CSV (v25.1) for labels of every code; None = bundled subset.",
    )
    directory_taxonomy_codes: Path | None = Field(
        default=None,
        description="CSV of taxonomy codes the directory keeps (column 'code'); None = bundled.",
    )

    directory_import_floor: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="A full import must keep at least this share of the active directory's"
        " providers (else it is refused; `--force` overrides).",
    )

    map_tile_url: str = Field(
        default="",
        description="Optional Leaflet tile URL template; empty keeps the map offline.",
    )
    map_tile_attribution: str = Field(
        default="", description="Attribution text the tile provider requires."
    )

    kb_dir: Path | None = Field(
        default=None,
        description="Knowledge directory the web app serves (see `stridewise kb copy`); "
        "None = the packaged knowledge. `stridewise serve --kb DIR` sets it.",
    )

    redis_url: str = Field(
        default="",
        description="redis:// URL for the shared rate-limit counters; empty keeps them in the "
        "database.",
    )
    # Rate limits (connect/limits.py), shared by every app server through the database or Redis.
    rate_limit_login_per_minute: int = Field(
        default=10,
        ge=1,
        description="Sign-in attempts per client address and email per minute.",
    )
    rate_limit_login_per_address_per_hour: int = Field(
        default=100,
        ge=1,
        description="Sign-in attempts per client address per hour, whatever the email.",
    )
    rate_limit_login_per_email_per_hour: int = Field(
        default=30,
        ge=1,
        description="Sign-in attempts per email per hour, from any address.",
    )
    rate_limit_signups_per_address_per_hour: int = Field(
        default=10,
        ge=1,
        description="Provider sign-ups per client address per hour (each costs an argon2 hash).",
    )
    rate_limit_claim_codes_per_npi_per_day: int = Field(
        default=5,
        ge=1,
        description="Claim codes sent per NPI per day.",
    )
    rate_limit_claim_codes_per_account_per_day: int = Field(
        default=10,
        ge=1,
        description="Claim codes sent per provider account per day.",
    )
    rate_limit_claim_guesses_per_npi_per_day: int = Field(
        default=10,
        ge=1,
        description="Wrong claim-code guesses per NPI per day (a restarted claim keeps them).",
    )
    rate_limit_requests_per_hour: int = Field(
        default=20,
        ge=1,
        description="Appointment requests per client address per hour.",
    )
    rate_limit_requests_per_npi_per_hour: int = Field(
        default=60,
        ge=1,
        description="Appointment requests to one provider per hour.",
    )
    rate_limit_requests_per_email_per_day: int = Field(
        default=10,
        ge=1,
        description="Appointment requests from one runner email per day.",
    )
    idempotency_ttl_hours: float = Field(
        default=24.0, gt=0, description="How long a stored Idempotency-Key response is replayed."
    )

    @property
    def local_mailbox(self) -> bool:
        """Whether mail goes to the local mailbox folder instead of an SMTP server."""
        return not self.smtp_host.strip()

    @property
    def local_mailbox_enabled(self) -> bool:
        """Whether /dev/mailbox may be served: local mailbox mode in development only."""
        return self.local_mailbox and self.env is Environment.development

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

    def serving_problems(self) -> list[str]:
        """Why these settings must not serve the web app (empty when they may)."""
        if self.env == Environment.development:
            return []
        if self.secret_key == PLACEHOLDER_SECRET:
            return [
                "STRIDEWISE_SECRET_KEY is the development placeholder; set a random secret of at "
                f"least {MIN_PRODUCTION_SECRET} characters (or STRIDEWISE_ENV=development to run "
                "locally)"
            ]
        if len(self.secret_key) < MIN_PRODUCTION_SECRET:
            return [
                f"STRIDEWISE_SECRET_KEY is shorter than {MIN_PRODUCTION_SECRET} characters; set a "
                "longer random secret in production"
            ]
        return []

    def check_can_serve(self) -> None:
        """Raise SettingsError when these settings must not serve the web app."""
        problems = self.serving_problems()
        if problems:
            raise SettingsError("; ".join(problems))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
