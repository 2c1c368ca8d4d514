"""Canonical serialisations: the same graph always gives the same bytes.

Blank nodes (only the ontology's OWL axioms use them) get labels derived from the graph's
structure (RDFC-style hashing via rdflib.compare), so neither parse order nor PYTHONHASHSEED
changes the output. N-Triples lines are sorted; Turtle subjects and predicates are sorted by
rdflib's serializer; JSON-LD nodes are sorted by @id and keys are sorted.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Mapping

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import _TripleCanonicalizer

from .errors import CanonicalisationTooCostly
from .namespaces import PREFIXES, bind_prefixes

# rdflib's canonicalisation refines blank-node colours, then, while some nodes still look alike,
# tries each in turn (exponential on symmetric graphs: eight blank-node triangles run for
# minutes). Every source file of the project needs one refinement; two look-alike triangles need
# 22. The budget bounds the search by work done, not by time, so a machine's speed cannot change
# the outcome; on the eight triangles it is exhausted in under a second.
REFINEMENT_BUDGET = 1000


class _BudgetedCanonicalizer(_TripleCanonicalizer):
    """rdflib's canonicaliser with a bound on the number of colour refinements.

    `_refine` is private to rdflib: if a new rdflib stops calling it, tests/test_loader.py fails
    (its triangle cases check the error and the time, the command-line ones under a timeout).
    """

    def __init__(self, graph: Graph, budget: int) -> None:
        super().__init__(graph)
        self.remaining = budget

    def _refine(self, coloring, sequence):  # type: ignore[no-untyped-def]
        self.remaining -= 1
        if self.remaining < 0:
            raise CanonicalisationTooCostly(len(self.graph))
        return super()._refine(coloring, sequence)


def canonical_triples(graph: Graph, budget: int = REFINEMENT_BUDGET) -> Graph:
    """The blank-node triples of `graph` with canonical labels; raises CanonicalisationTooCostly
    when telling the blank nodes apart would take more than `budget` refinements."""
    result = Graph()
    for triple in _BudgetedCanonicalizer(graph, budget).canonical_triples():
        result.add(triple)
    return result


def canonical(graph: Graph) -> Graph:
    """A copy whose blank-node labels depend only on the graph's content.

    Only the triples that touch a blank node go through rdflib's canonicalisation: its cost
    grows with the whole graph (minutes at ten thousand triples), while the labels it assigns
    depend only on those triples, so the result is the same canonical form, in a second.
    Raises CanonicalisationTooCostly (without a file: callers add it) on pathological blank nodes.
    """
    result = bind_prefixes(Graph())
    with_bnodes = Graph()
    for triple in graph:
        if any(isinstance(term, BNode) for term in triple):
            with_bnodes.add(triple)
        else:
            result.add(triple)
    if len(with_bnodes):
        for triple in canonical_triples(with_bnodes):
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


def to_nquads(parts: Mapping[URIRef, Graph]) -> str:
    """N-Quads with one named graph per source file, lines sorted.

    Each part is canonicalised on its own and its blank-node labels are prefixed with a digest of
    the graph name: a blank node never spans files in Turtle, and the prefix keeps two files'
    look-alike nodes from merging when a harvester loads the union.
    """
    dataset = Dataset()
    for name, part in parts.items():
        tag = hashlib.sha256(str(name).encode()).hexdigest()[:8]
        target = dataset.graph(name)
        for triple in canonical(part):
            target.add(
                tuple(BNode(f"g{tag}{t}") if isinstance(t, BNode) else t for t in triple)  # type: ignore[arg-type]
            )
    text = dataset.serialize(format="nquads")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no file name and a zero timestamp, so the same input gives the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buffer.getvalue()
