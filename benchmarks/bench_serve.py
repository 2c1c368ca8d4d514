"""Start-up time and throughput of `aigovkg serve` on 127.0.0.1 (a bounded load test with wrk).

Usage: python benchmarks/bench_serve.py [--duration 10] [--connections 4]

Start-up is measured from process start to the first answered request, with dist/ already
built (serve never re-runs SHACL when dist/ is current). Throughput uses Debian's `wrk` against
a light query (ASK) and a medium one (a competency question with joins and a GROUP BY).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
LIGHT = "ASK { ?s ?p ?o }"
MEDIUM_CQ = "CQ01"


def start(port: int) -> tuple[subprocess.Popen, float]:
    command = [sys.executable, "-m", "aigovkg", "serve", "--port", str(port), "--rate", "0"]
    command += ["--log-level", "warning"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sparql", timeout=1).status_code == 200:
                return process, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.05)


def wrk(url: str, duration: int, connections: int) -> tuple[float, str]:
    done = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", done.stdout)
    return rate, p99.group(1) if p99 else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=8931)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    subprocess.run([sys.executable, "-m", "aigovkg", "build"], cwd=REPO, check=True)
    process, startup = start(args.port)
    try:
        base = f"http://127.0.0.1:{args.port}/sparql?query="
        medium = (REPO / "queries" / "cq").glob(f"{MEDIUM_CQ}-*.rq")
        medium_text = next(medium).read_text()
        print(f"start-up to first answer: {startup:.2f} s")
        for name, text in (("light (ASK)", LIGHT), (f"medium ({MEDIUM_CQ})", medium_text)):
            rate, p99 = wrk(base + urllib.parse.quote(text), args.duration, args.connections)
            print(f"{name}: {rate:.0f} requests/s, p99 latency {p99}")
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    main()
