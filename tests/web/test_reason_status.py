"""Domain problems carry a Reason; only the web layer turns it into an HTTP status."""

from __future__ import annotations

import pytest

from stridewise.connect.claims import ClaimProblem
from stridewise.connect.requests import RequestProblem
from stridewise.errors import DomainProblem, Reason, StridewiseError
from stridewise.web.problems import REASON_STATUS, status_of


def test_every_reason_has_a_status() -> None:
    assert set(REASON_STATUS) == set(Reason)
    assert all(400 <= s < 500 for s in REASON_STATUS.values())


@pytest.mark.parametrize(
    ("problem", "status"),
    [
        (ClaimProblem(Reason.invalid, "That code is not right."), 422),
        (ClaimProblem(Reason.expired, "That code has expired."), 410),
        (ClaimProblem(Reason.too_many, "Too many wrong codes."), 429),
        (RequestProblem(Reason.not_found, "Not found", "No such request.", "not-found"), 404),
        (RequestProblem(Reason.conflict, "Already answered", "Answered.", "answered"), 409),
    ],
)
def test_connect_problems_are_domain_errors_mapped_in_the_web_layer(
    problem: DomainProblem, status: int
) -> None:
    assert isinstance(problem, StridewiseError)
    assert not hasattr(problem, "status")
    assert status_of(problem) == status
