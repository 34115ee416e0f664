"""lists update against a local HTTP server serving the real files from ../shared/data.

The internet is the only thing faked: a server on 127.0.0.1 plays OFAC's download
service, sometimes badly (truncated files, server errors, a half-empty list).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redthread import cli
from redthread.lists import UpdateError, update_ofac
from redthread.store import Store
from tests.conftest import SHARED_DATA

SANCTIONS = SHARED_DATA / "sanctions"
SDN_2024 = (SANCTIONS / "ofac-2024-05-03" / "sdn.csv").read_bytes()
ALT = (SANCTIONS / "ofac-late-2025" / "alt.csv").read_bytes()
ADD = (SANCTIONS / "ofac-late-2025" / "add.csv").read_bytes()
EXCERPT = (SANCTIONS / "ofac-late-2025" / "sdn-excerpt.csv").read_bytes()
LAST_MODIFIED = "Fri, 03 May 2024 18:00:00 GMT"


@dataclass
class Response:
    body: bytes
    status: int = 200
    content_length: int | None = None  # announce a different length to cut the body short


@dataclass
class FakeOfac:
    """What the fake server answers for each file name; missing names get a 404."""

    files: dict[str, Response] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    url: str = ""

    def serve(self, sdn: bytes, **overrides: Response) -> None:
        self.files = {
            "SDN.CSV": Response(sdn),
            "ALT.CSV": Response(ALT),
            "ADD.CSV": Response(ADD),
            **overrides,
        }


@pytest.fixture
def ofac_server() -> Iterator[FakeOfac]:
    state = FakeOfac()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            state.requests.append(name)
            response = state.files.get(name)
            if response is None:
                self.send_error(404)
                return
            self.send_response(response.status)
            length = response.content_length or len(response.body)
            self.send_header("Content-Length", str(length))
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            self.wfile.write(response.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/exports/"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def newer(sdn: bytes) -> bytes:
    rows = EXCERPT.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return sdn.rstrip(b"\x1a") + rows + (b"" if rows.endswith(b"\r\n") else b"\r\n") + b"\x1a"


def snapshot(store: Store) -> list[tuple[int | None, bool, str]]:
    return [(v.id, v.active, v.sha256) for v in store.list_versions()]


def test_update_verifies_before_it_activates(
    ofac_server: FakeOfac, sqlite_url: str, tmp_path: Path
) -> None:
    with Store.open(sqlite_url) as store:
        ofac_server.serve(SDN_2024)
        first = update_ofac(store, base_url=ofac_server.url, data_dir=tmp_path, timeout=10)
        assert not first.already_loaded
        version = first.version
        assert version.active and version.entity_count == 14965
        assert str(version.published) == "2024-05-03"  # from Last-Modified
        assert ofac_server.requests == ["SDN.CSV", "ALT.CSV", "ADD.CSV", "SDN_COMMENTS.CSV"]
        kept = tmp_path / "lists" / "ofac" / version.sha256
        assert (kept / "sdn.csv").read_bytes() == SDN_2024
        assert version.source.splitlines()[0] == str(kept / "sdn.csv")
        assert len(first.parsed.dropped) > 0  # late-2025 aliases of parties not in 2024
        before = snapshot(store)

        # a file cut short in transit
        ofac_server.serve(
            newer(SDN_2024),
            **{"SDN.CSV": Response(newer(SDN_2024)[:100_000], content_length=len(newer(SDN_2024)))},
        )
        with pytest.raises(UpdateError, match=r"SDN\.CSV: (truncated|download failed)"):
            update_ofac(store, base_url=ofac_server.url, data_dir=tmp_path, timeout=10)
        assert snapshot(store) == before

        # a file cut in the middle of a row, with an honest length: a malformed row
        cut = newer(SDN_2024)[: len(SDN_2024) - 500]
        ofac_server.serve(cut)
        with pytest.raises(UpdateError, match="malformed row"):
            update_ofac(store, base_url=ofac_server.url, data_dir=tmp_path, timeout=10)
        assert snapshot(store) == before

        # a server error on one of the files
        ofac_server.serve(newer(SDN_2024), **{"ALT.CSV": Response(b"oops", status=500)})
        with pytest.raises(UpdateError, match=r"ALT\.CSV: the server answered HTTP 500"):
            update_ofac(store, base_url=ofac_server.url, data_dir=tmp_path, timeout=10)
        assert snapshot(store) == before

        # a list cut at a row boundary: complete rows, but far too few of them
        ofac_server.serve(b"".join(SDN_2024.splitlines(keepends=True)[:3000]))
        with pytest.raises(UpdateError, match="lists 3000 parties, the active version 14965"):
            update_ofac(store, base_url=ofac_server.url, data_dir=tmp_path, timeout=10)
        assert snapshot(store) == before

        # an error page instead of the list
        ofac_server.serve(b"<html><body>Maintenance</body></html>")
        with pytest.raises(UpdateError, match="not a usable list"):
            update_ofac(store, base_url=ofac_server.url, data_dir=tmp_path, timeout=10)
        assert snapshot(store) == before

        # the real next publication: activated, the old version kept
        ofac_server.serve(newer(SDN_2024))
        second = update_ofac(store, base_url=ofac_server.url, data_dir=tmp_path, timeout=10)
        assert second.version.entity_count == 15026
        versions = {v.id: v for v in store.list_versions(name="ofac")}
        assert versions[second.version.id].active
        assert not versions[version.id].active
        assert len(list(store.list_entities(versions[version.id], targets_only=True))) == 14965

        # the same files again: nothing new
        again = update_ofac(store, base_url=ofac_server.url, data_dir=tmp_path, timeout=10)
        assert again.already_loaded and again.version.id == second.version.id


def test_an_unreachable_server_is_a_clear_error(sqlite_url: str, tmp_path: Path) -> None:
    with Store.open(sqlite_url) as store, pytest.raises(UpdateError, match="download failed"):
        update_ofac(store, base_url="http://127.0.0.1:1/", data_dir=tmp_path, timeout=5)


def test_lists_update_command(ofac_server: FakeOfac, tmp_path: Path) -> None:
    runner = CliRunner()
    cli.console.width = cli.err_console.width = 300
    data = ["--data-dir", str(tmp_path)]
    small = b"".join(EXCERPT.splitlines(keepends=True))
    ofac_server.serve(small)
    result = runner.invoke(
        cli.app, [*data, "lists", "update", "ofac", "--url-base", ofac_server.url]
    )
    assert result.exit_code == 0, result.output
    assert (
        "updated 'ofac': version 1 is active, 61 listed parties, published 2024-05-03"
        in result.output
    )

    result = runner.invoke(cli.app, [*data, "lists", "update", "--url-base", ofac_server.url])
    assert result.exit_code == 0
    assert "is up to date" in result.output

    ofac_server.serve(small, **{"ADD.CSV": Response(b"", status=503)})
    result = runner.invoke(cli.app, [*data, "lists", "update", "--url-base", ofac_server.url])
    assert result.exit_code == 1
    assert "HTTP 503" in result.output
    assert "The active 'ofac' list is unchanged" in result.output

    result = runner.invoke(cli.app, [*data, "lists", "update", "un"])
    assert result.exit_code == 2
    assert "redthread can download: ofac" in result.output
