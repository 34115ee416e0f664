"""The matching API under load: concurrent clients posting single-query /match requests.

A real ``redthread serve`` (uvicorn, ``--workers`` processes) with the full OFAC list
(2024-05-03) loaded, on loopback; ``wrk`` (Debian's package; without it, an asyncio
httpx client, which costs the server much of the CPU) keeps ``--clients`` requests in
flight for ``--seconds``, each a different name, and prints requests per second, p50
and p99 latency and the errors (target: 50 clients, 30 s, zero errors, at least 500
requests/s). The client shares the machine's cores with the server. With
``--database-url postgresql://...`` the store is PostgreSQL (make bench runs both).

    .venv/bin/python -m bench.api_bench [--clients 50] [--seconds 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
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


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local names = {%s}
local i = 0
request = function()
  i = i + 1
  local name = names[(i %% #names) + 1]
  local body = '{"queries": {"q": {"schema": "LegalEntity", "properties": {"name": ["'
    .. name .. '"]}}}}'
  return wrk.format(nil, "/match/default", nil, body)
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %%d %%f %%f %%f %%d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
"""


def with_wrk(url: str, names: list[tuple[str, str]], clients: int, seconds: float) -> None:
    """The load from wrk: a Lua script cycling through the names."""

    def script_of(part: list[tuple[str, str]]) -> str:
        quoted = ", ".join('"' + n.replace("\\", "").replace('"', "") + '"' for _, n in part)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % quoted)
        return script.name

    warm = script_of(names[10_000:11_000])  # other names: the measured run finds no cache
    subprocess.run(
        ["wrk", "-t1", f"-c{clients}", "-d3s", "-s", warm, url], capture_output=True, check=True
    )
    Path(warm).unlink()
    script = script_of(names[:10_000])
    done = subprocess.run(
        ["wrk", "-t1", f"-c{clients}", f"-d{int(seconds)}s", "-s", script, url],
        capture_output=True,
        text=True,
        check=True,
    )
    Path(script).unlink()
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    requests, elapsed, p50, p99, errors = line.split()[1:]
    print(
        f"wrk, {clients} connections, {float(elapsed):.0f} s: {int(requests):,} requests, "
        f"{int(requests) / float(elapsed):,.0f} requests/s (target 500), p50 {float(p50):.1f} ms, "
        f"p99 {float(p99):.1f} ms, errors: {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--database-url", help="postgresql://... (default: SQLite)")
    parser.add_argument(
        "--python-client", action="store_true", help="the asyncio client even where wrk is"
    )
    args = parser.parse_args()
    index = MatchIndex.from_entities(read_list([OFAC], name="ofac").entities, "ofac", 1)
    names = list(itertools.islice(generated_names(vocabulary(index), seed=31), 20_000))
    with tempfile.TemporaryDirectory(prefix="redthread-api-bench-") as tmp:
        server, url = start_server(Path(tmp), args.database_url, args.workers)
        try:
            store = "PostgreSQL" if args.database_url else "SQLite"
            print(f"redthread serve --workers {args.workers}, {store}, full OFAC list:")
            if shutil.which("wrk") and not args.python_client:
                with_wrk(url, names, args.clients, args.seconds)
            else:
                asyncio.run(load(url, names, args.clients, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
