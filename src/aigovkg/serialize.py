"""Canonical serialisations: the same graph always gives the same bytes.

Two writers, for two jobs. The dumps (N-Triples, Turtle, JSON-LD, N-Quads) are written by
pyoxigraph's serialisers from the build's pyoxigraph triples: statements are sorted as
N-Triples lines, so pyoxigraph's streaming Turtle and JSON-LD writers group each subject's
statements together, and nothing is copied into rdflib. `to_turtle` (rdflib's pretty Turtle, with
nested blank nodes and lists) stays for what people read and edit: `aigovkg fmt`'s canonical
source form, VoID, DCAT and small query results.

Blank nodes (only the ontology's OWL axioms use them) get labels derived from the graph's
structure (RDFC-style hashing via rdflib.compare, on the statements that touch a blank node
only), so neither parse order nor PYTHONHASHSEED changes the output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox
from isal import igzip
from rdflib import BNode, Graph
from rdflib.compare import _TripleCanonicalizer

from .errors import CanonicalisationTooCostly
from .namespaces import PREFIXES, bind_prefixes
from .store import to_oxigraph, to_rdflib

# rdflib's canonicalisation refines blank-node colours, then, while some nodes still look alike,
# tries each in turn (exponential on symmetric graphs: eight blank-node triangles run for
# minutes). Every source file of the project needs one refinement; two look-alike triangles need
# 22. The budget bounds the search by work done, not by time, so a machine's speed cannot change
# the outcome; on the eight triangles it is exhausted in under a second.
REFINEMENT_BUDGET = 1000
GZIP_LEVEL = 2  # ISA-L's levels are 0-3; see gzip_bytes


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


def has_blank_node(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def canonical_labels(triples: Iterable[ox.Triple], tag: str = "") -> list[ox.Triple]:
    """The statements with blank-node labels that depend only on the graph's content.

    Statements without a blank node pass through as they are (no copy of the graph is made);
    only those touching one go through rdflib's budgeted canonicalisation, whose labels depend
    only on them. `tag` is put in front of every label (see `nquads`). Raises
    CanonicalisationTooCostly (without a file: callers add it) on pathological blank nodes.
    """
    result: list[ox.Triple] = []
    with_bnodes = Graph()
    for triple in triples:
        if has_blank_node(triple):
            with_bnodes.add(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
            )  # type: ignore[arg-type]
        else:
            result.append(triple)
    if len(with_bnodes):
        for s, p, o in canonical_triples(with_bnodes):
            s, o = (BNode(tag + t) if isinstance(t, BNode) else t for t in (s, o))
            result.append(ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)))  # type: ignore[arg-type]
    return result


def _sorted_lines(data: bytes) -> bytes:
    """N-Triples or N-Quads lines sorted and unique (byte order: no locale, no hash seed)."""
    lines = sorted({line for line in data.splitlines() if line.strip()})
    return b"\n".join(lines) + b"\n" if lines else b""


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    """Canonical N-Triples, one statement a line, lines sorted and unique. The statements'
    blank nodes must already carry canonical labels (`canonical_labels`)."""
    return _sorted_lines(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))


def _in_order(sorted_ntriples: bytes) -> Iterator[ox.Quad]:
    """The statements of a sorted N-Triples document, in its order: each subject's statements
    come together, so the streaming writers below group them. Handed from the parser to the
    writer as they are (quads in the default graph), without a Python step per statement."""
    return ox.parse(sorted_ntriples, format=ox.RdfFormat.N_TRIPLES)


def turtle(sorted_ntriples: bytes) -> bytes:
    """Turtle with every project prefix declared (sorted), subjects and predicates sorted."""
    prefixes = dict(sorted(PREFIXES.items()))
    return ox.serialize(_in_order(sorted_ntriples), format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def jsonld(sorted_ntriples: bytes) -> bytes:
    """Expanded JSON-LD (pyoxigraph's writer), nodes in subject order, one line."""
    return ox.serialize(_in_order(sorted_ntriples), format=ox.RdfFormat.JSON_LD) + b"\n"


def nquads(parts: Mapping[str, Iterable[ox.Triple]]) -> bytes:
    """N-Quads with one named graph per source file, lines sorted.

    Each part is canonicalised on its own and its blank-node labels are prefixed with a digest of
    the graph name: a blank node never spans files in Turtle, and the prefix keeps two files'
    look-alike nodes from merging when a harvester loads the union.
    """
    chunks: list[bytes] = []
    for name, triples in parts.items():
        tag = "g" + hashlib.sha256(name.encode()).hexdigest()[:8]
        part = ox.serialize(canonical_labels(triples, tag), format=ox.RdfFormat.N_TRIPLES)
        # Each N-Triples line ends in " .\n" (a newline inside a literal is written \n), so
        # naming the graph before it makes the N-Quads line: no Python object per statement.
        graph = str(ox.NamedNode(name)).encode()
        chunks.append(part.replace(b" .\n", b" " + graph + b" .\n"))
    return _sorted_lines(b"".join(chunks))


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no file name and a zero timestamp, so the same input gives the same bytes.

    Written by ISA-L (python-isal's igzip), a gzip stream any gunzip reads: at a million
    statements zlib at level 6 took about 7 s of CPU for the four dumps (24-38 s on the loaded
    machine), ISA-L at level 2 0.5 s, for files about 18% larger (zlib's level 9 took three
    times level 6 for 1-2% smaller files). The same ISA-L version gives the same bytes; the
    checksums change with the library, as they would with zlib's."""
    return igzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
