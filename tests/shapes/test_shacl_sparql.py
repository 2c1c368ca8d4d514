"""The split validator (SPARQL constraints on the store, core constraints in pySHACL) reports
exactly what pySHACL alone reports, on the data with every invalid case of test_shapes applied.

One graph carries all the cases at once, so the slow reference run (pySHACL evaluating every
SPARQL constraint per focus node) happens once for the whole comparison. Validation of some
focus nodes only (`validate PATH`) is compared with this full report, filtered, in
tests/test_validation.py.
"""

from __future__ import annotations

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from aigovkg import shacl_sparql
from aigovkg.namespaces import SH

from .test_shapes import CASES

OPTIONS = {"inference": "none", "advanced": True, "allow_warnings": True, "inplace": False}
Result = tuple[Node | None, ...]


def _results(results: Graph) -> set[tuple[object, ...]]:
    """Each sh:ValidationResult as comparable values (its own blank node left out)."""
    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        found.add(
            (
                results.value(result, SH.focusNode),
                results.value(result, SH.resultPath),
                results.value(result, SH.value),
                results.value(result, SH.sourceConstraintComponent),
                results.value(result, SH.sourceShape),
                results.value(result, SH.sourceConstraint),
                results.value(result, SH.resultSeverity),
                frozenset(str(m) for m in results.objects(result, SH.resultMessage)),
            )
        )
    return found


@pytest.fixture(scope="module")
def invalid_graph(loaded) -> Graph:
    graph = Graph()
    for triple in loaded.graph:
        graph.add(triple)
    for _name, mutate, _focus, _component in CASES:
        mutate(graph)
    return graph


@pytest.fixture(scope="module")
def reference(invalid_graph, shapes) -> set[tuple[object, ...]]:
    _conforms, results, _text = pyshacl_validate(invalid_graph, shacl_graph=shapes, **OPTIONS)
    return _results(results)


def test_the_split_validator_reports_what_pyshacl_reports(invalid_graph, shapes, reference) -> None:
    conforms, results, _text = shacl_sparql.validate(invalid_graph, shacl_graph=shapes, **OPTIONS)
    found = _results(results)
    assert not conforms
    extra, missing = sorted(map(str, found - reference)), sorted(map(str, reference - found))
    assert found == reference, (extra, missing)
    fired = {(str(r[0]), r[3]) for r in found}
    for name, _mutate, focus, component in CASES:
        assert (focus, SH[component.split(":")[1]]) in fired, name


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
