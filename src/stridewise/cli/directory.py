"""CLI for the provider directory: ``directory``, ``providers``, ``db`` and ``demo`` sub-apps.

Every user error exits with code 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from stridewise.cli.database import database_settings
from stridewise.cli.errors import describe_validation, fail
from stridewise.connect.demo_practices import seed_demo_practices
from stridewise.db.engine import get_engine, session_scope
from stridewise.db.migrate import upgrade
from stridewise.directory.cms.generator import clinicians, write_cms_files
from stridewise.directory.cms.models import CmsKind
from stridewise.directory.demo import METRO_ZIPS, ensure_demo
from stridewise.directory.generator import write_file
from stridewise.directory.geocode import PlaceNotFound
from stridewise.directory.importing.cms.run import import_cms
from stridewise.directory.importing.importer import ImportReport, import_nppes
from stridewise.directory.importing.nppes_columns import MissingColumnsError
from stridewise.directory.importing.safety import ImportRefused
from stridewise.directory.schemas import ProviderQuery
from stridewise.directory.search import UnknownProviderType, directory_stats, search_providers

directory_app = typer.Typer(help="Import and inspect the provider directory.", no_args_is_help=True)
providers_app = typer.Typer(help="Search the provider directory.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
demo_app = typer.Typer(help="The embedded demo data.", no_args_is_help=True)

err = Console(stderr=True)


def _fail(message: str) -> NoReturn:
    fail(message)


#: What a database says when a table is missing (SQLite; PostgreSQL's UndefinedTable).
_NO_TABLE = ("no such table", "undefinedtable", "does not exist")


def _database_problem(exc: OperationalError | ProgrammingError) -> str:
    """One line for a database failure: "not ready" only when a table is missing, so a query
    the database refused (or one that timed out) is not blamed on migrations."""
    kind = type(exc.orig).__name__
    said = f"{kind} {exc.orig}".lower()
    if any(marker in said for marker in _NO_TABLE):
        return f"database not ready ({kind}); run `stridewise db upgrade`"
    return f"the database refused the query ({kind})"


@contextmanager
def _errors() -> Iterator[None]:
    """Turn expected failures into one-line messages with exit code 2."""
    try:
        yield
    except (PlaceNotFound, UnknownProviderType, MissingColumnsError, FileNotFoundError) as exc:
        _fail(str(exc))
    except (OperationalError, ProgrammingError) as exc:
        _fail(_database_problem(exc))
    except ValidationError as exc:
        _fail(describe_validation(exc))
    except ImportRefused as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(str(exc))


def register(app: typer.Typer) -> None:
    """Attach the directory's sub-apps to the root command."""
    app.add_typer(directory_app, name="directory")
    app.add_typer(providers_app, name="providers")
    app.add_typer(db_app, name="db")
    app.add_typer(demo_app, name="demo")


def _summary(report: ImportReport) -> Table:
    table = Table(title=f"NPPES {report.mode} import", show_header=False)
    table.add_row("rows read", f"{report.rows_read:,}")
    table.add_row("kept", f"{report.kept:,}")
    for reason, n in report.skipped.most_common():
        table.add_row(f"skipped: {reason}", f"{n:,}")
    if report.mode == "incremental":
        table.add_row("removed from directory", f"{report.removed:,}")
    if report.locations_read:
        table.add_row("practice locations read", f"{report.locations_read:,}")
        table.add_row("practice locations kept", f"{report.locations_kept:,}")
        for reason, n in report.locations_skipped.most_common():
            table.add_row(f"locations skipped: {reason}", f"{n:,}")
    mb = report.bytes_read / 1e6
    rate = mb / report.seconds if report.seconds else 0.0
    table.add_row("time", f"{report.seconds:.1f} s ({rate:.0f} MB/s)")
    return table


def _import_bar(label: str) -> Progress:
    """The progress bar of a file import (bytes read, speed, rows, time left), on stderr while
    the import runs."""
    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeRemainingColumn(),
        console=err,
        # Shown on a terminal while the import runs, then erased: a refusal is its one error
        # line and a finished import is said by the summary table. Off when stderr is a file
        # or pipe, where only its last state would be printed, as an extra line before both.
        transient=True,
        disable=not err.is_terminal,
    )


@directory_app.command("import-nppes")
def import_cmd(
    file: Path = typer.Argument(..., help="npidata_pfile CSV (monthly or weekly)."),
    locations: Path | None = typer.Option(None, "--locations", help="pl_pfile CSV."),
    incremental: bool = typer.Option(False, "--incremental", help="Upsert instead of replace."),
    nucc: Path | None = typer.Option(None, "--nucc", help="NUCC taxonomy CSV for labels."),
    codes: Path | None = typer.Option(None, "--codes", help="Runner-relevant codes CSV."),
    force: bool = typer.Option(
        False, "--force", help="Replace the directory even with far fewer providers."
    ),
) -> None:
    """Import an NPPES file: atomic, streaming, skipping and counting bad rows.

    A full import that kept no providers, or fewer than STRIDEWISE_DIRECTORY_IMPORT_FLOOR
    (default 50%) of the active directory's, or whose file is truncated, is refused (exit 2)."""
    settings = database_settings()
    with _errors():
        if not file.is_file():
            raise FileNotFoundError(f"no such file: {file}")
        upgrade(settings.effective_database_url)
        with _import_bar("importing") as bar:
            task = bar.add_task("import", total=file.stat().st_size, rows=0)
            report = import_nppes(
                get_engine(settings),
                file,
                locations=locations,
                incremental=incremental,
                nucc=nucc or settings.nucc_taxonomy_path,
                runner_codes=codes or settings.directory_taxonomy_codes,
                progress=lambda done, rows: bar.update(task, completed=done, rows=rows),
                floor=settings.directory_import_floor,
                force=force,
            )
            bar.update(task, completed=file.stat().st_size)
    Console().print(_summary(report))


@directory_app.command("import-cms")
def import_cms_cmd(
    kind: CmsKind = typer.Argument(..., help="dac, affiliations, mips or services."),
    file: Path = typer.Argument(..., help="The CMS CSV file."),
    force: bool = typer.Option(False, "--force", help="Replace even with fewer rows."),
    year: int | None = typer.Option(None, "--year", help="Data year (default: from the name)."),
    groups: Path | None = typer.Option(None, "--groups", help="Procedure groups YAML."),
) -> None:
    """Import a public CMS file keyed by NPI: streamed, atomic, refusing empty or cut files."""
    settings = database_settings()
    with _errors():
        if not file.is_file():
            raise FileNotFoundError(f"no such file: {file}")
        upgrade(settings.effective_database_url)
        with _import_bar(f"importing {kind.value}") as bar:
            task = bar.add_task("import", total=file.stat().st_size, rows=0)
            report = import_cms(
                get_engine(settings),
                kind,
                file,
                force=force,
                year=year,
                groups=groups,
                progress=lambda done, rows: bar.update(task, completed=done, rows=rows),
            )
            bar.update(task, completed=file.stat().st_size)
    table = Table(title=f"CMS {kind.value} import", show_header=False)
    table.add_row("rows read", f"{report.rows_read:,}")
    table.add_row("kept", f"{report.kept:,}")
    for reason, n in report.skipped.most_common():
        table.add_row(f"skipped: {reason}", f"{n:,}")
    if report.locations:
        table.add_row(
            "practice addresses added to the search", f"{report.locations['locations']:,}"
        )
        for reason, label in (
            ("same_address", "already a register address"),
            ("zip_not_found", "ZIP not found"),
            ("not_in_directory", "provider not in the directory"),
        ):
            if report.locations.get(reason):
                table.add_row(f"addresses not added: {label}", f"{report.locations[reason]:,}")
    table.add_row("providers whose score changed", f"{report.scores_changed:,}")
    table.add_row("time", f"{report.seconds:.1f} s")
    Console().print(table)


@directory_app.command("generate-cms")
def generate_cms_cmd(
    out: Path = typer.Option(..., "--out", help="Output folder."),
    seed: int = typer.Option(1, "--seed"),
) -> None:
    """Write synthetic CMS files for the NPIs of the current directory."""
    with _errors():
        paths = write_cms_files(clinicians(get_engine()), out, seed)
    for kind, path in paths.items():
        typer.echo(f"{kind}: {path}")


@directory_app.command("generate")
def generate_cmd(
    rows: int = typer.Option(..., "--rows", min=1, help="Number of provider rows."),
    out: Path = typer.Option(..., "--out", help="Output CSV path."),
    seed: int = typer.Option(1, "--seed", help="Same seed, same bytes."),
    relevant_share: float = typer.Option(0.15, "--relevant-share", min=0.0, max=1.0),
) -> None:
    """Write a synthetic NPPES monthly file (330 columns, real ZIPs and taxonomy codes)."""
    with _errors():
        size = write_file(out, rows, seed, relevant_share)
    typer.echo(f"wrote {rows:,} rows ({size / 1e6:.1f} MB) to {out}")


@directory_app.command("stats")
def stats_cmd(as_json: bool = typer.Option(False, "--json")) -> None:
    """Counts of the active directory."""
    settings = database_settings()
    with _errors(), Session(get_engine(settings)) as session:
        stats = directory_stats(session)
    if as_json:
        typer.echo(json.dumps(stats, indent=2))
        return
    table = Table(title=f"Directory (generation {stats['generation']})", show_header=False)
    table.add_row("providers", f"{stats['providers']:,}")
    for key, n in stats["by_key"].items():
        table.add_row(key, f"{n:,}")
    table.add_row("imported", f"{stats['imported_at']} from {stats['source']}")
    Console().print(table)


@providers_app.command("search")
def search_cmd(
    near: str = typer.Option(..., "--near", help="ZIP, ZIP+4, 'City, ST' or 'lat,lon'."),
    type_: str | None = typer.Option(None, "--type", help="Provider type id, e.g. podiatrist."),
    taxonomy: str | None = typer.Option(None, "--taxonomy", help="NUCC code, e.g. 213E00000X."),
    radius: float = typer.Option(25.0, "--radius", help="Miles."),
    q: str | None = typer.Option(None, "--q", help="Name or text filter."),
    page: int = typer.Option(1, "--page"),
    per_page: int = typer.Option(10, "--per-page"),
    as_json: bool = typer.Option(False, "--json", help="Print the results as a JSON list."),
) -> None:
    """Find providers near a place, ranked (see docs/directory.md for the score)."""
    settings = database_settings()
    with _errors():
        query = ProviderQuery(
            near=near,
            type=type_,
            taxonomy=taxonomy,
            radius_miles=radius,
            q=q,
            page=page,
            per_page=per_page,
        )
        with Session(get_engine(settings)) as session:
            result = search_providers(session, query)
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in result.results], indent=2))
        return
    out = Console()
    out.print(
        f"{result.total:,} providers within {radius:g} miles of {result.place.label}"
        f" (page {result.page} of {max(result.pages, 1)})"
    )
    table = Table("score", "NPI", "name", "practice address", "phone", "miles", "taxonomies")
    for r in result.results:
        a = r.address
        table.add_row(
            f"{r.score:.1f}",
            r.npi,
            f"{r.name} {r.credentials}".strip(),
            f"{a.line1}, {a.city}, {a.state} {a.postal_code}",
            r.phone,
            f"{r.distance_miles:.1f}",
            "; ".join(t.label for t in r.taxonomies),
        )
    out.print(table)


@db_app.command("upgrade")
def db_upgrade_cmd() -> None:
    """Apply all migrations to the configured database."""
    with _errors():
        upgrade(database_settings().effective_database_url)
    typer.echo("database is up to date")


@demo_app.command("ensure")
def demo_ensure_cmd() -> None:
    """Migrate and, if the directory is empty, build the embedded demo directory."""
    settings = database_settings()
    with _errors():
        message = ensure_demo(
            settings.effective_database_url,
            get_engine(settings),
            settings.nucc_taxonomy_path,
            settings.directory_taxonomy_codes,
            on_built=_seed_practices,
        )
    typer.echo(message)


def _seed_practices(engine: Engine) -> str:
    """After a demo build: the verified demo practices, so requests can be sent at once."""
    with session_scope(engine) as session:
        seeded = seed_demo_practices(session, METRO_ZIPS)
    if seeded is None:
        return ""
    return (
        f"{seeded.profiles} demo practices take appointment requests; sign in as"
        f" {seeded.account_email} with password {seeded.password} to answer them."
    )
