"""A Node SPARQL client (fetch-sparql-endpoint, Comunica's) against the real server.

The client is pinned in tests/server/node/package-lock.json and installed by .ci/run with
`npm ci`; its answers (GET, form POST and direct POST) must equal what the graph holds.
Without node or the installed package the test skips locally and fails under CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from .conftest import Server

NODE_DIR = Path(__file__).resolve().parent / "node"
EU_AI_ACT = "https://w3id.org/aigovkg/id/instrument/eu-ai-act"
AIGOV_LAW = "https://w3id.org/aigovkg/ontology#Law"
QUERIES = {
    "SELECT": f"SELECT ?label WHERE {{ <{EU_AI_ACT}> <{RDFS.label}> ?label }}",
    "ASK": f"ASK {{ <{EU_AI_ACT}> a <{AIGOV_LAW}> }}",
    "CONSTRUCT": f"CONSTRUCT {{ <{EU_AI_ACT}> ?p ?o }} WHERE {{ <{EU_AI_ACT}> ?p ?o }}",
    "DESCRIBE": f"DESCRIBE <{EU_AI_ACT}>",
}


def node_answers(endpoint: str) -> dict:
    node = shutil.which("node")
    installed = (NODE_DIR / "node_modules" / "fetch-sparql-endpoint").is_dir()
    if node is None or not installed:
        message = "node or tests/server/node/node_modules missing (run npm ci there)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; .ci/run installs them")
        pytest.skip(message)
    done = subprocess.run(
        [node, "clients.mjs", endpoint, json.dumps(QUERIES)],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def as_term(term: dict) -> URIRef | Literal:
    if term["termType"] == "NamedNode":
        return URIRef(term["value"])
    assert term["termType"] == "Literal"
    if term["language"]:
        return Literal(term["value"], lang=term["language"])
    datatype = term["datatype"]
    return Literal(term["value"], datatype=None if datatype == str(XSD.string) else datatype)


def test_fetch_sparql_endpoint(server: Server, http: httpx.Client) -> None:
    direct = http.get(
        server.url("/sparql"),
        params={"query": QUERIES["SELECT"]},
        headers={"Accept": "application/sparql-results+json"},
    ).json()
    labels = {
        Literal(b["label"]["value"], lang=b["label"].get("xml:lang"))
        for b in direct["results"]["bindings"]
    }
    assert Literal("EU AI Act", lang="en") in labels
    turtle = http.get(
        server.url("/sparql"),
        params={"query": QUERIES["CONSTRUCT"]},
        headers={"Accept": "text/turtle"},
    )
    constructed = {(s, p, o) for s, p, o in Graph().parse(data=turtle.content, format="turtle")}
    answers = node_answers(server.url("/sparql"))
    assert set(answers) == {"get", "form", "direct"}
    for method, answer in answers.items():
        assert {as_term(row["label"]) for row in answer["select"]} == labels, method
        assert answer["ask"] is True, method
        # Blank nodes aside, the client reads the same triples the Turtle answer holds.
        named = {t for t in constructed if not any(str(x).startswith("_:") for x in t)}
        got = {
            tuple(as_term(term) for term in triple)
            for triple in answer["construct"]
            if all(term["termType"] != "BlankNode" for term in triple)
        }
        assert got == named, method
        described = {
            tuple(as_term(term) for term in t)
            for t in answer["describe"]
            if all(term["termType"] != "BlankNode" for term in t)
        }
        assert (URIRef(EU_AI_ACT), RDF.type, URIRef(AIGOV_LAW)) in described, method
