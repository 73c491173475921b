"""A plain install works: the wheel is built, installed WITHOUT extras into a fresh virtualenv,
and the command line runs from there (issue 13). Offline: the runtime dependencies come from the
wheelhouse scripts/setup.sh fills (.wheelhouse/), never from the internet.

About a minute (most of it pip installing ~45 wheels); one test, so it runs once per CI run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WHEELHOUSE = REPO / ".wheelhouse"

pytestmark = pytest.mark.packaging


def _run(
    args: list[str], *, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=600
    )


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, f"{proc.args}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (WHEELHOUSE / ".complete").is_file():
        pytest.fail("no wheelhouse: run `bash scripts/setup.sh` (it fills .wheelhouse/)")
    root = tmp_path_factory.mktemp("install")
    offline = ["--no-index", "--find-links", str(WHEELHOUSE)]
    pip = [sys.executable, "-m", "pip"]
    _ok(
        _run(
            [*pip, "wheel", "-q", "--no-deps", *offline, "-w", str(root / "dist"), str(REPO)],
            cwd=root,
        )
    )
    wheels = list((root / "dist").glob("stridewise-*.whl"))
    assert len(wheels) == 1, wheels
    _ok(_run([sys.executable, "-m", "venv", str(root / "venv")], cwd=root))
    # No extras: only the declared runtime dependencies get installed.
    _ok(_run([str(root / "venv/bin/pip"), "install", "-q", *offline, str(wheels[0])], cwd=root))
    return root / "venv"


def test_the_installed_wheel_runs_without_extras(venv: Path, tmp_path: Path) -> None:
    env = {
        "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path),
        "STRIDEWISE_DATA_DIR": str(tmp_path / "var"),
    }
    py = str(venv / "bin" / "python")
    sw = str(venv / "bin" / "stridewise")
    # Nothing of the repository leaks in: the package comes from the virtualenv, and the dev
    # extras (pandas, which once pulled in numpy unannounced) are absent.
    where = _ok(
        _run([py, "-c", "import stridewise; print(stridewise.__file__)"], cwd=tmp_path, env=env)
    )
    assert str(venv) in where
    absent = _run([py, "-c", "import pandas"], cwd=tmp_path, env=env)
    assert absent.returncode != 0

    out = _ok(
        _run(
            [sw, "assess", "--json"],
            cwd=tmp_path,
            env=env,
            stdin=json.dumps({"text": "stabbing pain under my heel with the first steps"}),
        )
    )
    result = json.loads(out)
    assert result["conditions"][0]["id"] == "plantar_fasciitis"
    assert (
        result["versions"]["engine"]
        == _ok(
            _run(
                [py, "-c", "import stridewise; print(stridewise.__version__)"],
                cwd=tmp_path,
                env=env,
            )
        ).strip()
    )

    tiny = tmp_path / "tiny.csv"
    _ok(
        _run(
            [sw, "directory", "generate", "--rows", "40", "--out", str(tiny)], cwd=tmp_path, env=env
        )
    )
    imported = _ok(_run([sw, "directory", "import-nppes", str(tiny)], cwd=tmp_path, env=env))
    assert "rows read" in imported

    usage = _ok(_run([py, "-m", "stridewise", "--help"], cwd=tmp_path, env=env))
    assert "Usage" in usage and "assess" in usage

    checked = _ok(_run([sw, "kb", "check"], cwd=tmp_path, env=env))
    assert "valid" in checked
