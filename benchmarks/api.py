"""HTTP throughput of the served app, side by side: ``/healthz`` (the trivial baseline),
``POST /api/v1/assessments`` and a provider search, on real uvicorn worker processes.

The app runs as ``uvicorn --factory --workers N`` on 127.0.0.1 over a fresh SQLite database
holding the demo directory. A load generator keeps ``C`` keep-alive connections busy for ``D``
seconds per endpoint (after a warm-up) and the script prints requests/s, p50 and p99 latency,
each endpoint's throughput as a share of /healthz's, and the server's CPU time per request
(all worker processes and their threads), whose ratio to /healthz's is the share the endpoint
would get if the server's CPU were the only limit - the figure that moves least when other
work shares the machine.

Two generators, both on the same machine as the server:

* ``wrk`` (Debian's package, when on PATH): C, one thread, a fraction of the CPU per request;
* ``asyncio``: a Python client in this process, which competes with the workers for the cores
  and so caps /healthz sooner than the heavier endpoints (it flatters their share).

The assessment bodies cycle through ``TEXTS``, eight runner descriptions of 127-301 characters
written the way runners write (no body repeats on consecutive requests of a connection), so a
cache keyed on the text could not serve the benchmark.

Targets (issue 11): assessments >= 50% of /healthz, search >= 500 req/s on SQLite.
Run: .venv/bin/python benchmarks/api.py [--workers 2] [--connections 16] [--seconds 5]
                                        [--generator both|wrk|asyncio]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
TEXTS = (
    "Stabbing pain under my heel, worst with the first steps in the morning and after long "
    "runs; I added hill repeats three weeks ago. No swelling, no numbness.",
    "Achilles is stiff and sore every morning, about 3 cm above the heel. Started after I "
    "switched to lower-drop shoes. It warms up after a mile but aches after runs.",
    "Inner shins hurt along the bone during runs since I went from 20 to 40 miles a week for "
    "a marathon plan. It is a diffuse ache, a bit tender to press, better with rest days.",
    "Sharp pain on top of my foot, right over the second metatarsal. Started two weeks ago, "
    "now it hurts to walk and there is a spot that is really tender if I press it. Some "
    "swelling on the top of the foot. I am 24, female, training for my first half marathon "
    "and my periods have been irregular this year.",
    "Rolled my ankle on a trail yesterday, heard a pop, outside of the ankle is swollen and "
    "bruised and I can only walk a few steps.",
    "Burning pain and numbness between my third and fourth toes, like a pebble in my shoe. "
    "Worse in my racing flats, better when I take the shoe off and rub the foot.",
    "Pain along the inside of my ankle and arch for a month, arch seems to be flattening on "
    "that side and I can't do a single-leg heel raise without it hurting. I'm 52 and run "
    "about 25 miles a week, mostly on roads. No injury I can remember, it just crept up.",
    "Felt a sudden pull in my calf during strides, like someone kicked me. Now it is tight "
    "and sore to walk on, a small bruise appeared lower down.",
)


@dataclass(frozen=True)
class Target:
    name: str
    method: str
    path: str
    bodies: tuple[bytes, ...] = ()

    def requests(self) -> list[bytes]:
        """The raw HTTP/1.1 requests to cycle through (one when there is no body)."""
        return [_request(self.method, self.path, b) for b in self.bodies or (b"",)]


@dataclass(frozen=True)
class Run:
    rps: float
    p50: float  # seconds
    p99: float
    errors: int
    server_cpu: float  # seconds of worker CPU per request
    client_cpu: float  # seconds of generator CPU per request


def _request(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: application/json\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def targets() -> list[Target]:
    ages_sexes = [(38, "female"), (45, "male"), (29, "female"), (24, "female"), (33, "male")]
    bodies = tuple(
        json.dumps({"text": t, "age": a, "sex": s}).encode()
        for t, (a, s) in zip(TEXTS, ages_sexes * 2, strict=False)
    )
    search = "/api/v1/providers?near=10001&type=podiatrist&radius_km=40&per_page=20"
    return [
        Target("GET /healthz", "GET", "/healthz"),
        Target("POST /api/v1/assessments", "POST", "/api/v1/assessments", bodies),
        Target("GET /api/v1/providers (search)", "GET", search),
    ]


# --- the asyncio generator ------------------------------------------------------------------


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
    ports: list[int], reqs: list[bytes], connections: int, seconds: float
) -> tuple[list[float], int]:
    """(latencies in seconds, non-2xx count) over ``seconds`` with ``connections`` clients,
    spread evenly over ``ports``, each cycling through ``reqs`` from its own starting point."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0

    async def client(start: int) -> None:
        nonlocal errors
        port = ports[start % len(ports)]
        reader, writer = await asyncio.open_connection(HOST, port)
        i = start
        try:
            while time.perf_counter() < stop:
                req = reqs[i % len(reqs)]
                i += 1
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

    await asyncio.gather(*(client(n) for n in range(connections)))
    return latencies, errors


def _asyncio_run(
    ports: list[int], target: Target, connections: int, seconds: float, spread: Spread
) -> Run:
    async def drive() -> tuple[list[float], int]:
        task = asyncio.create_task(_drive(ports, target.requests(), connections, seconds))
        await asyncio.sleep(min(1.0, seconds / 2))
        spread.sample()
        return await task

    cpu = time.process_time()
    lat, errors = asyncio.run(drive())
    n = max(1, len(lat))
    return Run(
        len(lat) / seconds, _pct(lat, 0.5), _pct(lat, 0.99), errors, 0.0,
        (time.process_time() - cpu) / n,
    )  # fmt: skip


# --- the wrk generator ----------------------------------------------------------------------

# The requests are formatted in init(): wrk knows the Host header only from then on.
_WRK_SCRIPT = """
local reqs, i = {}, 0
init = function(args) reqs = {%s} end
request = function()
  i = i %% #reqs + 1
  return reqs[i]
end
"""


def _lua_string(s: str) -> str:
    level = "=" * 4
    assert f"]{level}]" not in s
    return f"[{level}[{s}]{level}]"


def _wrk_run(
    ports: list[int], target: Target, connections: int, seconds: float, tmp: Path, spread: Spread
) -> Run:
    """One wrk per server, side by side, with the connections split evenly; req/s and errors
    add up, p50 and p99 are the worst of the servers'."""
    plain = '{["Accept"]="application/json"}'
    json_body = '{["Accept"]="application/json", ["Content-Type"]="application/json"}'
    calls = [
        f'wrk.format("{target.method}", {_lua_string(target.path)}, '
        + (f"{json_body}, {_lua_string(b.decode())})" if b else f"{plain}, nil)")
        for b in target.bodies or (b"",)
    ]
    script = tmp / "requests.lua"
    script.write_text(_WRK_SCRIPT % ", ".join(calls), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    shares = [connections // len(ports) + (i < connections % len(ports)) for i in range(len(ports))]
    procs = [
        subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{c}",
                f"-d{seconds:g}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                str(script),
                f"http://{HOST}:{port}/",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for port, c in zip(ports, shares, strict=True)
    ]
    time.sleep(min(1.0, seconds / 2))
    spread.sample()
    outs = [p.communicate()[0] for p in procs]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    count = sum(int(_find(r"(\d+) requests in", out)) for out in outs)
    errors = 0
    for out in outs:
        errors += int(_find(r"Non-2xx or 3xx responses: (\d+)", out, "0"))
        errors += sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(
        sum(float(_find(r"Requests/sec:\s+([\d.]+)", out)) for out in outs),
        max(_wrk_ms(_find(r"\s50%\s+(\S+)", out)) for out in outs) / 1e3,
        max(_wrk_ms(_find(r"\s99%\s+(\S+)", out)) for out in outs) / 1e3,
        errors, 0.0, used / max(1, count),
    )  # fmt: skip


def _find(pattern: str, text: str, default: str | None = None) -> str:
    m = re.search(pattern, text)
    if m:
        return m.group(1)
    if default is None:
        raise SystemExit(f"wrk printed no {pattern!r}:\n{text}")
    return default


def _wrk_ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        raise SystemExit(f"unreadable wrk latency {value!r}")
    scale = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[m.group(2)]
    return float(m.group(1)) * scale


# --- the server -----------------------------------------------------------------------------


def _warm(ports: list[int], target: Target, connections: int) -> None:
    """Warm every worker (the first search loads the ZIP gazetteer, seconds on a busy machine):
    drive for a second at a time until the slowest request is under a second."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        latencies, _ = asyncio.run(_drive(ports, target.requests(), connections, 1.0))
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


class Spread:
    """How the generator's connections sit on the worker processes, sampled mid-run: uvicorn's
    workers share one listening socket and asyncio accepts every pending connection at once, so
    a burst of keep-alive connections often lands on a single worker (e.g. "16+0")."""

    def __init__(self, workers: Callable[[], list[Any]], ports: list[int]) -> None:
        self.workers = workers
        self.ports = set(ports)
        self.text = "?"

    def sample(self) -> None:
        try:
            import psutil  # type: ignore[import-untyped]  # no stubs installed
        except ImportError:
            return
        counts = []
        for proc in self.workers():
            try:
                conns = proc.net_connections(kind="tcp")
            except psutil.Error:
                continue
            counts.append(
                sum(c.status == "ESTABLISHED" and c.laddr.port in self.ports for c in conns)
            )
        self.text = "+".join(str(n) for n in sorted(counts, reverse=True))


class Servers:
    """``count`` uvicorn servers of ``workers`` workers each over one database; the CPU their
    processes (all threads) have used so far, and their worker processes. Needs psutil (a dev
    dependency) for the CPU and the spread; without it those read 0 and "?"."""

    def __init__(self, url: str, count: int, workers: int) -> None:
        self.ports = [_free_port() for _ in range(count)]
        self.procs: list[subprocess.Popen[bytes]] = []
        try:
            for port in self.ports:
                self.procs.append(_serve(url, port, workers))
        except BaseException:
            self.stop()
            raise

    def _tree(self) -> list[Any]:
        try:
            import psutil
        except ImportError:
            return []
        out: list[Any] = []
        for proc in self.procs:
            root = psutil.Process(proc.pid)
            out += [root, *root.children(recursive=True)]
        return out

    def worker_processes(self) -> list[Any]:
        # uvicorn --workers 1 serves in its own process; with more, its children serve.
        try:
            import psutil
        except ImportError:
            return []
        out: list[Any] = []
        for proc in self.procs:
            root = psutil.Process(proc.pid)
            # Not multiprocessing's resource tracker, which serves nothing.
            spawned = [
                p for p in root.children(recursive=True) if "spawn_main" in " ".join(p.cmdline())
            ]
            out += spawned or [root]
        return out

    def cpu(self) -> float:
        total = 0.0
        for p in self._tree():
            try:
                t = p.cpu_times()
            except Exception:  # a process that just ended
                continue
            total += t.user + t.system
        return total

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2, help="uvicorn workers per server")
    ap.add_argument(
        "--servers",
        type=int,
        default=1,
        help="separate uvicorn servers, connections split evenly (compose.yaml runs two "
        "single-worker servers behind a load balancer: --servers 2 --workers 1)",
    )
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=5.0)
    have_wrk = shutil.which("wrk") is not None
    ap.add_argument(
        "--generator",
        choices=("both", "wrk", "asyncio"),
        default="both" if have_wrk else "asyncio",
        help="load generator(s); the default is both when wrk is on PATH",
    )
    args = ap.parse_args()
    generators = ["wrk", "asyncio"] if args.generator == "both" else [args.generator]
    if "wrk" in generators and not have_wrk:
        raise SystemExit("wrk is not on PATH (Debian: apt-get install wrk)")

    from stridewise.db.engine import make_engine
    from stridewise.directory.demo import ensure_demo

    rows: list[tuple[str, str, Run, str]] = []
    with tempfile.TemporaryDirectory(prefix="stridewise-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        engine = make_engine(url)
        print(ensure_demo(url, engine, None, None))
        engine.dispose()
        servers = Servers(url, args.servers, args.workers)
        try:
            for target in targets():
                _warm(servers.ports, target, args.connections)
                for gen in generators:
                    spread = Spread(servers.worker_processes, servers.ports)
                    before = servers.cpu()
                    if gen == "wrk":
                        run = _wrk_run(
                            servers.ports, target, args.connections, args.seconds, Path(tmp),
                            spread,
                        )  # fmt: skip
                    else:
                        run = _asyncio_run(
                            servers.ports, target, args.connections, args.seconds, spread
                        )
                    per = (servers.cpu() - before) / max(1.0, run.rps * args.seconds)
                    rows.append((target.name, gen, _with_server_cpu(run, per), spread.text))
        finally:
            servers.stop()
    _print(rows, args)


def _with_server_cpu(run: Run, per_request: float) -> Run:
    return Run(run.rps, run.p50, run.p99, run.errors, per_request, run.client_cpu)


def _print(rows: list[tuple[str, str, Run, str]], args: argparse.Namespace) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    layout = f"{args.servers} servers x " if args.servers > 1 else ""
    print(
        f"\n{layout}{args.workers} uvicorn workers, {args.connections} keep-alive connections, "
        f"{args.seconds:g} s per endpoint and generator, {os.cpu_count()} cores shared with "
        f"the generator; load average at the end {load}; {len(TEXTS)} assessment texts "
        f"({min(map(len, TEXTS))}-{max(map(len, TEXTS))} characters) in turn"
    )
    columns = ("req/s", "p50 ms", "p99 ms", "vs healthz", "srv ms/req", "cpu share", "gen ms/req")
    print(
        f"{'endpoint':31} {'generator':>9} "
        + " ".join(f"{c:>10}" for c in columns)
        + " non-2xx  spread"
    )
    base = {gen: run for name, gen, run, _ in rows if name == "GET /healthz"}
    for name, gen, run, spread in rows:
        b = base[gen]
        cpu_share = b.server_cpu / run.server_cpu if run.server_cpu else float("nan")
        print(
            f"{name:31} {gen:>9} {run.rps:10.0f} {run.p50 * 1e3:10.1f} {run.p99 * 1e3:10.1f}"
            f" {run.rps / b.rps:10.0%} {run.server_cpu * 1e3:10.2f} {cpu_share:10.0%}"
            f" {run.client_cpu * 1e3:10.3f} {run.errors:7d}  {spread}"
        )
    print(
        "\nsrv ms/req: CPU of all worker processes per request; cpu share: /healthz's srv "
        "ms/req over this row's (the throughput share if server CPU were the only limit); "
        "gen ms/req: the load generator's own CPU per request; spread: the connections on "
        "each worker process, mid-run"
    )
    print("targets: assessments >= 50% of /healthz; search >= 500 req/s (SQLite)")


if __name__ == "__main__":
    main()
