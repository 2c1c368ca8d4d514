"""Every shape is a named aigovsh: IRI, so a violation names the shape that fired (a blank node
would print as an opaque, per-run label nobody can look up in shapes/)."""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from aigovkg.namespaces import AIGOV, INSTRUMENT, SUMMIT
from aigovkg.validation import run_shacl

SHAPES_NS = "https://w3id.org/aigovkg/shapes#"
# Predicates whose values are shapes (SHACL 1.0 sections 2.1 and 4.7-4.8). The members of
# sh:or/sh:and lists are constraint pieces reported through the shape that holds them.
SHAPE_VALUED = (SH.property, SH.node, SH.qualifiedValueShape, SH["not"])


def _shapes_in(shapes: Graph) -> set:
    found = set(shapes.subjects(RDF.type, SH.NodeShape))
    found |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    for predicate in SHAPE_VALUED:
        found |= set(shapes.objects(None, predicate))
    return found


def test_no_blank_node_shapes(shapes: Graph) -> None:
    found = _shapes_in(shapes)
    assert len(found) > 100, "the shapes graph was read"
    blank = [
        sorted(f"{p.n3(shapes.namespace_manager)}" for p in shapes.predicates(node))
        for node in found
        if isinstance(node, BNode)
    ]
    assert blank == [], "shapes without an IRI (their predicates)"
    outside = sorted(str(n) for n in found if not str(n).startswith(SHAPES_NS))
    assert outside == []


def test_each_property_shape_belongs_to_one_node_shape(shapes: Graph) -> None:
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        owners = list(shapes.subjects(SH.property, shape))
        assert len(owners) == 1, (shape, owners)
        assert shapes.value(shape, SH.path) is not None, shape


def test_a_violation_names_its_shape(graph: Graph, shapes: Graph) -> None:
    bletchley = INSTRUMENT["bletchley-declaration"]
    graph.add((bletchley, AIGOV.signatory, SUMMIT["ai-seoul-summit-2024"]))  # not a party
    report = run_shacl(graph, shapes, focus_nodes=[bletchley])
    fired = {(v.component, v.shape) for v in report.violations if v.focus == str(bletchley)}
    assert ("sh:ClassConstraintComponent", "aigovsh:InstrumentShape-signatory") in fired, fired
    assert all(v.shape and v.shape.startswith("aigovsh:") for v in report.violations), [
        v.shape for v in report.violations
    ]
