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

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, URIRef, Variable
from rdflib.namespace import RDF, RDFS
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.term import Node

from .namespaces import bind_prefixes
from .sparql_safety import this_values
from .sparql_text import body_start
from .store import to_oxigraph

if TYPE_CHECKING:  # the parser is imported only where a text is parsed (a CLI query never is)
    from rdflib.plugins.sparql.parserutils import CompValue

LIMIT = 2_000  # more ?this values than this: re-run the query whole (cheaper than VALUES)
_THIS = "this"
_SCHEMA = frozenset(str(p) for p in (RDFS.subClassOf, RDFS.subPropertyOf))


class NotAnchored(Exception):
    """The query is outside what the analysis knows."""


@dataclass(frozen=True)
class Pattern:
    """One triple pattern: each end a variable name or a constant (None: any value, the class
    of `a/rdfs:subClassOf*`); `predicates` None when the predicate is a variable, named by
    `predicate`."""

    subject: str | ox.NamedNode | ox.Literal | None
    predicates: frozenset[str] | None
    object: str | ox.NamedNode | ox.Literal | None
    predicate: str | None = None

    def matches(self, triple: ox.Triple) -> bool:
        if self.predicates is not None and triple.predicate.value not in self.predicates:
            return False
        for end, term in ((self.subject, triple.subject), (self.object, triple.object)):
            if end is not None and not isinstance(end, str) and end != term:
                return False
        return True

    def variables(self) -> dict[str, str]:
        """Position ("s", "p", "o") of each variable."""
        found = {"s": self.subject, "p": self.predicate, "o": self.object}
        return {v: k for k, v in reversed(found.items()) if isinstance(v, str)}

    def lookup(self, lookup: Lookup, at: str, value: object) -> Iterable[ox.Triple]:
        """The statements this pattern may match with `value` at position `at`."""
        if at == "p":
            return () if not isinstance(value, ox.NamedNode) else lookup(None, value, None)
        if at == "s" and isinstance(value, ox.Literal):
            return ()
        predicates: list[ox.NamedNode | None] = (
            [None]
            if self.predicates is None
            else [ox.NamedNode(p) for p in sorted(self.predicates)]
        )
        return itertools.chain.from_iterable(
            lookup(value, p, None) if at == "s" else lookup(None, p, value) for p in predicates
        )


@dataclass(frozen=True, eq=False)
class Step:
    """A variable at position `at` of `pattern` is tied to ?this through the variable at
    `origin_at`, itself tied by `origin` (None: it is ?this)."""

    origin: tuple[Step, ...] | None
    pattern: Pattern
    at: str
    origin_at: str


Alternatives = tuple[Step, ...] | None  # how a variable is tied to ?this (None: it is ?this)
Chains = dict[str, Alternatives]
Lookup = Callable[[object, object, object], Iterable[ox.Triple]]


def _position(triple: ox.Triple, at: str) -> object:
    return triple.subject if at == "s" else triple.predicate if at == "p" else triple.object


@dataclass
class Anchor:
    """Every triple pattern of a query with the chains valid where it stands."""

    patterns: list[tuple[Pattern, Chains]]

    def affected(self, changed: Iterable[ox.Triple], lookup: Lookup) -> set[object] | None:
        """The ?this values whose rows `changed` statements may alter; None when they cannot be
        bounded (re-run the whole query). `lookup(s, p, o)` gives the statements matching a
        pattern (None: any) in the old and the new version of the data."""
        found: set[object] = set()
        for triple in changed:
            for pattern, chains in self.patterns:
                if not pattern.matches(triple):
                    continue
                best: set[object] | None = None
                ends = [(v, at) for v, at in pattern.variables().items() if v in chains]
                ends.sort(key=lambda end: (_length(chains[end[0]]), end[1] == "p"))
                for variable, at in ends:  # the shortest chain first: usually the fewest nodes
                    best = _back(chains[variable], {_position(triple, at)}, lookup)
                    if best is not None:
                        break
                if best is None:
                    return None
                found |= best
                if len(found) > LIMIT:
                    return None
        return found

    def support(self, focus: Iterable[object], lookup: Lookup) -> set[ox.Triple] | None:
        """Every statement a solution with ?this in `focus` can match (schema statements are
        the caller's to add): the query restricted to `focus` gives the same rows on these
        statements as on the whole graph. None when they cannot be bounded."""
        start = frozenset(focus)
        memo: dict[int, set[object] | None] = {}
        found: set[ox.Triple] = set()
        for pattern, chains in self.patterns:
            ends = [(v, at) for v, at in pattern.variables().items() if v in chains]
            # The shortest chain, and never a predicate's statements (many) when there is a choice.
            ends.sort(key=lambda end: (end[1] == "p", _length(chains[end[0]])))
            if ends:
                variable, at = ends[0]
                values = _forward(chains[variable], start, lookup, memo)
                if values is None:
                    return None
            elif pattern.subject is not None and not isinstance(pattern.subject, str):
                values, at = {pattern.subject}, "s"
            elif pattern.object is not None and not isinstance(pattern.object, str):
                values, at = {pattern.object}, "o"
            else:
                return None
            for value in values:
                found.update(pattern.lookup(lookup, at, value))
                if len(found) > LIMIT * 50:
                    return None
        return found

    def to_json(self) -> dict:
        """A JSON form (validation_cache keeps it, so a new process does not parse the query)."""
        patterns: dict[Pattern, int] = {}
        steps: dict[int, int] = {}
        step_table: list[dict] = []

        def pattern(p: Pattern) -> int:
            if p not in patterns:
                patterns[p] = len(patterns)
            return patterns[p]

        def alternatives(a: Alternatives) -> list[int] | None:
            return None if a is None else [step(one) for one in a]

        def step(one: Step) -> int:
            if id(one) not in steps:
                origin = alternatives(one.origin)
                step_table.append(
                    {
                        "origin": origin,
                        "pattern": pattern(one.pattern),
                        "at": one.at,
                        "origin_at": one.origin_at,
                    }
                )
                steps[id(one)] = len(step_table) - 1
            return steps[id(one)]

        uses = [
            [pattern(p), {v: alternatives(a) for v, a in chains.items()}]
            for p, chains in self.patterns
        ]
        return {
            "patterns": [_pattern_json(p) for p in patterns],
            "steps": step_table,
            "uses": uses,
        }

    @classmethod
    def from_json(cls, data: dict) -> Anchor:
        patterns = [_pattern_from_json(p) for p in data["patterns"]]
        steps: list[Step] = []

        def alternatives(a: list[int] | None) -> Alternatives:
            return None if a is None else tuple(steps[i] for i in a)

        for one in data["steps"]:
            steps.append(
                Step(
                    alternatives(one["origin"]),
                    patterns[one["pattern"]],
                    one["at"],
                    one["origin_at"],
                )
            )
        return cls(
            [
                (patterns[p], {v: alternatives(a) for v, a in chains.items()})
                for p, chains in data["uses"]
            ]
        )


def _term_json(term: object) -> object:
    if term is None or isinstance(term, str):
        return term
    if isinstance(term, ox.NamedNode):
        return {"iri": term.value}
    assert isinstance(term, ox.Literal)
    return {"literal": term.value, "datatype": term.datatype.value, "language": term.language}


def _term_from_json(data: object) -> str | ox.NamedNode | ox.Literal | None:
    if data is None or isinstance(data, str):
        return data
    assert isinstance(data, dict)
    if "iri" in data:
        return ox.NamedNode(data["iri"])
    if data["language"]:
        return ox.Literal(data["literal"], language=data["language"])
    return ox.Literal(data["literal"], datatype=ox.NamedNode(data["datatype"]))


def _pattern_json(p: Pattern) -> list[object]:
    predicates = None if p.predicates is None else sorted(p.predicates)
    return [_term_json(p.subject), predicates, _term_json(p.object), p.predicate]


def _pattern_from_json(data: list) -> Pattern:
    subject, predicates, obj, predicate = data
    return Pattern(
        _term_from_json(subject),
        None if predicates is None else frozenset(predicates),
        _term_from_json(obj),
        predicate,
    )


def _length(alternatives: Alternatives) -> int:
    if alternatives is None:
        return 0
    return 1 + max(_length(step.origin) for step in alternatives)


def _back(alternatives: Alternatives, values: set[object], lookup: Lookup) -> set[object] | None:
    """The ?this values from which a variable tied by `alternatives` can take `values`."""
    if alternatives is None:
        return values
    found: set[object] = set()
    for step in alternatives:
        origins: set[object] = set()
        for value in values:
            for triple in step.pattern.lookup(lookup, step.at, value):
                origins.add(_position(triple, step.origin_at))
                if len(origins) > LIMIT:
                    return None
        reached = _back(step.origin, origins, lookup)
        if reached is None:
            return None
        found |= reached
    return found


def _forward(
    alternatives: Alternatives,
    start: frozenset[object],
    lookup: Lookup,
    memo: dict[int, set[object] | None],
) -> set[object] | None:
    """The values a variable tied by `alternatives` can take when ?this is in `start`."""
    if alternatives is None:
        return set(start)
    key = id(alternatives)
    if key in memo:
        return memo[key]
    found: set[object] | None = set()
    for step in alternatives:
        origins = _forward(step.origin, start, lookup, memo)
        if origins is None:
            found = None
            break
        assert found is not None
        for value in origins:
            for triple in step.pattern.lookup(lookup, step.origin_at, value):
                found.add(_position(triple, step.at))
        if len(found) > LIMIT * 5:
            found = None
            break
    memo[key] = found
    return found


@lru_cache(maxsize=256)
def algebra_of(query: str) -> CompValue | None:
    """rdflib's algebra of `query` with the project's prefixes, or None when rdflib cannot
    parse it. Parsed once for both analyses of a text (`anchor` here and what the cache says
    it reads, validation_cache.read_keys); both only read it."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(query, initNs=dict(bind_prefixes(Graph()).namespaces())).algebra
    except Exception:  # rdflib raises many types
        return None


def is_type_closure(path: object) -> bool:
    """`rdf:type/rdfs:subClassOf*`, the way queries ask for instances of a class."""
    return (
        isinstance(path, SequencePath)
        and len(path.args) == 2
        and path.args[0] == RDF.type
        and isinstance(path.args[1], MulPath)
        and path.args[1].path == RDFS.subClassOf
    )


@lru_cache(maxsize=256)
def anchor(query: str) -> Anchor | None:
    """The query's patterns and chains, or None when it is not anchored at a projected ?this
    (or cannot be parsed)."""
    algebra = algebra_of(query)
    if algebra is None:
        return None
    found: dict[object, tuple[Pattern, Chains]] = {}
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
    node: object, bound: set[str], chains: Chains, found: dict[object, tuple[Pattern, Chains]]
) -> tuple[set[str], Chains]:
    """The variables certainly bound in `node`'s solutions and their chains, given those of
    the group around it; records each triple pattern with the chains valid there."""
    name = getattr(node, "name", None)
    if name == "GroupGraphPatternSub":  # an EXISTS group rdflib left untranslated
        from rdflib.plugins.sparql.algebra import translateGroupGraphPattern

        return _scope(translateGroupGraphPattern(node), bound, chains, found)
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
        kept: Chains = {}
        for variable in c1.keys() & c2.keys():  # tied in either branch: one way or the other
            first, second = c1[variable], c2[variable]
            if first is None or second is None:
                if first is None and second is None:
                    kept[variable] = None
                continue
            kept[variable] = tuple(dict.fromkeys((*first, *second)))
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
        b1, _ = _scope(node["p"], set(), {}, found)  # type: ignore[index]  # its own scope
        b = b1 & projected
        return bound | b, ({**chains, _THIS: None} if _THIS in b else chains)
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
    expr: object, bound: set[str], chains: Chains, found: dict[object, tuple[Pattern, Chains]]
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
    found: dict[object, tuple[Pattern, Chains]],
) -> tuple[set[str], Chains]:
    patterns: list[tuple[tuple[int, int], Pattern | None]] = []
    names: set[str] = set()
    for triple in triples:
        s, p, o = triple
        for i, pattern in enumerate(_patterns(s, p, o, f"_{id(triple)}_")):
            patterns.append(((id(triple), i), pattern))
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
            ends = pattern.variables()
            origin = next((v for v in ends if v in chains and ends[v] != "p"), None)
            if origin is None:
                continue
            for variable, at in ends.items():
                if variable not in chains:
                    chains[variable] = (Step(chains[origin], pattern, at, ends[origin]),)
                    grew = True
    for key, pattern in patterns:
        if pattern is not None:
            found[key] = (pattern, dict(chains))
    return bound | names, chains


def _patterns(s: Node, p: object, o: Node, fresh: str) -> list[Pattern | None]:
    """A sequence path of fixed steps as its chain of patterns (through fresh variables)."""
    if isinstance(p, SequencePath) and _pattern_or_none(s, p, o) is None:
        ends: list[Node] = [s, *(Variable(f"{fresh}{i}") for i in range(len(p.args) - 1)), o]
        found: list[Pattern | None] = []
        for i, step in enumerate(p.args):
            found.extend(_patterns(ends[i], step, ends[i + 1], f"{fresh}{i}_"))
        return found
    return [_pattern(s, p, o)]


def _pattern_or_none(s: Node, p: object, o: Node) -> Pattern | None:
    try:
        return _pattern(s, p, o)
    except NotAnchored:
        return None


def _pattern(s: Node, p: object, o: Node) -> Pattern | None:
    """A triple pattern as a Pattern; None for schema (fixed during an incremental run)."""
    if isinstance(p, Variable):
        return Pattern(_end(s), None, _end(o), str(p))
    if isinstance(p, URIRef):
        return None if str(p) in _SCHEMA else Pattern(_end(s), frozenset({str(p)}), _end(o))
    if isinstance(p, MulPath) and str(p.path) in _SCHEMA:
        return None
    if is_type_closure(p):
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
    """The query with `VALUES ?this { ... }` first in its WHERE group (joined with it); for
    IRIs built by sparql_safety.this_values, which gives it `query`'s safety verdict."""
    ordered = sorted(nodes, key=str)
    if all(isinstance(n, ox.NamedNode) for n in ordered):
        return this_values(query, [n.value for n in ordered])  # type: ignore[attr-defined]
    start = body_start(query)
    values = " ".join(str(n) for n in ordered)
    return f"{query[:start]} VALUES ?this {{ {values} }} {query[start:]}"


__all__ = ["Anchor", "Pattern", "anchor", "with_values"]
