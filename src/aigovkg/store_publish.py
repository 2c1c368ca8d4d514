"""`aigovkg publish --to URL`: put the built dataset into a remote SPARQL store.

The N-Quads dump (one named graph per source file, plus the build's and the derived status
graph) is loaded graph by graph with the Graph Store HTTP Protocol (N-Triples bodies), every
other step is SPARQL 1.1 Update: nothing store-specific. Readers must never see half of one
version and half of another, so the load happens in three steps:

1. each graph whose content changed since the published version (the metadata graph records
   a digest per graph; an unchanged graph is neither sent nor moved) is PUT into a fresh
   staging graph (`urn:aigovkg:staging:<run>:<n>`), which no query sees (the backend queries
   only the graphs the metadata graph lists). When the store holds no published version there
   is nothing to replace: the graphs are PUT under their own names, sparing the store a MOVE
   of every triple (10x: 10 of the 20 s a first publish took). The new metadata and a plan
   (which staging graph replaces which graph, what is dropped) are PUT as graphs too;
2. the union graph (the default graph of every query) is copied, under a new name, from the
   loaded graphs inside the store, in requests of a bounded size;
3. one SPARQL Update request replaces each changed graph's content with its staging graph's,
   deletes the graphs the previous version had and this one has not, and moves the new
   metadata (naming the new union) onto the metadata graph: a few DELETE/INSERT operations
   joined on the plan, the same text at any number of graphs. Virtuoso runs one update request
   as one transaction ("Commit -- done"), so the swap is as atomic as the store allows. The
   staging graphs and the old union are dropped after it, outside the transaction: no reader
   sees them, and the transaction writes each replaced triple twice (out, in), not three
   times. A failure before the swap drops what this run loaded.

A store may cap the size of one transaction. Virtuoso's cap (TransactionAfterImageLimit, 50 MB
by default) took the swap of 159,000 replaced triples but not of 1.16M (2 GB took those, see
benchmarks/README.md); a republish past the cap is refused whole (nothing is replaced) with a
message naming the setting, rather than swapped in parts that readers could see half done.

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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from . import build as pipeline
from .errors import AigovkgError
from .namespaces import DATASET_IRI
from .remote_http import StoreClient, StoreError, StoreTimeout, StoreUnavailable
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
    previous, old_union = _previous_graphs(url)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in graphs.items()}
    # A graph the store holds with the same digest is left as it is: not sent, not moved.
    unchanged = {name for name, digest in digests.items() if previous.get(name) == digest}
    dropped = sorted(previous.keys() - graphs.keys())
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
    # The union changes only when a graph does; a new one gets a name of its own, so it is
    # built before the swap in requests of a bounded size and the swap only names it.
    rebuild = bool(loaded or dropped) or old_union is None
    union = f"{UNION_GRAPH}/{run}" if rebuild else str(old_union)
    sizes = {name: graphs[name].count(b"\n") for name in graphs}
    # The new metadata and the swap's plan go up as graphs too: the swap is then the same few
    # operations at any size (Virtuoso compiles one update request into one code vector of
    # 32 KB, which a list of 2,881 graphs in the request text overflowed at 1M).
    meta, plan = f"{prefix}meta", f"{prefix}plan"
    batches = _batches(staged, sizes) if rebuild else []
    uploads = {name: graphs[name] for name in loaded}
    uploads[meta] = _metadata(graphs, digests, inputs, union)
    uploads[plan] = _plan(staged, dropped, batches, plan)
    targets = {**{name: staged[name] for name in loaded}, meta: meta, plan: plan}
    # What this run loaded (dropped again if it fails before the swap commits), and the graphs
    # the swap replaces from staging (dropped after it).
    ours = [*targets.values(), *([union] if rebuild else [])]
    replacing = [name for name in loaded if staged[name] != name]
    try:
        for name, data in uploads.items():
            target = f"{gsp}?{urllib.parse.urlencode({'graph': targets[name]})}"
            for method, chunk in zip(("PUT", *["POST"] * len(data)), chunks(data), strict=False):
                _send(client, method, target, chunk)
        for batch in range(len(batches)):
            client.request("POST", update, _union(union, plan, batch), _UPDATE_HEADERS)
    except AigovkgError:
        _drop(client, update, ours)
        raise
    try:
        client.request("POST", update, _swap(meta, plan), _UPDATE_HEADERS)
    except (StoreTimeout, StoreUnavailable):
        raise  # whether the store committed is unknown: nothing is dropped
    except StoreError as exc:  # the store refused the swap and rolled it back: clean up
        _drop(client, update, ours)
        raise _refused(exc, sum(sizes[name] for name in replacing)) from None
    # No reader is pointed at the staging graphs or the old union any more.
    stale = [staged[name] for name in replacing]
    _drop(client, update, [*stale, *([str(old_union)] if rebuild and old_union else [])])
    seconds = time.perf_counter() - started
    return PublishReport(
        url, __version__, len(graphs), sum(sizes.values()), dropped, seconds, len(unchanged)
    )


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


# The swap plan's vocabulary: internal to one publish, in a graph dropped by the swap.
_STAGED_AS = "urn:aigovkg:publish:stagedAs"  # <real graph> stagedAs <staging graph>
_BATCH = "urn:aigovkg:publish:batch"  # <graph as loaded> batch <plan#n>: union built in parts
_DROPPED = "urn:aigovkg:publish:dropped"  # <plan> dropped <graph of the old version>
# Triples copied into the union per update request. Virtuoso aborts a transaction whose log
# passes TransactionAfterImageLimit (50 MB by default): the 1.16M-triple union in one INSERT
# did, the 159k one did not.
UNION_BATCH_TRIPLES = 100_000


def _batches(staged: dict[str, str], sizes: dict[str, int]) -> list[list[str]]:
    """The graphs as loaded (staging or real names), in groups of about UNION_BATCH_TRIPLES."""
    batches: list[list[str]] = [[]]
    used = 0
    for name, where in staged.items():
        if batches[-1] and used + sizes[name] > UNION_BATCH_TRIPLES:
            batches.append([])
            used = 0
        batches[-1].append(where)
        used += sizes[name]
    return batches


def _metadata(
    graphs: dict[str, bytes], digests: dict[str, str], inputs: str | None, union: str
) -> bytes:
    """The metadata graph of the new version, as N-Triples: version, inputs digest, every
    graph with the digest of its content, the union as the default graph."""
    dataset = URIRef(DATASET_IRI).n3()
    facts = [f"{dataset} {PUBLISHED_VERSION.n3()} {Literal(__version__).n3()} ."]
    if inputs:
        facts.append(f"{dataset} {PUBLISHED_DIGEST.n3()} {Literal(inputs).n3()} .")
    for name in graphs:
        facts.append(f"{dataset} {PUBLISHED_GRAPH.n3()} <{name}> .")
        facts.append(f"<{name}> {PUBLISHED_DIGEST.n3()} {Literal(digests[name]).n3()} .")
    facts.append(f"{dataset} {PUBLISHED_DEFAULT.n3()} <{union}> .")
    return "".join(f"{fact}\n" for fact in facts).encode()


def _plan(staged: dict[str, str], dropped: list[str], batches: list[list[str]], plan: str) -> bytes:
    """What the union build and the swap do, as N-Triples their operations join on."""
    facts = [f"<{name}> <{_STAGED_AS}> <{tmp}> ." for name, tmp in staged.items() if tmp != name]
    facts += [f"<{plan}> <{_DROPPED}> <{name}> ." for name in dropped]
    facts += [f"<{g}> <{_BATCH}> <{plan}#{n}> ." for n, batch in enumerate(batches) for g in batch]
    return "".join(f"{fact}\n" for fact in facts).encode()


_SPO = "{ ?s ?p ?o }"


def _union(union: str, plan: str, batch: int) -> bytes:
    """One part of the new union graph (the default graph of every query), copied inside the
    store from the graphs as loaded: not sent over HTTP a second time, and not staged and
    MOVEd either (which wrote every triple three times: at 10x, 2.7 s plus about 5 of the
    swap's 10 s). It has to exist: see remote_store.UNION_GRAPH (the store's own default graph
    is the union of EVERY graph it holds, and a FROM list of all the project's graphs loses
    GROUP BY solutions on Virtuoso 7.2). No query reads it before the swap names it."""
    operation = (
        f"INSERT {{ GRAPH <{union}> {_SPO} }} "
        f"WHERE {{ GRAPH <{plan}> {{ ?g <{_BATCH}> <{plan}#{batch}> }} GRAPH ?g {_SPO} }}"
    )
    return urllib.parse.urlencode({"update": operation}).encode()


def _swap(meta: str, plan: str) -> bytes:
    """One update request, one transaction in the store: the old content of every replaced
    graph deleted and its staging graph's copied in, the old version's graphs it no longer has
    deleted, the staged metadata (which names the new union) moved onto the metadata graph,
    the plan dropped. Written as DELETE/INSERT joined on the plan graph, the request has the
    same few operations at any number of graphs. The staging graphs are dropped after it."""
    operations = [
        f"DELETE {{ GRAPH ?g {_SPO} }} WHERE {{ GRAPH <{plan}> {{ ?g <{_STAGED_AS}> ?t }} "
        f"GRAPH ?g {_SPO} }}",
        f"INSERT {{ GRAPH ?g {_SPO} }} "
        f"WHERE {{ GRAPH <{plan}> {{ ?g <{_STAGED_AS}> ?t }} GRAPH ?t {_SPO} }}",
        f"DELETE {{ GRAPH ?g {_SPO} }} WHERE {{ GRAPH <{plan}> {{ ?x <{_DROPPED}> ?g }} "
        f"GRAPH ?g {_SPO} }}",
        f"MOVE SILENT GRAPH <{meta}> TO GRAPH <{METADATA_GRAPH}>",
        f"DROP SILENT GRAPH <{plan}>",
    ]
    return urllib.parse.urlencode({"update": " ;\n".join(operations)}).encode()


# Virtuoso's words when one transaction grew past TransactionAfterImageLimit (error SR325).
_TRANSACTION_TOO_LARGE = "log after image size went above the limit"


def _refused(exc: StoreError, replaced: int) -> StoreError:
    """The store's refusal of the swap, with what to do about a transaction-size cap (still a
    StoreError: the same exit code and type as the store's other refusals)."""
    if _TRANSACTION_TOO_LARGE not in str(exc):
        return exc
    return StoreError(
        f"the store refused to replace {replaced:,} triples in one transaction (its limit on a "
        "transaction's size; Virtuoso: TransactionAfterImageLimit in [Parameters] of "
        "virtuoso.ini, 50 MB by default). Nothing was replaced: the store still holds the "
        f"earlier version. Raise the limit and publish again. The store said: {exc}"
    )


def _drop(client: StoreClient, update: str, graphs: Iterable[str]) -> None:
    """Best effort: a failed publish leaves no staging graph behind (in requests of 100
    operations: one request's code has a size limit on Virtuoso)."""
    names = list(graphs)
    for start in range(0, len(names), 100):
        operations = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in names[start : start + 100])
        with contextlib.suppress(StoreError):
            body = urllib.parse.urlencode({"update": operations}).encode()
            client.request("POST", update, body, _UPDATE_HEADERS)


def _previous_graphs(url: str) -> tuple[dict[str, str | None], str | None]:
    """The graphs the store's published version lists, each with the digest of its content
    (None when an earlier publish recorded none), and its union graph."""
    try:
        published = RemoteBackend.connect(url).published()
    except StoreError as exc:
        if "holds no aigovkg dataset" in str(exc):
            return {}, None
        raise
    graphs = {name: published.contents.get(name) for name in published.graphs}
    return graphs, published.default_graph


def _inputs_digest(dist: Path) -> str | None:
    try:
        return json.loads((dist / pipeline.BUILD_INFO).read_text()).get("inputs")
    except (OSError, ValueError):
        return None
