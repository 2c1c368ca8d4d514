"""`aigovkg serve` under load on 127.0.0.1, side by side with a raw pyoxigraph app and
rdflib-endpoint serving the same data.

Usage: python benchmarks/bench_serve.py [--duration 10] [--rdflib-endpoint-path DIR]

For each server, a light SELECT (ten labels) is sent by Debian's `wrk` at concurrency 1, 8, 32
and 64 for `--duration` seconds each: alone, then while two hostile clients (from 127.0.0.2 and
127.0.0.3, two requests in flight each) send cartesian-product queries without pause. Reported:
requests/s, p50, p99, and the error rate (non-2xx answers and socket errors over all requests).

- the ceiling is a minimal Starlette app on the same uvicorn that runs the query in-process on
  a pyoxigraph store and serialises with pyoxigraph's own JSON writer: no limits of any kind,
  so it shows what the HTTP stack itself costs (and what an unprotected endpoint does when a
  hostile query arrives: the benchmark kills it afterwards);
- rdflib-endpoint (FastAPI + rdflib's SPARQL engine) is imported from `--rdflib-endpoint-path`,
  a `pip install --target` directory, so its FastAPI pins never touch this environment; it is
  left out when that directory is not given or does not import.

Every request goes to 127.0.0.1-3; every loop ends by itself (wrk's duration, a stop flag and
a client timeout for the hostile threads). Targets (2-core machine, README): at concurrency 8,
0 errors, p99 < 50 ms and at least 60% of the ceiling's requests/s; with two hostile clients,
still 0 errors and p99 < 300 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
LIGHT = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 10"
# Two patterns: aigovkg sends this one through its worker pool (the light one above it answers
# in the web process); measured at concurrency 8 only.
POOLED = "SELECT ?t WHERE { ?s a ?t . ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 3"
HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CONCURRENCY = (1, 8, 32, 64)
HOSTILE_ADDRESSES = ("127.0.0.2", "127.0.0.3")
AIGOVKG = [sys.executable, "-m", "aigovkg", "serve", "--log-level", "warning"]


# -- the two comparison servers, started as `python bench_serve.py --serve-... PORT` --


def serve_raw(port: int) -> None:
    """The ceiling: one pyoxigraph store, queried in-process, no limits."""
    import pyoxigraph as ox
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    store = ox.Store()
    store.bulk_load(path=str(REPO / "dist" / "aigovkg.nq"), format=ox.RdfFormat.N_QUADS)

    async def sparql(request: Request) -> Response:
        result = store.query(request.query_params["query"], use_default_graph_as_union=True)
        body = result.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]
        return Response(body, media_type="application/sparql-results+json")

    app = Starlette(routes=[Route("/sparql", sparql)])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def serve_rdflib_endpoint(port: int) -> None:
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    data = Dataset(default_union=True)
    data.parse(REPO / "dist" / "aigovkg.nq", format="nquads")
    app = SparqlEndpoint(graph=data, path="/sparql", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# -- measuring --


@dataclass
class Row:
    server: str
    query: str
    hostile: bool
    concurrency: int
    rate: float
    p50_ms: float
    p99_ms: float
    error_rate: float


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        print(f"  (unparsed wrk latency {text!r})", file=sys.stderr)
        return float("nan")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, concurrency: int, duration: int) -> tuple[float, float, float, float]:
    """requests/s, p50 ms, p99 ms, error rate."""
    command = ["wrk", "--latency", "--timeout", "10s", "-d", f"{duration}s", url]
    done = subprocess.run(
        [*command, "-t", str(min(2, concurrency)), "-c", str(concurrency)],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout

    def number(pattern: str) -> str | None:
        found = re.search(pattern, out, re.MULTILINE)
        return found.group(1) if found else None

    total = int(number(r"(\d+) requests in") or 0)
    rate = float(number(r"Requests/sec:\s+([\d.]+)") or 0)
    p50, p99 = (number(rf"^\s*{q}%\s+(\S+)") for q in (50, 99))  # the distribution lines
    errors = int(number(r"Non-2xx or 3xx responses:\s+(\d+)") or 0)
    timeouts = 0
    sockets = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
        timeouts = int(sockets.group(4))
    nan = float("nan")
    if total == 0:  # nothing came back at all (the server is stuck): every request failed
        return 0.0, nan, nan, 1.0
    return (
        rate,
        _ms(p50) if p50 else nan,
        _ms(p99) if p99 else nan,
        errors / (total + timeouts),
    )


class Hostiles:
    """Two clients on their own loopback addresses, each keeping two expensive queries in
    flight until stopped; refusals are retried after a short pause, as a script would."""

    def __init__(self, base: str, timeout_s: float) -> None:
        self.base = base
        self.timeout_s = timeout_s
        self.stop = threading.Event()
        self.statuses: Counter[str] = Counter()
        self.threads = [
            threading.Thread(target=self._loop, args=(address,), daemon=True)
            for address in HOSTILE_ADDRESSES
            for _ in range(2)
        ]

    def _loop(self, address: str) -> None:
        transport = httpx.HTTPTransport(local_address=address)
        with httpx.Client(transport=transport, timeout=self.timeout_s) as client:
            while not self.stop.is_set():
                try:
                    answer = client.get(self.base + "/sparql", params={"query": HOSTILE})
                    self.statuses[str(answer.status_code)] += 1
                    if answer.status_code != 200:
                        self.stop.wait(0.1)
                except httpx.HTTPError as exc:
                    self.statuses[type(exc).__name__] += 1
                    self.stop.wait(0.1)

    def __enter__(self) -> Hostiles:
        for thread in self.threads:
            thread.start()
        time.sleep(1.0)  # the expensive queries now hold what they can
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()


def wait_up(base: str, process: subprocess.Popen, limit_s: float = 180) -> None:
    deadline = time.monotonic() + limit_s
    probe = base + "/sparql?query=" + urllib.parse.quote("ASK {}")
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{base} exited")
        try:
            if httpx.get(probe, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


def measure(name: str, base: str, duration: int, hostile_timeout: float) -> list[Row]:
    plan = [("light", LIGHT, c) for c in CONCURRENCY] + [("pooled", POOLED, 8)]
    rows = []
    for hostile in (False, True):
        with contextlib.ExitStack() as stack:
            hostiles = stack.enter_context(Hostiles(base, hostile_timeout)) if hostile else None
            for label, query, concurrency in plan:
                url = base + "/sparql?query=" + urllib.parse.quote(query)
                rows.append(
                    Row(name, label, hostile, concurrency, *wrk(url, concurrency, duration))
                )
                print(_format(rows[-1]), flush=True)
        if hostiles is not None:
            print(f"| {name} | hostile clients' answers: {dict(hostiles.statuses)} |", flush=True)
    return rows


def _format(row: Row) -> str:
    load = "+2 hostile" if row.hostile else "alone"
    return (
        f"| {row.server} | {row.query} | {load} | {row.concurrency} | {row.rate:,.0f} | "
        f"{row.p50_ms:.1f} | {row.p99_ms:.1f} | {row.error_rate:.1%} |"
    )


def start(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    """SIGKILL to the server's own process group (it and the workers it started)."""
    with_children = os.getpgid(process.pid)
    os.killpg(with_children, signal.SIGKILL)
    process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--port", type=int, default=8931, help="first of three ports")
    parser.add_argument("--rdflib-endpoint-path", type=Path, help="pip --target dir")
    parser.add_argument("--serve-raw", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve-rdflib-endpoint", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_raw:
        return serve_raw(args.serve_raw)
    if args.serve_rdflib_endpoint:
        return serve_rdflib_endpoint(args.serve_rdflib_endpoint)
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    here = [sys.executable, str(Path(__file__).resolve())]
    servers: list[tuple[str, list[str], dict[str, str] | None]] = [
        (
            "aigovkg serve",
            # Limiting stays on (crash back-off needs it) but never refuses the load itself.
            [*AIGOVKG, "--port", str(args.port), "--rate", "1000000", "--burst", "1000000"],
            None,
        ),
        ("raw pyoxigraph (ceiling)", [*here, "--serve-raw", str(args.port + 1)], None),
    ]
    if args.rdflib_endpoint_path:
        env = {
            **os.environ,
            "PYTHONPATH": f"{args.rdflib_endpoint_path}:{os.environ.get('PYTHONPATH', '')}",
        }
        command = [*here, "--serve-rdflib-endpoint", str(args.port + 2)]
        servers.append(("rdflib-endpoint", command, env))
    subprocess.run([sys.executable, "-m", "aigovkg", "build"], cwd=REPO, check=True)
    print("| server | query | load | concurrency | req/s | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for index, (name, command, env) in enumerate(servers):
        process = start(command, env)
        base = f"http://127.0.0.1:{args.port + index}"
        try:
            started = time.perf_counter()
            wait_up(base, process)
            print(f"| {name} | start-up to first answer {time.perf_counter() - started:.1f} s |")
            measure(name, base, args.duration, hostile_timeout=40)
        except RuntimeError as exc:
            print(f"| {name} | not measured: {exc} |", flush=True)
        finally:
            stop(process)


if __name__ == "__main__":
    main()
