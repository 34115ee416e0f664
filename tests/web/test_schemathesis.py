"""Schemathesis generates requests from the OpenAPI description and checks every
response against it: no server error, documented status codes, conforming bodies."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings

from redthread.config import Settings
from redthread.store import Store
from redthread.web.app import create_app


def test_the_api_keeps_its_description(ofac_store: tuple[Store, Path]) -> None:
    store, folder = ofac_store
    app = create_app(Settings(data_dir=folder, database_url=store.url), store)
    api = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked = []
    for found in api.get_all_operations():
        operation = found.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
            derandomize=True,  # the same requests on every run: CI is repeatable
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate()

        check()
        checked.append(operation.label)
    assert {"POST /match/{dataset}", "GET /search/{dataset}", "GET /entities/{entity_id}"} <= set(
        checked
    )
