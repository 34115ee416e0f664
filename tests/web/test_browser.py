"""The pages in headless Chromium (Debian's, through Playwright), against a real server:
search, the entity page, expanding the graph, confirming a match, the audit log; and a
hostile document that must run nothing. Screenshots go to tests/screenshots/."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from redthread.web.app import create_app
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.web.conftest import CaseServer, investigated_case

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def case_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseServer]:
    """On SQLite only: the pages' tests cover PostgreSQL; here the browser is under test."""
    with investigated_case("sqlite", tmp_path_factory.mktemp("browser")) as server:
        yield server


@pytest.fixture(scope="module")
def base_url(case_server: CaseServer) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(case_server.settings, case_server.store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser_page(base_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, base_url=base_url)
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on(
            "request",
            lambda r: None if r.url.startswith(base_url) else problems.append(f"left: {r.url}"),
        )
        page.problems = problems
        yield page
        browser.close()


def wait_until(page: Any, expression: str, timeout: float = 15.0) -> None:
    """Poll an expression from here: the pages' CSP forbids the eval that Playwright's
    wait_for_function relies on (and that is as it should be)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false: {expression}"
        page.wait_for_timeout(50)


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"web-{name}.png"), full_page=True)


def test_search_then_the_entity_page(browser_page: Any) -> None:
    page = browser_page
    page.goto("/")
    page.fill("header input[name=q]", "Redlepos")  # a typo
    page.press("header input[name=q]", "Enter")
    page.wait_for_selector("#entity-results")
    shot(page, "search")
    page.click("#entity-results a >> text=Redlepus Vector Industry Shenzhen Co Ltd")
    page.wait_for_selector("#sanctions")
    assert "sanctioned" in page.locator("h1").inner_text()
    assert "REDLEPUS VECTOR INDUSTRY SHENZHEN CO LTD" in page.locator("#sanctions").inner_text()
    assert page.locator("#relations q").count() > 0  # relations keep their sentences
    shot(page, "entity")
    assert page.problems == []


def test_the_graph_expands_on_click(browser_page: Any) -> None:
    page = browser_page
    page.goto("/cases/Garpiya")
    page.click("#case-entities a >> text=TSK Vektor")
    page.click("text=explore in the graph")
    wait_until(page, "window.redthreadGraph && window.redthreadGraph.nodes().length > 1")
    first = page.evaluate("window.redthreadGraph.nodes().length")
    # click a neighbour that has not been expanded: its own neighbours are added
    page.evaluate(
        "window.redthreadGraph.nodes().filter(n => !n.hasClass('expanded'))"
        ".filter(n => n.data('sanctioned'))[0].emit('tap')"
    )
    wait_until(page, f"window.redthreadGraph.nodes().length > {first}")
    assert page.evaluate("window.redthreadGraph.nodes('[?sanctioned]').length") >= 1
    assert "Open its page" in page.locator("#graph-detail").inner_text()
    # filtering a relation type hides its edges
    shown = page.evaluate("window.redthreadGraph.edges(':visible').length")
    for box in page.locator(".type-filter").all():
        box.uncheck()
    assert page.evaluate("window.redthreadGraph.edges(':visible').length") == 0 < shown
    shot(page, "graph")
    assert page.problems == []


def test_confirm_a_match_and_see_it_in_the_audit_log(browser_page: Any) -> None:
    page = browser_page
    page.goto("/search?q=Xiamen+Limbach")
    page.click("#entity-results a >> nth=0")
    row = page.locator("#sanctions tr.match").first
    row.locator("input[name=reason]").fill("same engine maker as in the invoices")
    row.locator("button[value=confirmed]").click()
    page.wait_for_selector("#party-reviews")
    assert "same engine maker" in page.locator("#sanctions").inner_text()
    assert "confirmed" in page.locator("#party-reviews").inner_text()
    page.click("nav >> text=Review log")
    log = page.locator("#review-log").inner_text()
    assert "same engine maker as in the invoices" in log and "local:" in log
    shot(page, "review-log")
    assert page.problems == []


def test_a_hostile_document_runs_nothing(browser_page: Any, case_server: CaseServer) -> None:
    page = browser_page
    page.goto(f"/documents/{case_server.case_documents['hostile.html']}?case=Garpiya")
    text = page.locator("#document-text").inner_text()
    assert "<img src=x onerror=alert('img')>" in text
    assert page.locator("#document-text img, #document-text b, script").count() == 0
    page.locator("#document-text").hover()
    page.locator("#document-text").click(position={"x": 5, "y": 5})
    shot(page, "hostile-document")
    assert page.problems == []  # no alert, no error, nothing fetched elsewhere
