"""Every error a Stridewise domain raises on purpose, in one hierarchy.

Domains raise these and nothing else for expected failures; each shell decides what they mean to
its user. The web layer maps them to HTTP statuses (``web/problems.py``, the only place that knows
status codes); the CLI prints one line and exits 2. A domain never mentions HTTP.

::

    StridewiseError
    ├── KnowledgeError          the knowledge (KB, lexicon, text data, calibration) is invalid
    ├── InvalidInput            the caller's input cannot be used (bad answer id, bad value)
    │   ├── UnknownAnswer       an answer names a finding the knowledge base does not have
    │   └── InterviewError      an interview answer names a question or option we lack
    ├── NotFound                what was asked for does not exist
    └── Conflict                the request clashes with the current state

Each class also derives from ``ValueError`` (except ``NotFound`` and ``Conflict``), so callers
written before this hierarchy existed keep catching them.
"""

from __future__ import annotations


class StridewiseError(Exception):
    """Base of every expected Stridewise failure. ``str(exc)`` is safe to show to the user: it
    never contains a runner's words."""


class KnowledgeError(StridewiseError, ValueError):
    """The knowledge base, the text knowledge or the calibration is malformed or inconsistent.
    The message lists every problem found, not just the first."""


class InvalidInput(StridewiseError, ValueError):
    """The caller's input is well-formed but cannot be used."""


class UnknownAnswer(InvalidInput):
    """An answer names a finding id the knowledge base does not have."""


class InterviewError(InvalidInput):
    """An interview answer names a question the bank does not have, or a value that question
    does not accept."""


class NotFound(StridewiseError):
    """What was asked for does not exist (or is not the caller's to see)."""


class Conflict(StridewiseError):
    """The request clashes with the current state (already claimed, already answered)."""


__all__ = [
    "Conflict",
    "InterviewError",
    "InvalidInput",
    "KnowledgeError",
    "NotFound",
    "StridewiseError",
    "UnknownAnswer",
]
