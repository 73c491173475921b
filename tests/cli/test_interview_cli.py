"""``stridewise interview`` driven through a pipe, as the issue requires."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

STRIDEWISE = str(Path(sys.executable).parent / "stridewise")


def run(stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [STRIDEWISE, "interview"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin"},
    )


def test_piped_interview_reaches_a_result_and_back_works() -> None:
    answers = (
        "\n".join(
            [
                "sharp pain under my heel when I get out of bed, for 6 weeks",
                "45",
                "f",
                "n",
                "back",
                "y",
            ]
            + ["n"] * 20
        )
        + "\n"
    )
    out = run(answers)
    assert out.returncode == 0, out.stderr
    assert "Triage:" in out.stdout
    assert "Plantar fasciitis" in out.stdout
    assert "not a diagnosis" in out.stdout
    assert "Why we ask" in out.stdout


def test_emergency_is_shown_in_the_result() -> None:
    out = run("my calf is swollen and I have chest pain and can't breathe\n50\nm\n")
    assert out.returncode == 0, out.stderr
    assert "emergency" in out.stdout.lower()
    assert "911" in out.stdout


def test_input_ending_early_is_a_clean_error() -> None:
    out = run("my heel hurts\n")
    assert out.returncode == 2
    assert out.stderr.strip().startswith("error:")
    assert "Traceback" not in out.stderr


def test_bad_age_is_a_clean_error() -> None:
    out = run("my heel hurts\nforty\n")
    assert out.returncode == 2
    assert "age" in out.stderr


def test_answer_prompt_shows_its_shortcuts() -> None:
    # "[y]es" is printed literally, not swallowed as Rich markup.
    out = run("my shin hurts when I run\n34\nf\n" + "d\n" * 20)
    assert out.returncode == 0, out.stderr
    assert "[y]es / [n]o / [d]on't know" in out.stdout
