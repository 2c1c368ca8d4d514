"""Which rows of a whole-graph query a change can alter: the ?this values near what changed.

A check such as untyped-subject reads every statement through a variable predicate, so every
edit is "something it reads"; re-running it on the whole graph costs seconds at a million
triples. But its rows for one ?this depend only on statements about that ?this. More
generally, a query is *anchored* when every triple pattern is tied to ?this by a chain of
patterns that must all match in the same solution (`anchor`): a changed statement that matches
a pattern can then only alter the rows of the ?this values reached by walking that pattern's
chain back from the changed statement, through the data (`Anchor.affected`). Those rows are
computed again (the query with `VALUES ?this { ... }`, `with_values`) and the others kept.

The chains are scoped as SPARQL evaluates the algebra: a pattern inside an OPTIONAL, a UNION
branch, a MINUS or a FILTER (NOT) EXISTS may lean on the chains of the group around it, never
the other way round (a variable bound only in an OPTIONAL may be unbound, and then a later
pattern matches it freely). Whatever the analysis does not know (sub-selects or aggregates that
do not keep ?this, LIMIT, GRAPH, SERVICE, a property path other than a fixed predicate, an
alternative, an inverse or `a/rdfs:subClassOf*`) makes the query not anchored: it is re-run
whole, as before. Statements the analysis treats as fixed (rdfs:subClassOf* paths) are schema:
a change to schema is a full validation (validation_cache rule 2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef, Variable
from rdflib.namespace import RDF, RDFS
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.term import Node

from .namespaces import bind_prefixes
from .sparql_text import body_start
from .store import to_oxigraph

LIMIT = 2_000  # more ?this values than this: re-run the query whole (cheaper than VALUES)
_THIS = "this"
_SCHEMA = frozenset(str(p) for p in (RDFS.subClassOf, RDFS.subPropertyOf))


class NotAnchored(Exception):
    """The query is outside what the analysis knows."""


@dataclass(frozen=True)
class Pattern:
    """One triple pattern: each end a variable name or a constant (None: any value, the class
    of `a/rdfs:subClassOf*`); `predicates` None when the predicate is a variable."""

    subject: str | ox.NamedNode | ox.Literal | None
    predicates: frozenset[str] | None
    object: str | ox.NamedNode | ox.Literal | None

    def matches(self, triple: ox.Triple) -> bool:
        if self.predicates is not None and triple.predicate.value not in self.predicates:
            return False
        for end, term in ((self.subject, triple.subject), (self.object, triple.object)):
            if end is not None and not isinstance(end, str) and end != term:
                return False
        return True


@dataclass(frozen=True)
class Step:
    """A variable is bound next to `origin` (already tied to ?this) through `pattern`;
    `forward`: the variable is the pattern's object."""

    origin: str
    pattern: Pattern
    forward: bool


Chains = dict[str, Step | None]  # variable -> how it is tied to ?this (None: it is ?this)
Neighbours = Callable[[object, frozenset[str] | None, bool], Iterable[object]]


@dataclass
class Anchor:
    """Every triple pattern of a query with the chains valid where it stands."""

    patterns: list[tuple[Pattern, Chains]]

    def affected(self, changed: Iterable[ox.Triple], neighbours: Neighbours) -> set[object] | None:
        """The ?this values whose rows `changed` statements may alter; None when they cannot be
        bounded (re-run the whole query). `neighbours(node, predicates, incoming)` gives the
        nodes one statement away in the data (old and new versions)."""
        found: set[object] = set()
        for triple in changed:
            for pattern, chains in self.patterns:
                if not pattern.matches(triple):
                    continue
                ends = [
                    (end, value)
                    for end, value in (
                        (pattern.subject, triple.subject),
                        (pattern.object, triple.object),
                    )
                    if isinstance(end, str) and end in chains
                ]
                best: set[object] | None = None
                for end, value in ends:
                    reached = _walk(end, value, chains, neighbours)
                    if reached is not None and (best is None or len(reached) < len(best)):
                        best = reached
                if best is None:
                    return None
                found |= best
                if len(found) > LIMIT:
                    return None
        return found


def _walk(
    variable: str, value: object, chains: Chains, neighbours: Neighbours
) -> set[object] | None:
    values = {value}
    seen: set[str] = set()
    while chains[variable] is not None:
        step = chains[variable]
        assert step is not None
        if variable in seen:
            return None
        seen.add(variable)
        found: set[object] = set()
        for node in values:
            found.update(neighbours(node, step.pattern.predicates, step.forward))
            if len(found) > LIMIT:
                return None
        values, variable = found, step.origin
    return values


def anchor(query: str) -> Anchor | None:
    """The query's patterns and chains, or None when it is not anchored at a projected ?this."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        algebra = prepareQuery(query, initNs=dict(bind_prefixes(Graph()).namespaces())).algebra
    except Exception:  # rdflib raises many types; unknown means "not anchored"
        return None
    found: dict[int, tuple[Pattern, Chains]] = {}
    try:
        if algebra.get("datasetClause"):
            raise NotAnchored("FROM")
        bound, _ = _scope(algebra["p"], set(), {}, found)
    except NotAnchored:
        return None
    if _THIS not in bound:
        return None
    return Anchor(list(found.values()))


def _scope(
    node: object, bound: set[str], chains: Chains, found: dict[int, tuple[Pattern, Chains]]
) -> tuple[set[str], Chains]:
    """The variables certainly bound in `node`'s solutions and their chains, given those of
    the group around it; records each triple pattern with the chains valid there."""
    name = getattr(node, "name", None)
    if name == "BGP":
        return _bgp(node["triples"], bound, chains, found)  # type: ignore[index]
    if name == "Join":
        b1, c1 = _scope(node["p1"], bound, chains, found)  # type: ignore[index]
        b2, c2 = _scope(node["p2"], bound | b1, c1, found)  # type: ignore[index]
        return _scope(node["p1"], bound | b2, c2, found)  # type: ignore[index]  # richer chains
    if name == "LeftJoin":
        b1, c1 = _scope(node["p1"], bound, chains, found)  # type: ignore[index]
        b2, c2 = _scope(node["p2"], b1, c1, found)  # type: ignore[index]
        _expression(node.get("expr"), b2, c2, found)  # type: ignore[union-attr]
        return b1, c1
    if name == "Filter":
        b1, c1 = _scope(node["p"], bound, chains, found)  # type: ignore[index]
        _expression(node["expr"], b1, c1, found)  # type: ignore[index]
        return b1, c1
    if name == "Union":
        b1, c1 = _scope(node["p1"], bound, chains, found)  # type: ignore[index]
        b2, c2 = _scope(node["p2"], bound, chains, found)  # type: ignore[index]
        both = b1 & b2
        kept = {v: s for v, s in chains.items() if c1.get(v, 0) == s and c2.get(v, 0) == s}
        if _THIS in both:
            kept[_THIS] = None
        return both, kept
    if name == "Minus":
        b1, c1 = _scope(node["p1"], bound, chains, found)  # type: ignore[index]
        b2, _ = _scope(node["p2"], set(), {}, found)  # type: ignore[index]
        if _THIS not in b1 or _THIS not in b2:
            raise NotAnchored("MINUS not joined on ?this")
        return b1, c1
    if name == "Extend":
        b1, c1 = _scope(node["p"], bound, chains, found)  # type: ignore[index]
        _expression(node["expr"], b1, c1, found)  # type: ignore[index]
        return b1 | {str(node["var"])}, c1  # type: ignore[index]
    if name == "Project":
        projected = {str(v) for v in node["PV"]}  # type: ignore[index]
        if _THIS not in projected:
            raise NotAnchored("?this not projected")
        b1, c1 = _scope(node["p"], set(), {}, found)  # type: ignore[index]  # its own scope
        b = b1 & projected
        return b, ({_THIS: None} if _THIS in b else {})
    if name == "Group":
        keys = node.get("expr")  # type: ignore[union-attr]
        if not keys or Variable(_THIS) not in keys:
            raise NotAnchored("grouped without ?this")
        b1, c1 = _scope(node["p"], bound, chains, found)  # type: ignore[index]
        return b1 & {str(k) for k in keys if isinstance(k, Variable)}, c1
    if name in ("Distinct", "Reduced", "OrderBy", "ToMultiSet", "AggregateJoin"):
        return _scope(node["p"], bound, chains, found)  # type: ignore[index]
    if name == "values":
        rows = node["res"]  # type: ignore[index]
        always = set.intersection(*({str(v) for v in row} for row in rows)) if rows else set()
        return bound | always, chains
    raise NotAnchored(str(name))


def _expression(
    expr: object, bound: set[str], chains: Chains, found: dict[int, tuple[Pattern, Chains]]
) -> None:
    """FILTER (NOT) EXISTS groups inside an expression, evaluated with the row's bindings."""
    name = getattr(expr, "name", None)
    if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        _scope(expr["graph"], bound, chains, found)  # type: ignore[index]
        return
    if isinstance(expr, dict):
        for key, value in expr.items():
            if key != "_vars":
                _expression(value, bound, chains, found)
    elif isinstance(expr, list | tuple):
        for item in expr:
            _expression(item, bound, chains, found)


def _bgp(
    triples: list[tuple[Node, Node, Node]],
    bound: set[str],
    chains: Chains,
    found: dict[int, tuple[Pattern, Chains]],
) -> tuple[set[str], Chains]:
    patterns: list[tuple[int, Pattern | None]] = []
    names: set[str] = set()
    for triple in triples:
        s, p, o = triple
        patterns.append((id(triple), _pattern(s, p, o)))
        names |= {str(t) for t in (s, p, o) if isinstance(t, Variable)}
    chains = dict(chains)
    if _THIS in names | bound:
        chains.setdefault(_THIS, None)
    grew = True
    while grew:  # breadth first: each variable tied by its shortest chain
        grew = False
        for _, pattern in patterns:
            if pattern is None:
                continue
            s, o = pattern.subject, pattern.object
            if isinstance(s, str) and s in chains and isinstance(o, str) and o not in chains:
                chains[o] = Step(s, pattern, True)
                grew = True
            elif isinstance(o, str) and o in chains and isinstance(s, str) and s not in chains:
                chains[s] = Step(o, pattern, False)
                grew = True
    for key, pattern in patterns:
        if pattern is not None:
            found[key] = (pattern, dict(chains))
    return bound | names, chains


def _pattern(s: Node, p: object, o: Node) -> Pattern | None:
    """A triple pattern as a Pattern; None for schema (fixed during an incremental run)."""
    if isinstance(p, Variable):
        return Pattern(_end(s), None, _end(o))
    if isinstance(p, URIRef):
        return None if str(p) in _SCHEMA else Pattern(_end(s), frozenset({str(p)}), _end(o))
    if isinstance(p, MulPath) and str(p.path) in _SCHEMA:
        return None
    if (
        isinstance(p, SequencePath)
        and len(p.args) == 2
        and p.args[0] == RDF.type
        and isinstance(p.args[1], MulPath)
        and p.args[1].path == RDFS.subClassOf
    ):
        return Pattern(
            _end(s), frozenset({str(RDF.type)}), None if not isinstance(o, Variable) else _end(o)
        )
    if isinstance(p, InvPath):
        inner = _pattern(o, p.arg, s)
        if inner is None:
            raise NotAnchored("inverse schema path")
        return inner
    if isinstance(p, AlternativePath) and all(isinstance(a, URIRef) for a in p.args):
        return Pattern(_end(s), frozenset(str(a) for a in p.args), _end(o))
    raise NotAnchored(f"path {p}")


def _end(term: Node) -> str | ox.NamedNode | ox.Literal:
    if isinstance(term, Variable):
        return str(term)
    converted = to_oxigraph(term)
    if isinstance(converted, ox.BlankNode):
        raise NotAnchored("blank node in a pattern")
    return converted


def with_values(query: str, nodes: Iterable[object]) -> str:
    """The query with `VALUES ?this { ... }` first in its WHERE group (joined with it)."""
    start = body_start(query)
    values = " ".join(str(n) for n in sorted(nodes, key=str))
    return f"{query[:start]} VALUES ?this {{ {values} }} {query[start:]}"


__all__ = ["Anchor", "Pattern", "anchor", "with_values"]
