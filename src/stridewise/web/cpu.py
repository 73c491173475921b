"""Where a route runs the engine's CPU-bound work: on the event loop when it is short, in the
threadpool when it is long.

The engine is pure Python, so it holds the GIL wherever it runs: a worker thread does not let
the event loop run alongside it. It only lets the loop *cut in* - when the loop asks for the GIL,
the running thread must hand it over after ``sys.getswitchinterval()`` (5 ms by default). So the
loop's longest stall is the same whether a job of up to one switch interval runs inline or in a
thread, while each thread hop costs two GIL hand-offs, a queue round trip and, under concurrent
load, a convoy: every socket call the loop makes releases the GIL to a waiting engine thread,
and the loop queues again for it (measured with wrk on one uvicorn worker at 8 connections:
17% more assessments per second inline than through one thread hop, at 11% less CPU each).
A long job (a runner may write 5,000 characters: ~20 ms of engine work) goes to the threadpool,
where the loop still gets the GIL back every switch interval.

``INLINE_TEXT_CHARS`` is the text length whose assessment takes about one switch interval on a
quiet machine (1,000 characters: ~5 ms in the engine of December 2026; shorter as the engine
gets faster, so the bound only grows more conservative).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.concurrency import run_in_threadpool

#: Threads one process gives to directory searches at once. A search is mostly Python holding
#: the GIL around short SQLite reads: sixteen of them in sixteen threads cost more CPU each
#: (lock hand-offs, cache misses) than the same sixteen queued behind a few threads.
DIRECTORY_THREADS = 4
_directory_limiter: CapacityLimiter | None = None

#: Texts up to this many characters are assessed on the event loop (see the module docstring).
INLINE_TEXT_CHARS = 1000

P = ParamSpec("P")
T = TypeVar("T")


async def run_engine_work(
    text_chars: int, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """``func(*args, **kwargs)``, inline when the text it reads is at most ``INLINE_TEXT_CHARS``
    characters long, otherwise in the threadpool. Exceptions propagate either way."""
    if text_chars <= INLINE_TEXT_CHARS:
        return func(*args, **kwargs)
    return await run_in_threadpool(func, *args, **kwargs)


async def run_directory_work(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``func(*args, **kwargs)`` in a worker thread, at most ``DIRECTORY_THREADS`` at once per
    process (the limiter is made on first use, inside the running event loop)."""
    global _directory_limiter
    if _directory_limiter is None:
        _directory_limiter = CapacityLimiter(DIRECTORY_THREADS)
    return await anyio.to_thread.run_sync(lambda: func(*args, **kwargs), limiter=_directory_limiter)


__all__ = ["DIRECTORY_THREADS", "INLINE_TEXT_CHARS", "run_directory_work", "run_engine_work"]
