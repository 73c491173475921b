"""Scoring adds one precomputed row per finding; it must give exactly (to the last bit) what the
per-condition loop over the likelihoods gave."""

from __future__ import annotations

import math
import random

from stridewise.engine import Engine
from stridewise.triage.model import DifferentialModel, Evidence


def reference(
    model: DifferentialModel, evidence: list[Evidence], age: int | None, sex: str | None
) -> list[tuple[str, float]]:
    kb = model.kb
    ev = model.usable(evidence)
    alpha = model.calibration.alpha
    total_prior = sum(c.prior for c in kb.conditions.values())
    logits: dict[str, float] = {}
    for cid, cond in kb.conditions.items():
        total = math.log(cond.prior / total_prior) + model._age_sex(cid, age, sex)
        for e in ev:
            p = model.likelihood(cond.findings, e.finding, kb.findings[e.finding].leak)
            total += alpha * e.weight * (math.log(p) if e.present else math.log(1.0 - p))
        logits[cid] = total
    t = model.calibration.temperature
    top = max(logits.values())
    exps = {c: math.exp((v - top) / t) for c, v in logits.items()}
    z = sum(exps.values())
    ranked = sorted(model.conditions, key=lambda c: exps[c], reverse=True)
    return [(c, exps[c] / z) for c in ranked]


def test_scores_are_bit_identical_to_the_per_condition_loop(engine: Engine) -> None:
    model = engine.model
    findings = sorted(engine.kb.findings)
    rng = random.Random(14)
    for _ in range(200):
        evidence = [
            Evidence(f, rng.random() < 0.6, rng.choice((1.0, 0.6, 0.25)))
            for f in rng.sample(findings, rng.randint(0, 18))
        ]
        age = rng.choice((None, 9, 16, 30, 45, 62, 80))
        sex = rng.choice((None, "female", "male"))
        got = [(s.condition, s.probability) for s in model.score(evidence, age=age, sex=sex)]
        assert got == reference(model, evidence, age, sex)


def test_contributions_are_the_log_ratio_against_the_baseline(engine: Engine) -> None:
    model = engine.model
    kb = engine.kb
    evidence = [Evidence("loc_heel_bottom", True), Evidence("swelling", False, 0.6)]
    top = model.score(evidence)[0]
    cond = kb.conditions[top.condition]
    for c in top.contributions:
        p = model.likelihood(cond.findings, c.finding, kb.findings[c.finding].leak)
        leak = kb.findings[c.finding].leak
        want = (
            math.log(p) - math.log(leak) if c.present else math.log(1.0 - p) - math.log(1.0 - leak)
        )
        assert c.log_ratio == want
