"""The endpoint's edges: rate limits on every page, who counts as a client, back-off for
queries that kill workers, slow or incomplete requests, and small protocol faults.

Each test reproduces a fault measured against `aigovkg serve` on 127.0.0.1. Clients are told
apart by their loopback source address (127.0.0.x), one address per test, so that one test's
rate-limit state cannot leak into another's.
"""

from __future__ import annotations

import concurrent.futures
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest

from .conftest import Server, start_server, stop_server
from .test_load import CARTESIAN, POOLED_LIGHT, client_from

MEMORY_BOMB = (
    'SELECT (STRLEN(?s30) AS ?n) WHERE { BIND("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" AS ?s0) '
    + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(30))
    + " }"
)


@pytest.fixture(scope="module")
def limited(served_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Rate limited (2/s, burst 4), short time and request limits, 127.0.3.1 a trusted proxy
    (and 127.0.0.1, which uvicorn trusts by default, not)."""
    log = tmp_path_factory.mktemp("edges") / "server.log"
    running = start_server(
        served_home,
        log,
        "--workers", "2",
        "--timeout", "2",
        "--memory-mb", "256",
        "--rate", "2",
        "--burst", "4",
        "--request-timeout", "1",
        "--queue-wait", "20",
        "--trusted-proxy", "127.0.3.1",
    )  # fmt: skip
    yield running
    stop_server(running)


def statuses(client: httpx.Client, url: str, count: int, **headers: str) -> list[int]:
    return [client.get(url, headers=headers).status_code for _ in range(count)]


@pytest.mark.parametrize(
    ("address", "path"),
    [
        ("127.0.2.1", "/compare?instrument=eu-ai-act&instrument=kr-ai-basic-act"),
        ("127.0.2.2", "/summits"),
        ("127.0.2.3", "/id/instrument/eu-ai-act"),
        ("127.0.2.4", "/"),
    ],
)
def test_every_page_is_rate_limited(limited: Server, address: str, path: str) -> None:
    """Was: only /sparql was limited; /compare, /summits and /id could be called without end.

    Ten requests at once (a burst of 4 at 2/s): sent one after another, a page that takes
    half a second to render would let the bucket refill between them."""
    with client_from(address) as client, concurrent.futures.ThreadPoolExecutor(10) as pool:
        seen = list(pool.map(lambda _: client.get(limited.url(path)).status_code, range(10)))
    assert 200 in seen
    assert 429 in seen


def test_forwarded_for_from_an_untrusted_client_is_ignored(limited: Server) -> None:
    """Was: from 127.0.0.1, a new X-Forwarded-For on every request made each one a new client."""
    with client_from("127.0.0.1") as client:
        seen = [
            client.get(limited.url("/sparql"), headers={"X-Forwarded-For": f"10.0.0.{n}"})
            for n in range(10)
        ]
    assert 429 in [answer.status_code for answer in seen]


def test_forwarded_for_from_a_trusted_proxy_names_the_client(limited: Server) -> None:
    """Behind a --trusted-proxy, each forwarded address has its own limit."""
    with client_from("127.0.3.1") as proxy:
        distinct = [
            proxy.get(limited.url("/sparql"), headers={"X-Forwarded-For": f"10.0.1.{n}"})
            for n in range(8)
        ]
        same = statuses(proxy, limited.url("/sparql"), 10, **{"X-Forwarded-For": "10.0.2.1"})
    assert [answer.status_code for answer in distinct] == [200] * 8
    assert 429 in same


def test_worker_killing_queries_are_backed_off(limited: Server) -> None:
    """Was: a query that kills its worker, sent four times a second, kept the CPU busy
    restarting workers while other clients' queries failed."""
    url = limited.url("/sparql")
    with client_from("127.0.2.6", timeout=60) as attacker, client_from("127.0.2.7") as other:
        first = attacker.get(url, params={"query": MEMORY_BOMB})
        assert first.status_code == 503
        assert first.headers["retry-after"] == "1"
        # Sent at once, the next query is refused without reaching a worker.
        refused = attacker.get(url, params={"query": MEMORY_BOMB})
        assert refused.status_code == 429
        time.sleep(1.1)
        second = attacker.get(url, params={"query": MEMORY_BOMB})
        assert second.status_code == 503
        assert second.headers["retry-after"] == "2"  # doubled
        # Four a second while the back-off lasts: none of them gets through.
        burst = []
        for _ in range(6):
            burst.append(attacker.get(url, params={"query": MEMORY_BOMB}).status_code)
            time.sleep(0.25)
        assert set(burst) == {429}
        # Meanwhile another client is served (it may wait for a replaced worker to start).
        answer = other.get(url, params={"query": POOLED_LIGHT})
        assert answer.status_code == 200


def test_timeout_answer_says_when_to_retry(limited: Server) -> None:
    """Was: the 503 of a query stopped at the time limit had no Retry-After."""
    with client_from("127.0.2.8") as client:
        answer = client.get(limited.url("/sparql"), params={"query": CARTESIAN})
    assert answer.status_code == 503
    assert "time limit" in answer.text
    assert int(answer.headers["retry-after"]) >= 1


def test_incomplete_request_heads_are_dropped(limited: Server) -> None:
    """Was: a connection that never finished its request head was held open for ever."""
    port = int(limited.base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: incomplete
        started = time.monotonic()
        assert sock.recv(1024) == b""  # closed by the server
        assert time.monotonic() - started < 4


def test_trickled_request_bodies_are_timed_out(limited: Server) -> None:
    port = int(limited.base.rsplit(":", 1)[1])
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\n"
    )
    with socket.create_connection(
        ("127.0.0.1", port), timeout=5, source_address=("127.0.2.9", 0)
    ) as sock:
        sock.sendall(head + b"ASK")
        started = time.monotonic()
        reply = sock.recv(1024)
        assert reply.startswith(b"HTTP/1.1 408"), reply
        assert time.monotonic() - started < 4


def test_unknown_iri_with_a_space_is_not_found(server: Server, http: httpx.Client) -> None:
    """Was: /id/a%20b answered 500 (the engine refused the IRI)."""
    answer = http.get(server.url("/id/a%20b"))
    assert answer.status_code == 404


def test_head_on_the_endpoint(server: Server, http: httpx.Client) -> None:
    """Was: HEAD /sparql answered 405."""
    answer = http.head(server.url("/sparql"))
    assert answer.status_code == 200
    assert answer.content == b""


def test_plain_text_errors_are_not_sniffed(server: Server, http: httpx.Client) -> None:
    """Was: text/plain error bodies (which echo parts of the query) had no nosniff."""
    answer = http.get(server.url("/sparql"), params={"query": "SELECT <script>alert(1)</script>"})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ('SELECT ?x WHERE { BIND("a\u0001b\u001fc" AS ?x) }', "application/sparql-results+xml"),
        (
            'CONSTRUCT { <urn:a> <urn:b> ?x } WHERE { BIND("a\u0001b" AS ?x) }',
            "application/rdf+xml",
        ),
    ],
)
def test_xml_answers_stay_well_formed(
    server: Server, http: httpx.Client, query: str, accept: str
) -> None:
    """Was: a literal with control characters made the XML answer ill-formed. (The characters
    are sent raw: the safety parser refuses `\\u` escapes that do not stand for letters.)"""
    answer = http.get(server.url("/sparql"), params={"query": query}, headers={"Accept": accept})
    assert answer.status_code == 200
    ElementTree.fromstring(answer.content)  # raises on ill-formed XML
    assert "a\ufffdb" in answer.text
