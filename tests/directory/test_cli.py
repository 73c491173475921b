"""The directory CLI: import, generate, search (--json), demo ensure; errors exit 2 in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from stridewise.cli.directory import register
from stridewise.settings import get_settings


@pytest.fixture
def cli(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    app = typer.Typer()
    register(app)
    yield app
    get_settings.cache_clear()


def test_generate_import_search(cli: typer.Typer, tmp_path: Path, real_locations: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "g.csv"
    assert (
        runner.invoke(
            cli,
            [
                "directory",
                "generate",
                "--rows",
                "3000",
                "--out",
                str(out),
                "--seed",
                "4",
                "--relevant-share",
                "0.9",
            ],
        ).exit_code
        == 0
    )
    result = runner.invoke(
        cli, ["directory", "import-nppes", str(out), "--locations", str(real_locations)]
    )
    assert result.exit_code == 0, result.output
    assert "rows read" in result.output and "3,000" in result.output
    result = runner.invoke(
        cli,
        [
            "providers",
            "search",
            "--near",
            "10001",
            "--type",
            "physical_therapist",
            "--radius",
            "25",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and {"npi", "name", "distance_miles", "types", "taxonomies"} <= set(rows[0])
    assert runner.invoke(cli, ["directory", "stats"]).exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["providers", "search", "--near", "Nowhereville, ZZ"],
        ["providers", "search", "--near", "97201", "--type", "witch_doctor"],
        ["directory", "import-nppes", "/no/such/file.csv"],
    ],
)
def test_errors_exit_2_without_traceback(cli: typer.Typer, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["db", "upgrade"])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.strip().startswith("error:")
    assert len(result.output.strip().splitlines()) == 1


def test_demo_ensure_builds_once(cli: typer.Typer) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "ensure"])
    assert first.exit_code == 0 and "Built the demo directory" in first.output
    second = runner.invoke(cli, ["demo", "ensure"])
    assert "left as is" in second.output


def test_import_cms_generates_imports_and_refuses_in_one_line(
    cli: typer.Typer, tmp_path: Path
) -> None:
    runner = CliRunner()
    nppes = tmp_path / "n.csv"
    assert runner.invoke(cli, ["directory", "generate", "--rows", "2000", "--out", str(nppes),
                               "--relevant-share", "0.9"]).exit_code == 0  # fmt: skip
    assert runner.invoke(cli, ["directory", "import-nppes", str(nppes)]).exit_code == 0
    out = tmp_path / "cms"
    made = runner.invoke(cli, ["directory", "generate-cms", "--out", str(out)])
    assert made.exit_code == 0, made.output
    services = next(out.glob("MUP_*"))
    ok = runner.invoke(cli, ["directory", "import-cms", "services", str(services)])
    assert ok.exit_code == 0, ok.output
    assert "providers whose score changed" in ok.output
    cut = tmp_path / "cut.csv"
    cut.write_bytes(services.read_bytes()[:-5])
    refused = runner.invoke(cli, ["directory", "import-cms", "services", str(cut)])
    assert refused.exit_code == 2
    errors = [line for line in refused.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "--force" in errors[0] and "Traceback" not in refused.output
    wrong = runner.invoke(cli, ["directory", "import-cms", "mips", str(services)])
    assert wrong.exit_code == 2 and "not a CMS mips file" in wrong.output
    assert runner.invoke(cli, ["directory", "import-cms", "nope", str(services)]).exit_code == 2
