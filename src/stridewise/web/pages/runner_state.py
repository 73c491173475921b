"""The runner's state between pages, carried in the request and never stored server-side.

Every page form re-posts the same hidden fields (``text``, ``age``, ``sex``, ``region``, ``side``
and ordered ``step`` fields), so any server can answer any step and nothing about the runner is
kept or logged. ``step`` fields hold ``<question id>=<value>`` in the order answered, which is what
lets "back" undo exactly the last question even when one answer sets several findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from starlette.requests import Request

from stridewise.kb.loader import KnowledgeBase
from stridewise.triage.schemas import MAX_TEXT, AnswerValue, AssessmentRequest, Sex
from stridewise.web.pages.foot_map import REGIONS, SIDES

ANSWER_VALUES: tuple[AnswerValue, ...] = ("present", "absent", "unknown")
MAX_STEPS = 60  # far above any interview length; caps what a crafted form can make us parse
MAX_AGE = 120


class InputProblem(ValueError):
    """The runner's input cannot be assessed; ``field`` names the form field to point at."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class RunnerState:
    """What the runner told us so far. Build it with :meth:`from_form`; it never raises there,
    :meth:`problems` says what is wrong instead so pages can show friendly messages."""

    text: str = ""
    age_raw: str = ""
    sex_raw: str = ""
    regions: list[str] = field(default_factory=list)
    side: str = ""
    steps: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_form(
        cls, form: Mapping[str, str] | None, multi: Mapping[str, list[str]]
    ) -> RunnerState:
        """Read the state fields from a parsed form. ``multi`` holds every value of repeated
        fields (``region``, ``step``); unknown regions and malformed steps are dropped."""
        form = form or {}
        steps: list[tuple[str, str]] = []
        for raw in multi.get("step", [])[:MAX_STEPS]:
            qid, sep, value = raw.partition("=")
            if sep and qid:
                steps.append((qid, value))
        return cls(
            text=form.get("text", "")[: MAX_TEXT * 2],
            age_raw=form.get("age", "").strip()[:8],
            sex_raw=form.get("sex", "").strip(),
            regions=[r for r in dict.fromkeys(multi.get("region", [])) if r in REGIONS],
            side=form.get("side", "") if form.get("side", "") in SIDES else "",
            steps=steps,
        )

    # --- validation -------------------------------------------------------------------------
    def problems(self) -> list[InputProblem]:
        """Everything wrong with the start-page input, in page order (empty means fine)."""
        out: list[InputProblem] = []
        if not self.text.strip():
            out.append(
                InputProblem(
                    "text",
                    "Please tell us in a few words what hurts and how it started, for example "
                    "\u201cmy heel hurts with the first steps in the morning\u201d.",
                )
            )
        elif len(self.text) > MAX_TEXT:
            out.append(
                InputProblem(
                    "text",
                    f"That is {len(self.text):,} characters; please keep it under {MAX_TEXT:,}. "
                    "The main points are enough: where it hurts, how it started, what makes it "
                    "worse.",
                )
            )
        if self.age_raw and self.age() is None:
            out.append(InputProblem("age", f"Age should be a whole number from 1 to {MAX_AGE}."))
        if self.sex_raw and self.sex_raw not in ("female", "male"):
            out.append(InputProblem("sex", "Please pick female, male, or leave it blank."))
        return out

    def age(self) -> int | None:
        if not self.age_raw.isdigit():
            return None
        value = int(self.age_raw)
        return value if 1 <= value <= MAX_AGE else None

    def sex(self) -> Sex | None:
        if self.sex_raw == "female":
            return "female"
        if self.sex_raw == "male":
            return "male"
        return None

    # --- interview steps --------------------------------------------------------------------
    def with_answer(self, question_id: str, value: str) -> RunnerState:
        """A copy with one more answered question (replacing an earlier answer to it)."""
        steps = [(q, v) for q, v in self.steps if q != question_id]
        steps.append((question_id, value))
        return self._copy(steps)

    def without_last(self) -> RunnerState:
        """A copy with the last answered question undone, for "back"."""
        return self._copy(self.steps[:-1])

    def last_answer(self) -> tuple[str, str] | None:
        return self.steps[-1] if self.steps else None

    def _copy(self, steps: list[tuple[str, str]]) -> RunnerState:
        return RunnerState(
            self.text, self.age_raw, self.sex_raw, list(self.regions), self.side, steps
        )

    def answers(self, kb: KnowledgeBase) -> dict[str, AnswerValue]:
        """Findings from the foot map, then from each step in order (later answers win)."""
        out: dict[str, AnswerValue] = {}
        for region in self.regions:
            for finding in REGIONS[region].findings:
                if finding in kb.findings:
                    out[finding] = "present"
        if self.side and SIDES[self.side] in kb.findings:
            out[SIDES[self.side]] = "present"
        for qid, value in self.steps:
            if qid in ("age", "sex"):
                continue
            if qid.startswith("choice:"):
                group = kb.choice_groups.get(qid.removeprefix("choice:"))
                if group is None:
                    continue
                if value in group.options:
                    out[value] = "present"
                elif value == "unknown":
                    out.update(dict.fromkeys(group.options, "unknown"))
            elif qid in kb.findings and value in ANSWER_VALUES:
                out[qid] = value
        return out

    def request(self, kb: KnowledgeBase) -> AssessmentRequest:
        """The engine request. Call only when :meth:`problems` is empty."""
        age, sex = self.age(), self.sex()
        for qid, value in self.steps:
            if qid == "age" and value.isdigit() and 1 <= int(value) <= MAX_AGE:
                age = int(value)
            elif qid == "sex" and value in ("female", "male"):
                sex = "female" if value == "female" else "male"
        return AssessmentRequest(text=self.text, age=age, sex=sex, answers=self.answers(kb))

    # --- carrying the state -----------------------------------------------------------------
    def hidden_fields(self) -> list[tuple[str, str]]:
        """Name/value pairs to render as hidden inputs so the next POST carries the state."""
        pairs = [("text", self.text), ("age", self.age_raw), ("sex", self.sex_raw)]
        pairs += [("region", r) for r in self.regions]
        if self.side:
            pairs.append(("side", self.side))
        pairs += [("step", f"{q}={v}") for q, v in self.steps]
        return pairs

    def region_labels(self) -> list[str]:
        return [REGIONS[r].label for r in self.regions]


def multi_dict(items: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Group repeated form fields: ``[("a", "1"), ("a", "2")] -> {"a": ["1", "2"]}``."""
    out: dict[str, list[str]] = {}
    for key, value in items:
        out.setdefault(key, []).append(value)
    return out


async def read_form(request: Request) -> tuple[RunnerState, dict[str, str]]:
    """Parse a POSTed page form into the runner's state and the remaining single fields.

    A body that cannot be parsed gives an empty state (the page then asks again) rather than an
    error page."""
    try:
        form = await request.form()
    except Exception:  # a malformed body is the runner's browser's problem, not a 500
        return RunnerState(), {}
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    single = {k: v for k, v in items}
    return RunnerState.from_form(single, multi_dict(items)), single
