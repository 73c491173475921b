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


EngineDep = Annotated[Engine, Depends(engine_of)]

__all__ = ["EngineDep", "engine_of"]
