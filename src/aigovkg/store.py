"""The one query layer: a backend protocol and its embedded pyoxigraph implementation.

Every surface (the CLI, the Python API, the analysis, the views, the trade tables, the web pages
and the SPARQL endpoint's workers) asks its questions through `SparqlBackend.run`, so the same
query over the same build gives the same answer everywhere.

The dataset is the same everywhere too: the store holds one named graph per source file (the
N-Quads dump), and SPARQL 1.1 dataset semantics apply. A query without a dataset clause sees the
union of all graphs as its default graph; `FROM` / `FROM NAMED` in the query, or the protocol's
`default-graph-uri` / `named-graph-uri` (a `Dataset`), replace that with exactly the graphs
named. pyoxigraph 10-100x faster than rdflib's engine on this kind of machine, so it is the
embedded store; a remote SPARQL store can implement the same protocol.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Protocol, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import QueryError
from .namespaces import PREFIXES, bind_prefixes
from .sparql_safety import check_query, declared_dataset

_XSD_STRING = str(XSD.string)
_T = TypeVar("_T")


class SelectResult:
    """Rows of a SELECT as rdflib terms (None where a variable is unbound).

    `truncated` is True when the backend stopped reading at the caller's row limit.

    The embedded store hands over its own terms (`native`): `rows` converts them to rdflib
    terms only when a caller asks, and `values()` turns them straight into Python values, so a
    DataFrame never pays for rdflib terms it does not use (building an rdflib Literal parses
    its lexical form).
    """

    __slots__ = ("_native", "_rows", "truncated", "variables")

    def __init__(
        self,
        variables: list[str],
        rows: list[tuple[Node | None, ...]] | None = None,
        truncated: bool = False,
        *,
        native: list[tuple[NativeTerm | None, ...]] | None = None,
    ) -> None:
        if (rows is None) == (native is None):
            raise TypeError("give exactly one of rows (rdflib terms) or native (pyoxigraph terms)")
        self.variables = variables
        self.truncated = truncated
        self._rows = rows
        self._native = native

    @property
    def rows(self) -> list[tuple[Node | None, ...]]:
        if self._rows is None:
            assert self._native is not None
            convert = memoized(to_rdflib)
            with collector_paused():
                self._rows = [tuple(map(convert, row)) for row in self._native]
        return self._rows

    def values(self) -> list[list[object]]:
        """Every row as Python values (see `python_value`)."""
        source = self._native if self._native is not None else self.rows
        convert = memoized(python_value) if self._native is not None else python_value
        with collector_paused():
            return [list(map(convert, row)) for row in source]

    def row_count(self) -> int:
        """How many rows (not `__len__`: an empty answer must stay truthy, as before)."""
        return len(self._native if self._native is not None else self.rows)

    def as_dicts(self) -> list[dict[str, Node]]:
        return list(self.iter_dicts())

    def iter_terms(self) -> Iterator[tuple[NativeTerm | Node | None, ...]]:
        """The rows as held, unconverted: the engine's own terms when the embedded store
        answered, else rdflib terms. For a whole-graph read whose caller needs only IRIs and
        lexical forms: at a million rows, making rdflib terms (each IRI validated, each
        literal parsed) was most of the views' time."""
        return iter(self._native if self._native is not None else self.rows)

    def iter_dicts(self) -> Iterator[dict[str, Node]]:
        """The rows as dicts of rdflib terms, one at a time: from the engine's own terms
        without keeping a converted copy of every row (a whole-graph answer converted at once
        is gigabytes at a million triples)."""
        if self._rows is not None or self._native is None:
            rows: Iterable[tuple[Node | None, ...]] = self.rows
        else:
            convert = memoized(to_rdflib, limit=_STREAM_MEMO)
            rows = (tuple(map(convert, row)) for row in self._native)
        for row in rows:
            yield {
                var: value
                for var, value in zip(self.variables, row, strict=True)
                if value is not None
            }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SelectResult):
            return NotImplemented
        return (self.variables, self.rows, self.truncated) == (
            other.variables,
            other.rows,
            other.truncated,
        )

    __hash__ = None  # type: ignore[assignment]  # rows are a list, as when this was a dataclass

    def __repr__(self) -> str:
        return (
            f"SelectResult(variables={self.variables!r}, rows={self.rows!r}, "
            f"truncated={self.truncated!r})"
        )


@dataclass(frozen=True)
class GraphResult:
    """Triples of a CONSTRUCT or DESCRIBE, plus whether the row limit cut them."""

    graph: Graph
    truncated: bool = False


QueryAnswer = SelectResult | bool | Graph


@dataclass(frozen=True)
class Dataset:
    """The protocol's `default-graph-uri` / `named-graph-uri`: when either is given, the
    dataset is exactly the graphs named (SPARQL 1.1 Protocol 2.1.4), whatever the query says."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def explicit(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


class SparqlBackend(Protocol):
    """What every surface of aigovkg needs from a store."""

    def run(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
        *,
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> QueryAnswer | GraphResult:
        """Run a SPARQL 1.1 query (the project's prefixes are predeclared). With `max_rows`,
        reading stops after that many rows (SELECT) or triples (CONSTRUCT/DESCRIBE), and a
        GraphResult is returned for graph queries so the cut can be reported."""
        ...

    def graphs(self) -> frozenset[str]:
        """The IRIs of the named graphs the store holds."""
        ...

    def __len__(self) -> int:
        """Number of distinct triples in the union default graph."""
        ...


def to_rdflib(term: object, *, normalize: bool = False) -> Node | None:
    """A pyoxigraph term as the equivalent rdflib term.

    Answers keep the engine's lexical forms ("1"^^xsd:double, not "1.0"); the loader asks for
    `normalize=True`, the forms rdflib's own parser gives, so pySHACL sees what it always saw."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=normalize)
    raise TypeError(f"unsupported term {term!r}")


NativeTerm = ox.NamedNode | ox.BlankNode | ox.Literal

_STREAM_MEMO = 1 << 16  # distinct terms a streaming conversion remembers before starting afresh


def memoized(
    convert: Callable[[object], _T], *, limit: int | None = None
) -> Callable[[object], _T]:
    """`convert` for pyoxigraph terms, each distinct term converted once per answer.

    Why: a large answer repeats a few terms in every row (CQ27's 60,000 rows name a few hundred
    instruments, a dozen roles and types), and building an rdflib Literal parses its lexical
    form (about 10 µs for a date), so converting every cell was as costly as the query itself.
    pyoxigraph terms hash and compare as RDF terms (lexical form, datatype, language), so equal
    keys give equal results; the results are immutable, so rows can share them. `limit` bounds
    the memory of a streaming conversion (a whole-graph read has a million distinct terms):
    past it the memo is emptied and starts again.
    """
    memo: dict[object, _T] = {}
    get = memo.get
    missing = object()

    def convert_once(term: object) -> _T:
        found = get(term, missing)
        if found is missing:
            if limit is not None and len(memo) >= limit:
                memo.clear()
            found = memo[term] = convert(term)
        return found  # type: ignore[return-value]

    return convert_once


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while an answer's rows are built.

    Why: an answer of 50,000 rows allocates a quarter of a million objects (tuples and terms),
    which sets off collections that walk every object alive, again and again: about 0.1 s of
    CQ01's 1 s at a million statements. Rows hold terms and terms hold strings, so they form no
    cycles and nothing is left for the collector to find. The collector is never left off:
    only a caller that found it on turns it off, and that caller turns it back on; one that
    found it off (paused by its owner, or by another thread's conversion) leaves it alone.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_XSD = "http://www.w3.org/2001/XMLSchema#"


def _as_int(text: str) -> int | None:
    digits = text[1:] if text[:1] in ("+", "-") else text
    return int(text) if digits.isascii() and digits.isdigit() else None


def _as_decimal(text: str) -> Decimal | None:
    return Decimal(text) if _DECIMAL.fullmatch(text) else None


def _as_date(text: str) -> date | None:
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return date.fromisoformat(text)
    return None


_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
# Converters for the common XSD types of pyoxigraph literals; None means "ask rdflib".
_CONVERT: dict[str, Callable[[str], object]] = {
    _XSD_STRING: str,
    _XSD + "anyURI": str,
    _XSD + "decimal": _as_decimal,
    _XSD + "boolean": _BOOLEANS.get,
    _XSD + "date": _as_date,
}
for _name in (
    "integer",
    "int",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
):
    _CONVERT[_XSD + _name] = _as_int


def python_value(term: object) -> object:
    """A term as a Python value: IRIs and blank nodes as strings, plain and language-tagged
    literals as str, typed literals as rdflib's `toPython` gives them (int, Decimal, float, bool,
    date...), ill-typed or unknown ones as their lexical form.

    The one conversion to Python values, for pyoxigraph and rdflib terms alike. The common XSD
    types of pyoxigraph literals are converted here directly; every other literal goes through
    rdflib, so both paths give the same value (tests/test_store.py compares them on every
    literal of the graph).
    """
    kind = type(term)
    if kind is ox.NamedNode or kind is ox.BlankNode:
        return term.value  # type: ignore[union-attr]
    if kind is ox.Literal:
        if term.language:  # type: ignore[union-attr]
            return term.value  # type: ignore[union-attr]
        convert = _CONVERT.get(term.datatype.value)  # type: ignore[union-attr]
        if convert is not None:
            try:
                value = convert(term.value)  # type: ignore[union-attr]
            except (ValueError, ArithmeticError):
                value = None
            if value is not None:
                return value
        term = to_rdflib(term)
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.language or term.datatype is None:
            return str(term)
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the equivalent pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


class OxigraphBackend:
    """A pyoxigraph Store holding one named graph per source file: in memory, or the build's
    read-only store on disk (`open`)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._graphs = frozenset(
            g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)
        )
        self._size: int | None = None

    @classmethod
    def from_nquads(cls, data: bytes) -> OxigraphBackend:
        """The N-Quads dump: every source file is its own named graph."""
        store = ox.Store()
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        return cls(store)

    @classmethod
    def write_on_disk(cls, directory: Path, nquads: Path) -> None:
        """The N-Quads dump as an on-disk store in `directory`, for `open`. Parsing the dump
        costs time in proportion to the data (seconds at a million triples) on every start;
        opening a store on disk costs milliseconds at any size."""
        store = ox.Store(str(directory))
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store  # closes the database: the directory is complete and may be renamed

    @classmethod
    def open(cls, directory: Path) -> OxigraphBackend:
        """A store `write_on_disk` wrote, read-only (no process writes a build once written);
        any number of processes may open it at once. Raises OSError when it is unreadable."""
        return cls(ox.Store.read_only(str(directory)))

    def load_into_memory(self, nquads: Path) -> None:
        """Answer from an in-memory copy of the same dump from now on: it answers several
        times faster than the store on disk, so a long-lived process (the server) opens the
        disk store to answer at once and swaps to memory once this has loaded. A query that
        is running keeps the store it started on."""
        store = ox.Store()
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        self._store = store

    @classmethod
    def from_files(cls, paths: Iterable[tuple[Path, str | None]]) -> OxigraphBackend:
        """N-Quads files (graph None), or RDF files loaded into the named graph given."""
        store = ox.Store()
        for path, graph in paths:
            data = path.read_bytes()
            if graph is None:
                store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            else:
                rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".") or "nt")
                if rdf_format is None:
                    raise QueryError(f"{path}: unknown RDF format (use .nt, .ttl, .nq...)")
                store.bulk_load(data, format=rdf_format, to_graph=ox.NamedNode(graph))
        return cls(store)

    @classmethod
    def from_graphs(cls, graphs: Mapping[str, Graph]) -> OxigraphBackend:
        """rdflib graphs term by term, each into the named graph its key names."""
        store = ox.Store()
        for name, graph in graphs.items():
            target = ox.NamedNode(name)
            store.extend(
                ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), target)  # type: ignore[arg-type]
                for s, p, o in graph
            )
        return cls(store)

    @classmethod
    def from_triples(cls, graphs: Mapping[str, Iterable[ox.Triple]]) -> OxigraphBackend:
        """pyoxigraph triples (the build's parsed files), each into the named graph its key
        names: no term conversion, so this costs what the store's own insertion costs."""
        store = ox.Store()
        for name, triples in graphs.items():
            target = ox.NamedNode(name)
            store.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
        return cls(store)

    @classmethod
    def from_graph(cls, graph: Graph, name: str = "urn:aigovkg:graph") -> OxigraphBackend:
        """One rdflib graph as the store's only named graph (so it is the default graph too)."""
        return cls.from_graphs({name: graph})

    @property
    def store(self) -> ox.Store:
        return self._store

    def graphs(self) -> frozenset[str]:
        return self._graphs

    def __bool__(self) -> bool:
        """A store is a store, empty or not (`backend or ...` must not count a million
        statements through `__len__`)."""
        return True

    def __len__(self) -> int:
        if self._size is None:
            answer = self.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            assert isinstance(answer, SelectResult)
            self._size = int(answer.rows[0][0])  # type: ignore[arg-type]
        return self._size

    def dataset_options(self, names_dataset: bool, dataset: Dataset | None) -> dict[str, object]:
        """The engine arguments for SPARQL 1.1 dataset semantics (see the module docstring);
        `names_dataset`: the query has its own FROM / FROM NAMED (as its parse says)."""
        if dataset is not None and dataset.explicit:
            return {
                "default_graph": [ox.NamedNode(g) for g in dataset.default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs],
            }
        if names_dataset:
            return {}  # the engine applies the query's own FROM / FROM NAMED
        return {"use_default_graph_as_union": True}

    def run(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
        *,
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> QueryAnswer | GraphResult:
        # No SERVICE, no update, no FROM outside the store: nothing may leave the machine.
        check_query(query, self._graphs, PREFIXES)
        names_dataset = bool(declared_dataset(query, PREFIXES))  # the same cached parse
        substitutions = (
            {ox.Variable(name): to_oxigraph(value) for name, value in bindings.items()}
            if bindings
            else None
        )
        try:
            result = self._store.query(
                query,
                prefixes=PREFIXES,
                substitutions=substitutions,
                base_iri=base_iri,
                **self.dataset_options(names_dataset, dataset),  # type: ignore[arg-type]
            )
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            if isinstance(result, ox.QuerySolutions):
                return _solutions(result, max_rows)
            return _triples(result, max_rows)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {exc}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from exc


def _solutions(result: ox.QuerySolutions, max_rows: int | None) -> SelectResult:
    variables = [v.value for v in result.variables]
    rows_iter: Iterable[ox.QuerySolution] = (
        result if max_rows is None else islice(result, max_rows + 1)
    )
    with collector_paused():
        rows = [tuple(solution) for solution in rows_iter]
    truncated = max_rows is not None and len(rows) > max_rows
    return SelectResult(
        variables, truncated=truncated, native=rows[:max_rows] if truncated else rows
    )


def _triples(result: Iterable[ox.Triple], max_rows: int | None) -> Graph | GraphResult:
    graph = bind_prefixes(Graph())
    truncated = False
    convert = memoized(to_rdflib)
    for count, triple in enumerate(result):
        if max_rows is not None and count == max_rows:
            truncated = True
            break
        graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))  # type: ignore[arg-type]
    return graph if max_rows is None else GraphResult(graph, truncated)
