"""The assessment result as data: one request's analysis shaped into the response's fields.

Most of a result is the knowledge's own text: a condition's name and summary, a finding's label
phrased as evidence for or against, the self-care modules, the tools. Building those per request
as pydantic models, each validated on its own, cost more than scoring the differential, so
:class:`ResultParts` lays them out once per knowledge base as plain dicts in the schema's field
order, and :func:`result_data` assembles one response from them. Two readers:

* ``build_result`` (triage/engine.py) validates that dict once as an
  :class:`~stridewise.triage.schemas.AssessmentResult`: pydantic-core builds every nested model
  in one call, with fresh lists, so no result shares a mutable object with another one or with
  these tables;
* the HTTP route takes :func:`result_json`: the same bytes as the model's serializer, joined
  from the knowledge's items serialised once per knowledge base and the request's own values,
  without building the models only to take them apart again.

The dicts here are shared by every request: nothing may mutate them (they are only read).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from pydantic_core import to_json

from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import TriageLevel
from stridewise.triage import plan
from stridewise.triage.model import Scored
from stridewise.triage.schemas import DISCLAIMER
from stridewise.triage.urgency import HEADLINES, TriageDecision
from stridewise.version import __version__

if TYPE_CHECKING:
    from stridewise.triage.engine import Evidenced

MIN_CONDITIONS = 5
MAX_CONDITIONS = 8
MAX_EVIDENCE = 5
# A finding must move the odds by at least this much (log ratio) to be shown as evidence.
EVIDENCE_MIN = math.log(1.5)

Item = dict[str, Any]


class ResultParts:
    """The parts of every result that depend only on the knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.plan = plan.PlanTables(kb)
        # condition -> (id, name, summary, url): everything of ConditionOut but the numbers
        self.conditions = {
            cid: (c.id, c.name, c.summary, f"/conditions/{c.id}")
            for cid, c in kb.conditions.items()
        }
        # (finding, present) -> the EvidenceOut item: its label, or "No: <label>" when absent
        self.phrases: dict[tuple[str, bool], Item] = {}
        # (finding, status, source) -> the FindingOut item
        self.findings: dict[tuple[str, str, str], Item] = {}
        for fid, f in kb.findings.items():
            label = f.label
            self.phrases[fid, True] = {"id": fid, "text": label}
            self.phrases[fid, False] = {"id": fid, "text": f"No: {label[0].lower()}{label[1:]}"}
            for status in ("present", "absent"):
                for source in ("text", "answer"):
                    self.findings[fid, status, source] = {
                        "id": fid,
                        "status": status,
                        "text": label,
                        "source": source,
                    }
        # condition -> when to see care below an emergency: its own signs, then the general ones
        self.see_care_when = {
            cid: list(dict.fromkeys([*c.see_care_when, *kb.general_advice]))
            for cid, c in kb.conditions.items()
        }
        self.emergency_care_when = [HEADLINES[TriageLevel.emergency]]
        self.versions = {"engine": __version__, "kb": kb.version}
        # JSON of the items above, made the first time each is sent: keyed by the id of an
        # object these tables hold for the knowledge base's life (so an id is never reused).
        self._json: dict[int, bytes] = {}
        # A condition's JSON around its numbers: '{"id":..,"name":..,"probability":' and
        # ',"summary":..,"url":..}'.
        self.condition_json = {
            cid: (
                to_json({"id": i, "name": n})[:-1] + b',"probability":',
                b"," + to_json({"summary": s, "url": u})[1:],
            )
            for cid, (i, n, s, u) in self.conditions.items()
        }
        versions = to_json(self.versions)
        self.tail_json = b',"disclaimer":' + to_json(DISCLAIMER) + b',"versions":' + versions + b"}"
        # The same items' JSON, for the per-request lookups that are by key anyway.
        self.phrase_json = {key: to_json(item) for key, item in self.phrases.items()}
        self.finding_json = {key: to_json(item) for key, item in self.findings.items()}
        self.running_json = {cid: to_json(c.return_to_running) for cid, c in kb.conditions.items()}

    def json_of(self, item: object) -> bytes:
        """``to_json(item)`` for an item these tables hold (see ``_json``)."""
        key = id(item)
        out = self._json.get(key)
        if out is None:
            out = self._json[key] = to_json(item)
        return out


def _selection(
    parts: ResultParts, ranked: list[Scored], level: TriageLevel
) -> tuple[list[Scored], list[str], str]:
    """What one result shows: the conditions listed, the self-care modules chosen and the
    leading condition (``result_data`` and ``result_json`` must agree on all three)."""
    shown = [s for s in ranked[:MAX_CONDITIONS] if s.probability >= 0.01] or ranked[:1]
    shown = ranked[: max(MIN_CONDITIONS, len(shown))]
    return shown, plan.self_care(parts.plan, ranked, level), ranked[0].condition


def result_data(
    parts: ResultParts,
    merged: Evidenced,
    ranked: list[Scored],
    decision: TriageDecision,
) -> Item:
    """The response for one analysis, keys in the schema's order: the dict an
    ``AssessmentResult`` validates from (its fields with defaults left to it, so the model's
    ``model_fields_set`` is what it always was)."""
    level = decision.level
    shown, care, top = _selection(parts, ranked, level)
    emergency = level == TriageLevel.emergency
    findings = parts.findings
    status = merged.status
    known = parts.kb.findings
    data: Item = {
        "triage": {
            "level": level,
            "reasons": decision.reasons,
            "red_flags": decision.red_flags,
            "headline": HEADLINES[level],
        },
        "conditions": [_condition(parts, s) for s in shown],
        "specialists": plan.specialists(parts.plan, ranked, level),
        "findings": [
            findings[fid, status[fid][0], status[fid][2]] for fid in sorted(status) if fid in known
        ],
        "self_care": [parts.plan.modules[mid] for mid in care],
        "tools": plan.tools(parts.plan, care),
        "lower_leg": plan.lower_leg(parts.plan, care, level),
        "see_care_when": parts.emergency_care_when if emergency else parts.see_care_when[top],
        "return_to_running": None if emergency else parts.kb.conditions[top].return_to_running,
    }
    data["versions"] = parts.versions
    return data


def result_json(
    parts: ResultParts,
    merged: Evidenced,
    ranked: list[Scored],
    decision: TriageDecision,
) -> bytes:
    """The response for one analysis as JSON: byte for byte what ``AssessmentResult``'s
    serializer makes of ``result_data``'s model (tests/triage/test_output.py holds us to it).

    Compact JSON is the concatenation of its members' JSON, so the knowledge's items are
    serialised once (``ResultParts.json_of``) and only the request's own values each time:
    serialising the whole dict re-encoded some 8 KB of the same text per request."""
    level = decision.level
    shown, care, top = _selection(parts, ranked, level)
    emergency = level == TriageLevel.emergency
    json_of = parts.json_of
    findings = parts.finding_json
    status = merged.status
    known = parts.kb.findings
    modules = parts.plan.modules
    triage = {
        "level": level,
        "reasons": decision.reasons,
        "red_flags": decision.red_flags,
        "headline": HEADLINES[level],
    }
    out = [
        b'{"triage":',
        to_json(triage),
        b',"conditions":[',
        b",".join([_condition_json(parts, s) for s in shown]),
        b'],"specialists":',
        to_json(plan.specialists(parts.plan, ranked, level)),
        b',"findings":[',
        b",".join(
            [
                findings[fid, status[fid][0], status[fid][2]]
                for fid in sorted(status)
                if fid in known
            ]
        ),
        b'],"self_care":[',
        b",".join([json_of(modules[mid]) for mid in care]),
        b'],"tools":[',
        b",".join([json_of(t) for t in plan.tools(parts.plan, care)]),
        b'],"lower_leg":[',
        b",".join([json_of(a) for a in plan.lower_leg(parts.plan, care, level)]),
        b'],"see_care_when":',
        json_of(parts.emergency_care_when if emergency else parts.see_care_when[top]),
        b',"return_to_running":',
        b"null" if emergency else parts.running_json[top],
        parts.tail_json,
    ]
    return b"".join(out)


def _condition_json(parts: ResultParts, s: Scored) -> bytes:
    head, tail = parts.condition_json[s.condition]
    phrases = parts.phrase_json
    strong = s.strong(EVIDENCE_MIN)
    supporting = [phrases[c.finding, c.present] for c in strong if c.log_ratio > 0]
    opposing = [phrases[c.finding, c.present] for c in strong if c.log_ratio < 0]
    return b"".join(
        (
            head,
            to_json(round(s.probability, 4)),
            b',"supporting":[',
            b",".join(supporting[:MAX_EVIDENCE]),
            b'],"opposing":[',
            b",".join(opposing[:MAX_EVIDENCE]),
            b"]",
            tail,
        )
    )


def _condition(parts: ResultParts, s: Scored) -> Item:
    cid, name, summary, url = parts.conditions[s.condition]
    phrases = parts.phrases
    # Only the strong contributions are shown: sorting those alone gives them in the same order.
    strong = s.strong(EVIDENCE_MIN)
    supporting = [phrases[c.finding, c.present] for c in strong if c.log_ratio > 0][:MAX_EVIDENCE]
    opposing = [phrases[c.finding, c.present] for c in strong if c.log_ratio < 0][:MAX_EVIDENCE]
    return {
        "id": cid,
        "name": name,
        "probability": round(s.probability, 4),
        "supporting": supporting,
        "opposing": opposing,
        "summary": summary,
        "url": url,
    }
