"""Bounds on untrusted input, shared by the web edge and the CLI: how deep JSON may nest and
which characters text may hold.

NUL and the other C0 control characters (tab, line feed and carriage return aside) have no
place in anything a runner or provider types; PostgreSQL refuses NUL in text outright, so
without this check they reached the database and came back as 500s. JSON nesting is bounded
so a request of a hundred thousand ``[`` costs a refusal, not a parser's recursion.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Deepest JSON nesting accepted (our deepest contract nests four levels).
MAX_JSON_DEPTH = 32

#: Characters no text field may hold: C0 controls except tab, LF and CR, and DEL.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# What in raw JSON bytes could decode to such a character: the raw byte itself, a \u escape of
# one, or the short escapes \b and \f. A backslash that is itself escaped ("\\b", a backslash
# then a letter) matches too: that only sends the body to the exact check.
_CONTROL_IN_JSON = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\\(?:[bf]|u00[01][0-9a-fA-F]|u007[fF])"
)


class InputRejected(ValueError):
    """Input outside the bounds. ``where`` names the field (dotted path), when known."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}" if where else reason)


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character no text field may hold (see CONTROL_CHARS)."""
    return CONTROL_CHARS.search(text) is not None


#: Said when an email address holds a character :func:`visible_only` refuses.
INVISIBLE_IN_EMAIL = "An email address cannot contain control or invisible characters."


def visible_only(text: str) -> bool:
    """Whether every character of ``text`` is visible or a plain space: no control character
    (tab and line breaks included), no format character (zero-width space, direction marks, a
    byte-order mark) and no other kind of space. For identifiers such as email addresses, where
    such a character makes a look-alike of another address and must be refused, never dropped."""
    return text.isprintable()


def check_text(text: str, where: str = "") -> None:
    """Raise InputRejected if ``text`` holds a control character."""
    if has_control(text):
        raise InputRejected(where, "must not contain NUL or other control characters")


def check_value(value: Any, where: str = "", depth: int = 0) -> None:
    """Walk parsed JSON: raise InputRejected for nesting deeper than MAX_JSON_DEPTH or a string
    (or object key) with a control character."""
    if depth > MAX_JSON_DEPTH:
        raise InputRejected(where, f"nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        check_text(value, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            check_text(str(key), path)
            check_value(item, path, depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_value(item, f"{where}.{i}" if where else str(i), depth + 1)


def plainly_bounded(data: bytes) -> bool:
    """True when raw JSON ``data`` is certainly within the bounds, whatever it parses to: no
    byte or escape that could become a control character, and too few brackets to nest past
    MAX_JSON_DEPTH. False means "not certain": parse it with :func:`loads`. One scan of the
    bytes, no parse - the common body is checked without building its value."""
    if data.count(b"[") + data.count(b"{") > MAX_JSON_DEPTH:
        return False
    return _CONTROL_IN_JSON.search(data) is None


def loads(data: str | bytes) -> Any:
    """``json.loads`` within the bounds: raises InputRejected for deep nesting or control
    characters, and json.JSONDecodeError for text that is not JSON."""
    try:
        value = json.loads(data)
    except RecursionError:  # far deeper than MAX_JSON_DEPTH: the parser gave up first
        raise InputRejected("", f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    check_value(value)
    return value
