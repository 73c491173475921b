"""Sliding-window rate limits kept in process memory.

Used for logins (per client address and email, per minute) and appointment requests (per client
address, per hour). Counters live in one process: with several server processes each enforces
its own limit, which still bounds abuse by the number of processes. Deliberately not in the
database, so a flood of rejected attempts costs no writes."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """Allow at most ``limit`` hits per ``window`` seconds for each key."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> bool:
        """Record one attempt for ``key``; False (and nothing recorded) when over the limit."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 50_000:
                self._sweep(now)
            return True

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key`` may try again (at least 1)."""
        with self._lock:
            hits = self._hits.get(key)
            if not hits:
                return 1
            return max(1, int(hits[0] + self.window - self._clock()) + 1)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()

    def _sweep(self, now: float) -> None:
        # Bound memory under a flood of distinct keys: forget keys whose window has passed.
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
            del self._hits[key]


class Limits:
    """The two limiters one app uses, built from Settings."""

    def __init__(self, login_per_minute: int, requests_per_hour: int) -> None:
        self.login = RateLimiter(login_per_minute, 60.0)
        self.requests = RateLimiter(requests_per_hour, 3600.0)
