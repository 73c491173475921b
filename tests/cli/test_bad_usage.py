"""Bad usage of any command (unknown command or option, a value out of range, a busy port) is
one line on stderr and exit code 2, never Click's boxed help or a traceback. Before, `serve
--port 99999` printed a traceback and exited 1, and usage errors were a five-line box."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIDEWISE_", "DATABASE_"))}
    env.update(STRIDEWISE_DATA_DIR=str(tmp_path), STRIDEWISE_ENV="development")
    return subprocess.run(
        [sys.executable, "-c", "from stridewise.cli.main import main; main()", *args],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if not ln.startswith("stridewise: database")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["nosuchcommand"], "No such command 'nosuchcommand'. (see stridewise --help)"),
        (["worker", "--no-such-flag"], "No such option: --no-such-flag"),
        (["serve", "--port", "99999"], "less than or equal to 65535"),
        (["serve", "--port", "abc"], "valid integer"),
        (["directory", "import-cms", "nosuchkind", "x.csv"], "'nosuchkind' is not one of"),
        (["providers", "search"], "Missing option '--near'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], says: str, tmp_path: Path) -> None:
    done = _run(args, tmp_path)
    assert done.returncode == 2
    assert says in _one_error_line(done.stderr)


def test_a_busy_port_is_one_line_before_the_app_loads(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _run(["serve", "--dev", "--port", str(port)], tmp_path)
    assert done.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in _one_error_line(done.stderr)


def test_help_and_a_good_command_still_exit_0(tmp_path: Path) -> None:
    assert _run(["--help"], tmp_path).returncode == 0
    assert _run(["settings", "doc", "--help"], tmp_path).returncode == 0
