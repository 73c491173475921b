"""``stridewise assess --json/--jsonl`` and ``stridewise eval``: the contract the held-out
evaluation drives through stdin, stdout, stderr and the exit code."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stridewise.cli.main import app

REPO = Path(__file__).resolve().parents[2]
EXE = REPO / ".venv" / "bin" / "stridewise"
SAMPLE = REPO.parent / "shared" / "spec" / "vignettes_sample.jsonl"
CONTRACT_KEYS = {
    "triage", "conditions", "specialists", "findings", "self_care", "disclaimer", "versions"
}


def run(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def _check_contract(out: dict[str, Any]) -> None:
    assert CONTRACT_KEYS <= out.keys()
    assert out["triage"]["level"] in ("emergency", "urgent", "consult", "self_care")
    assert out["triage"]["reasons"]
    assert len(out["conditions"]) >= 5
    for c in out["conditions"]:
        assert {"id", "name", "probability", "supporting", "opposing"} <= c.keys()
    for s in out["specialists"]:
        assert {"id", "name", "why"} <= s.keys()
    for f in out["findings"]:
        assert {"id", "status", "text"} <= f.keys()
    assert {"engine", "kb"} <= out["versions"].keys()


def test_json_valid_input() -> None:
    body = {"text": "Bottom of my heel stabs with the first steps in the morning", "age": 45,
            "sex": "female", "answers": {"swelling": "absent"}}
    proc = run("assess", "--json", stdin=json.dumps(body))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    _check_contract(out)
    assert out["conditions"][0]["id"] == "plantar_fasciitis"
    swelling = next(f for f in out["findings"] if f["id"] == "swelling")
    assert swelling["status"] == "absent"


@pytest.mark.parametrize(
    ("stdin", "mentions"),
    [
        ("{not json", "not valid JSON"),
        ('{"age": 40}', "text"),
        (json.dumps({"text": "x" * 5001}), "text"),
        (json.dumps({"text": "sore heel", "sex": "other"}), "sex"),
        ('["a list"]', "JSON object"),
        ("", "no input"),
        (json.dumps({"text": "sore heel", "answers": {"nope": "present"}}), "nope"),
    ],
    ids=["bad-json", "missing-text", "text-too-long", "bad-sex", "not-object", "empty",
         "unknown-answer"],
)
def test_json_invalid_input_exits_2_with_one_line(stdin: str, mentions: str) -> None:
    proc = run("assess", "--json", stdin=stdin)
    assert proc.returncode == 2
    assert proc.stdout == ""
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1, proc.stderr
    assert err[0].startswith("error: ")
    assert mentions in err[0]
    assert "Traceback" not in proc.stderr


def test_text_of_exactly_5000_chars_is_accepted() -> None:
    text = ("my heel hurts in the morning " * 200)[:5000]
    proc = run("assess", "--json", stdin=json.dumps({"text": text}))
    assert proc.returncode == 0, proc.stderr


def test_jsonl_keeps_order_and_reports_bad_lines() -> None:
    lines = [
        json.dumps({"text": "the bottom of my heel hurts with my first steps in the morning"}),
        "{broken",
        json.dumps({"text": "my calf is swollen and I'm short of breath"}),
        json.dumps({"sex": "male"}),
        json.dumps({"text": "black toenail after a downhill marathon"}),
    ]
    proc = run("assess", "--jsonl", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 5
    assert set(out[1]) == {"error"} and "JSON" in out[1]["error"]
    assert set(out[3]) == {"error"} and "text" in out[3]["error"]
    for i in (0, 2, 4):
        _check_contract(out[i])
    assert out[0]["conditions"][0]["id"] == "plantar_fasciitis"
    assert out[2]["triage"]["level"] == "emergency"
    assert out[4]["triage"]["level"] != "emergency"


def test_json_and_jsonl_are_exclusive() -> None:
    proc = run("assess", stdin="{}")
    assert proc.returncode == 2
    assert "--json" in proc.stderr


def test_eval_prints_the_measures() -> None:
    result = CliRunner().invoke(app, ["eval", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    for measure in ("top-1", "top-3", "triage exact", "triage acceptable", "under-triaged",
                    "Brier score", "Per-condition confusion"):
        assert measure in result.output


def test_eval_json_metrics() -> None:
    result = CliRunner().invoke(app, ["eval", str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    m = json.loads(result.output)["metrics"]
    assert m["cases"] == 12
    assert 0.0 <= m["top1"] <= m["top3"] <= 1.0
    assert m["under_triaged_emergency_or_urgent"] == []


def test_eval_missing_file_exits_2(tmp_path: Path) -> None:
    proc = run("eval", str(tmp_path / "nope.jsonl"), stdin="")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: no such file")


def test_eval_bad_vignette_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x1", "text": "heel"}\n', "utf-8")
    proc = run("eval", str(bad), stdin="")
    assert proc.returncode == 2
    assert "bad.jsonl:1" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
