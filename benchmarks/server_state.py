"""What the state shared by every app server costs per request, in process, on one core.

Prints checks/s and p50/p99 for a sign-in's rate-limit check (three buckets) counted in process
memory (the baseline: what the old per-process limiter did), in SQLite, in PostgreSQL (when
STRIDEWISE_TEST_POSTGRES_URL is set) and in Redis (when one answers at 127.0.0.1:6379); and for
a session lookup on SQLite and PostgreSQL. Each figure is also a ratio of the in-memory baseline
from the same run. A sign-in also costs one argon2 verification (tens of milliseconds).
Run: .venv/bin/python benchmarks/server_state.py [--hits N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from stridewise.connect import sessions
from stridewise.connect.accounts import create_account
from stridewise.connect.rate_limit import (
    Bucket,
    DatabaseCounters,
    RateLimited,
    RateLimiter,
    RedisCounters,
    Rule,
)
from stridewise.db.engine import make_engine, session_scope
from stridewise.db.migrate import upgrade

# A sign-in counts three buckets at once: measure that.
RULES = [
    Rule(Bucket.LOGIN_ADDRESS_EMAIL, 10**9, 60),
    Rule(Bucket.LOGIN_ADDRESS, 10**9, 3600),
    Rule(Bucket.LOGIN_EMAIL, 10**9, 3600),
]


class MemoryCounters:
    def __init__(self) -> None:
        self.hits: dict[str, int] = {}

    def incr(self, hits: list[tuple[str, float]]) -> list[int]:
        for key, _ in hits:
            self.hits[key] = self.hits.get(key, 0) + 1
        return [self.hits[key] for key, _ in hits]


def measure(label: str, work: Callable[[int], None], n: int) -> tuple[str, float, float, float]:
    for i in range(min(50, n)):  # warm-up
        work(i)
    times = []
    start = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        work(i)
        times.append(time.perf_counter() - t)
    rate = n / (time.perf_counter() - start)
    times.sort()
    return label, rate, statistics.median(times) * 1e3, times[int(0.99 * (n - 1))] * 1e3


@contextmanager
def postgres() -> Iterator[str | None]:
    admin_url = os.environ.get("STRIDEWISE_TEST_POSTGRES_URL", "")
    if not admin_url:
        yield None
        return
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"sw_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def limiter_work(limiter: RateLimiter) -> Callable[[int], None]:
    def work(i: int) -> None:
        with suppress(RateLimited):
            limiter.hit(*((rule, f"10.0.{i % 200}.1") for rule in RULES))

    return work


def session_work(url: str) -> Callable[[int], None]:
    engine = make_engine(url)
    with session_scope(engine) as s:
        account = create_account(s, f"b-{uuid.uuid4().hex[:8]}@example.org", "x" * 12, "provider")
        token = sessions.start(s, account.id)

    def work(_: int) -> None:
        with session_scope(engine) as s:
            assert sessions.resolve(s, token) is not None

    return work


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hits", type=int, default=2000)
    n = ap.parse_args().hits
    rows = [measure("rate limit, in memory", limiter_work(RateLimiter(MemoryCounters(), "k")), n)]
    with tempfile.TemporaryDirectory() as tmp, postgres() as pg:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(sqlite_url)
        sqlite_engine = make_engine(sqlite_url)
        rows.append(
            measure(
                "rate limit, SQLite",
                limiter_work(RateLimiter(DatabaseCounters(sqlite_engine), "k")),
                n,
            )
        )
        pg_engine = None
        if pg:
            upgrade(pg)
            pg_engine = make_engine(pg)
            rows.append(
                measure(
                    "rate limit, PostgreSQL",
                    limiter_work(RateLimiter(DatabaseCounters(pg_engine), "k")),
                    n,
                )
            )
        try:
            redis_store = RedisCounters(
                "redis://127.0.0.1:6379/15", DatabaseCounters(sqlite_engine)
            )
            redis_store.client.ping()
            rows.append(
                measure("rate limit, Redis", limiter_work(RateLimiter(redis_store, "k")), n)
            )
        except Exception as exc:
            print(f"(Redis not measured: {type(exc).__name__})")
        rows.append(measure("session lookup, SQLite", session_work(sqlite_url), n))
        if pg:
            rows.append(measure("session lookup, PostgreSQL", session_work(pg), n))
        sqlite_engine.dispose()
        if pg_engine is not None:
            pg_engine.dispose()
    base = rows[0][1]
    print(f"{'operation':30} {'per s':>10} {'p50 ms':>8} {'p99 ms':>8} {'vs memory':>10}")
    for label, rate, p50, p99 in rows:
        print(f"{label:30} {rate:10,.0f} {p50:8.3f} {p99:8.3f} {rate / base:10.4f}")


if __name__ == "__main__":
    main()
