"""redthread serve: a real server on loopback, and never elsewhere without authentication."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from redthread import cli


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::"])
def test_refuses_to_listen_beyond_this_machine(host: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["--data-dir", str(tmp_path), "serve", "--host", host])
    assert result.exit_code == 2
    assert "refusing to listen" in result.output and "redthread users add" in result.output


@pytest.mark.parametrize("workers", [1, 2])
def test_serves_the_api(tmp_path: Path, workers: int) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    assert runner.invoke(cli.app, [*data, "lists", "load", "--bundled"]).exit_code == 0
    port = _free_port()
    command = [sys.executable, "-m", "redthread", *data, "serve", "--port", str(port)]
    server = subprocess.Popen([*command, "--workers", str(workers)], stderr=subprocess.PIPE)
    try:
        query = {
            "queries": {"k": {"schema": "Company", "properties": {"name": ["Rosoboronexport"]}}}
        }
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.post(f"http://127.0.0.1:{port}/match/default", json=query)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert response.status_code == 200
        assert response.json()["responses"]["k"]["results"][0]["id"] == "ofac-18782"
    finally:
        server.terminate()
        server.wait(timeout=30)
