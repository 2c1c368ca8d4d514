"""The worker side of the endpoint: one pyoxigraph store per process, results serialised here.

Runs in a child process (see pool.py). The store holds one named graph per source file (the
N-Quads dump) and answers with the union of them as the default graph, so a plain query sees
everything while `default-graph-uri` / `named-graph-uri` / `FROM` can narrow it to files.
Serialisation happens here too, so a huge result costs the worker, not the web server.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.query import Result
from rdflib.term import Variable

from ..namespaces import PREFIXES, bind_prefixes
from ..store import to_rdflib


@dataclass(frozen=True)
class QueryJob:
    """What the web server asks a worker to do."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    tabular_format: str = "json"  # json | xml | csv | tsv
    graph_format: str = "turtle"  # turtle | nt | json-ld | xml
    max_rows: int = 10_000
    max_bytes: int = 16 * 1024 * 1024  # the response-size cap, enforced while serialising
    base_iri: str | None = None  # relative IRIs resolve against the endpoint URL


@dataclass(frozen=True)
class QueryReply:
    """A worker's answer: a serialised body, or a client error with the engine's message."""

    ok: bool
    kind: str = ""  # select | ask | graph
    body: bytes = b""
    rows: int = 0
    truncated: bool = False
    error: str = ""
    too_large: bool = False  # the result passed max_bytes: nothing of it was sent back


@dataclass
class GraphSource:
    """Data to load into a worker's store: an N-Quads file or a named graph from a file."""

    path: Path
    graph: str | None = None  # None: the file is N-Quads and names its own graphs

    def load_into(self, store: ox.Store) -> None:
        data = self.path.read_bytes()
        if self.graph is None:
            store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        else:
            rdf_format = ox.RdfFormat.from_extension(self.path.suffix.lstrip(".") or "nt")
            store.bulk_load(data, format=rdf_format, to_graph=ox.NamedNode(self.graph))


@dataclass
class Engine:
    """A loaded store and the names of its graphs."""

    store: ox.Store
    graphs: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, sources: Iterable[GraphSource]) -> Engine:
        store = ox.Store()
        for source in sources:
            source.load_into(store)
        names = frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        return cls(store, names)

    def run(self, job: QueryJob) -> QueryReply:
        try:
            result = self.store.query(job.query, base_iri=job.base_iri, **_dataset_arguments(job))
        except SyntaxError as exc:
            return QueryReply(ok=False, error=f"malformed SPARQL: {exc}")
        except (OSError, ValueError, RuntimeError) as exc:
            return QueryReply(ok=False, error=f"query failed: {exc}")
        if isinstance(result, ox.QueryBoolean):
            return QueryReply(ok=True, kind="ask", body=_boolean(bool(result), job.tabular_format))
        try:
            if isinstance(result, ox.QuerySolutions):
                return _select(result, job)
            return _graph(result, job)
        except ResultTooLarge:
            return QueryReply(
                ok=False,
                too_large=True,
                error=f"the result is larger than this endpoint's {job.max_bytes}-byte response "
                "limit; add LIMIT or select fewer or shorter values",
            )


class ResultTooLarge(Exception):
    """Serialising stopped at the response-size cap (the web process never sees the body)."""


class _CappedBuffer(io.BytesIO):
    """A byte buffer that refuses to grow past `cap`, so a huge result stops mid-serialisation."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.tell() + len(data) > self.cap:
            raise ResultTooLarge
        return super().write(data)


# XML 1.0 cannot carry these characters at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(value: object) -> object:
    """A literal with characters XML 1.0 forbids, each replaced by U+FFFD, so the XML formats
    stay well-formed (the JSON, CSV, TSV and Turtle answers keep the exact value)."""
    if isinstance(value, Literal) and _NOT_XML.search(value):
        return Literal(_NOT_XML.sub("\ufffd", value), lang=value.language, datatype=value.datatype)
    return value


def _dataset_arguments(job: QueryJob) -> dict[str, object]:
    """The protocol's dataset (graphs named in the request, else the union of all graphs), and
    the project's prefixes, predeclared as in the CLI so copied examples run as they are."""
    prefixes = _used_prefixes(job.query)
    if not job.default_graphs and not job.named_graphs:
        return {"use_default_graph_as_union": True, "prefixes": prefixes}
    # SPARQL 1.1 Protocol 2.1.4: when either parameter is given, the dataset is exactly the
    # graphs named (an unnamed part is empty); a graph the store lacks is simply empty.
    return {
        "default_graph": [ox.NamedNode(g) for g in job.default_graphs],
        "named_graphs": [ox.NamedNode(g) for g in job.named_graphs],
        "prefixes": prefixes,
    }


def _used_prefixes(query: str) -> dict[str, str]:
    """The predeclared prefixes the query can use (`name:` occurs in it): pyoxigraph spends
    about 2 microseconds per prefix handed to it, which is most of a light query's time."""
    return {name: iri for name, iri in PREFIXES.items() if f"{name}:" in query}


def _select(solutions: ox.QuerySolutions, job: QueryJob) -> QueryReply:
    names = [v.value for v in solutions.variables]
    rows: list[dict[Variable, object]] = []
    truncated = False
    size = 0  # characters of the values alone: any serialisation is at least this long
    for solution in solutions:
        if len(rows) == job.max_rows:
            truncated = True
            break
        row = {}
        for name in names:
            value = to_rdflib(solution[name])
            if value is not None:
                size += len(value)
                row[Variable(name)] = _xml_safe(value) if job.tabular_format == "xml" else value
        if size > job.max_bytes:
            raise ResultTooLarge
        rows.append(row)
    if job.tabular_format == "tsv":
        body = _tsv(names, rows)
        if len(body) > job.max_bytes:
            raise ResultTooLarge
    else:
        result = Result("SELECT")
        result.vars = [Variable(n) for n in names]
        result.bindings = rows  # type: ignore[assignment]
        buffer = _CappedBuffer(job.max_bytes)
        result.serialize(buffer, format=job.tabular_format, encoding="utf-8")
        body = buffer.getvalue()
    return QueryReply(ok=True, kind="select", body=body, rows=len(rows), truncated=truncated)


def _tsv(names: Sequence[str], rows: list[dict[Variable, object]]) -> bytes:
    """SPARQL 1.1 TSV: a header of ?variables, terms in their N-Triples/Turtle form."""
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in rows:
        cells = []
        for name in names:
            value = row.get(Variable(name))
            cells.append("" if value is None else value.n3())  # type: ignore[attr-defined]
        lines.append("\t".join(cell.replace("\t", "\\t").replace("\n", "\\n") for cell in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _boolean(answer: bool, fmt: str) -> bytes:
    """ASK results; CSV and TSV have no boolean form in the standard, so they carry the word."""
    word = "true" if answer else "false"
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    if fmt in ("csv", "tsv"):
        return f"{word}\n".encode()
    return f'{{"head": {{}}, "boolean": {word}}}\n'.encode()


def _graph(triples: Iterable[ox.Triple], job: QueryJob) -> QueryReply:
    graph = bind_prefixes(Graph())
    truncated = False
    size = 0
    for count, triple in enumerate(triples):
        if count == job.max_rows:
            truncated = True
            break
        terms = [to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)]
        size += sum(len(term) for term in terms)  # type: ignore[arg-type]
        if size > job.max_bytes:
            raise ResultTooLarge
        if job.graph_format == "xml":
            terms[2] = _xml_safe(terms[2])  # type: ignore[assignment]
        graph.add(tuple(terms))  # type: ignore[arg-type]
    buffer = _CappedBuffer(job.max_bytes)
    graph.serialize(buffer, format=job.graph_format, encoding="utf-8")
    body = buffer.getvalue()
    return QueryReply(ok=True, kind="graph", body=body, rows=len(graph), truncated=truncated)
