"""The split validator (SPARQL constraints on the store, core constraints in pySHACL) reports
exactly what pySHACL alone reports, on the data with every invalid case of test_shapes applied.

One graph carries all the cases at once, so the slow reference run (pySHACL evaluating every
SPARQL constraint per focus node) happens once for the whole comparison, and only when its
inputs changed (reference.py keeps pySHACL's report under a digest of them). Validation of some
focus nodes only (`validate PATH`) is compared with this full report, filtered, in
tests/test_validation.py.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from aigovkg import shacl_core, shacl_sparql
from aigovkg.namespaces import SH, bind_prefixes
from aigovkg.store import OxigraphBackend

from .reference import Result, pyshacl_reference
from .reference import results as results_of
from .test_shapes import CASES

OPTIONS = {"inference": "none", "advanced": True, "allow_warnings": True, "inplace": False}


@pytest.fixture(scope="module")
def invalid_graph(loaded) -> Graph:
    # The loader's prefixes: pySHACL's messages shorten IRIs by the data graph's prefixes, and
    # the store-only path (data_graph None) reads the data with the loader's.
    graph = bind_prefixes(Graph())
    for triple in loaded.graph:
        graph.add(triple)
    for _name, mutate, _focus, _component in CASES:
        mutate(graph)
    return graph


@pytest.fixture(scope="module")
def reference(invalid_graph, shapes) -> set[Result]:
    """pySHACL alone on the same graph (stored while its inputs are unchanged: reference.py)."""
    return pyshacl_reference(invalid_graph, shapes, OPTIONS)


def test_the_split_validator_reports_what_pyshacl_reports(invalid_graph, shapes, reference) -> None:
    conforms, report, _text = shacl_sparql.validate(invalid_graph, shacl_graph=shapes, **OPTIONS)
    found = results_of(report, shapes)
    assert not conforms
    extra, missing = sorted(map(str, found - reference)), sorted(map(str, reference - found))
    assert found == reference, (extra, missing)
    fired = {(r[0], r[3]) for r in found}
    for name, _mutate, focus, component in CASES:
        assert (URIRef(focus).n3(), SH[component.split(":")[1]].n3()) in fired, name


def test_the_store_only_path_reports_what_pyshacl_reports(invalid_graph, shapes, reference) -> None:
    """As the build runs it: no rdflib copy of the data; the screened focus nodes are read
    back from the store with their surroundings (shacl_core.neighbourhood)."""
    backend = OxigraphBackend.from_graph(invalid_graph)
    conforms, report, _text = shacl_sparql.validate(
        None, shacl_graph=shapes, backend=backend, **OPTIONS
    )
    found = results_of(report, shapes)
    assert not conforms
    extra, missing = sorted(map(str, found - reference)), sorted(map(str, reference - found))
    assert found == reference, (extra, missing)


def _screened(graph: Graph, shapes: Graph) -> set[Node] | None:
    """Every screened candidate, whatever shape found it."""
    backend = OxigraphBackend.from_graph(graph)
    split = shacl_sparql.plan(shapes)
    for shape, nodes in shacl_sparql.target_nodes(split, backend).items():
        for node in nodes:
            split.core.add((shape, SH.targetNode, node))
    found = shacl_core.candidates(
        shapes, split.core, backend, shacl_sparql._target_pattern, shacl_sparql._prologue
    )
    return None if found is None else {n for nodes in found.values() for n in nodes}


def test_every_shape_is_screened_on_the_store(loaded, shapes, invalid_graph, reference) -> None:
    """No shape falls back to pySHACL over all its targets: the real data leaves no candidate
    (pySHACL does not run), and the invalid cases leave few, among them every failing node."""
    assert _screened(loaded.graph, shapes) == set()
    found = _screened(invalid_graph, shapes)
    assert found is not None
    failing = {r[0] for r in reference if r[3] != SH.SPARQLConstraintComponent.n3()}
    screened = {node.n3() for node in found}
    assert failing <= screened
    assert len(screened) < 3 * len(failing), sorted(screened - failing)


def test_most_sparql_constraints_run_on_the_store(shapes) -> None:
    plan = shacl_sparql.plan(shapes)
    left = list(plan.core.subject_objects(SH.sparql))
    assert plan.constraints and plan.targets
    assert left == [], f"SPARQL constraints left to pySHACL: {left}"


def test_messages_name_the_row_values() -> None:
    """{?var} and {$var} in sh:message take the solution's values, taken literally (a backslash
    in a value is not a regular-expression escape)."""
    data = Graph()
    thing = URIRef("https://example.org/thing")
    data.add((thing, RDF.type, URIRef("https://example.org/Thing")))
    shapes = Graph().parse(
        data=r"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
          sh:sparql [ sh:message "{$this} is bad: {?value} and {?extra}" ;
            sh:select '''SELECT $this ?value ?extra WHERE { $this a ?value .
              BIND("x\\\\1" AS ?extra) }''' ] .
        """,
        format="turtle",
    )
    conforms, results, _t = shacl_sparql.validate(data, shacl_graph=shapes, **OPTIONS)
    messages = {str(m) for m in results.objects(None, SH.resultMessage)}
    assert not conforms
    assert messages == {"https://example.org/thing is bad: https://example.org/Thing and x\\1"}
