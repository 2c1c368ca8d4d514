"""The clients researchers use, driven against the real server in every format they offer.

SPARQLWrapper (the client the README shows) in each of its return formats for each query form
and both methods, rdflib's SPARQLStore, and curl-like raw requests with the media types and
`format` names other clients send. Each result is parsed and checked for the answer, not only
for a 200.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from typing import Any
from xml.dom.minidom import Document

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

from .conftest import Server

EU_AI_ACT = "https://w3id.org/aigovkg/id/instrument/eu-ai-act"
QUERIES = {
    "SELECT": f"SELECT ?label WHERE {{ <{EU_AI_ACT}> <{RDFS.label}> ?label "
    'FILTER (lang(?label) = "en") }',
    "ASK": f"ASK {{ <{EU_AI_ACT}> <{RDFS.label}> ?label }}",
    "CONSTRUCT": f"CONSTRUCT {{ <{EU_AI_ACT}> <{RDFS.label}> ?l }} "
    f"WHERE {{ <{EU_AI_ACT}> <{RDFS.label}> ?l }}",
    "DESCRIBE": f"DESCRIBE <{EU_AI_ACT}>",
}
RETURN_FORMATS = (JSON, XML, TURTLE, N3, RDF, RDFXML, CSV, TSV, JSONLD)
# What each return format gets: its own media type where the query form has one, else the
# form's default (SPARQLWrapper sends `Accept: */*` and its format name for every form).
TABULAR_MEDIA = {
    JSON: "application/sparql-results+json",
    XML: "application/sparql-results+xml",
    CSV: "text/csv",
    TSV: "text/tab-separated-values",
}
GRAPH_MEDIA = {
    TURTLE: "text/turtle",
    N3: "text/turtle",
    RDF: "application/rdf+xml",
    RDFXML: "application/rdf+xml",
    XML: "application/rdf+xml",
    JSONLD: "application/ld+json",
    JSON: "application/ld+json",
}


def expected_media(form: str, return_format: str) -> str:
    if form in ("SELECT", "ASK"):
        return TABULAR_MEDIA.get(return_format, "application/sparql-results+json")
    return GRAPH_MEDIA.get(return_format, "text/turtle")


def labels_in(media: str, converted: Any) -> set[str]:
    """The English labels a SELECT answer holds, read the way its format is read."""
    if media.endswith("+json"):
        return {b["label"]["value"] for b in converted["results"]["bindings"]}
    if media.endswith("+xml"):
        assert isinstance(converted, Document)
        return {node.firstChild.data for node in converted.getElementsByTagName("literal")}
    text = converted.decode()
    if "tab" in media:  # TSV writes RDF terms in Turtle syntax, one row per line
        lines = text.splitlines()
        assert lines[0] == "?label"
        return {line.removeprefix('"').removesuffix('"@en') for line in lines[1:]}
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["label"]
    return {row[0] for row in rows[1:]}


def boolean_in(media: str, converted: Any) -> bool:
    if media.endswith("+json"):
        return converted["boolean"]
    if media.endswith("+xml"):
        return converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    return converted.decode().strip().splitlines()[-1] == "true"


def graph_in(media: str, converted: Any) -> Graph:
    if isinstance(converted, Graph):
        return converted
    assert media == "text/turtle"
    return Graph().parse(data=converted, format="turtle")


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("return_format", RETURN_FORMATS)
@pytest.mark.parametrize("form", list(QUERIES))
def test_sparqlwrapper_every_return_format(
    server: Server, form: str, return_format: str, method: str
) -> None:
    client = SPARQLWrapper(server.url("/sparql"))
    client.setQuery(QUERIES[form])
    client.setReturnFormat(return_format)
    client.setMethod(method)
    with warnings.catch_warnings():
        # SPARQLWrapper warns when it asks for a format the query form does not have.
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        result = client.query()
        media = result.info()["content-type"].split(";")[0]
        converted = result.convert()
    assert media == expected_media(form, return_format)
    if form == "SELECT":
        assert labels_in(media, converted) == {"EU AI Act"}
    elif form == "ASK":
        assert boolean_in(media, converted) is True
    else:
        graph = graph_in(media, converted)
        assert (URIRef(EU_AI_ACT), RDFS.label, Literal("EU AI Act", lang="en")) in graph


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
def test_rdflib_sparqlstore(server: Server, method: str, return_format: str) -> None:
    """rdflib's SPARQLStore with its default (XML) and other result formats, every method.

    The store asks only for the media types its `returnFormat` parser reads: ASK only in the
    SPARQL result formats (its CSV/TSV parsers read tables), graphs only with XML, where it
    also asks for RDF/XML.
    """
    store = SPARQLStore(server.url("/sparql"), returnFormat=return_format, method=method)
    graph = Graph(store=store)
    rows = list(graph.query(QUERIES["SELECT"]))
    assert [str(row[0]) for row in rows] == ["EU AI Act"]
    if return_format in ("xml", "json"):
        assert graph.query(QUERIES["ASK"]).askAnswer is True
    if return_format == "xml":
        constructed = graph.query(QUERIES["CONSTRUCT"]).graph
        assert constructed is not None
        assert (URIRef(EU_AI_ACT), RDFS.label, Literal("EU AI Act", lang="en")) in constructed
        assert (URIRef(EU_AI_ACT), RDFS.label, Literal("EU AI Act", lang="en")) in graph


@pytest.mark.parametrize(
    ("form", "accept", "media"),
    [
        ("SELECT", "application/json", "application/sparql-results+json"),
        ("SELECT", "application/xml", "application/sparql-results+xml"),
        ("SELECT", "text/xml", "application/sparql-results+xml"),
        ("ASK", "application/json", "application/sparql-results+json"),
        ("CONSTRUCT", "application/json", "application/ld+json"),
        ("CONSTRUCT", "application/xml", "application/rdf+xml"),
        ("DESCRIBE", "text/n3", "text/turtle"),
        ("DESCRIBE", "application/n3;q=1, text/turtle;q=0.9", "text/turtle"),
        ("CONSTRUCT", "application/x-json+ld", "application/ld+json"),
    ],
)
def test_generic_media_types(
    server: Server, http: httpx.Client, form: str, accept: str, media: str
) -> None:
    response = http.get(
        server.url("/sparql"), params={"query": QUERIES[form]}, headers={"Accept": accept}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    ("form", "names", "media"),
    [
        ("SELECT", ["tsv", "text/tab-separated-values"], "text/tab-separated-values"),
        ("SELECT", ["json", "application/sparql-results+json"], "application/sparql-results+json"),
        ("SELECT", ["xml", ""], "application/sparql-results+xml"),
        ("SELECT", ["turtle"], "application/sparql-results+json"),
        ("CONSTRUCT", ["rdf+xml", "application/rdf+xml"], "application/rdf+xml"),
        (
            "CONSTRUCT",
            ["json-ld", "application/ld+json,application/x-json+ld"],
            "application/ld+json",
        ),
        ("CONSTRUCT", ["n3"], "text/turtle"),
        ("CONSTRUCT", ["nt"], "application/n-triples"),
        ("CONSTRUCT", ["xml"], "application/rdf+xml"),
        ("CONSTRUCT", ["json"], "application/ld+json"),
        ("DESCRIBE", ["csv"], "text/turtle"),
    ],
)
def test_format_names_clients_send(
    server: Server, http: httpx.Client, form: str, names: list[str], media: str
) -> None:
    params = [("query", QUERIES[form]), *(("format", name) for name in names)]
    response = http.get(server.url("/sparql"), params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media


def test_format_names_that_disagree_or_are_unknown(server: Server, http: httpx.Client) -> None:
    both = [("query", QUERIES["SELECT"]), ("format", "csv"), ("format", "json")]
    response = http.get(server.url("/sparql"), params=both)
    assert response.status_code == 400
    assert "different formats" in response.text
    unknown = http.get(server.url("/sparql"), params={"query": QUERIES["ASK"], "format": "png"})
    assert unknown.status_code == 406
    assert "'png'" in unknown.text


def test_browser_asking_the_endpoint_gets_the_editor(server: Server, http: httpx.Client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = http.get(server.url("/sparql"), headers={"Accept": browser})
    assert response.status_code == 303
    assert response.headers["location"] == "/query"
    assert "Accept" in response.headers["vary"]
    followed = http.get(server.url("/sparql"), headers={"Accept": browser}, follow_redirects=True)
    assert followed.status_code == 200
    assert followed.headers["content-type"].startswith("text/html")
    editor = http.get(server.url("/query"), headers={"Accept": browser})
    assert followed.text == editor.text
    # A SPARQL client still gets the service description (W3C protocol), by default in Turtle.
    description = http.get(server.url("/sparql"))
    assert description.headers["content-type"].startswith("text/turtle")
    sd = Graph().parse(data=description.content, format="turtle")
    assert len(sd) > 0
    as_json = http.get(server.url("/sparql"), headers={"Accept": "application/json"})
    assert as_json.headers["content-type"].startswith("application/ld+json")
    assert json.loads(as_json.content)
