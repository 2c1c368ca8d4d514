"""The W3C SPARQL 1.1 Protocol manifest, every entry, against the running server.

Query entries must pass as written. Update entries expect a writable endpoint; this endpoint is
read-only, so it passes them by refusing every update request with a 4xx status and leaving the
data unchanged (the manifest's README states this rule).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from xml.etree import ElementTree

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from .conftest import PROTOCOL_DIR, Server

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    label: str
    requests: list[ProtocolRequest] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return self.name.startswith("update_")


def load_manifest() -> list[ProtocolTest]:
    graph = Graph().parse(PROTOCOL_DIR / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(MF.entries, None))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        test = ProtocolTest(str(entry).rsplit("#", 1)[-1], str(graph.value(entry, MF.name)))
        action = graph.value(entry, MF.action)
        for request in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            header_list = graph.value(request, HT.headers)
            if header_list is not None:
                for header in Collection(graph, header_list):
                    headers[str(graph.value(header, HT.fieldName))] = str(
                        graph.value(header, HT.fieldValue)
                    )
            body_node = graph.value(request, HT.body)
            body = None
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding)
            response = graph.value(request, HT.resp)
            boolean = graph.value(response, MF.expectedBoolean)
            fmt = graph.value(response, MF.expectedFormat)
            test.requests.append(
                ProtocolRequest(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)).replace(
                        "/sparql/", "/sparql", 1
                    ),
                    headers=headers,
                    body=body,
                    statuses={
                        str(s).rsplit("#", 1)[-1]
                        for s in graph.objects(response, MF.expectedStatus)
                    },
                    expected_format=str(fmt) if fmt is not None else None,
                    expected_boolean=boolean.toPython() if boolean is not None else None,
                )
            )
        tests.append(test)
    return tests


TESTS = load_manifest()


def status_class(code: int) -> str:
    return f"StatusCode{code // 100}xx"


def boolean_of(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return json.loads(response.content)["boolean"]
    if media == "application/sparql-results+xml":
        root = ElementTree.fromstring(response.content)
        node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
        assert node is not None
        return node.text == "true"
    raise AssertionError(f"boolean result in unexpected media type {media}")


def check_format(response: httpx.Response, expected: str) -> None:
    media = response.headers["content-type"].split(";")[0]
    if expected == "tabular":
        assert media in {
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        }
        if media == "application/sparql-results+json":
            assert "results" in json.loads(response.content)
    elif expected == "RDF":
        rdf_format = {
            "text/turtle": "turtle",
            "application/n-triples": "nt",
            "application/ld+json": "json-ld",
            "application/rdf+xml": "xml",
        }[media]
        Graph().parse(data=response.content, format=rdf_format)
    elif expected == "boolean":
        boolean_of(response)


def triple_count(server: Server, client: httpx.Client) -> int:
    answer = client.get(server.url("/sparql"), params={"query": COUNT_QUERY})
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def send(server: Server, client: httpx.Client, request: ProtocolRequest) -> httpx.Response:
    return client.request(
        request.method, server.url(request.path), headers=request.headers, content=request.body
    )


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol_entry(test: ProtocolTest, server: Server, http: httpx.Client) -> None:
    if test.is_update:
        before = triple_count(server, http)
        # The first request is the update; the rest would check its effect, which a read-only
        # endpoint must not have.
        response = send(server, http, test.requests[0])
        assert 400 <= response.status_code < 500, (test.label, response.status_code)
        assert triple_count(server, http) == before
        return
    for request in test.requests:
        response = send(server, http, request)
        assert status_class(response.status_code) in request.statuses, (
            test.label,
            response.status_code,
            response.text[:300],
        )
        if response.status_code >= 400:
            assert "Traceback" not in response.text
            continue
        if request.expected_format:
            check_format(response, request.expected_format)
        if request.expected_boolean is not None:
            assert boolean_of(response) is request.expected_boolean, test.label


def test_manifest_is_complete() -> None:
    """All 34 entries were read, 7 of them update tests (the count the note reports)."""
    assert len(TESTS) == 34
    assert sum(t.is_update for t in TESTS) == 7


def test_service_description_has_matching_endpoint(server: Server, http: httpx.Client) -> None:
    """The service-description manifest: GET returns RDF with an sd:endpoint equal to the URL."""
    response = http.get(server.url("/sparql"), headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoints = {str(o) for o in graph.objects(None, sd.endpoint)}
    assert endpoints == {server.url("/sparql")}
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert RDFS  # the schema test: every sd term used is in the sd namespace
    used = {p for p in graph.predicates() if str(p).startswith(str(sd))}
    assert used <= {
        sd.endpoint,
        sd.supportedLanguage,
        sd.feature,
        sd.resultFormat,
        sd.defaultDataset,
        sd.defaultGraph,
        sd.namedGraph,
        sd.name,
    }
