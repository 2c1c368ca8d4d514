"""Hostile queries: nothing leaves the machine, nothing is written, no query holds the server.

Each test here stands for a defect reproduced on this stack (engines that fetch SERVICE and
FROM URLs, queries that never end or eat memory); each would fail if its guard were removed.
"""

from __future__ import annotations

import concurrent.futures
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from .conftest import Server, start_server, stop_server


class Canary(http.server.BaseHTTPRequestHandler):
    """Counts every request that reaches it: the endpoint must never call it."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Canary.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def canary() -> Iterator[str]:
    Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def hostile_queries(canary: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{canary}sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{canary}sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{canary}x> {{ ?s ?p ?o }} }}",
        f"PREFIX c: <{canary}> SELECT * WHERE {{ SERVICE c:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{canary}data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{canary}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"PREFIX c: <{canary}> SELECT * FROM c:data WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        f"ASK {{ SERVICE <{canary}> {{ }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{canary}> {{ ?s ?p ?o }} }}",
    ]


def test_hostile_queries_are_refused_and_reach_nobody(
    server: Server, http: httpx.Client, canary: str
) -> None:
    for query in hostile_queries(canary):
        for response in (
            http.get(server.url("/sparql"), params={"query": query}),
            http.post(
                server.url("/sparql"),
                content=query.encode(),
                headers={"Content-Type": "application/sparql-query"},
            ),
        ):
            assert response.status_code == 400, (query, response.status_code, response.text)
            assert "Traceback" not in response.text
    assert Canary.hits == []


def test_keywords_inside_strings_and_iris_are_not_refused(
    server: Server, http: httpx.Client
) -> None:
    query = (
        'SELECT ("SERVICE <http://x/> FROM" AS ?s) WHERE { FILTER(?o != <urn:SERVICE>) } # SERVICE'
    )
    assert http.get(server.url("/sparql"), params={"query": query}).status_code == 200


def test_updates_are_refused_and_change_nothing(
    server: Server, http: httpx.Client, canary: str
) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def size() -> int:
        answer = http.get(server.url("/sparql"), params={"query": count})
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    before = size()
    updates = [
        f"LOAD <{canary}data.ttl>",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP DEFAULT",
    ]
    for update in updates:
        sent = [
            http.post(
                server.url("/sparql"),
                content=update.encode(),
                headers={"Content-Type": "application/sparql-update"},
            ),
            http.post(server.url("/sparql"), data={"update": update}),
            http.get(server.url("/sparql"), params={"query": update}),
            http.post(server.url("/sparql"), data={"query": update}),
        ]
        for response in sent:
            assert 400 <= response.status_code < 500, (update, response.status_code)
    assert size() == before
    assert Canary.hits == []


def test_query_length_is_capped(server: Server, http: httpx.Client) -> None:
    padding = "# " + "x" * (17 * 1024) + "\n"
    response = http.post(
        server.url("/sparql"),
        content=(padding + "ASK {}").encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 413
    assert "16384" in response.text


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# A backtracking pattern over billions of triples of triples (the filter needs all three sides,
# so it cannot be pushed below the joins). pyoxigraph's regex engine is linear, so the cost is
# the combination count: pairs alone (a few million) finish within the limit on an idle machine.
CATASTROPHIC_REGEX = (
    "SELECT ?s WHERE { ?s ?p ?o . ?x ?y ?z . ?u ?v ?w "
    'FILTER REGEX(CONCAT(STR(?o), STR(?z), STR(?w), "!"), "^(a|aa|a?a)+(b|c)*$") }'
)
LIGHT = "ASK { ?s ?p ?o }"


def test_slow_queries_are_killed_while_light_ones_answer(server: Server) -> None:
    with httpx.Client(timeout=60) as client, concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow = [
            pool.submit(client.get, server.url("/sparql"), params={"query": q})
            for q in (CARTESIAN, CATASTROPHIC_REGEX)
        ]
        time.sleep(1.0)  # both heavy queries now hold a worker each
        started = time.monotonic()
        light = client.get(server.url("/sparql"), params={"query": LIGHT})
        light_seconds = time.monotonic() - started
        assert light.status_code == 200 and light.json()["boolean"] is True
        assert light_seconds < 2.0, f"light query waited {light_seconds:.2f} s"
        for future in slow:
            response = future.result()
            assert response.status_code == 503
            assert "time limit" in response.text
    # The killed workers were replaced: the server keeps answering.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if httpx.get(server.url("/sparql"), params={"query": LIGHT}).status_code == 200:
            break
        time.sleep(0.5)
    assert server.alive()


MEMORY_BOMB = (
    'SELECT (STRLEN(?s30) AS ?n) WHERE { BIND("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" AS ?s0) '
    + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(30))
    + " }"
)


def test_memory_bomb_kills_only_its_worker(server: Server, http: httpx.Client) -> None:
    response = http.get(server.url("/sparql"), params={"query": MEMORY_BOMB})
    assert response.status_code == 503
    assert "memory limit" in response.text
    assert server.alive()
    deadline = time.monotonic() + 30
    status = 0
    while time.monotonic() < deadline and status != 200:
        status = http.get(server.url("/sparql"), params={"query": LIGHT}).status_code
        time.sleep(0.3)
    assert status == 200


@pytest.fixture(scope="module")
def one_worker_server(
    served_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("busy") / "server.log"
    running = start_server(
        served_home,
        log,
        "--workers", "1",
        "--timeout", "6",
        "--queue-wait", "1",
        "--rate", "2",
        "--burst", "4",
    )  # fmt: skip
    yield running
    stop_server(running)


def _wait_until_no_worker_is_idle(client: httpx.Client, server: Server) -> None:
    """Until the service description says the one worker took the heavy query. One look every
    0.5 s: the rate limit (2/s) refills as fast as this spends, so the next query is not 429."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        time.sleep(0.5)
        answer = client.get(server.url("/sparql"), headers={"Accept": "text/turtle"})
        if answer.headers.get("x-query-workers-idle") == "0":
            return
    pytest.fail("the heavy query never took the worker")


def test_full_pool_answers_503_with_retry_after(one_worker_server: Server) -> None:
    """A query that finds no worker waits (a bounded time, here 1 s), then gets 503."""
    pooled = "ASK { ?s ?p ?o . ?o ?q ?r }"  # two patterns: not answered without a worker
    time.sleep(2.5)  # the rate limit's bucket refills after the fixture's readiness checks
    with httpx.Client(timeout=30) as client, concurrent.futures.ThreadPoolExecutor(1) as pool:
        heavy = pool.submit(
            client.get, one_worker_server.url("/sparql"), params={"query": CARTESIAN}
        )
        _wait_until_no_worker_is_idle(client, one_worker_server)
        started = time.monotonic()
        busy = client.get(one_worker_server.url("/sparql"), params={"query": pooled})
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == "1"
        # It waited its bounded time, and gave up before the heavy query's 6 s limit would have
        # freed the worker.
        assert 0.9 < time.monotonic() - started < 6.0
        assert heavy.result().status_code == 503


def test_rate_limit_answers_429(one_worker_server: Server) -> None:
    time.sleep(2.5)  # let this client's bucket refill after the previous test
    with httpx.Client(timeout=30) as client:
        statuses = [client.get(one_worker_server.url("/sparql")).status_code for _ in range(12)]
    assert 429 in statuses
    assert statuses[0] == 200
    refused = statuses.index(429)
    assert refused >= 3  # the burst of 4 (minus any refill) was served first
