"""Long-lived data out of the garbage collector's way.

A server process keeps a few large tables for its whole life (the ZIP gazetteer: some 300,000
objects with the knowledge base). Python's full collection rescans every tracked object, and on
the 1-million-provider search benchmark that scan paused a search for about 200 ms every few
dozen requests: the whole p99. :func:`settle` builds those tables, collects once, and moves
everything then alive into the collector's permanent generation (``gc.freeze``), which it never
scans again. Once per process: later calls do nothing, so a test run that builds many apps
freezes only what the first one found alive.
"""

from __future__ import annotations

import gc
import threading

from stridewise.directory.geocode import gazetteer

_lock = threading.Lock()
_settled = False


def settle() -> bool:
    """Build the long-lived tables and freeze the heap, the first time only. Returns whether this
    call did it."""
    global _settled
    with _lock:
        if _settled:
            return False
        gazetteer()
        gc.collect()
        gc.freeze()
        _settled = True
        return True


__all__ = ["settle"]
