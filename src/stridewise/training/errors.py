"""The training domain's exceptions, one hierarchy. The web layer maps them to HTTP codes, the
CLI to exit 2; a problem with one file is never an exception but a ``FileProblem`` result."""

from __future__ import annotations


class TrainingError(ValueError):
    """Base of every error the training package raises for bad input."""


class UploadRejected(TrainingError):
    """The upload as a whole cannot be read (no files, too many, too large in total)."""


class UnknownCondition(TrainingError):
    """A return-to-run plan was asked for a condition the knowledge base does not have."""


class PlanInputError(TrainingError):
    """A plan parameter (start date, baseline load) is out of range."""
