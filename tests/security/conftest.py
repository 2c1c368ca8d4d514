"""A canary: an HTTP server on 127.0.0.1 that records every request made to it.

Each security test names the canary in hostile SPARQL (or an owl:imports) and then asserts that
the canary saw nothing. Only loopback is ever targeted.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest


@dataclass
class Canary:
    """Where the canary listens, and the requests it has seen (method and path)."""

    base: str  # http://127.0.0.1:PORT/
    hits: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self) -> list[str]:
        with self.lock:
            return list(self.hits)

    def clear(self) -> None:
        with self.lock:
            self.hits.clear()


def _handler(canary: Canary) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            with canary.lock:
                canary.hits.append(f"{self.command} {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            body = b'{"head":{"vars":["x"]},"results":{"bindings":[{}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, *args: object) -> None:
            return

    return Handler


@pytest.fixture(scope="session")
def canary_server() -> Iterator[Canary]:
    canary = Canary(base="")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(canary))
    canary.base = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield canary
    server.shutdown()
    server.server_close()


@pytest.fixture
def canary(canary_server: Canary) -> Canary:
    """The session's canary with an empty request log."""
    canary_server.clear()
    return canary_server
