"""The CLI finds the same database as the server wherever it runs, and says which one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from stridewise.settings import Settings

PASSWORD = "correct horse battery"


def _env(xdg: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIDEWISE_", "DATABASE_"))}
    env["XDG_DATA_HOME"] = str(xdg)
    return env


def _cli(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from stridewise.cli.main import main; main()", *args],
        cwd=cwd, env=env, input=PASSWORD + "\n", capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_default_data_dir_is_per_user_not_the_current_folder(tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    env = _env(xdg)
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    first = _cli(["operator", "create", "--email", "op@example.org", "--password-stdin"], one, env)
    assert first.returncode == 0, first.stderr
    db = xdg / "stridewise" / "stridewise.sqlite3"
    assert f"stridewise: database sqlite:///{db}" in first.stderr
    assert db.is_file()
    again = _cli(["operator", "create", "--email", "op@example.org", "--password-stdin"], two, env)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert f"database sqlite:///{db}" in again.stderr
    assert not list(one.iterdir()) and not list(two.iterdir()), "a database was made in cwd"


def test_the_environment_overrides_the_default(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).effective_database_url.endswith(
        f"{tmp_path.resolve()}/stridewise.sqlite3"
    )
    url = "sqlite:///" + str(tmp_path / "elsewhere.sqlite3")
    assert Settings(database_url=url).effective_database_url == url


def test_password_is_never_printed(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env["DATABASE_URL"] = "postgresql+psycopg://user:s3cret@127.0.0.1:1/none"
    out = _cli(["db", "upgrade"], tmp_path, env)
    assert "s3cret" not in out.stderr + out.stdout
    assert "stridewise: database postgresql+psycopg://user:***@127.0.0.1:1/none" in out.stderr
