"""Rate limits shared by every app server: fixed-window hit counters kept in the database, or in
Redis when ``redis_url`` is configured.

A :class:`Rule` allows ``limit`` hits per ``window`` seconds for each subject (an address, an
email, an account, an NPI). :meth:`RateLimiter.hit` counts one hit in every bucket it is given
and raises :class:`RateLimited` if any of them is over its limit, with the seconds until that
window ends. Every hit is counted, refused ones too, so a client that keeps hammering stays
refused until the window ends. Fixed windows may let up to twice the limit through around a
window's edge; that bounds abuse just as well and costs one atomic write per bucket.

Counter keys are an HMAC (under ``secret_key``) of the bucket, the subject and the window, so
neither the database nor Redis holds an email or an address. If Redis cannot be reached the
limiter falls back to the database rather than letting every attempt through."""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import Engine, delete, text
from sqlalchemy.dialects import postgresql, sqlite

from stridewise.connect.models import RateCounter
from stridewise.db.engine import session_scope
from stridewise.errors import StridewiseError

log = logging.getLogger("stridewise.connect.rate_limit")


class Bucket(StrEnum):
    """What is being counted, and per what."""

    LOGIN_ADDRESS_EMAIL = "login-address-email"
    LOGIN_ADDRESS = "login-address"
    LOGIN_EMAIL = "login-email"
    SIGNUP_ADDRESS = "signup-address"
    CLAIM_CODE_NPI = "claim-code-npi"
    CLAIM_CODE_ACCOUNT = "claim-code-account"
    CLAIM_GUESS_NPI = "claim-guess-npi"
    REQUEST_ADDRESS = "request-address"
    REQUEST_EMAIL = "request-email"
    REQUEST_NPI = "request-npi"


@dataclass(frozen=True)
class Rule:
    bucket: Bucket
    limit: int
    window: int  # seconds


class RateLimited(StridewiseError):
    """Over a limit. ``retry_after`` is whole seconds until the fullest bucket's window ends."""

    def __init__(self, bucket: Bucket, retry_after: int) -> None:
        super().__init__(f"rate limited ({bucket.value}); retry after {retry_after} s")
        self.bucket = bucket
        self.retry_after = retry_after


class CounterStore(Protocol):
    def incr(self, hits: list[tuple[str, float]]) -> list[int]:
        """Add one hit to each key (which lives until its ``expires_at``, a Unix time), all in
        one round trip; return the counts so far, in order."""


class DatabaseCounters:
    """Counters in ``rate_limit_counters``: one atomic upsert per key, all in one transaction of
    their own (a refused or failed request still counts). On PostgreSQL the commit does not
    wait for the disk (``synchronous_commit=off``): a counter lost to a crash costs nothing,
    and waiting would make every sign-in pay a flush."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def incr(self, hits: list[tuple[str, float]]) -> list[int]:
        counts = []
        with session_scope(self.engine) as session:
            if self.engine.dialect.name == "postgresql":
                session.execute(text("SET LOCAL synchronous_commit TO OFF"))
            for key, expires_at in hits:
                expires = datetime.fromtimestamp(expires_at, UTC).replace(tzinfo=None)
                stmt = (
                    self._insert(RateCounter)
                    .values(key=key, hits=1, expires_at=expires)
                    .on_conflict_do_update(
                        index_elements=[RateCounter.key], set_={"hits": RateCounter.hits + 1}
                    )
                    .returning(RateCounter.hits)
                )
                counts.append(int(session.execute(stmt).scalar_one()))
        return counts


def sweep_counters(engine: Engine, now: datetime) -> int:
    """Delete the database counters of windows that have ended."""
    with session_scope(engine) as session:
        result = session.execute(delete(RateCounter).where(RateCounter.expires_at <= now))
        return int(getattr(result, "rowcount", 0) or 0)


class RedisCounters:
    """Counters in Redis: INCR plus an expiry at the window's end, in one round trip. Falls back
    to ``fallback`` (the database) while Redis is unreachable."""

    def __init__(self, url: str, fallback: CounterStore) -> None:
        import redis

        self._redis = redis
        self.client = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self.fallback = fallback

    def incr(self, hits: list[tuple[str, float]]) -> list[int]:
        try:
            pipe = self.client.pipeline(transaction=True)
            for key, expires_at in hits:
                pipe.incr(f"stridewise:rl:{key}")
                pipe.expireat(f"stridewise:rl:{key}", math.ceil(expires_at) + 1)
            replies = pipe.execute()
            return [int(count) for count in replies[::2]]
        except self._redis.RedisError as exc:
            log.warning("redis unavailable, counting in the database: %s", type(exc).__name__)
            return self.fallback.incr(hits)


class RateLimiter:
    """Counts hits in a :class:`CounterStore` under keys derived from ``secret_key``."""

    def __init__(
        self, store: CounterStore, secret_key: str, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self._secret = secret_key.encode()
        self._clock = clock

    def _key(self, rule: Rule, subject: str, window_index: int) -> str:
        msg = f"{rule.bucket.value}|{rule.window}|{subject}|{window_index}".encode()
        return hmac.new(self._secret, msg, hashlib.sha256).hexdigest()

    def hit(self, *checks: tuple[Rule, str]) -> None:
        """Count one hit for each (rule, subject); raise RateLimited if any is over its limit."""
        now = self._clock()
        worst: tuple[int, Bucket] | None = None
        windows = [(rule, subject, int(now // rule.window)) for rule, subject in checks]
        counts = self.store.incr(
            [(self._key(r, s, i), float((i + 1) * r.window)) for r, s, i in windows]
        )
        for (rule, _, index), count in zip(windows, counts, strict=True):
            ends = (index + 1) * rule.window
            if count > rule.limit:
                retry = max(1, math.ceil(ends - now))
                if worst is None or retry > worst[0]:
                    worst = (retry, rule.bucket)
        if worst is not None:
            raise RateLimited(worst[1], worst[0])
