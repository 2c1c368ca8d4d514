"""The worker side of the endpoint: the one query layer (`store.OxigraphBackend`) in a child
process, with the answer serialised here by the one result serialiser (`results.py`).

Runs in a child process (see pool.py). Serialisation happens in the worker too, so a huge result
costs the worker, not the web server. The dataset rules (union default graph, FROM, the
protocol's default-graph-uri / named-graph-uri) are the backend's, the same as on the command line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal

from ..errors import QueryError
from ..namespaces import bind_prefixes
from ..remote_http import StoreError
from ..results import ResultFormat, ResultTooLarge, serialize, xml_safe
from ..store import Dataset, GraphResult, OxigraphBackend, SelectResult


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
    """A worker's answer: a serialised body, or an error with the engine's message: the
    client's (400) unless a remote store failed (its StoreError's gateway status)."""

    ok: bool
    kind: str = ""  # select | ask | graph
    body: bytes = b""
    rows: int = 0
    truncated: bool = False
    error: str = ""
    too_large: bool = False  # the result passed max_bytes: nothing of it was sent back
    status: int = 400  # of an error: 400 the query's fault, 502/503/504 the remote store's


@dataclass
class GraphSource:
    """Data to load into a worker's store: an N-Quads file or a named graph from a file."""

    path: Path
    graph: str | None = None  # None: the file is N-Quads and names its own graphs


@dataclass
class Engine:
    """A worker's loaded backend."""

    backend: OxigraphBackend

    @classmethod
    def load(cls, sources: Iterable[GraphSource]) -> Engine:
        return cls(OxigraphBackend.from_files((s.path, s.graph) for s in sources))

    @property
    def graphs(self) -> frozenset[str]:
        return self.backend.graphs()

    def run(self, job: QueryJob) -> QueryReply:
        try:
            answer = self.backend.run(
                job.query,
                dataset=Dataset(job.default_graphs, job.named_graphs),
                max_rows=job.max_rows,
                base_iri=job.base_iri,
            )
            if isinstance(answer, bool):
                body = serialize(answer, ResultFormat(job.tabular_format))
                return QueryReply(ok=True, kind="ask", body=body)
            if isinstance(answer, SelectResult):
                body = serialize(answer, ResultFormat(job.tabular_format), job.max_bytes)
                return QueryReply(
                    ok=True,
                    kind="select",
                    body=body,
                    rows=len(answer.rows),
                    truncated=answer.truncated,
                )
        except ResultTooLarge:
            return _too_large(job)
        except StoreError as exc:
            return QueryReply(ok=False, error=str(exc), status=exc.gateway_status)
        except QueryError as exc:
            return QueryReply(ok=False, error=str(exc))
        assert isinstance(answer, GraphResult)
        graph = _xml_safe_graph(answer.graph) if job.graph_format == "xml" else answer.graph
        body = graph.serialize(format=job.graph_format, encoding="utf-8")
        if len(body) > job.max_bytes:
            return _too_large(job)
        return QueryReply(
            ok=True, kind="graph", body=body, rows=len(answer.graph), truncated=answer.truncated
        )


def _too_large(job: QueryJob) -> QueryReply:
    return QueryReply(
        ok=False,
        too_large=True,
        error=f"the result is larger than this endpoint's {job.max_bytes}-byte response "
        "limit; add LIMIT or select fewer or shorter values",
    )


def _xml_safe_graph(graph: Graph) -> Graph:
    """RDF/XML cannot carry control characters: literals holding them get U+FFFD instead."""
    safe = bind_prefixes(Graph())
    for s, p, o in graph:
        if isinstance(o, Literal) and xml_safe(str(o)) != str(o):
            o = Literal(xml_safe(str(o)), lang=o.language, datatype=o.datatype)
        safe.add((s, p, o))
    return safe
