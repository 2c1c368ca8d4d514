"""`serve --store` and `--store` on the command line when the store is down, failing or hung.

Real parts only: a port on 127.0.0.1 that nothing listens on, a real HTTP server on 127.0.0.1
that answers every request with 500 (as Virtuoso does for a query it cannot run), one that
accepts requests and never answers, and `aigovkg serve` / `aigovkg` as subprocesses. The
server in front of the store answers 503 (unreachable, with Retry-After), 502 (store error) or
504 (store timed out), never 400 (the request is fine) or 500 (the server is fine), and names
the store; the command line exits 2 naming the store's URL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from ..conftest import run_cli
from .conftest import Server, free_port, stop_server

STORE_SAYS = b"Virtuoso 37000 Error SQ156: Internal Optimized compiler error"
RELEASE = threading.Event()  # lets the hung store's handlers go at the end of a test


class Failing(BaseHTTPRequestHandler):
    """A store that answers every request 500 with an engine message."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        self.send_response(500, "SPARQL Request Failed")
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(STORE_SAYS)))
        self.end_headers()
        self.wfile.write(STORE_SAYS)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


class Hung(Failing):
    """A store that takes the request and never answers (until the test ends)."""

    def _answer(self) -> None:
        RELEASE.wait(60)

    do_GET = do_POST = _answer


def _run(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    RELEASE.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    RELEASE.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def failing_store() -> Iterator[str]:
    yield from _run(Failing)


@pytest.fixture
def hung_store() -> Iterator[str]:
    yield from _run(Hung)


@pytest.fixture
def closed_store() -> str:
    """A store URL on a 127.0.0.1 port nothing listens on (bound once, then released)."""
    return f"http://127.0.0.1:{free_port()}/sparql"


def _serve(home: Path, log: Path, store: str, *options: str) -> Server:
    """`aigovkg --store URL serve`, ready when its query page (which needs no store) answers."""
    port = free_port()
    exe = shutil.which("aigovkg")
    command = [exe] if exe else [sys.executable, "-m", "aigovkg"]
    command += ["--store", store, "serve", "--port", str(port), "--log-level", "warning"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGOVKG_STORE")}
    env["AIGOVKG_HOME"] = str(home)
    handle = log.open("wb")
    process = subprocess.Popen(
        [*command, "--rate", "0", *options], env=env, stdout=handle, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            if httpx.get(base + "/query", timeout=2).status_code == 200:
                return Server(base, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise AssertionError(f"serve did not start: {log.read_text(errors='replace')}")


QUERY = "SELECT ?s WHERE { ?s a <https://w3id.org/aigovkg/ontology#Law> } LIMIT 3"
PAGES = [
    "/",
    "/id/instrument/eu-ai-act",
    "/compare?instrument=eu-ai-act&instrument=kr-ai-basic-act",
]


@pytest.mark.parametrize(
    ("which", "status", "says"),
    [("closed_store", 503, "cannot reach the store"), ("failing_store", 502, "SQ156")],
)
def test_serve_answers_the_store_failure(
    which: str,
    status: int,
    says: str,
    served_home: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    store = request.getfixturevalue(which)
    server = _serve(served_home, tmp_path / "serve.log", store)
    try:
        for answer in (
            httpx.post(server.url("/sparql"), data={"query": QUERY}, timeout=30),
            httpx.get(server.url("/sparql"), params={"query": QUERY}, timeout=30),
        ):
            assert answer.status_code == status, answer.text
            assert store in answer.text and says in answer.text
            assert answer.headers["content-type"].startswith("text/plain")
            assert ("retry-after" in answer.headers) == (status == 503)
        for path in PAGES:
            page = httpx.get(server.url(path), headers={"Accept": "text/html"}, timeout=30)
            assert page.status_code == status, (path, page.text[:300])
            assert page.headers["content-type"].startswith("text/html")
            assert store in page.text and says in page.text
            assert f"<h1>{status} · Store " in page.text
        # The guard still answers before the store is asked: a bad query stays the client's.
        refused = httpx.post(server.url("/sparql"), data={"query": "SELECT * WHERE {"})
        assert refused.status_code == 400
        assert server.alive()
    finally:
        stop_server(server)


def test_serve_answers_504_when_the_store_hangs(
    hung_store: str, served_home: Path, tmp_path: Path
) -> None:
    """A store that never answers costs each request the query time limit, then a 504 page
    (the endpoint answers a query that ran out its limit 503 with Retry-After, as on the
    embedded store)."""
    server = _serve(served_home, tmp_path / "serve.log", hung_store, "--timeout", "2")
    try:
        page = httpx.get(server.url("/"), headers={"Accept": "text/html"}, timeout=60)
        assert page.status_code == 504, page.text[:300]
        assert "did not answer within 2 s" in page.text and hung_store in page.text
        answer = httpx.post(server.url("/sparql"), data={"query": QUERY}, timeout=60)
        assert answer.status_code == 503 and "limit" in answer.text
        assert "retry-after" in answer.headers
    finally:
        RELEASE.set()
        stop_server(server)


@pytest.mark.parametrize("which", ["closed_store", "failing_store"])
@pytest.mark.parametrize(
    "command", [["query", "--cq", "CQ01"], ["status"]], ids=["query", "status"]
)
def test_cli_exits_2_naming_the_store(
    which: str, command: list[str], served_home: Path, request: pytest.FixtureRequest
) -> None:
    store = request.getfixturevalue(which)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGOVKG_STORE")}
    result = run_cli("--store", store, *command, cwd=served_home, env=env)
    assert result.returncode == 2, result.stderr
    assert store in result.stderr
    assert "Traceback" not in result.stderr
