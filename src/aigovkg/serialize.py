"""Canonical serialisations: the same graph always gives the same bytes.

Blank nodes (only the ontology's OWL axioms use them) get labels derived from the graph's
structure (RDFC-style hashing via rdflib.compare), so neither parse order nor PYTHONHASHSEED
changes the output. N-Triples lines are sorted; Turtle subjects and predicates are sorted by
rdflib's serializer; JSON-LD nodes are sorted by @id and keys are sorted.
"""

from __future__ import annotations

import json

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from .namespaces import PREFIXES, bind_prefixes


def canonical(graph: Graph) -> Graph:
    """A copy whose blank-node labels depend only on the graph's content."""
    has_bnodes = any(isinstance(term, BNode) for triple in graph for term in triple)
    result = bind_prefixes(Graph())
    for triple in to_canonical_graph(graph) if has_bnodes else graph:
        result.add(triple)
    return result


def to_turtle(graph: Graph, *, is_canonical: bool = False) -> str:
    """Turtle with the project's prefixes, subjects and predicates in sorted order."""
    text = (graph if is_canonical else canonical(graph)).serialize(format="turtle")
    return _sorted_prefix_block(text)


def _sorted_prefix_block(text: str) -> str:
    lines = text.splitlines()
    prefixes = sorted(line for line in lines if line.startswith("@prefix"))
    body = [line for line in lines if not line.startswith("@prefix")]
    while body and not body[0].strip():
        body.pop(0)
    return "\n".join([*prefixes, "", *body]).rstrip("\n") + "\n"


def to_ntriples(graph: Graph, *, is_canonical: bool = False) -> str:
    """N-Triples, one statement a line, lines sorted and unique."""
    text = (graph if is_canonical else canonical(graph)).serialize(format="nt")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def to_jsonld(graph: Graph, *, is_canonical: bool = False) -> str:
    """JSON-LD compacted with the project's prefixes, nodes sorted by @id, keys sorted."""
    used = _used_prefixes(graph)
    source = graph if is_canonical else canonical(graph)
    text = source.serialize(format="json-ld", context=used, auto_compact=True)
    document = json.loads(text)
    nodes = document.get("@graph", [])
    if isinstance(nodes, list):
        for node in nodes:
            _sort_values(node)
        nodes.sort(key=lambda node: str(node.get("@id", "")))
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _used_prefixes(graph: Graph) -> dict[str, str]:
    iris = {str(term) for triple in graph for term in triple}
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def _sort_values(node: dict) -> None:
    for key, value in node.items():
        if isinstance(value, list):
            node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
