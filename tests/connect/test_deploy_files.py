"""The Dockerfile and compose.yaml are checked by structure (Docker is not available where the
tests run): the right services, real ``stridewise`` commands with options the CLI accepts,
environment variables that Settings reads, and a non-root image built with ``pip install .``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from stridewise.cli.main import app as cli_app
from stridewise.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


def _accepts(argv: list[str]) -> None:
    """``argv`` (after 'stridewise') names a real command and its options parse."""
    group = typer.main.get_command(cli_app)
    commands: dict[str, Any] = getattr(group, "commands", {})  # Typer's own click Group
    command = commands.get(argv[0])
    assert command is not None, f"stridewise has no command {argv[0]!r}"
    command.make_context(argv[0], list(argv[1:]))


def test_services_and_their_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"postgres", "migrate", "app-a", "app-b", "worker", "mailpit"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["mailpit"]["image"].startswith("axllent/mailpit:")
    commands = {name: s["command"] for name, s in services.items() if "command" in s}
    assert commands["migrate"][:2] == ["stridewise", "migrate"]
    assert commands["worker"][:2] == ["stridewise", "worker"]
    for name in ("app-a", "app-b"):
        assert commands[name][:2] == ["stridewise", "serve"]
    for argv in commands.values():
        assert argv[0] == "stridewise"
        _accepts(argv[1:])
    ports = {p for name in ("app-a", "app-b") for p in services[name]["ports"]}
    assert len(ports) == 2  # two servers, each reachable


def test_servers_share_one_database_and_mail_goes_through_the_worker(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    env = {name: services[name]["environment"] for name in ("migrate", "app-a", "app-b", "worker")}
    urls = {e["DATABASE_URL"] for e in env.values()}
    assert len(urls) == 1 and "@postgres:5432/" in next(iter(urls))
    assert len({e["STRIDEWISE_SECRET_KEY"] for e in env.values()}) == 1
    for name in ("app-a", "app-b"):
        assert env[name]["STRIDEWISE_OUTBOX_WORKER_ENABLED"] == "false"
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    assert env["worker"]["STRIDEWISE_SMTP_HOST"] == "mailpit"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    fields = set(Settings.model_fields)
    for e in env.values():
        for variable in e:
            if variable.startswith("STRIDEWISE_"):
                assert variable.removeprefix("STRIDEWISE_").lower() in fields, variable


def test_dockerfile_is_slim_non_root_and_installs_the_package() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.MULTILINE)
    assert "pip install ." in text
    users = re.findall(r"^USER (\S+)$", text, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    for source in re.findall(r"^COPY (.+) \S+$", text, re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), path
    cmd = re.search(r"^CMD (\[.*\])$", text, re.MULTILINE)
    assert cmd
    argv = yaml.safe_load(cmd.group(1))
    assert argv[0] == "stridewise"
    _accepts(argv[1:])
