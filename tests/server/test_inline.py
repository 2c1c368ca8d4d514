"""The web process's own answers to trivially cheap queries (server/inline.py): a trivial ASK
is answered on the same store, with the same dataset rules and the same bytes as the query
layer's engine, without the safety parse (so a server's first answer, a readiness probe, does
not wait for the parser's import)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aigovkg import sparql_safety
from aigovkg.server.engine import Engine, QueryJob
from aigovkg.server.inline import InlineEngine
from aigovkg.store import OxigraphBackend

A = "urn:test:graph:a"
B = "urn:test:graph:b"


@pytest.fixture
def backend() -> OxigraphBackend:
    def triple(s: str, o: str) -> ox.Triple:
        return ox.Triple(ox.NamedNode(s), ox.NamedNode("urn:test:p"), ox.NamedNode(o))

    return OxigraphBackend.from_triples(
        {A: [triple("urn:test:s1", "urn:test:o1")], B: [triple("urn:test:s2", "urn:test:o2")]}
    )


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize(
    ("query", "default_graphs"),
    [
        ("ASK {}", ()),
        ("ASK { ?s ?p ?o }", ()),
        ("ASK { <urn:test:s1> ?p ?o }", ()),
        ("ASK { <urn:test:s1> ?p ?o }", (B,)),  # narrowed to a graph without it: false
        ("ask where { ?s <urn:test:p> <urn:test:o2> . }", (A, B)),
        ("ASK { <urn:test:nothing> ?p ?o }", ()),
    ],
)
def test_a_trivial_ask_answers_as_the_engine_does(
    backend: OxigraphBackend, query: str, default_graphs: tuple[str, ...], fmt: str
) -> None:
    job = QueryJob(query=query, default_graphs=default_graphs, tabular_format=fmt)
    inline = InlineEngine(backend).run(job, "ASK")
    engine = Engine(backend).run(job)
    assert inline.ok and engine.ok
    assert (inline.kind, inline.body) == (engine.kind, engine.body)


def test_a_trivial_ask_is_not_parsed_by_the_safety_check(
    backend: OxigraphBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object) -> sparql_safety.Analysis:
        raise AssertionError("the safety parser ran")

    monkeypatch.setattr(sparql_safety, "_parse_and_analyse", refuse)
    sparql_safety.analyse.cache_clear()  # a text parsed earlier in this process is not asked
    job = QueryJob(query="ASK { ?s <urn:test:p> <urn:test:o1> }")
    reply = InlineEngine(backend).run(job, "ASK")
    assert reply.ok and b"true" in reply.body
    with pytest.raises(AssertionError, match="the safety parser ran"):
        Engine(backend).run(job)  # the engine's path does parse: the stub is in force
