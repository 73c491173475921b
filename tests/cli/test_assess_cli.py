"""``stridewise assess --json/--jsonl`` and ``stridewise eval``: the contract the held-out
evaluation drives through stdin, stdout, stderr and the exit code."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from stridewise.cli.main import app

REPO = Path(__file__).resolve().parents[2]
EXE = REPO / ".venv" / "bin" / "stridewise"
SAMPLE = REPO / "evals" / "vignettes_spec_sample.jsonl"
CONTRACT_KEYS = {
    "triage",
    "conditions",
    "specialists",
    "findings",
    "self_care",
    "disclaimer",
    "versions",
}


INVALID = {
    "bad-json": ("{not json", "not valid JSON"),
    "missing-text": ('{"age": 40}', "text"),
    "text-too-long": (json.dumps({"text": "x" * 5001}), "text"),
    "bad-sex": (json.dumps({"text": "sore heel", "sex": "other"}), "sex"),
}
VALID = {
    "text": "Bottom of my heel stabs with the first steps in the morning",
    "age": 45,
    "sex": "female",
    "answers": {"swelling": "absent"},
}
JSONL = [
    json.dumps({"text": "the bottom of my heel hurts with my first steps in the morning"}),
    "{broken",
    json.dumps({"text": "my calf is swollen and I'm short of breath"}),
    json.dumps({"sex": "male"}),
    json.dumps({"text": "black toenail after a downhill marathon"}),
]


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def runs() -> dict[str, Run]:
    """Every subprocess this module needs, started together: each pays the interpreter start-up
    once and they overlap, so the module stays fast."""
    jobs: dict[str, tuple[list[str], str]] = {
        "valid": (["assess", "--json"], json.dumps(VALID)),
        "jsonl": (["assess", "--jsonl"], "\n".join(JSONL) + "\n"),
        **{name: (["assess", "--json"], stdin) for name, (stdin, _) in INVALID.items()},
    }
    procs = {
        name: (
            subprocess.Popen(
                [str(EXE), *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
            stdin,
        )
        for name, (args, stdin) in jobs.items()
    }
    out: dict[str, Run] = {}
    for name, (proc, stdin) in procs.items():
        stdout, stderr = proc.communicate(stdin, timeout=120)
        out[name] = Run(proc.returncode, stdout, stderr)
    return out


def _check_contract(out: dict[str, Any]) -> None:
    assert out.keys() >= CONTRACT_KEYS
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


def test_json_valid_input(runs: dict[str, Run]) -> None:
    proc = runs["valid"]
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    _check_contract(out)
    assert out["conditions"][0]["id"] == "plantar_fasciitis"
    swelling = next(f for f in out["findings"] if f["id"] == "swelling")
    assert swelling["status"] == "absent"


@pytest.mark.parametrize("name", sorted(INVALID))
def test_json_invalid_input_exits_2_with_one_line(runs: dict[str, Run], name: str) -> None:
    proc = runs[name]
    mentions = INVALID[name][1]
    assert proc.returncode == 2
    assert proc.stdout == ""
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1, proc.stderr
    assert err[0].startswith("error: ")
    assert mentions in err[0]
    assert "Traceback" not in proc.stderr


# In-process checks of the same command (each subprocess costs an interpreter start-up).


@pytest.mark.parametrize(
    ("args", "stdin", "mentions"),
    [
        (["assess", "--json"], "", "no input"),
        (["assess", "--json"], '["a list"]', "JSON object"),
        (
            ["assess", "--json"],
            json.dumps({"text": "sore heel", "answers": {"nope": "present"}}),
            "nope",
        ),
        (["assess"], "{}", "--json"),
        (["assess", "--json", "--jsonl"], "{}", "--json"),
        (["assess", "--json"], '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested"),
        (["assess", "--json"], '{"text": ' + "[" * 40 + "]" * 40 + "}", "nested"),
        (["assess", "--json"], json.dumps({"text": "sore heel", "age": True}), "age"),
    ],
    ids=[
        "empty",
        "not-object",
        "unknown-answer",
        "no-mode",
        "both-modes",
        "deep-json",
        "json-past-depth-limit",
        "age-true",
    ],
)
def test_more_invalid_input_in_process(args: list[str], stdin: str, mentions: str) -> None:
    result = CliRunner().invoke(app, args, input=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")
    assert mentions in err[0]


def test_text_of_exactly_5000_chars_is_accepted() -> None:
    text = "a" * 4990 + " sore heel"
    assert len(text) == 5000
    result = CliRunner().invoke(app, ["assess", "--json"], input=json.dumps({"text": text}))
    assert result.exit_code == 0, result.stderr
    _check_contract(json.loads(result.stdout))


def test_jsonl_keeps_order_and_reports_bad_lines(runs: dict[str, Run]) -> None:
    proc = runs["jsonl"]
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


def test_eval_prints_the_measures() -> None:
    result = CliRunner().invoke(app, ["eval", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    for measure in (
        "top-1",
        "top-3",
        "triage exact",
        "triage acceptable",
        "under-triaged",
        "Brier score",
        "Per-condition confusion",
    ):
        assert measure in result.output


def test_eval_json_metrics() -> None:
    result = CliRunner().invoke(app, ["eval", str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    m = json.loads(result.output)["metrics"]
    assert m["cases"] == 12
    assert 0.0 <= m["top1"] <= m["top3"] <= 1.0
    assert m["under_triaged_emergency_or_urgent"] == []


def test_eval_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no such file")


def test_eval_of_a_file_without_vignettes_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", "utf-8")
    result = CliRunner().invoke(app, ["eval", str(empty)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "no vignettes" in result.stderr


def test_eval_bad_vignette_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x1", "text": "heel"}\n', "utf-8")
    result = CliRunner().invoke(app, ["eval", str(bad)])
    assert result.exit_code == 2
    assert "bad.jsonl:1" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
