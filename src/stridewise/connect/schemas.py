"""The connect API contract: what runners, providers and operators send and get back.

Every model forbids unknown fields and bounds every string, so bad input is a 422 problem, never
a 500 or an oversized row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from stridewise.connect.statuses import ClaimStatus, RequestStatus, Role
from stridewise.inputs import check_value, visible_only
from stridewise.triage.schemas import AssessmentRequest

Decision = Literal["accept", "decline"]
Service = Literal[
    "gait_analysis",
    "custom_orthotics",
    "shockwave",
    "telehealth",
    "running_rehab",
    "dry_needling",
    "bike_fit",
    "return_to_run_programme",
]
SERVICE_LABELS: dict[str, str] = {
    "gait_analysis": "Gait analysis",
    "custom_orthotics": "Custom orthotics",
    "shockwave": "Shockwave therapy",
    "telehealth": "Telehealth",
    "running_rehab": "Running rehab",
    "dry_needling": "Dry needling",
    "bike_fit": "Bike fit",
    "return_to_run_programme": "Return-to-run programme",
}
NPI_PATTERN = r"^\d{10}$"


def _email_as_typed(value: Any) -> Any:
    # Before the model strips surrounding whitespace: a tab, line break or invisible character
    # in an email address is refused, not silently removed (see inputs.visible_only).
    if isinstance(value, str) and not visible_only(value):
        raise ValueError("must not contain control or invisible characters")
    return value


#: An email address as typed: bounded, and refused when it holds an invisible character.
EmailText = Annotated[str, BeforeValidator(_email_as_typed), Field(max_length=254)]


def _utc(value: Any) -> Any:
    # The database keeps naive UTC (connect.models.utcnow); the API says so with an offset.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


#: A moment in time, always serialised with its offset (``...+00:00``).
Timestamp = Annotated[AwareDatetime, BeforeValidator(_utc)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: Any) -> Any:
        # PostgreSQL refuses NUL in text: refuse it (and other controls) as bad input here too,
        # for callers that do not pass through the web edge.
        check_value(data)
        return data


class RequestIn(_Strict):
    """A runner's appointment request. ``assessment`` is what they described to Stridewise; it
    is used (and a summary stored) only when ``share_summary`` is true."""

    name: str = Field(min_length=1, max_length=120)
    email: EmailText = ""
    phone: str = Field(default="", max_length=40)
    preferred_times: str = Field(default="", max_length=500)
    message: str = Field(default="", max_length=2000)
    share_summary: bool = False
    assessment: AssessmentRequest | None = None

    @field_validator("email")
    @classmethod
    def _email_shape(cls, v: str) -> str:
        if v and ("@" not in v or " " in v or v.startswith("@") or v.endswith("@")):
            raise ValueError("not an email address")
        return v.lower()

    @field_validator("phone")
    @classmethod
    def _phone_shape(cls, v: str) -> str:
        if v and not all(c.isdigit() or c in "+-() ." for c in v):
            raise ValueError("use digits, spaces and + - ( ) only")
        return v

    @model_validator(mode="after")
    def _reachable(self) -> RequestIn:
        if not self.email and not self.phone:
            raise ValueError("give an email address or a phone number so the provider can reply")
        if self.share_summary and self.assessment is None:
            raise ValueError("share_summary needs the assessment to share")
        return self


class RequestCreated(BaseModel):
    """Returned once the request is committed: keep ``token``, it is shown only once."""

    token: str
    status_url: str
    status: RequestStatus


class RequestStatusOut(BaseModel):
    npi: str
    status: RequestStatus
    reply: str
    shared_summary: bool
    created_at: Timestamp
    responded_at: Timestamp | None


class InboxItem(BaseModel):
    id: int
    npi: str
    status: RequestStatus
    runner_name: str
    runner_email: str
    runner_phone: str
    preferred_times: str
    message: str
    summary: dict[str, Any] | None
    reply: str
    created_at: Timestamp
    responded_at: Timestamp | None


class ReplyIn(_Strict):
    decision: Decision
    message: str = Field(default="", max_length=2000)


class SignupIn(_Strict):
    email: EmailText
    password: str = Field(max_length=1024)
    display_name: str = Field(default="", max_length=120)


class LoginIn(_Strict):
    email: EmailText
    password: str = Field(max_length=1024)


class PasswordChangeIn(_Strict):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class AccountOut(BaseModel):
    id: int
    email: str
    role: Role
    display_name: str


class ClaimIn(_Strict):
    npi: str = Field(pattern=NPI_PATTERN)


class ClaimCodeIn(_Strict):
    code: str = Field(min_length=6, max_length=6, pattern=r"^\d{6}$")


class ClaimOut(BaseModel):
    id: int
    npi: str
    status: ClaimStatus
    created_at: Timestamp


class ProfileIn(_Strict):
    """The athlete-facing profile. Lists are short, de-duplicated labels."""

    running_focus: bool = False
    sports_focus: str = Field(default="", max_length=500)
    sports_treated: list[str] = Field(default_factory=list, max_length=30)
    services: list[Service] = Field(default_factory=list, max_length=len(SERVICE_LABELS))
    accepting_new_patients: bool = True
    languages: list[str] = Field(default_factory=list, max_length=20)
    insurance: list[str] = Field(default_factory=list, max_length=40)
    booking_url: str = Field(default="", max_length=500)

    @field_validator("sports_treated", "languages", "insurance")
    @classmethod
    def _labels(cls, v: list[str]) -> list[str]:
        out: list[str] = []
        for item in (s.strip() for s in v):
            if len(item) > 80:
                raise ValueError("each entry must be at most 80 characters")
            if item and item.lower() not in {o.lower() for o in out}:
                out.append(item)
        return out

    @field_validator("services")
    @classmethod
    def _unique_services(cls, v: list[Service]) -> list[Service]:
        return list(dict.fromkeys(v))

    @field_validator("booking_url")
    @classmethod
    def _https(cls, v: str) -> str:
        # Only web links: a javascript: or data: URL in a profile would run in runners' browsers.
        if v and not (v.startswith("https://") or v.startswith("http://")):
            raise ValueError("the booking link must start with https://")
        if any(c.isspace() or c in "<>\"'" for c in v):
            raise ValueError("the booking link contains characters a URL cannot have")
        return v


class ProfileOut(ProfileIn):
    npi: str
    verified: bool


class OperatorCounts(BaseModel):
    """Counts only: no names, contact details, messages or health details."""

    requests: dict[str, int]
    claims: dict[str, int]
    outbox: dict[str, int]
    accounts: dict[str, int]
