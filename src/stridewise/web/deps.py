"""Dependencies the routes share, as ``Annotated`` aliases: the app's :class:`Engine`.

The app factory loads one engine (``app.state.engine``); routes declare ``engine: EngineDep``
and pages that render outside a route signature call :func:`engine_of`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from stridewise.engine import Engine


def engine_of(request: Request) -> Engine:
    """The engine the app was created with."""
    engine: Engine = request.app.state.engine
    return engine


async def _engine_dependency(request: Request) -> Engine:
    # Async so FastAPI resolves it on the event loop: a plain ``def`` dependency costs a
    # threadpool round trip per request just to read an attribute.
    return engine_of(request)


EngineDep = Annotated[Engine, Depends(_engine_dependency)]

__all__ = ["EngineDep", "engine_of"]
