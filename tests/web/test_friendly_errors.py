"""Form errors name fields as the form's labels do: the profile form said "Booking url:" for
the field labelled "Booking link", and a list item's error ("languages.2") was "Languages 2"."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from stridewise.connect.schemas import ProfileIn
from stridewise.web.pages.connect_common import friendly_errors
from stridewise.web.pages.connect_provider import PROFILE_LABELS


def _errors(**values: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        ProfileIn.model_validate(values)
    return friendly_errors(caught.value, PROFILE_LABELS)


def test_booking_link_is_named_as_on_the_form() -> None:
    (message,) = _errors(booking_url="javascript:alert(1)")
    assert message.startswith("Booking link: ")


def test_a_list_item_is_named_by_its_field() -> None:
    messages = _errors(languages=["English", "x" * 10_000])
    assert messages and all(m.startswith("Languages: ") for m in messages), messages
