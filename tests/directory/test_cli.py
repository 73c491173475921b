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
    rows = json.loads(result.stdout)
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
    # Besides the one line naming the database used, the error is one line.
    lines = [x for x in result.output.strip().splitlines() if not x.startswith("stridewise: ")]
    assert len(lines) == 1 and lines[0].startswith("error:")


def test_demo_ensure_builds_once(cli: typer.Typer) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "ensure"])
    assert first.exit_code == 0 and "Built the demo directory" in first.output
    # ... with verified demo practices, so a request can be sent on a fresh `make run`.
    assert "demo practices take appointment requests" in first.output
    second = runner.invoke(cli, ["demo", "ensure"])
    assert "left as is" in second.output


def test_refused_import_exits_2_in_one_line(
    cli: typer.Typer, tmp_path: Path, make_nppes: object
) -> None:
    from stridewise.directory.generator import header_line

    runner = CliRunner()
    good = tmp_path / "good.csv"
    assert runner.invoke(cli, ["directory", "generate", "--rows", "800", "--out", str(good),
                               "--relevant-share", "0.9"]).exit_code == 0  # fmt: skip
    assert runner.invoke(cli, ["directory", "import-nppes", str(good)]).exit_code == 0
    empty = tmp_path / "empty.csv"
    empty.write_text(header_line() + "\n", encoding="latin-1")
    result = runner.invoke(cli, ["directory", "import-nppes", str(empty)])
    # (The progress bar shares stderr; the reason is one line of its own.)
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert result.exit_code == 2 and len(errors) == 1 and "Traceback" not in result.output
    assert "kept no providers" in errors[0]
    small = tmp_path / "small.csv"
    runner.invoke(cli, ["directory", "generate", "--rows", "100", "--out", str(small),
                        "--relevant-share", "0.9", "--seed", "2"])  # fmt: skip
    result = runner.invoke(cli, ["directory", "import-nppes", str(small)])
    assert result.exit_code == 2 and "--force" in result.output
    assert runner.invoke(cli, ["directory", "import-nppes", str(small), "--force"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--near", "97201", "--type", "podiatrist", "--taxonomy", "213E00000X"], "not both"),
        (["--near", "97201", "--radius", "9999"], "radius_miles"),
        (["--near", "90,0", "--radius", "250"], "0 providers"),
        (["--near", "85,0", "--radius", "250"], "0 providers"),
    ],
)
def test_search_edges_are_one_line(cli: typer.Typer, args: list[str], says: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["demo", "ensure"]).exit_code == 0
    result = runner.invoke(cli, ["providers", "search", *args])
    assert says in result.output, result.output
    if result.exit_code:  # (the CLI may first say which database it uses)
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]
        assert result.exit_code == 2 and len(errors) == 1 and "Traceback" not in result.output
    assert "database not ready" not in result.output


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
