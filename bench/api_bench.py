"""The matching API under load: concurrent clients posting single-query /match requests.

A real ``redthread serve`` (uvicorn, ``--workers`` processes) with the full OFAC list
(2024-05-03) loaded, on loopback; an asyncio client (httpx) keeps ``--clients``
requests in flight for ``--seconds``, each a generated name (as in scale_bench), and
prints requests per second, p50 and p99 latency, and the errors (target: 50 clients,
30 s, zero errors, at least 500 requests/s). The client shares the machine's cores
with the server. With ``--database-url postgresql://...`` the store is PostgreSQL.

    .venv/bin/python -m bench.api_bench [--clients 50] [--seconds 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.scale_bench import OFAC, generated_names, vocabulary
from redthread.lists import read_list
from redthread.match.index import MatchIndex


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(
    data_dir: Path, database_url: str | None, workers: int
) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, "REDTHREAD_DATA_DIR": str(data_dir)}
    if database_url:
        env["REDTHREAD_DATABASE_URL"] = database_url
    redthread = [sys.executable, "-m", "redthread"]
    subprocess.run(
        [*redthread, "lists", "load", "--bundled"], env=env, check=True, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        [*redthread, "serve", "--port", str(port), "--workers", str(workers)], env=env
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.3)
    return server, url


async def load(url: str, names: list[tuple[str, str]], clients: int, seconds: float) -> None:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    counter = itertools.count()
    stop = time.monotonic() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        while time.monotonic() < stop:
            schema, name = names[next(counter) % len(names)]
            body = {"queries": {"q": {"schema": schema, "properties": {"name": [name]}}}}
            started = time.perf_counter()
            try:
                response = await http.post(f"{url}/match/default", json=body)
                if response.status_code != 200:
                    errors[str(response.status_code)] = errors.get(str(response.status_code), 0) + 1
                    continue
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                continue
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        # warm each server process's index and caches first
        await asyncio.gather(*(http.get(f"{url}/healthz") for _ in range(clients)))
        began = time.monotonic()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.monotonic() - began
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(
        f"{clients} clients, {elapsed:.0f} s: {len(latencies):,} requests, "
        f"{len(latencies) / elapsed:,.0f} requests/s (target 500), p50 "
        f"{quantiles[49] * 1000:.1f} ms, p99 {quantiles[98] * 1000:.1f} ms, "
        f"errors: {sum(errors.values())} {errors or ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--database-url", help="postgresql://... (default: SQLite)")
    args = parser.parse_args()
    index = MatchIndex.from_entities(read_list([OFAC], name="ofac").entities, "ofac", 1)
    names = list(itertools.islice(generated_names(vocabulary(index), seed=31), 20_000))
    with tempfile.TemporaryDirectory(prefix="redthread-api-bench-") as tmp:
        server, url = start_server(Path(tmp), args.database_url, args.workers)
        try:
            store = "PostgreSQL" if args.database_url else "SQLite"
            print(f"redthread serve --workers {args.workers}, {store}, full OFAC list:")
            asyncio.run(load(url, names, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
