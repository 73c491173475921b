"""``stridewise serve --port N`` puts port N in the links it hands out (the request-status link,
mail) unless STRIDEWISE_BASE_URL says otherwise; before, every link said port 8000."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fixtures.smtp import free_port
from stridewise.cli.main import app
from stridewise.cli.serve import link_base
from stridewise.settings import get_settings


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """uvicorn.run replaced by a recorder; a fresh data folder and no base URL set."""
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(*args: Any, **kwargs: Any) -> None:
        seen["base_url"] = get_settings().base_url
        seen.update(kwargs)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("STRIDEWISE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("STRIDEWISE_ENV", "development")
    monkeypatch.delenv("STRIDEWISE_BASE_URL", raising=False)
    get_settings.cache_clear()
    yield seen
    os.environ.pop("STRIDEWISE_BASE_URL", None)  # serve sets it directly, for uvicorn's workers
    get_settings.cache_clear()


def test_served_port_is_in_the_links(no_server: dict[str, Any]) -> None:
    port = free_port()
    result = CliRunner().invoke(app, ["serve", "--dev", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert no_server["base_url"] == f"http://127.0.0.1:{port}"
    assert f"http://127.0.0.1:{port}/" in result.output


def test_an_explicit_base_url_wins(
    no_server: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIDEWISE_BASE_URL", "https://stridewise.example.org")
    result = CliRunner().invoke(app, ["serve", "--dev", "--port", str(free_port())])
    assert result.exit_code == 0, result.output
    assert no_server["base_url"] == "https://stridewise.example.org"


@pytest.mark.parametrize(
    ("host", "want"),
    [
        ("127.0.0.1", "http://127.0.0.1:9000"),
        ("0.0.0.0", "http://127.0.0.1:9000"),
        ("::", "http://127.0.0.1:9000"),
        ("::1", "http://[::1]:9000"),
        ("example.org", "http://example.org:9000"),
    ],
)
def test_link_base(host: str, want: str) -> None:
    assert link_base(host, 9000) == want
