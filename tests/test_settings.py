"""Settings: production refuses placeholder secrets, and docs/settings.md is generated from the
Settings class and kept current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewise.cli.main import app
from stridewise.settings import PLACEHOLDER_SECRET, Environment, Settings, SettingsError
from stridewise.settings_doc import settings_markdown, undocumented
from stridewise.web.app import create_app

REPO = Path(__file__).resolve().parents[1]
STRONG = "k" * 40


def test_docs_settings_md_is_current() -> None:
    current = (REPO / "docs" / "settings.md").read_text("utf-8")
    assert current == settings_markdown(), (
        "docs/settings.md is stale: run `stridewise settings doc --out docs/settings.md`"
    )


def test_every_setting_is_documented() -> None:
    assert undocumented() == []
    table = settings_markdown()
    for name in Settings.model_fields:
        assert f"STRIDEWISE_{name.upper()}" in table or name == "database_url"


def test_the_doc_command_prints_the_table() -> None:
    result = CliRunner().invoke(app, ["settings", "doc"])
    assert result.exit_code == 0
    assert result.stdout == settings_markdown()


def test_the_doc_command_refuses_an_unwritable_path_in_one_line(tmp_path: Path) -> None:
    for out in (tmp_path / "no" / "such" / "settings.md", tmp_path):
        result = CliRunner().invoke(app, ["settings", "doc", "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"error: cannot write {out}")
        assert len(result.stderr.strip().splitlines()) == 1


def test_production_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRIDEWISE_ENV", raising=False)
    assert Settings().env == Environment.production


@pytest.mark.parametrize("secret", [PLACEHOLDER_SECRET, "short-but-8+"])
def test_production_refuses_a_placeholder_or_short_secret(tmp_path: Path, secret: str) -> None:
    settings = Settings(env=Environment.production, secret_key=secret, data_dir=tmp_path)
    with pytest.raises(SettingsError, match="STRIDEWISE_SECRET_KEY"):
        create_app(settings)


def test_production_serves_with_a_real_secret(tmp_path: Path) -> None:
    settings = Settings(env=Environment.production, secret_key=STRONG, data_dir=tmp_path)
    assert settings.serving_problems() == []
    assert create_app(settings).state.settings is settings


def test_development_allows_the_placeholder(tmp_path: Path) -> None:
    settings = Settings(env=Environment.development, data_dir=tmp_path)
    assert settings.secret_key == PLACEHOLDER_SECRET
    assert settings.serving_problems() == []


def test_serve_refuses_the_placeholder_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIDEWISE_ENV", "production")
    monkeypatch.delenv("STRIDEWISE_SECRET_KEY", raising=False)
    from stridewise.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--port", "1"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith("error: STRIDEWISE_SECRET_KEY") and "\n" not in line


def test_an_unknown_environment_is_refused() -> None:
    with pytest.raises(ValueError, match="development"):
        Settings.model_validate(json.loads('{"env": "staging"}'))
