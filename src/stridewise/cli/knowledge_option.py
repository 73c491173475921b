"""``--kb DIR``: the option every engine command shares, and the engine it loads.

``DIR`` is a knowledge directory, usually made with ``stridewise kb copy DIR`` and then edited:
the knowledge base's files, optionally with ``text/`` and ``calibration.json`` (see
``stridewise.engine``). Without ``--kb`` the packaged knowledge is used."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stridewise.cli.errors import fail
from stridewise.engine import Engine
from stridewise.errors import KnowledgeError

KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        metavar="DIR",
        help="Use the knowledge in DIR (see `stridewise kb copy`) instead of the packaged one.",
    ),
]


def load_engine(kb_dir: Path | None) -> Engine:
    """The engine over ``kb_dir`` (packaged knowledge when None); a knowledge problem exits 2
    with one line."""
    try:
        return Engine.load(kb_dir)
    except KnowledgeError as exc:
        fail(str(exc))


__all__ = ["KbOption", "load_engine"]
