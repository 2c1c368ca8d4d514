"""The one W3C result serialiser against pyoxigraph's own result writers, byte for byte.

`results.py` encodes each distinct term of an answer once (rows share their terms); these tests
hold every format to the engine's writer on an answer that repeats terms, leaves cells unbound
and mixes IRIs, blank nodes, plain, tagged and typed literals (some needing quotes or escapes),
and check that rows which do not share their terms (as a remote store's) give the same bytes.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aigovkg.results import ResultFormat, serialize
from aigovkg.store import OxigraphBackend, SelectResult, to_rdflib

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
QUERY = f"""SELECT ?s ?o ?d ?l ?b ?n WHERE {{
  ?s <{EX}p> ?o .
  OPTIONAL {{ ?s <{EX}d> ?d }} OPTIONAL {{ ?s <{EX}l> ?l }}
  OPTIONAL {{ ?s <{EX}q> ?b }} OPTIONAL {{ ?s <{EX}n> ?n }}
}} ORDER BY ?s"""
ENGINE = {
    ResultFormat.json: ox.QueryResultsFormat.JSON,
    ResultFormat.xml: ox.QueryResultsFormat.XML,
    ResultFormat.csv: ox.QueryResultsFormat.CSV,
    ResultFormat.tsv: ox.QueryResultsFormat.TSV,
}
LABELS = [
    ox.Literal('a,"b"\n\tc'),
    ox.Literal("x", language="en"),
    ox.Literal("서울", language="ko"),
]
NUMBERS = [
    ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
    ox.Literal("1", datatype=ox.NamedNode(XSD + "token")),
]


@pytest.fixture(scope="module")
def backend() -> OxigraphBackend:
    store, graph = ox.Store(), ox.NamedNode("urn:g")
    for i in range(200):
        s = ox.NamedNode(f"{EX}s{i:03}")
        facts = [(EX + "p", ox.NamedNode(f"{EX}o{i % 3}"))]
        if i % 4:
            day = f"2024-01-0{i % 5 + 1}"
            facts.append((EX + "d", ox.Literal(day, datatype=ox.NamedNode(XSD + "date"))))
        if i % 3:
            facts.append((EX + "l", LABELS[i % 3]))
        if i % 5 == 0:
            facts.append((EX + "q", ox.BlankNode(f"b{i % 2}")))
        facts.append((EX + "n", NUMBERS[i % 4]))
        store.extend(ox.Quad(s, ox.NamedNode(p), o, graph) for p, o in facts)
    return OxigraphBackend(store)


@pytest.mark.parametrize("fmt", list(ResultFormat))
def test_every_format_matches_the_engines_writer(backend: OxigraphBackend, fmt) -> None:
    answer = backend.run(QUERY)
    assert isinstance(answer, SelectResult) and answer.row_count() == 200
    assert {type(t) for row in answer.iter_terms() for t in row} == {
        ox.NamedNode,
        ox.BlankNode,
        ox.Literal,
        type(None),
    }
    engine = backend.store.query(QUERY, use_default_graph_as_union=True)
    expected = engine.serialize(format=ENGINE[fmt])
    assert serialize(answer, fmt) == expected
    unshared = SelectResult(
        answer.variables, [tuple(to_rdflib(t) for t in row) for row in answer.iter_terms()]
    )
    assert serialize(unshared, fmt) == expected
