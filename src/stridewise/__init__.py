"""Stridewise: triage, self-care and provider finding for runners with foot and leg pain.

Public API::

    from stridewise import assess
    result = assess("Stabbing pain under my heel first thing in the morning", age=45)
"""

from __future__ import annotations

__version__ = "0.1.0"

from stridewise.triage.engine import assess
from stridewise.triage.schemas import AssessmentRequest, AssessmentResult

__all__ = ["AssessmentRequest", "AssessmentResult", "__version__", "assess"]
