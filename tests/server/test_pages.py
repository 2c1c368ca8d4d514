"""Linked-data pages, the home page, the ontology, the query editor and downloads."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from aigovkg import build as pipeline
from aigovkg.namespaces import AIGOV, DCTERMS, SOURCE, bind_prefixes
from aigovkg.queries import get_query
from aigovkg.server.linked_data import PageQueries, describe
from aigovkg.server.pages import Pages
from aigovkg.store import OxigraphBackend

from .conftest import Server

EU_AI_ACT = "/id/instrument/eu-ai-act"


def test_home_lists_regimes_and_summits(server: Server, http: httpx.Client) -> None:
    page = http.get(server.url("/"))
    assert page.status_code == 200
    assert 'href="/id/instrument/eu-ai-act"' in page.text
    assert "AI Seoul Summit 2024" in page.text
    assert "triples" in page.text


def test_resource_page_shows_labels_facts_sources_and_incoming(
    server: Server, http: httpx.Client
) -> None:
    page = http.get(server.url("/id/instrument/kr-ai-basic-act"), headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "AI 기본법" in page.text  # the Korean label
    assert "Sources" in page.text
    # the evidence of its events is listed with the event it supports
    assert 'href="https://www.msit.go.kr/' in page.text.replace("&amp;", "&")
    assert 'href="/id/event/kr-ai-basic-act-passed"' in page.text
    source = http.get(server.url("/id/source/msit-ai-basic-act-passed"))
    assert 'href="https://www.msit.go.kr/' in source.text.replace("&amp;", "&")
    assert "Incoming links" in source.text


@pytest.mark.parametrize(
    ("accept", "fmt", "rdf_format"),
    [
        ("text/turtle", None, "turtle"),
        ("application/ld+json", None, "json-ld"),
        ("application/n-triples", None, "nt"),
        ("text/html", "nt", "nt"),
        (None, "turtle", "turtle"),
    ],
)
def test_resource_content_negotiation(
    server: Server, http: httpx.Client, accept: str | None, fmt: str | None, rdf_format: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    params = {"format": fmt} if fmt else {}
    response = http.get(server.url(EU_AI_ACT), headers=headers, params=params)
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdf_format)
    assert (URIRef("https://w3id.org/aigovkg" + EU_AI_ACT), RDF.type, AIGOV.Law) in graph


def test_unknown_resource_is_404(server: Server, http: httpx.Client) -> None:
    response = http.get(server.url("/id/instrument/no-such-thing"))
    assert response.status_code == 404
    assert "no-such-thing" in response.text


def test_ontology_documentation_and_rdf(server: Server, http: httpx.Client) -> None:
    html = http.get(server.url("/ontology"), headers={"Accept": "text/html"})
    assert html.status_code == 200 and "Instrument" in html.text and "pyLODE" in html.text
    turtle = http.get(server.url("/ontology"), headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.content, format="turtle")
    assert (AIGOV.Instrument, RDFS.label, None) in graph


def test_query_editor_is_local_and_has_the_competency_questions(
    server: Server, http: httpx.Client
) -> None:
    page = http.get(server.url("/query"))
    assert page.status_code == 200
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page.text)
    assert scripts and all(s.startswith("/static/") for s in scripts)
    assert "CQ01" in page.text
    for script in scripts:
        assert http.get(server.url(script)).status_code == 200
    assert "connect-src 'self'" in page.headers["content-security-policy"]


def test_downloads_match_the_build(server: Server, http: httpx.Client, built: Path) -> None:
    listing = http.get(server.url("/download"))
    assert listing.status_code == 200
    for name in (*pipeline.DUMPS, pipeline.VOID_FILE, pipeline.DCAT_FILE):
        assert f'href="/download/{name}"' in listing.text
        body = http.get(server.url(f"/download/{name}")).content
        assert (
            hashlib.sha256(body).hexdigest()
            == hashlib.sha256((built / name).read_bytes()).hexdigest()
        )
    assert http.get(server.url("/download/..%2Fbuild.json")).status_code == 404
    assert http.get(server.url("/download/build.json")).status_code == 404


HOSTILE = "<img src=x onerror=alert(1)>"


def test_pages_escape_data_strings(tree) -> None:
    """A hostile label and a javascript: URL in the data reach the page as inert text."""
    graph = bind_prefixes(Graph())
    thing = URIRef("https://w3id.org/aigovkg/id/instrument/hostile")
    source = SOURCE["hostile"]
    graph.add((thing, RDFS.label, Literal(HOSTILE, lang="en")))
    graph.add((thing, DCTERMS.source, source))
    graph.add((source, RDFS.label, Literal("<script>alert(2)</script>", lang="en")))
    graph.add((source, DCTERMS.title, Literal("<script>alert(4)</script>")))
    graph.add((source, AIGOV.url, Literal("javascript:alert(3)")))
    backend = OxigraphBackend.from_graph(graph)
    queries = PageQueries(
        *(get_query(tree, "app", f"resource-{name}") for name in ("facts", "incoming", "sources"))
    )
    view = describe(backend, str(thing), queries)
    assert view is not None
    html = Pages().render("resource.html", {"view": view, "formats": []}).body.decode()
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(2)" not in html and "<script>alert(4)" not in html
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html
    assert "javascript:" not in html
