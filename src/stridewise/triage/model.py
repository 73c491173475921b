"""The differential: a tempered naive-Bayes model over the KB's conditions.

    log score(c) = log prior(c) + log age(c) + log sex(c)
                   + alpha * sum_{f present} w_f log P(f|c)
                   + alpha * sum_{f absent}  w_f log (1 - P(f|c))
    P(c | evidence) = softmax(log score / T)

P(f|c) comes from the condition's YAML, or the finding's ``leak`` when unlisted. A location
finding's parent (heel for "under the heel") is only counted when no child was reported, so one
statement is not counted twice. ``alpha`` damps the independence assumption (findings such as
swelling and warmth are correlated) and ``T`` calibrates; both are fitted on our vignettes and
stored in ``data/calibration.json``. See docs/model.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from stridewise.kb.loader import KnowledgeBase


class Evidence(NamedTuple):
    """One finding as scored: present or absent, with the text's weight (1.0 for an answer). A
    named tuple, not a frozen dataclass: every request makes one per finding, and a frozen
    dataclass's ``__init__`` costs several times a tuple's."""

    finding: str
    present: bool
    weight: float = 1.0


class Calibration(BaseModel):
    """The model's tempering ``alpha`` and temperature ``T``, fitted by scripts/calibrate.py on
    the development vignettes for one set of ``conditions`` (empty: not recorded)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    alpha: float = Field(default=0.8, gt=0, le=2)
    temperature: float = Field(default=1.0, gt=0, le=20)
    conditions: tuple[str, ...] = ()
    fitted_on: str = ""
    criterion: str = ""

    def check_against(self, conditions: set[str]) -> list[str]:
        """Problems when the calibration was fitted on other conditions than ``conditions``."""
        if not self.conditions:
            return []
        fitted = set(self.conditions)
        if fitted == conditions:
            return []
        added = ", ".join(sorted(conditions - fitted)) or "none"
        gone = ", ".join(sorted(fitted - conditions)) or "none"
        return [
            "calibration.json was fitted on other conditions than the knowledge base has "
            f"(new: {added}; gone: {gone}); re-run scripts/calibrate.py"
        ]

    def to_json(self) -> dict[str, object]:
        return self.model_dump(exclude_defaults=False)


@dataclass(frozen=True)
class Contribution:
    finding: str
    present: bool
    log_ratio: float  # > 0 supports the condition, < 0 opposes it


class Scored:
    """One condition's posterior. Its ``contributions`` (strongest first) are worked out on first
    read: a result shows them for five to eight conditions, and only the strong ones at that, so
    sorting every finding for every explained condition up front was most of the scoring's cost.
    """

    __slots__ = ("_contributions", "_index", "_rows", "condition", "probability")

    def __init__(
        self,
        condition: str,
        probability: float,
        contributions: tuple[Contribution, ...] | None = None,
        *,
        index: int = 0,
        rows: list[_Row] | None = None,
    ) -> None:
        self.condition = condition
        self.probability = probability
        # Given, or computed from ``rows`` (each finding's contributions to every condition)
        # at ``index`` on first read; no rows: none.
        self._contributions = contributions if rows is None else None
        self._index = index
        self._rows = rows

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        """How much each finding moved this condition against an average one, strongest first
        (ties in evidence order)."""
        if self._contributions is None:
            rows = self._rows
            self._contributions = _contributions(self._index, rows) if rows else ()
        return self._contributions

    def strong(self, minimum: float) -> list[Contribution]:
        """``contributions`` with ``abs(log_ratio) >= minimum``, in the same order: the weak ones
        are dropped before the sort, which keeps the strong ones' order (the sort is stable)."""
        if self._contributions is not None or not self._rows:
            return [c for c in self.contributions if abs(c.log_ratio) >= minimum]
        index = self._index
        picked = []
        for j, (items, keys) in enumerate(self._rows):
            key = keys[index]
            if -key >= minimum:
                picked.append((key, j, items[index]))
        picked.sort(key=_first)
        return [c for _, _, c in picked]

    def __repr__(self) -> str:
        return f"Scored({self.condition!r}, {self.probability!r})"


def packaged_calibration_path() -> Path:
    return Path(str(resources.files("stridewise.triage") / "data" / "calibration.json"))


def load_calibration(path: Path) -> Calibration:
    """Read and validate a calibration file. Raises OSError or pydantic.ValidationError."""
    return Calibration.model_validate_json(path.read_text("utf-8"))


class DifferentialModel:
    """Pre-computed log-likelihood tables for every (condition, finding) pair."""

    def __init__(self, kb: KnowledgeBase, calibration: Calibration) -> None:
        self.kb = kb
        self.calibration = calibration
        self.conditions = list(kb.conditions)
        self.parents = {f.id: f.parent for f in kb.findings.values() if f.parent}
        children: dict[str, list[str]] = {}
        for child, parent in self.parents.items():
            children.setdefault(parent, []).append(child)
        self.children = children
        self._children_sets = {parent: frozenset(kids) for parent, kids in children.items()}
        self._log_prior: dict[str, float] = {}
        # Prior plus age and sex adjustment per condition (in ``conditions`` order), per (age,
        # sex) seen: a few hundred keys at most, and it spares every assessment 42 walks over the
        # age bands.
        self._start: dict[tuple[int | None, str | None], NDArray[np.float64]] = {}
        total_prior = sum(c.prior for c in kb.conditions.values())
        # Tables, one row per finding over the conditions in ``conditions`` order: log P(f|c) and
        # log (1-P(f|c)), so scoring adds one row per finding instead of looking up every
        # (condition, finding) pair. Plus the "average condition" baseline used to say whether a
        # finding supports or opposes a condition.
        self._base_p: dict[str, float] = {}
        for fid, f in kb.findings.items():
            self._base_p[fid] = f.leak
        self._log_base = {f: math.log(p) for f, p in self._base_p.items()}
        self._log1m_base = {f: math.log(1.0 - p) for f, p in self._base_p.items()}
        n = len(self.conditions)
        lp_rows = {fid: [0.0] * n for fid in kb.findings}
        la_rows = {fid: [0.0] * n for fid in kb.findings}
        for i, (cid, cond) in enumerate(kb.conditions.items()):
            self._log_prior[cid] = math.log(cond.prior / total_prior)
            for fid, finding in kb.findings.items():
                p = self.likelihood(cond.findings, fid, finding.leak)
                lp_rows[fid][i] = math.log(p)
                la_rows[fid][i] = math.log(1.0 - p)
        self._lp_rows = {fid: tuple(row) for fid, row in lp_rows.items()}
        self._la_rows = {fid: tuple(row) for fid, row in la_rows.items()}
        # (finding, present) -> its Contribution to each condition, in ``conditions`` order:
        # the same frozen objects for every request, made the first time the finding is seen
        # (a few hundred rows at most, ~15 bytes of log ratio each request would otherwise
        # rebuild eight times over).
        self._contribution_rows: dict[tuple[str, bool], _Row] = {}
        self._lp_arrays = {fid: np.array(row) for fid, row in self._lp_rows.items()}
        self._la_arrays = {fid: np.array(row) for fid, row in self._la_rows.items()}

    def likelihood(self, listed: dict[str, float], fid: str, leak: float) -> float:
        """P(finding | condition): listed, else its likeliest child's, else the leak."""
        if fid in listed:
            return listed[fid]
        kids = [listed[k] for k in self.children.get(fid, []) if k in listed]
        if kids:
            # A parent is at least as likely as its likeliest listed child.
            return max(max(kids), leak)
        return leak

    def _age_sex(self, cid: str, age: int | None, sex: str | None) -> float:
        cond = self.kb.conditions[cid]
        adj = 0.0
        if age is not None:
            for eff in cond.age_effects:
                if eff.min <= age <= eff.max:
                    adj += math.log(eff.factor)
        if sex == "female":
            adj += math.log(cond.sex_effects.female)
        elif sex == "male":
            adj += math.log(cond.sex_effects.male)
        return adj

    def usable(self, evidence: list[Evidence]) -> list[Evidence]:
        """Drop parents whose child was reported present, and findings the KB does not know."""
        present = {e.finding for e in evidence if e.present}
        known = self.kb.findings
        kids_of = self._children_sets
        out = []
        for e in evidence:
            if e.finding not in known:
                continue
            if e.present:
                kids = kids_of.get(e.finding)
                if kids is not None and not kids.isdisjoint(present):
                    continue
            out.append(e)
        return out

    def score(
        self,
        evidence: list[Evidence],
        age: int | None = None,
        sex: str | None = None,
        explain: int = 8,
    ) -> list[Scored]:
        """Posterior over all conditions, most likely first; the first ``explain`` carry their
        per-finding contributions."""
        ev = self.usable(evidence)
        alpha = self.calibration.alpha
        start = self._start.get((age, sex))
        if start is None:
            start = np.array(
                [self._log_prior[c] + self._age_sex(c, age, sex) for c in self.conditions]
            )
            self._start[(age, sex)] = start
        # One pass per finding over all conditions; each condition's total still adds its
        # findings in evidence order, so the sums are the same floating-point operations as a
        # per-condition loop (numpy adds and multiplies element by element, in IEEE double, like
        # Python's floats; at 40-odd conditions one array operation costs half a list's loop).
        totals = start
        for e in ev:
            row = self._lp_arrays[e.finding] if e.present else self._la_arrays[e.finding]
            totals = totals + (alpha * e.weight) * row
        values: list[float] = totals.tolist()
        t = self.calibration.temperature
        top = max(values)
        exps = [math.exp((v - top) / t) for v in values]
        z = sum(exps)
        ranked = sorted(range(len(exps)), key=exps.__getitem__, reverse=True)
        conditions = self.conditions
        rows = [self._contribution_row(e.finding, e.present) for e in ev] if explain else []
        return [
            Scored(conditions[i], exps[i] / z, index=i, rows=rows if n < explain else [])
            for n, i in enumerate(ranked)
        ]

    def _contribution_row(self, fid: str, present: bool) -> _Row:
        """The finding's contribution to every condition (see ``_contribution_rows``)."""
        row = self._contribution_rows.get((fid, present))
        if row is None:
            if present:
                base, logs = self._log_base[fid], self._lp_rows[fid]
            else:
                base, logs = self._log1m_base[fid], self._la_rows[fid]
            items = tuple(Contribution(fid, present, x - base) for x in logs)
            row = self._contribution_rows[fid, present] = (
                items,
                tuple(_strength(c) for c in items),
            )
        return row

    def _contributions(self, index: int, ev: list[Evidence]) -> tuple[Contribution, ...]:
        """How much each finding moved the condition at ``index`` against an average one."""
        return _contributions(index, [self._contribution_row(e.finding, e.present) for e in ev])


# A finding's contributions to every condition, and their sort keys.
_Row = tuple[tuple[Contribution, ...], tuple[float, ...]]


def _contributions(index: int, rows: list[_Row]) -> tuple[Contribution, ...]:
    """The contributions to the condition at ``index``, strongest first (a stable sort on the
    precomputed keys: ties keep the evidence order)."""
    keys = [k[index] for _, k in rows]
    order = sorted(range(len(rows)), key=keys.__getitem__)
    return tuple(rows[j][0][index] for j in order)


def _first(item: tuple[float, int, Contribution]) -> float:
    return item[0]


def _strength(c: Contribution) -> float:
    """Sort key: the strongest contribution, either way, first."""
    return -abs(c.log_ratio)
