"""The remote backend against a real HTTP server on 127.0.0.1 that answers as Virtuoso does.

Virtuoso-shaped answers (blank nodes as `nodeID://`, booleans as 1/0, ASK as a one-row SELECT of
`__ASK_RETVAL`) come back as the embedded store's terms; a refused query, a redirect, an
oversized or a slow answer end in a clear error, and nothing is sent anywhere but the store.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from aigovkg.errors import QueryError
from aigovkg.remote_http import StoreClient, StoreError
from aigovkg.remote_store import (
    METADATA_GRAPH,
    PUBLISHED_GRAPH,
    RemoteBackend,
    store_url,
)
from aigovkg.store import SelectResult

GRAPH = "https://w3id.org/aigovkg/graph/data/x"
XSD_INT = str(XSD.integer)


def _binding(kind: str, value: str, datatype: str | None = None) -> dict[str, str]:
    term = {"type": kind, "value": value}
    if datatype:
        term["datatype"] = datatype
    return term


class Store(BaseHTTPRequestHandler):
    """Answers the metadata query, then whatever `reply` the test set."""

    requests: ClassVar[list[dict[str, list[str]]]] = []
    reply: tuple[int, dict[str, str], bytes] = (200, {}, b"")
    published: ClassVar[list[dict[str, dict[str, str]]]] = [
        {"p": _binding("uri", str(PUBLISHED_GRAPH)), "o": _binding("uri", GRAPH)}
    ]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        type(self).requests.append(form)
        if str(METADATA_GRAPH) in form.get("query", [""])[0]:
            published = {"head": {"vars": ["p", "o"]}, "results": {"bindings": self.published}}
            body = json.dumps(published).encode()
            status, headers = 200, {"Content-Type": "application/sparql-results+json"}
        else:
            status, headers, body = type(self).reply
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def store() -> Iterator[str]:
    Store.requests = []
    Store.published = [{"p": _binding("uri", str(PUBLISHED_GRAPH)), "o": _binding("uri", GRAPH)}]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def _json(variables: list[str], rows: list[dict[str, dict[str, str]]]) -> None:
    body = json.dumps({"head": {"vars": variables}, "results": {"bindings": rows}}).encode()
    Store.reply = (200, {"Content-Type": "application/sparql-results+json"}, body)


def test_virtuoso_terms_are_normalised(store: str) -> None:
    _json(
        ["b", "t", "n", "s"],
        [
            {
                "b": _binding("bnode", "nodeID://b10000"),
                "t": _binding("typed-literal", "1", str(XSD.boolean)),
                "n": _binding("typed-literal", "3", XSD_INT),
                "s": _binding("typed-literal", "x", str(XSD.string)),
            }
        ],
    )
    answer = RemoteBackend.connect(store).run("SELECT ?b ?t ?n ?s WHERE { ?b ?t ?n }")
    assert isinstance(answer, SelectResult)
    assert answer.rows == [
        (BNode("b10000"), Literal("true", datatype=XSD.boolean), Literal(3), Literal("x"))
    ]


def test_ask_as_a_one_row_select(store: str) -> None:
    _json(["__ASK_RETVAL"], [{"__ASK_RETVAL": _binding("typed-literal", "1", XSD_INT)}])
    assert RemoteBackend.connect(store).run("ASK { ?s ?p ?o }") is True
    _json(["__ASK_RETVAL"], [{"__ASK_RETVAL": _binding("typed-literal", "0", XSD_INT)}])
    assert RemoteBackend.connect(store).run("ASK { ?s ?p ?o }") is False
    Store.reply = (200, {}, b'{"head": {}, "boolean": true}')
    assert RemoteBackend.connect(store).run("ASK { ?s ?p ?o }") is True


def test_unordered_rows_come_back_sorted_and_row_limit_reported(store: str) -> None:
    _json(["x"], [{"x": _binding("uri", f"urn:{c}")} for c in "cab"])
    backend = RemoteBackend.connect(store)
    answer = backend.run("SELECT ?x WHERE { ?x ?p ?o }", max_rows=2)
    assert isinstance(answer, SelectResult)
    assert answer.rows == [(URIRef("urn:a"),), (URIRef("urn:b"),)]
    assert answer.truncated


def test_the_query_sent_is_portable(store: str) -> None:
    """Prefixes declared, bound variables substituted, the dataset named: the project's graphs."""
    _json(["x"], [])
    backend = RemoteBackend.connect(store)
    backend.run("SELECT ?x WHERE { ?x a aigov:Law ; aigov:date ?d }", {"d": Literal("2024")})
    sent = Store.requests[-1]["query"][0]
    assert sent.startswith("PREFIX aigov: <https://w3id.org/aigovkg/ontology#>\n")
    assert '?x a aigov:Law ; aigov:date "2024" }' in sent
    assert f"FROM <{GRAPH}>" in sent
    # No GRAPH pattern, so no named graph can be seen: no FROM NAMED (2,881 of them at 1.16M).
    assert "FROM NAMED" not in sent


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", True),
        ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { graph ?g { ?s ?p ?o } } }", True),
        ('SELECT ?graph WHERE { ?graph ?p "GRAPH" } # GRAPH', False),
    ],
)
def test_named_graphs_are_listed_only_for_a_graph_pattern(
    store: str, query: str, named: bool
) -> None:
    """FROM NAMED for every project graph when the query can read named graphs, and then
    only: a variable, string or comment spelled "graph" is not a GRAPH pattern."""
    _json(["g"], [])
    RemoteBackend.connect(store).run(query)
    sent = Store.requests[-1]["query"][0]
    assert f"FROM <{GRAPH}>" in sent
    assert (f"FROM NAMED <{GRAPH}>" in sent) is named


def test_service_is_refused_before_anything_is_sent(store: str) -> None:
    backend = RemoteBackend.connect(store)
    backend.graphs()
    sent = len(Store.requests)
    with pytest.raises(QueryError, match="SERVICE"):
        backend.run("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert len(Store.requests) == sent


def test_a_redirect_is_not_followed(store: str) -> None:
    Store.reply = (302, {"Location": "http://example.org/sparql"}, b"")
    with pytest.raises(StoreError, match="redirects are not followed"):
        RemoteBackend.connect(store).run("SELECT ?x WHERE { ?x ?p ?o }")


def test_an_oversized_answer_is_cut(store: str) -> None:
    Store.reply = (200, {}, b"x" * 5000)
    client = StoreClient(store, max_bytes=1000)
    with pytest.raises(StoreError, match="more than 1000 bytes"):
        RemoteBackend(client).run("SELECT ?x WHERE { ?x ?p ?o }")


def test_a_partial_answer_is_an_error(store: str) -> None:
    """Virtuoso's "anytime query": 200, part of the rows, and the truth only in a header."""
    _json(["x"], [{"x": _binding("uri", "urn:a")}])
    status, headers, body = Store.reply
    Store.reply = (status, {**headers, "X-SQL-State": "S1TAT"}, body)
    with pytest.raises(StoreError, match="incomplete result"):
        RemoteBackend.connect(store).run("SELECT ?x WHERE { ?x ?p ?o }")


def test_only_the_configured_origin(store: str) -> None:
    client = StoreClient(store)
    with pytest.raises(StoreError, match="not on the configured store"):
        client.request("GET", "http://127.0.0.2:1/sparql")
    with pytest.raises(StoreError, match="AIGOVKG_STORE_USER"):
        StoreClient("http://dba:secret@127.0.0.1/sparql")


def test_store_errors_name_the_store(store: str) -> None:
    Store.reply = (400, {}, b"Virtuoso 37000 Error SP030: SPARQL compiler")
    with pytest.raises(StoreError, match=r"answered 400.*SP030"):
        RemoteBackend.connect(store).run("SELECT ?x WHERE { ?x ?p ?o }")


def test_an_empty_store_says_to_publish(store: str) -> None:
    Store.published = []
    with pytest.raises(StoreError, match="aigovkg publish --to"):
        RemoteBackend.connect(store).graphs()


def test_store_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIGOVKG_STORE", raising=False)
    assert store_url(None) is None
    monkeypatch.setenv("AIGOVKG_STORE", "http://127.0.0.1:8890/sparql")
    assert store_url(None) == "http://127.0.0.1:8890/sparql"
    assert store_url("http://h/sparql") == "http://h/sparql"
