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
    ├── Conflict                the request clashes with the current state
    └── DomainProblem           a step a person asked for cannot proceed, for a Reason
        ├── ClaimProblem        (connect.claims) a listing claim step
        └── RequestProblem      (connect.requests) an appointment request step

Each class also derives from ``ValueError`` (except ``NotFound`` and ``Conflict``), so callers
written before this hierarchy existed keep catching them.
"""

from __future__ import annotations

from enum import StrEnum


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


class Reason(StrEnum):
    """Why a :class:`DomainProblem` stopped a step: what a shell needs to choose its answer
    (the web layer maps each to an HTTP status in ``web/problems.py``)."""

    invalid = "invalid"  # the input cannot be used (a wrong code, a bad NPI)
    not_found = "not_found"  # what it names does not exist, or is not the caller's
    conflict = "conflict"  # the current state does not allow it (already claimed, answered)
    expired = "expired"  # it existed but is no longer valid (an expired code)
    too_many = "too_many"  # too many attempts


class DomainProblem(StridewiseError):
    """A step a person asked for cannot proceed. ``message`` is safe to show to people."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


__all__ = [
    "Conflict",
    "DomainProblem",
    "InterviewError",
    "InvalidInput",
    "KnowledgeError",
    "NotFound",
    "Reason",
    "StridewiseError",
    "UnknownAnswer",
]
