"""Bad input to ``eval``, ``kb check`` and the directory imports is one short ``error:`` line
and exit code 2.

Before, ``eval`` on a line that is not a vignette printed pydantic's whole message (its type
tag, the input and a pydantic.dev URL), and ``kb check --kb DIR`` on a folder without
``manifest.yaml`` exited 1 as if the knowledge had failed its check."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.test_bad_usage import _one_error_line, _run
from stridewise.cli.main import app


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("npi,name\n1,2\n", "bad.jsonl:1: not a valid vignette: Invalid JSON"),
        (
            '{"id": "x1", "text": "heel"}\n',
            "bad.jsonl:1: not a valid vignette: gold: Field required",
        ),
        ('\n{"id": "x1", "text": "heel", "gold": "a", "accept": "a"}\n', "bad.jsonl:2:"),
    ],
    ids=["csv", "missing-fields", "second-line"],
)
def test_a_bad_vignette_is_one_short_line(tmp_path: Path, content: str, says: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, "utf-8")
    result = CliRunner().invoke(app, ["eval", str(bad)])
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert says in line
    assert "http" not in line and "input_value" not in line and "type=" not in line
    assert len(line) < 200


def test_missing_fields_are_counted_not_listed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x1", "text": "heel"}\n', "utf-8")
    line = _one_line(CliRunner().invoke(app, ["eval", str(bad)]).stderr)
    assert line.endswith("(and 3 more)")


def test_a_vignette_file_that_is_not_text_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    result = CliRunner().invoke(app, ["eval", str(bad)])
    assert result.exit_code == 2
    assert "is not UTF-8 text" in _one_line(result.stderr)


def test_kb_check_on_a_folder_without_manifest_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["kb", "check", "--kb", str(tmp_path)])
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert "is not a knowledge directory (no manifest.yaml)" in line


def test_kb_check_on_broken_knowledge_still_exits_1(tmp_path: Path) -> None:
    # A real knowledge directory that fails validation is a failed check, not bad usage.
    (tmp_path / "manifest.yaml").write_text("kb_version: '0'\n", "utf-8")
    result = CliRunner().invoke(app, ["kb", "check", "--kb", str(tmp_path)])
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["directory", "import-nppes"], "not an NPPES file"),
        (["directory", "import-cms", "dac"], "not a CMS dac file"),
    ],
    ids=["nppes", "cms"],
)
def test_a_refused_import_is_one_line_without_the_progress_bar(
    tmp_path: Path, args: list[str], says: str
) -> None:
    # Before, the progress bar's last state was printed first: two lines for one refusal.
    bad = tmp_path / "bad.csv"
    bad.write_text("npi,name\n1,2\n", "utf-8")
    done = _run([*args, str(bad)], tmp_path)
    assert done.returncode == 2
    assert says in _one_error_line(done.stderr)


def test_eval_of_a_folder_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a folder; give a vignette file" in _one_line(result.stderr)
