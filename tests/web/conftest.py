"""The API over a store with the bundled OFAC list loaded (loaded once per test module)."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def ofac_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    folder = tmp_path_factory.mktemp("api")
    store = Store.open(f"sqlite:///{folder / 'rt.db'}")
    parsed = read_list(bundled_list_files(), name=BUNDLED_NAME, published=BUNDLED_PUBLISHED)
    result = load_list(store, parsed)
    save_version_index(folder, result.version, parsed.entities)
    return store, folder


@pytest.fixture(scope="module")
def client(ofac_store: tuple[Store, Path]) -> TestClient:
    store, folder = ofac_store
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'rt.db'}")
    return TestClient(create_app(settings, store))
