"""The API over a store with the bundled OFAC list loaded (once per test module), on
SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from redthread.config import Settings
from redthread.investigate import investigate
from redthread.lists import (
    BUNDLED_NAME,
    BUNDLED_PUBLISHED,
    bundled_list_files,
    load_list,
    read_list,
)
from redthread.match.screen import active_versions, load_index, save_version_index
from redthread.report.findings import save_findings
from redthread.store import Store
from redthread.web.app import create_app
from tests.conftest import SHARED_DATA, fresh_postgres_database


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


EXCERPT = SHARED_DATA / "sanctions" / "ofac-late-2025" / "sdn-excerpt.csv"
EXTRACTION_DOCS = Path(__file__).resolve().parents[1] / "data" / "extraction"
#: A document written to attack the pages: every part of it must show as text.
HOSTILE_HTML = (
    "<html><head><title>Hostile <script>alert('title')</script></title></head><body>"
    "<script>alert('body')</script><p>Nova Drone Parts Ltd, a subsidiary of Redlepus Vector "
    "Industry Shenzhen Co Ltd, sold motors to IEMZ Kupol.</p>"
    "<p onclick='steal()'>Escaped markup: &lt;script&gt;alert('text')&lt;/script&gt; "
    "&lt;img src=x onerror=alert('img')&gt; &lt;a href=\"javascript:alert('link')\"&gt;"
    "click&lt;/a&gt; and &lt;b onmouseover=alert('b')&gt;bold&lt;/b&gt;.</p></body></html>"
)


@dataclass
class CaseServer:
    """A store with a list loaded and the case 'Garpiya' investigated in it."""

    store: Store
    folder: Path
    settings: Settings
    case_documents: dict[str, str]  # file name -> document id


def investigate_case(store: Store, folder: Path) -> dict[str, str]:
    """The seed article, a follow-up and a hostile page, investigated against the OFAC
    excerpt as the command line does it (the findings kept in the store)."""
    docs = folder / "docs"
    docs.mkdir()
    (docs / "seed-article.txt").write_bytes((SHARED_DATA / "seed-article.txt").read_bytes())
    (docs / "followup.txt").write_bytes((EXTRACTION_DOCS / "garpiya-followup.txt").read_bytes())
    (docs / "hostile.html").write_text(HOSTILE_HTML)
    parsed = read_list([EXCERPT], name="sdn_excerpt")
    result = load_list(store, parsed)
    save_version_index(folder, result.version, parsed.entities)
    versions = active_versions(store)
    findings = investigate(
        store,
        [str(docs)],
        case="Garpiya",
        model_name=Settings().spacy_model,
        index=load_index(store, folder, versions),
        lists=versions,
        threshold=0.7,
    )
    save_findings(store, findings)
    return {Path(d.source).name: d.id for d in findings.documents}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def case_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CaseServer]:
    with investigated_case(request.param, tmp_path_factory.mktemp("pages")) as server:
        yield server


@contextlib.contextmanager
def investigated_case(database: str, folder: Path) -> Iterator[CaseServer]:
    """The case investigated in a fresh SQLite file or PostgreSQL database."""
    with contextlib.ExitStack() as stack:
        if database == "sqlite":
            url = f"sqlite:///{folder / 'rt.db'}"
        else:
            url = stack.enter_context(fresh_postgres_database())
        store = Store.open(url)
        stack.callback(store.close)
        documents = investigate_case(store, folder)
        settings = Settings(data_dir=folder, database_url=store.url)
        yield CaseServer(store, folder, settings, documents)
