"""Which rate limits apply to what: the policy over :mod:`stridewise.connect.rate_limit`.

Every limit is a Settings knob (``rate_limit_*``). Each action counts in several buckets at once
so that no single dimension can be sprayed:

* sign-in: per address and email, per address (one address trying many emails), per email (many
  addresses guessing one account's password);
* sign-up: per address (each one costs an argon2 hash);
* claim codes sent: per NPI and per account, per day (each one mails someone);
* claim code guesses: per NPI, per day; unlike the claim's own five tries this does not reset
  when the claim is started again;
* appointment requests: per address, per provider NPI (an inbox flood) and per runner email
  (confirmations must not become a way to mail a stranger).

The web layer calls these before doing the work and turns :class:`RateLimited` into a 429 with
``Retry-After``."""

from __future__ import annotations

from sqlalchemy import Engine

from stridewise.connect.rate_limit import (
    Bucket,
    DatabaseCounters,
    RateLimited,
    RateLimiter,
    RedisCounters,
    Rule,
)
from stridewise.settings import Settings

MINUTE = 60
HOUR = 3600
DAY = 86400

__all__ = ["Limits", "RateLimited"]


class Limits:
    """The limits of one app, counted in the shared store the settings name."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        database = DatabaseCounters(engine)
        store = RedisCounters(settings.redis_url, database) if settings.redis_url else database
        self.limiter = RateLimiter(store, settings.secret_key)
        s = settings
        self._login = (
            Rule(Bucket.LOGIN_ADDRESS_EMAIL, s.rate_limit_login_per_minute, MINUTE),
            Rule(Bucket.LOGIN_ADDRESS, s.rate_limit_login_per_address_per_hour, HOUR),
            Rule(Bucket.LOGIN_EMAIL, s.rate_limit_login_per_email_per_hour, HOUR),
        )
        self._signup = Rule(Bucket.SIGNUP_ADDRESS, s.rate_limit_signups_per_address_per_hour, HOUR)
        self._code_npi = Rule(Bucket.CLAIM_CODE_NPI, s.rate_limit_claim_codes_per_npi_per_day, DAY)
        self._code_account = Rule(
            Bucket.CLAIM_CODE_ACCOUNT, s.rate_limit_claim_codes_per_account_per_day, DAY
        )
        self._guess_npi = Rule(
            Bucket.CLAIM_GUESS_NPI, s.rate_limit_claim_guesses_per_npi_per_day, DAY
        )
        self._request = (
            Rule(Bucket.REQUEST_ADDRESS, s.rate_limit_requests_per_hour, HOUR),
            Rule(Bucket.REQUEST_NPI, s.rate_limit_requests_per_npi_per_hour, HOUR),
            Rule(Bucket.REQUEST_EMAIL, s.rate_limit_requests_per_email_per_day, DAY),
        )

    def login(self, address: str, email: str) -> None:
        email = email.strip().lower()[:254]
        by_pair, by_address, by_email = self._login
        self.limiter.hit((by_pair, f"{address}|{email}"), (by_address, address), (by_email, email))

    def signup(self, address: str) -> None:
        self.limiter.hit((self._signup, address))

    def claim_code(self, account_id: int, npi: str) -> None:
        """Before a claim code is (re)sent for ``npi``."""
        self.limiter.hit((self._code_npi, npi[:10]), (self._code_account, str(account_id)))

    def claim_guess(self, npi: str) -> None:
        """Before a typed code for a claim on ``npi`` is checked."""
        self.limiter.hit((self._guess_npi, npi[:10]))

    def appointment_request(self, address: str, npi: str, email: str) -> None:
        by_address, by_npi, by_email = self._request
        checks = [(by_address, address), (by_npi, npi[:10])]
        if email.strip():
            checks.append((by_email, email.strip().lower()[:254]))
        self.limiter.hit(*checks)
