"""The /sparql endpoint's behaviour beyond the W3C manifest: formats, errors, limits, clients."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from .conftest import Server

EU_AI_ACT = "https://w3id.org/aigovkg/id/instrument/eu-ai-act"
LABEL_QUERY = (
    f'SELECT ?label WHERE {{ <{EU_AI_ACT}> rdfs:label ?label FILTER (lang(?label) = "en") }}'
)


def select(server: Server, http: httpx.Client, query: str, **headers: str) -> httpx.Response:
    return http.get(server.url("/sparql"), params={"query": query}, headers=headers)


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*;q=0.8, */*;q=0.1", "text/csv"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(
    server: Server, http: httpx.Client, accept: str, media: str
) -> None:
    response = select(server, http, LABEL_QUERY, Accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    text = response.text
    if media.endswith("json"):
        assert json.loads(text)["results"]["bindings"][0]["label"]["value"] == "EU AI Act"
    elif media.endswith("xml"):
        ElementTree.fromstring(response.content)
        assert "EU AI Act" in text
    elif media == "text/csv":
        assert list(csv.reader(io.StringIO(text))) == [["label"], ["EU AI Act"]]
    else:
        assert text.splitlines() == ["?label", '"EU AI Act"@en']


def test_format_alias_overrides_accept(server: Server, http: httpx.Client) -> None:
    response = http.get(
        server.url("/sparql"),
        params={"query": LABEL_QUERY, "format": "csv"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert response.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(
    server: Server, http: httpx.Client, accept: str, rdf_format: str
) -> None:
    query = f"CONSTRUCT {{ <{EU_AI_ACT}> ?p ?o }} WHERE {{ <{EU_AI_ACT}> ?p ?o }}"
    response = select(server, http, query, Accept=accept)
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdf_format)
    assert (URIRef(EU_AI_ACT), None, None) in graph
    assert len(graph) == int(response.headers["x-result-rows"])


def test_not_acceptable(server: Server, http: httpx.Client) -> None:
    response = select(server, http, LABEL_QUERY, Accept="image/png")
    assert response.status_code == 406
    query = f"DESCRIBE <{EU_AI_ACT}>"
    assert select(server, http, query, Accept="application/sparql-results+json").status_code == 406


def test_malformed_query_gets_parser_message(server: Server, http: httpx.Client) -> None:
    response = select(server, http, "SELECT ?x WHERE { ?x ")
    assert response.status_code == 400
    assert "malformed SPARQL" in response.text and "line 1" in response.text
    assert "Traceback" not in response.text


def test_wrong_method_and_content_type(server: Server, http: httpx.Client) -> None:
    assert http.put(server.url("/sparql"), content=b"ASK {}").status_code == 405
    response = http.post(
        server.url("/sparql"), content=b"ASK {}", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415


def test_cors_open_for_reads_without_credentials(server: Server, http: httpx.Client) -> None:
    response = select(server, http, "ASK {}", Origin="https://example.org")
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = http.options(
        server.url("/sparql"),
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200


def test_row_cap_is_stated(server: Server, http: httpx.Client) -> None:
    response = select(server, http, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 20000")
    assert response.status_code == 200
    assert response.headers["x-row-limit"] == "10000"
    assert response.headers["x-result-truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 10_000


def test_default_graph_is_the_union_and_files_are_named_graphs(
    server: Server, http: httpx.Client
) -> None:
    graph = "https://w3id.org/aigovkg/graph/data/instruments/eu-ai-act"
    query = f"ASK {{ GRAPH <{graph}> {{ <{EU_AI_ACT}> a aigov:Law }} }}"
    assert select(server, http, query).json()["boolean"] is True
    narrowed = http.get(
        server.url("/sparql"),
        params={
            "query": f"ASK {{ <{EU_AI_ACT}> ?p ?o }}",
            "default-graph-uri": "https://w3id.org/aigovkg/graph/data/summits/ai-seoul-summit-2024",
        },
    )
    assert narrowed.json()["boolean"] is False


def test_sparqlwrapper_client(server: Server) -> None:
    client = SPARQLWrapper(server.url("/sparql"))
    client.setQuery(
        LABEL_QUERY.replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>")
    )
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ["EU AI Act"]
    client.setQuery(f"DESCRIBE <{EU_AI_ACT}>")
    client.setReturnFormat(TURTLE)
    described = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert (URIRef(EU_AI_ACT), None, None) in described


def test_rdflib_sparqlstore_client(server: Server) -> None:
    store = SPARQLStore(server.url("/sparql"), returnFormat="json")
    graph = Graph(store=store)
    rows = list(
        graph.query(
            "SELECT ?label WHERE { ?i <http://www.w3.org/2000/01/rdf-schema#label> ?label "
            f"FILTER (?i = <{EU_AI_ACT}> && lang(?label) = 'en') }}"
        )
    )
    assert [str(r[0]) for r in rows] == ["EU AI Act"]
    assert (URIRef(EU_AI_ACT), None, None) in graph
