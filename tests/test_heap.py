"""stridewise.heap: the long-lived tables are frozen out of the collector's way, once."""

from __future__ import annotations

import gc

from stridewise.directory.geocode import gazetteer
from stridewise.heap import settle


def test_settle_freezes_the_gazetteer_once() -> None:
    settle()  # may already have run in this process (an app's start-up does it)
    assert gc.get_freeze_count() > 0
    assert gazetteer.cache_info().currsize == 1  # built before the freeze
    assert settle() is False  # never twice: later garbage stays collectable
