"""Real servers on 127.0.0.1: `aigovkg serve` started as a subprocess on a free port.

The main server also loads the W3C protocol suite's three graphs under the IRIs the manifest
names, so the conformance test runs against the same process the other tests use.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

# A copy of the W3C manifests (w3c/README.md says where from), so a fresh clone can run them.
W3C = Path(__file__).resolve().parent / "w3c"
PROTOCOL_DIR = W3C / "sparql11-protocol"
KASEI = "http://kasei.us/2009/09/sparql/data/"


@dataclass
class Server:
    """A running `aigovkg serve` and where to reach it."""

    base: str
    process: subprocess.Popen
    log: Path

    def url(self, path: str) -> str:
        return self.base + path

    def alive(self) -> bool:
        return self.process.poll() is None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(home: Path, log: Path, *options: str) -> Server:
    """Start `aigovkg serve` on a free port and wait until it answers."""
    port = free_port()
    exe = shutil.which("aigovkg")
    command = [exe] if exe else [sys.executable, "-m", "aigovkg"]
    command += ["serve", "--port", str(port), "--log-level", "warning", *options]
    env = {**os.environ, "AIGOVKG_HOME": str(home)}
    handle = log.open("wb")
    process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')}")
        try:
            answer = httpx.get(base + "/sparql", timeout=2)
            ready, _, wanted = answer.headers.get("x-query-workers", "").partition("/")
            if answer.status_code == 200 and ready == wanted:  # every worker loaded
                return Server(base, process, log)
            time.sleep(0.1)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text(errors='replace')}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(15)
    except subprocess.TimeoutExpired:
        server.process.kill()


def w3c_graph_options() -> list[str]:
    options = []
    for index in (1, 2, 3):
        options += ["--graph", f"{KASEI}data{index}.rdf={PROTOCOL_DIR / f'data{index}.nt'}"]
    return options


@pytest.fixture(scope="session")
def served_home(built: Path) -> Path:
    """A built checkout copy: the server finds dist/ current and does not rebuild."""
    return built.parent


@pytest.fixture(scope="session")
def server(served_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The main test server: 3 workers, tight time and memory limits, no rate limit."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    running = start_server(
        served_home,
        log,
        "--workers", "3",
        "--timeout", "4",
        "--memory-mb", "256",
        "--rate", "0",
        *w3c_graph_options(),
    )  # fmt: skip
    yield running
    stop_server(running)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client
