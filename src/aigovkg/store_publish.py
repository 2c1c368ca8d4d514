"""`aigovkg publish --to URL`: put the built dataset into a remote SPARQL store.

The N-Quads dump (one named graph per source file, plus the build's and the derived status
graph) is loaded graph by graph with the Graph Store HTTP Protocol. Readers must never see half
of one version and half of another, so the load happens in two steps:

1. every graph is PUT into a fresh staging graph (`urn:aigovkg:staging:<run>:<n>`), which no
   query sees (the backend queries only the graphs the metadata graph lists); a failure here
   drops the staging graphs and leaves the published version untouched. When the store holds
   no published version there is nothing to replace: the graphs are PUT under their own names
   (no reader is pointed at them before step 2), which spares the store a MOVE of every
   triple (10x: 10 of the 20 s a first publish took);
2. one SPARQL Update request rebuilds the union graph (the default graph of every query) from
   the loaded graphs inside the store, MOVEs every staging graph onto its real name, DROPs the
   graphs the previous version had and this one has not, and rewrites the metadata graph
   (graphs, version, inputs digest). Virtuoso runs one update request as one transaction
   ("Commit -- done"), so the swap is as atomic as the store allows.

Credentials come from AIGOVKG_STORE_USER / AIGOVKG_STORE_PASSWORD only. The Graph Store and
update endpoints default to Virtuoso's (`/sparql-graph-crud-auth`, `/sparql-auth`, digest
authentication) on the same host as the query endpoint; AIGOVKG_STORE_GSP and
AIGOVKG_STORE_UPDATE name others (Fuseki, Oxigraph server), on the same host only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import urllib.parse
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from . import build as pipeline
from .errors import AigovkgError
from .namespaces import DATASET_IRI
from .remote_http import StoreClient, StoreError
from .remote_store import (
    METADATA_GRAPH,
    PASSWORD_ENV,
    PUBLISHED_DEFAULT,
    PUBLISHED_DIGEST,
    PUBLISHED_GRAPH,
    PUBLISHED_VERSION,
    UNION_GRAPH,
    USER_ENV,
    RemoteBackend,
    client_from_env,
)
from .sources import SourceTree
from .version import __version__

GSP_ENV = "AIGOVKG_STORE_GSP"
UPDATE_ENV = "AIGOVKG_STORE_UPDATE"
VIRTUOSO_GSP = "/sparql-graph-crud-auth"
VIRTUOSO_UPDATE = "/sparql-auth"
PUBLISH_TIMEOUT_S = 600.0
CHUNK_BYTES = 256 * 1024
# One update request is one transaction, but Virtuoso compiles each of its operations to SQL
# and refuses one past 10,000 lines: long lists are split over several operations.
GRAPHS_PER_OPERATION = 100
FACTS_PER_OPERATION = 500


@dataclass(frozen=True)
class PublishReport:
    """What a publish did: graphs and triples published, graphs dropped, seconds taken."""

    url: str
    version: str
    graphs: int
    triples: int
    dropped: list[str]
    seconds: float
    unchanged: int = 0  # graphs the store already held with the same content: not sent again


def split_graphs(nquads: bytes) -> dict[str, bytes]:
    """The N-Quads dump as N-Triples per named graph, graphs sorted by IRI."""
    triples: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise AigovkgError("the N-Quads dump has a triple outside a named graph")
        triples[quad.graph_name.value].append(quad.triple)
    return {
        name: ox.serialize(triples[name], format=ox.RdfFormat.N_TRIPLES) or b""
        for name in sorted(triples)
    }


def _endpoint(client: StoreClient, env: str, default: str) -> str:
    return client.sibling(os.environ.get(env) or default)


def publish(tree: SourceTree, url: str, *, rebuild: bool = False) -> PublishReport:
    """Load the built dumps (building first when stale) into the store at `url`."""
    started = time.perf_counter()
    if not os.environ.get(USER_ENV):
        raise AigovkgError(
            f"publishing needs the store's credentials in {USER_ENV} and {PASSWORD_ENV} "
            "(never on the command line)"
        )
    if rebuild or not pipeline.is_up_to_date(tree):
        pipeline.build(tree)
    dist = tree.dist.resolve()
    nquads = (dist / pipeline.DUMP_NQUADS).read_bytes()
    return publish_nquads(nquads, url, _inputs_digest(dist), started=started)


def publish_nquads(
    nquads: bytes, url: str, inputs: str | None = None, *, started: float | None = None
) -> PublishReport:
    """Load one N-Quads dataset into the store at `url` (staged, then swapped in); `publish`
    calls it with the build's dump, the benchmarks with a synthetic one."""
    started = time.perf_counter() if started is None else started
    graphs = split_graphs(nquads)
    client = client_from_env(url, timeout_s=PUBLISH_TIMEOUT_S)
    gsp = _endpoint(client, GSP_ENV, VIRTUOSO_GSP)
    update = _endpoint(client, UPDATE_ENV, VIRTUOSO_UPDATE)
    previous = _previous_graphs(url)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in graphs.items()}
    # A graph the store holds with the same digest is left as it is: not sent, not moved.
    unchanged = {name for name, digest in digests.items() if previous.get(name) == digest}
    dropped = sorted(previous.keys() - graphs.keys() - {str(UNION_GRAPH)})
    run = uuid.uuid4().hex[:12]
    prefix = f"urn:aigovkg:staging:{run}:"
    # Nothing published yet: nothing to replace, so the graphs go straight to their names (no
    # reader is pointed at them before the last update lists them); otherwise into staging.
    direct = not previous
    staged = {
        name: name if direct or name in unchanged else f"{prefix}{n}"
        for n, name in enumerate(graphs)
    }
    loaded = [name for name in graphs if name not in unchanged]
    rebuild = bool(loaded or dropped)  # the union changes only when a graph does
    try:
        for name in loaded:
            target = f"{gsp}?{urllib.parse.urlencode({'graph': staged[name]})}"
            data = graphs[name]
            for method, chunk in zip(("PUT", *["POST"] * len(data)), chunks(data), strict=False):
                _send(client, method, target, chunk)
    except AigovkgError:
        _drop(client, update, [staged[name] for name in loaded])
        raise
    # A failed swap is rolled back by the store; what it loaded is no published graph (staged,
    # or under names no metadata lists yet) and the next publish replaces it.
    swap = _swap(staged, digests, dropped, inputs, rebuild=rebuild)
    client.request("POST", update, swap, _UPDATE_HEADERS)
    triples = sum(data.count(b"\n") for data in graphs.values())
    seconds = time.perf_counter() - started
    return PublishReport(url, __version__, len(graphs), triples, dropped, seconds, len(unchanged))


def chunks(data: bytes, size: int = CHUNK_BYTES) -> list[bytes]:
    """N-Triples in requests of about `size` bytes: the first (a PUT, replacing the graph) holds
    every triple with a blank node, because a label names the same node only within one
    document; the others are POSTed (merged), so repeating one is harmless.

    Small requests because the store's digest authentication answers each request's first
    attempt with 401: Virtuoso may close the connection before a large body is sent ("broken
    pipe"), and a small body is cheap to send twice."""
    lines = data.splitlines(keepends=True)
    first = [line for line in lines if b"_:" in line]
    rest = [line for line in lines if b"_:" not in line]
    out: list[bytes] = []
    current, used = first, sum(map(len, first))
    for line in rest:
        if current and used + len(line) > size:
            out.append(b"".join(current))
            current, used = [], 0
        current.append(line)
        used += len(line)
    out.append(b"".join(current))
    return out


def _send(client: StoreClient, method: str, url: str, body: bytes) -> None:
    """One Graph Store request, tried once more when the connection broke."""
    headers = {"Content-Type": "application/n-triples"}
    try:
        client.request(method, url, body, headers)
    except StoreError as exc:
        if "cannot reach" not in str(exc):
            raise
        client.request(method, url, body, headers)


_UPDATE_HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}


def _union(sources: list[str]) -> list[str]:
    """The operations that fill the union graph from the loaded graphs, in the store.

    The union is the default graph of every query (see remote_store.UNION_GRAPH: the store's
    own default graph is the union of EVERY graph it holds, its system graphs and other
    datasets too, and a FROM list of all the project's graphs loses GROUP BY solutions on
    Virtuoso 7.2), so it has to exist; built here it is not sent over HTTP a second time, and
    built inside the swap it is written once (a staged union then MOVEd onto its name wrote
    every triple three times: 10x, 2.7 + about 5 s of the swap's 10 s). GRAPH ?g with FILTER IN
    a list of graphs is the fast form on Virtuoso (10x: 3.3 s; VALUES 4.1 s, an ADD per graph
    12 s), in lists of GRAPHS_PER_OPERATION: Virtuoso refuses one operation whose SQL passes
    10,000 lines (2,881 graphs at 1M), and 50 or 446 graphs per operation cost the same."""
    operations = []
    for start in range(0, len(sources), GRAPHS_PER_OPERATION):
        listed = ", ".join(f"<{g}>" for g in sources[start : start + GRAPHS_PER_OPERATION])
        operations.append(
            f"INSERT {{ GRAPH <{UNION_GRAPH}> {{ ?s ?p ?o }} }} "
            f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g IN ({listed})) }}"
        )
    return operations


def _swap(
    staged: dict[str, str],
    digests: dict[str, str],
    dropped: list[str],
    inputs: str | None,
    *,
    rebuild: bool = True,
) -> bytes:
    """One update request: the union rebuilt (when a graph changed), staging graphs onto their
    names, old graphs dropped, metadata with each graph's digest; after a first publish's direct
    load only the union and metadata."""
    operations = []
    if rebuild:
        operations += [f"DROP SILENT GRAPH <{UNION_GRAPH}>", *_union(sorted(staged.values()))]
    operations += [
        f"MOVE SILENT GRAPH <{tmp}> TO GRAPH <{name}>"
        for name, tmp in staged.items()
        if tmp != name
    ]
    operations += [f"DROP SILENT GRAPH <{name}>" for name in dropped]
    operations.append(f"DROP SILENT GRAPH <{METADATA_GRAPH}>")
    dataset = URIRef(DATASET_IRI).n3()
    facts = [f"{dataset} {PUBLISHED_VERSION.n3()} {Literal(__version__).n3()} ."]
    if inputs:
        facts.append(f"{dataset} {PUBLISHED_DIGEST.n3()} {Literal(inputs).n3()} .")
    for name in staged:
        facts.append(f"{dataset} {PUBLISHED_GRAPH.n3()} <{name}> .")
        facts.append(f"<{name}> {PUBLISHED_DIGEST.n3()} {Literal(digests[name]).n3()} .")
    facts.append(f"{dataset} {PUBLISHED_DEFAULT.n3()} {UNION_GRAPH.n3()} .")
    for start in range(0, len(facts), FACTS_PER_OPERATION):
        part = " ".join(facts[start : start + FACTS_PER_OPERATION])
        operations.append(f"INSERT DATA {{ GRAPH <{METADATA_GRAPH}> {{ {part} }} }}")
    return urllib.parse.urlencode({"update": " ;\n".join(operations)}).encode()


def _drop(client: StoreClient, update: str, graphs: object) -> None:
    """Best effort: a failed publish leaves no staging graph behind."""
    operations = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)  # type: ignore[attr-defined]
    with contextlib.suppress(StoreError):
        body = urllib.parse.urlencode({"update": operations}).encode()
        client.request("POST", update, body, _UPDATE_HEADERS)


def _previous_graphs(url: str) -> dict[str, str | None]:
    """The graphs the store's published version lists, each with the digest of its content
    (None when an earlier publish recorded none)."""
    try:
        published = RemoteBackend.connect(url).published()
    except StoreError as exc:
        if "holds no aigovkg dataset" in str(exc):
            return {}
        raise
    return {name: published.contents.get(name) for name in published.graphs}


def _inputs_digest(dist: Path) -> str | None:
    try:
        return json.loads((dist / pipeline.BUILD_INFO).read_text()).get("inputs")
    except (OSError, ValueError):
        return None
