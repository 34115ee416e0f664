"""The API over a store with the bundled OFAC list loaded (once per test module), on
SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redthread.config import Settings
from redthread.lists import (
    BUNDLED_NAME,
    BUNDLED_PUBLISHED,
    bundled_list_files,
    load_list,
    read_list,
)
from redthread.match.screen import save_version_index
from redthread.store import Store
from redthread.web.app import create_app
from tests.conftest import fresh_postgres_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ofac_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, Path]]:
    """The bundled OFAC list in a real SQLite file, and in a real PostgreSQL database."""
    folder = tmp_path_factory.mktemp("api")
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{folder / 'rt.db'}"
        else:
            url = stack.enter_context(fresh_postgres_database())
        store = Store.open(url)
        stack.callback(store.close)
        parsed = read_list(bundled_list_files(), name=BUNDLED_NAME, published=BUNDLED_PUBLISHED)
        result = load_list(store, parsed)
        save_version_index(folder, result.version, parsed.entities)
        yield store, folder


@pytest.fixture(scope="module")
def client(ofac_store: tuple[Store, Path]) -> TestClient:
    store, folder = ofac_store
    settings = Settings(data_dir=folder, database_url=store.url)
    return TestClient(create_app(settings, store))
