"""The files portals harvest, as /download serves them: VoID and DCAT as Turtle."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, RDF, VOID

from .conftest import Server


@pytest.mark.parametrize(
    ("name", "kind"), [("void.ttl", VOID.Dataset), ("catalog.ttl", DCAT.Catalog)]
)
def test_metadata_files_are_turtle(server: Server, http: httpx.Client, name: str, kind) -> None:
    response = http.get(server.url(f"/download/{name}"))
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == "text/turtle"
    graph = Graph().parse(data=response.content, format="turtle")
    assert (None, RDF.type, kind) in graph


def test_checksums_are_plain_text(server: Server, http: httpx.Client) -> None:
    response = http.get(server.url("/download/SHA256SUMS"))
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == "text/plain"
    assert "  aigovkg.nt\n" in response.text
