"""HTTP throughput of the served app, side by side: ``/healthz`` (the trivial baseline),
``POST /api/v1/assessments`` and a provider search, on real uvicorn worker processes.

The app runs as ``uvicorn --factory --workers N`` on 127.0.0.1 over a fresh SQLite database
holding the demo directory; a small asyncio load generator in this process keeps ``C``
keep-alive connections busy for ``D`` seconds per endpoint (after a warm-up) and prints
requests/s, p50 and p99 latency, and each endpoint's throughput as a share of /healthz's.
Targets (issue 11): assessments >= 50% of /healthz, search >= 500 req/s on SQLite.
Run: .venv/bin/python benchmarks/api.py [--workers 2] [--connections 16] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
TEXT = (
    "Stabbing pain under my heel, worst with the first steps in the morning and after long "
    "runs; I added hill repeats three weeks ago. No swelling, no numbness."
)


@dataclass(frozen=True)
class Target:
    name: str
    request: bytes


def _request(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: application/json\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def targets() -> list[Target]:
    body = json.dumps({"text": TEXT, "age": 38, "sex": "female"}).encode()
    search = "/api/v1/providers?near=10001&type=podiatrist&radius_km=40&per_page=20"
    return [
        Target("GET /healthz", _request("GET", "/healthz")),
        Target("POST /api/v1/assessments", _request("POST", "/api/v1/assessments", body)),
        Target("GET /api/v1/providers (search)", _request("GET", search)),
    ]


async def _one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, req: bytes) -> int:
    """Send one request on a keep-alive connection; return the status."""
    writer.write(req)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _drive(
    port: int, req: bytes, connections: int, seconds: float
) -> tuple[list[float], int]:
    """(latencies in seconds, non-2xx count) over ``seconds`` with ``connections`` clients."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while time.perf_counter() < stop:
                t = time.perf_counter()
                try:
                    status = await _one(reader, writer, req)
                except (asyncio.IncompleteReadError, ConnectionError):
                    # The server closed the connection (after an error, or a worker restart):
                    # count it and reconnect.
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port)
                    continue
                latencies.append(time.perf_counter() - t)
                errors += status >= 300
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(connections)))
    return latencies, errors


def _warm(port: int, req: bytes, connections: int) -> None:
    """Warm every worker (the first search loads the ZIP gazetteer, seconds on a busy machine):
    drive for a second at a time until the slowest request is under a second."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        latencies, _ = asyncio.run(_drive(port, req, connections, 1.0))
        if latencies and max(latencies) < 1.0:
            return


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "STRIDEWISE_OUTBOX_WORKER_ENABLED": "false",
        "STRIDEWISE_SECRET_KEY": secrets.token_urlsafe(32),
        "STRIDEWISE_RATE_LIMIT_REQUESTS_PER_HOUR": "100000000",
    }
    cmd = [sys.executable, "-m", "uvicorn", "stridewise.web.app:create_app", "--factory",
           "--host", HOST, "--port", str(port), "--workers", str(workers),
           "--no-access-log", "--log-level", "warning"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((HOST, port), timeout=0.5) as s:
                s.sendall(_request("GET", "/readyz"))
                if b" 200 " in s.recv(200):
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not become ready")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()

    from stridewise.db.engine import make_engine
    from stridewise.directory.demo import ensure_demo

    with tempfile.TemporaryDirectory(prefix="stridewise-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        engine = make_engine(url)
        print(ensure_demo(url, engine, None, None))
        engine.dispose()
        port = _free_port()
        proc = _serve(url, port, args.workers)
        try:
            rows = []
            for target in targets():
                _warm(port, target.request, args.connections)
                lat, errors = asyncio.run(
                    _drive(port, target.request, args.connections, args.seconds)
                )
                rows.append((target.name, len(lat) / args.seconds, lat, errors))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    base = rows[0][1]
    print(
        f"\n{args.workers} uvicorn workers, {args.connections} keep-alive connections, "
        f"{args.seconds:g} s per endpoint, {os.cpu_count()} cores (load generator included)"
    )
    columns = ("req/s", "p50 ms", "p99 ms", "vs healthz", "non-2xx")
    print(f"{'endpoint':34} " + " ".join(f"{c:>10}" for c in columns))
    for name, rps, lat, errors in rows:
        print(
            f"{name:34} {rps:10.0f} {_pct(lat, 0.5) * 1e3:10.1f} {_pct(lat, 0.99) * 1e3:10.1f}"
            f" {rps / base:10.0%} {errors:10d}"
        )
    print("\ntargets: assessments >= 50% of /healthz; search >= 500 req/s (SQLite)")


if __name__ == "__main__":
    main()
