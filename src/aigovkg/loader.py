"""Parse the hand-edited Turtle files with pyoxigraph, remembering which file said what.

pyoxigraph parses about twenty times faster than rdflib and hands the build terms its own
serialisers and store take as they are, so the dumps and the build's queries never go through
rdflib. pyshacl (core constraints) and owlready2 still need a plain in-memory rdflib Graph
(over an oxrdflib-backed graph pyshacl reported hundreds of false violations): `LoadedGraph.graph`
builds it from the parsed terms the first time it is asked for, each distinct term converted
once. The per-subject file map lets a SHACL violation name the file to fix.

`parse_turtle` (rdflib) stays for `aigovkg fmt`: rewriting a hand-edited file must keep what its
author typed (pyoxigraph lower-cases language tags, `@zh-Hant` -> `@zh-hant`, which RDF allows
but a diff of a source file should not show).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.term import Node

from .errors import BlankNodeInData, CanonicalisationTooCostly, TurtleSyntaxError
from .namespaces import bind_prefixes
from .serialize import canonical_triples, has_blank_node
from .sources import is_data_file
from .store import memoized, to_oxigraph, to_rdflib


def parse_turtle(path: Path) -> Graph:
    """One file as an rdflib Graph (for `fmt`); a syntax error names the file and the line.

    A file in a source tree's data/ may not use blank nodes (BlankNodeInData, naming the line).
    """
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad input
        line, detail = _error_location(exc)
        raise TurtleSyntaxError(path, line, detail) from exc
    if is_data_file(path) and _has_blank_nodes(graph):
        _refuse_blank_nodes(path)
    return graph


def parse_triples(path: Path) -> list[ox.Triple]:
    """One file's statements as pyoxigraph triples; errors as `parse_turtle`'s.

    Blank nodes get labels unique to this parse (as rdflib's parser gives them), so two files'
    `_:a` stay two nodes in the union. No base IRI: a relative IRI is a syntax error naming its
    line, rather than a file: IRI that would differ between checkouts.
    """
    try:
        triples = [
            quad.triple
            for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True)
        ]
    except SyntaxError as exc:  # pyoxigraph's carries the 1-based line
        raise TurtleSyntaxError(path, exc.lineno, exc.msg) from exc
    except (OSError, ValueError) as exc:
        raise TurtleSyntaxError(path, None, str(exc)) from exc
    if is_data_file(path) and any(has_blank_node(t) for t in triples):
        _refuse_blank_nodes(path)
    return triples


def _refuse_blank_nodes(path: Path) -> None:
    line, token = blank_node_syntax(path.read_text(encoding="utf-8"))
    raise BlankNodeInData(path, line, f"`{token}`" if token else "an anonymous node")


def _has_blank_nodes(graph: Graph) -> bool:
    return any(isinstance(term, BNode) for triple in graph for term in triple)


def blank_node_syntax(text: str) -> tuple[int | None, str | None]:
    """The 1-based line and token of the first blank node in Turtle text (`_:x`, `[`, or a
    list's `(`), skipping comments, IRIs and strings; (None, None) when there is none."""
    i, line, n = 0, 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        elif ch == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif ch == "<":
            end = text.find(">", i)
            i = n if end < 0 else end + 1
            continue
        elif ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                if text[i] == "\n":
                    line += 1
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        elif text.startswith("_:", i):
            end = i + 2
            while end < n and (text[end].isalnum() or text[end] in "_-."):
                end += 1
            return line, text[i:end].rstrip(".")
        elif ch in "[(":
            return line, ch
        i += 1
    return None, None


def _error_location(exc: Exception) -> tuple[int | None, str]:
    args = getattr(exc, "args", ())
    # rdflib's notation3 BadSyntax(uri, lines, argstr, i, why): `lines` counts newlines before
    # the error, so the 1-based line is lines + 1.
    if type(exc).__name__ == "BadSyntax" and len(args) >= 5:
        return int(args[1]) + 1, str(args[4])
    return None, str(exc) or type(exc).__name__


class RdflibTerms:
    """pyoxigraph terms as rdflib terms, each distinct term converted once and then shared (a
    million-triple graph repeats its predicates, classes and subjects over and over).

    Literals are built as rdflib's own parser builds them (lexical forms normalised), so pyshacl
    sees the same values it saw when rdflib parsed the files. The memo is the query layer's
    (`store.memoized`), unbounded: a LoadedGraph keeps its terms as long as its graph.
    """

    def __init__(self) -> None:
        self._convert = memoized(partial(to_rdflib, normalize=True))

    def __call__(self, term: object) -> Node:
        return self._convert(term)  # type: ignore[return-value]

    def triple(self, triple: ox.Triple) -> tuple[Node, Node, Node]:
        return self(triple.subject), self(triple.predicate), self(triple.object)


@dataclass
class LoadedGraph:
    """The parsed files plus where each statement came from.

    `triples` keeps each file's own statements (pyoxigraph terms): the N-Quads dump publishes one
    named graph per source file, so a harvester can tell which file (and so which sources) a
    statement came from. `added` holds what the build adds (version statements, derived status).
    The rdflib views (`graph`, `parts`, `subject_files`) are built on first use only: validation
    needs them, the dumps and the build's queries do not.
    """

    files: list[Path] = field(default_factory=list)
    triples: dict[Path, list[ox.Triple]] = field(default_factory=dict)
    added: list[ox.Triple] = field(default_factory=list)
    terms: RdflibTerms = field(default_factory=RdflibTerms, repr=False)

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        """Add one rdflib statement to the union (and to `graph`, if it was built already)."""
        s, p, o = (to_oxigraph(term) for term in triple)
        self.added.append(ox.Triple(s, p, o))  # type: ignore[arg-type]
        if "graph" in self.__dict__:
            self.graph.add(triple)

    def union(self) -> Iterator[ox.Triple]:
        """Every statement of every file, then the added ones (duplicates possible)."""
        for triples in self.triples.values():
            yield from triples
        yield from self.added

    def __len__(self) -> int:
        """Distinct statements in the union."""
        return len(set(self.union()))

    @cached_property
    def graph(self) -> Graph:
        """The union as an rdflib Graph (pyshacl, owlready2, code that mutates a copy)."""
        graph = bind_prefixes(Graph())
        add = graph.store.add  # Graph.add's argument checks cost a third of the time
        for triple in self.union():
            add(self.terms.triple(triple), graph, quoted=False)
        return graph

    @cached_property
    def parts(self) -> dict[Path, Graph]:
        """Each file's statements as an rdflib Graph."""
        parts: dict[Path, Graph] = {}
        for path, triples in self.triples.items():
            part = parts[path] = Graph()
            for triple in triples:
                part.store.add(self.terms.triple(triple), part, quoted=False)
        return parts

    @cached_property
    def subject_files(self) -> dict[Node, list[Path]]:
        """rdflib subject -> the files in which it is a subject."""
        found: dict[Node, list[Path]] = {}
        for path, triples in self.triples.items():
            for subject in dict.fromkeys(t.subject for t in triples):
                found.setdefault(self.terms(subject), []).append(path)
        return found

    def files_of(self, node: Node) -> list[Path]:
        """The files in which `node` appears as a subject (where to fix a violation about it)."""
        return self.subject_files.get(node, [])


def check_blank_nodes(triples: list[ox.Triple]) -> None:
    """Raise CanonicalisationTooCostly (without a file) when the blank nodes of these statements
    cannot be told apart within serialize's work budget. Only the statements that touch a blank
    node are looked at (the ontology's class expressions and lists; data/ has none)."""
    terms = RdflibTerms()
    with_bnodes = Graph()
    for triple in triples:
        if has_blank_node(triple):
            with_bnodes.add(terms.triple(triple))
    if len(with_bnodes):
        canonical_triples(with_bnodes)


def load_files(paths: Iterable[Path]) -> LoadedGraph:
    """Parse every file (all errors stop the load: nothing is half-loaded).

    Each file's blank nodes are canonicalised once here, under serialize's work budget, so a
    pathological file stops validate and build in a second with its name, not in the dumps.
    """
    loaded = LoadedGraph()
    for path in paths:
        triples = parse_triples(path)
        try:
            check_blank_nodes(triples)  # fail here, naming the file, rather than hang in the build
        except CanonicalisationTooCostly as exc:
            raise exc.in_file(path) from None
        loaded.files.append(path)
        loaded.triples[path] = triples
    return loaded
