"""Dump everything the engine answers on every vignette, to check a speed change changes nothing.

For each vignette of evals/*.jsonl, one JSON line: the one-shot assessment, the explanation (quotes,
weights, contributions), the assessment with the vignette's annotations given as answers, and
every step of the simulated interview (the same loop as ``stridewise eval --interactive``: start
from the first sentence, answer from the annotations). Run it before and after a change and
compare the files; they must be byte-identical.

Run: PYTHONPATH=src .venv/bin/python scripts/engine_outputs.py OUT.jsonl [--kb DIR]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, cast

from stridewise.engine import Engine
from stridewise.interview.engine import MAX_QUESTIONS
from stridewise.interview.simulate import answer_key, first_sentence
from stridewise.triage.evaluation import Vignette, load_vignettes
from stridewise.triage.schemas import AnswerValue, AssessmentRequest

ROOT = Path(__file__).resolve().parent.parent


def interview_steps(engine: Engine, v: Vignette, key: dict[str, str]) -> list[dict[str, Any]]:
    """Every step of the simulated interview, as simulate.simulate_case runs it."""
    answers: dict[str, str] = {}
    req = AssessmentRequest(text=first_sentence(v.text), age=v.age, sex=v.sex)
    steps: list[dict[str, Any]] = []
    for _ in range(MAX_QUESTIONS + 3):
        step = engine.next_step(req.model_copy(update={"answers": answers}))
        steps.append(step.model_dump(mode="json"))
        if step.should_stop or step.question is None:
            break
        q = step.question
        if q.type == "single_choice":
            chosen = next((o.value for o in q.options if key.get(o.value) == "present"), "unknown")
            answers = engine.apply_answer(answers, q.id, chosen)
        else:
            answers = engine.apply_answer(answers, q.id, key.get(q.id, "unknown"))
    return steps


def outputs(engine: Engine, v: Vignette) -> dict[str, Any]:
    req = AssessmentRequest(text=v.text, age=v.age, sex=v.sex)
    key = answer_key(engine.kb, v.findings)
    # The annotations (present, absent or unknown), as a runner who answered every question.
    given = cast(dict[str, AnswerValue], {f: s for f, s in key.items() if f in engine.kb.findings})
    answered = AssessmentRequest(text=v.text, age=v.age, sex=v.sex, answers=given)
    return {
        "id": v.id,
        "assess": engine.assess(req).model_dump(mode="json"),
        "explain": engine.explain(req).model_dump(mode="json"),
        "assess_answers": engine.assess(answered).model_dump(mode="json"),
        "interview": interview_steps(engine, v, key),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--kb", type=Path, default=None, help="a knowledge directory (a copy)")
    args = ap.parse_args()
    engine = Engine.load(args.kb)
    with args.out.open("w", encoding="utf-8") as out:
        for path in sorted((ROOT / "evals").glob("*.jsonl")):
            for v in load_vignettes(path):
                record = {"file": path.name, **outputs(engine, v)}
                out.write(json.dumps(record, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
