"""The JSON API's boundaries: every route declares its response model, status fields are enums,
and the API never imports the HTML page modules (pages and JSON twins share the data layer)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from stridewise.directory.geocode import PlaceNotFound
from stridewise.engine import Engine
from stridewise.errors import (
    Conflict,
    InterviewError,
    KnowledgeError,
    NotFound,
    StridewiseError,
    UnknownAnswer,
)
from stridewise.settings import Settings
from stridewise.web.app import create_app
from stridewise.web.problems import domain_problem


@pytest.fixture(scope="module")
def spec(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("contract")), engine)
    return app.openapi()


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, ops in spec["paths"].items()
        if path.startswith("/api/")
        for method, op in ops.items()
    ]


def test_every_api_route_has_a_response_model(spec: dict[str, Any]) -> None:
    ops = _operations(spec)
    assert len(ops) >= 20
    for path, method, op in ops:
        success = [code for code in op["responses"] if code.startswith("2")]
        assert success, (path, method)
        for code in success:
            if code == "204":
                continue  # no content
            content = op["responses"][code].get("content", {})
            schema = content.get("application/json", {}).get("schema")
            assert schema and schema != {}, f"{method.upper()} {path} {code} has no model"


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("ClaimOut", "status"),
        ("AccountOut", "role"),
        ("RequestStatusOut", "status"),
        ("InboxItem", "status"),
        ("TriageOut", "level"),
        ("ConditionSummary", "triage"),
        ("InterviewStep", "stop_reason"),
    ],
)
def test_status_fields_are_enums(spec: dict[str, Any], model: str, field: str) -> None:
    schemas = spec["components"]["schemas"]
    prop = schemas[model]["properties"][field]
    options = prop.get("anyOf", [prop])
    resolved = [
        schemas[o["$ref"].rsplit("/", 1)[1]] if "$ref" in o else o
        for o in options
        if o.get("type") != "null"
    ]
    assert resolved and all("enum" in r for r in resolved), (model, field, prop)


def test_the_api_never_imports_page_modules() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import stridewise.web.api as api\n"
        "for m in pkgutil.iter_modules(api.__path__):\n"
        "    importlib.import_module('stridewise.web.api.' + m.name)\n"
        "print(sorted(k for k in sys.modules if k.startswith('stridewise.web.pages')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_about_reports_numbers_not_display_strings(spec: dict[str, Any]) -> None:
    rates = spec["components"]["schemas"]["SetResult"]["properties"]
    for key in ("top1", "top3", "triage_acceptable", "brier"):
        assert rates[key]["type"] == "number"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (UnknownAnswer("unknown finding id in answers: x"), 422),
        (InterviewError("unknown question id: y"), 422),
        (PlaceNotFound("nowhere, ZZ", []), 422),
        (NotFound("no such thing"), 404),
        (Conflict("already claimed"), 409),
        (KnowledgeError("findings.yaml: missing from /srv/kb"), 500),
    ],
)
def test_domain_errors_map_to_http_statuses_in_the_web_layer_only(
    error: StridewiseError, status: int
) -> None:
    problem = domain_problem(error)
    assert problem.status == status
    if status == 500:
        assert "/srv/kb" not in problem.detail  # the server's own paths never reach a client
    else:
        assert problem.detail == str(error)
