"""The query layer on a remote SPARQL 1.1 store (Virtuoso, Oxigraph server, Fuseki...).

`RemoteBackend` implements `store.SparqlBackend` over the SPARQL 1.1 Protocol (POST,
form-encoded; SPARQL JSON results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE) and returns
the same `SelectResult` / `GraphResult` / bool of rdflib terms as the embedded store, so no
caller knows which store answered. What differs between engines in the *form* of an answer is
normalised here, in `normalise` and `_ask`, and nowhere else:

* booleans: Virtuoso writes xsd:boolean as "1"/"0" and answers ASK as a one-row SELECT of
  `__ASK_RETVAL` = 1; both become the canonical `true`/`false` and a Python bool;
* blank nodes: Virtuoso labels them `nodeID://b10000`; the label becomes `b10000`;
* literals typed xsd:string are plain literals, as `store.to_rdflib` makes them;
* SPARQL JSON's old `typed-literal` type is read as a literal with its datatype;
* rows of a query without ORDER BY come back sorted (by the terms' N-Triples form), so a
  remote answer is deterministic; with ORDER BY the store's order is the answer;
* DESCRIBE, whose answer SPARQL leaves to the engine (Virtuoso adds the triples that point at
  the resource and leaves out the blank nodes below it), is emulated with what the embedded
  store answers, the concise bounded description: every triple of each resource described and,
  through blank-node objects, of the blank nodes below it (to `CBD_DEPTH` levels), as a
  SELECT of the resources followed by one CONSTRUCT (a blank node the WHERE clause finds is not
  described: it has no name to send back to the store).

The dataset is the one the embedded store has: the union of the project's named graphs as the
default graph, those graphs as the named graphs. A store also holds other data (Virtuoso's own
system graphs, an institute's other datasets), so every query without its own FROM is sent with
FROM / FROM NAMED for exactly the graphs `aigovkg publish` recorded (in the text, not as
protocol parameters: see `sparql_text.with_dataset`; FROM NAMED only when the query has a GRAPH
pattern, the only way to see a named graph).

Before anything is sent, `sparql_safety.check_query` runs as it does for the embedded store:
no SERVICE, no update, no FROM outside the project's graphs. The only host contacted is the
configured one (see remote_http).
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, XSD
from rdflib.term import Node

from .errors import QueryError
from .namespaces import DATASET_IRI, PREFIXES, bind_prefixes
from .remote_http import StoreClient, StoreError
from .sparql_safety import check_query, declared_dataset
from .sparql_text import (
    describe_targets,
    has_order_by,
    prefix_names,
    query_form,
    reads_named_graphs,
    substitute,
    with_dataset,
)
from .store import Dataset, GraphResult, QueryAnswer, SelectResult

STORE_ENV = "AIGOVKG_STORE"
USER_ENV = "AIGOVKG_STORE_USER"
PASSWORD_ENV = "AIGOVKG_STORE_PASSWORD"
# Where `publish` records what it loaded, outside the dataset the queries see: the dataset
# dcterms:hasPart each named graph, owl:versionInfo the package version, dcterms:identifier the
# digest of the inputs it was built from; each graph's own dcterms:identifier is the digest of
# the N-Triples publish sent for it.
METADATA_GRAPH = URIRef(f"{DATASET_IRI}/store")
PUBLISHED_GRAPH = DCTERMS.hasPart
PUBLISHED_VERSION = OWL.versionInfo
PUBLISHED_DIGEST = DCTERMS.identifier
# The union of the named graphs, loaded once more as one graph: the default graph of every query.
# Virtuoso 7.2 drops solutions when a query with GROUP BY has several FROM graphs (CQ19 gave 1
# row of 5), while one FROM graph plus any number of FROM NAMED is answered correctly.
UNION_GRAPH = URIRef("https://w3id.org/aigovkg/graph/union")
PUBLISHED_DEFAULT = URIRef("http://www.w3.org/ns/sparql-service-description#defaultGraph")

_XSD_STRING = str(XSD.string)
_XSD_BOOLEAN = str(XSD.boolean)
_VIRTUOSO_BNODE = "nodeID://"
CBD_DEPTH = 7  # blank nodes below a described resource (an RDF list: one per item)
_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_FORM = "application/x-www-form-urlencoded"


def store_url(explicit: str | None = None) -> str | None:
    """The store the process should use: the explicit URL, else $AIGOVKG_STORE, else None (the
    embedded store). The one place that decides it."""
    chosen = explicit if explicit is not None else os.environ.get(STORE_ENV)
    return chosen.strip() or None if chosen else None


def client_from_env(url: str, *, timeout_s: float = 60.0) -> StoreClient:
    """A client for `url` with the credentials of the environment (never the command line)."""
    return StoreClient(
        url,
        timeout_s=timeout_s,
        user=os.environ.get(USER_ENV) or None,
        password=os.environ.get(PASSWORD_ENV),
    )


def normalise(term: Mapping[str, str] | None) -> Node | None:
    """One SPARQL JSON term as the rdflib term the embedded store would give."""
    if term is None:
        return None
    kind = term.get("type")
    value = term.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(_bnode_label(value))
    if kind in ("literal", "typed-literal"):
        lang = term.get("xml:lang")
        datatype = term.get("datatype")
        if lang:
            return Literal(value, lang=lang)
        if not datatype or datatype == _XSD_STRING:
            return Literal(value)
        return _typed(value, datatype)
    raise QueryError(f"the store answered a term of unknown type {kind!r}")


def normalise_node(node: Node) -> Node:
    """An rdflib term parsed from the store's N-Triples, normalised as `normalise` does."""
    if isinstance(node, BNode):
        return BNode(_bnode_label(str(node)))
    if isinstance(node, Literal) and node.datatype is not None and not node.language:
        if str(node.datatype) == _XSD_STRING:
            return Literal(str(node))
        return _typed(str(node), str(node.datatype))
    return node


def _bnode_label(value: str) -> str:
    label = value.removeprefix(_VIRTUOSO_BNODE)
    return "".join(c if c.isalnum() else "_" for c in label) or "b"


def _typed(value: str, datatype: str) -> Literal:
    if datatype == _XSD_BOOLEAN:
        value = {"1": "true", "0": "false"}.get(value, value)
    return Literal(value, datatype=URIRef(datatype), normalize=False)


@dataclass(frozen=True)
class Published:
    """What `aigovkg publish` recorded in the store's metadata graph."""

    graphs: frozenset[str]
    version: str | None
    inputs: str | None
    default_graph: str | None = None  # the union graph, when publish loaded one
    # graph -> digest of the N-Triples publish sent for it: a republish skips what is unchanged
    contents: Mapping[str, str] = field(default_factory=dict)


class RemoteBackend:
    """A SPARQL 1.1 Protocol endpoint as the query layer's backend."""

    def __init__(self, client: StoreClient) -> None:
        self.client = client
        self._published: Published | None = None
        self._size: int | None = None

    @classmethod
    def connect(cls, url: str, *, timeout_s: float = 60.0) -> RemoteBackend:
        """The store at `url` (its query endpoint), with credentials from the environment."""
        return cls(client_from_env(url, timeout_s=timeout_s))

    @property
    def url(self) -> str:
        return self.client.url

    def published(self) -> Published:
        """The graphs, version and input digest the last `publish` recorded (read once)."""
        if self._published is None:
            answer = self._select(
                f"SELECT ?p ?o ?digest WHERE {{ GRAPH <{METADATA_GRAPH}> {{ <{DATASET_IRI}> ?p ?o "
                f"OPTIONAL {{ ?o <{PUBLISHED_DIGEST}> ?digest }} }} }}",
                (),
                (),
            )
            graphs: set[str] = set()
            contents: dict[str, str] = {}
            version = inputs = default = None
            for row in answer.as_dicts():  # by name: a store may leave out an unbound column
                p, o, digest = row.get("p"), row.get("o"), row.get("digest")
                if p == PUBLISHED_GRAPH:
                    graphs.add(str(o))
                    if digest is not None:
                        contents[str(o)] = str(digest)
                elif p == PUBLISHED_DEFAULT:
                    default = str(o)
                elif p == PUBLISHED_VERSION:
                    version = str(o)
                elif p == PUBLISHED_DIGEST:
                    inputs = str(o)
            if not graphs:
                raise StoreError(
                    f"the store at {self.url} holds no aigovkg dataset (no graph listed in "
                    f"<{METADATA_GRAPH}>); load it with: aigovkg publish --to {self.url}"
                )
            self._published = Published(frozenset(graphs), version, inputs, default, contents)
        return self._published

    def graphs(self) -> frozenset[str]:
        return self.published().graphs

    def __len__(self) -> int:
        if self._size is None:
            answer = self.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            assert isinstance(answer, SelectResult)
            self._size = int(answer.rows[0][0])  # type: ignore[arg-type]
        return self._size

    def run(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
        *,
        max_rows: int | None = None,
        base_iri: str | None = None,
    ) -> QueryAnswer | GraphResult:
        if not declared_dataset(query, PREFIXES):
            # The query's own faults before the store is asked anything: a query refused on its
            # text is the client's fault (400) even while the store is down (503).
            check_query(query, (), PREFIXES)
        graphs = self.graphs()
        # No SERVICE, no update, no FROM outside the project's graphs, as on the embedded store.
        check_query(query, graphs, PREFIXES)
        text = self.portable(query, bindings, base_iri)
        if query_form(text) == "DESCRIBE":
            return self._describe(text, dataset, max_rows)
        default: tuple[str, ...] = ()
        named: tuple[str, ...] = ()
        if dataset is not None and dataset.explicit:  # the protocol's, as the client sent it
            default, named = dataset.default_graphs, dataset.named_graphs
        elif not declared_dataset(query, PREFIXES):  # the union of the project's graphs
            ordered = tuple(sorted(graphs))
            union = self.published().default_graph
            listed = ordered if reads_named_graphs(text) else ()
            text = with_dataset(text, (union,) if union else ordered, listed)
        form = query_form(text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return self._graph(text, default, named, max_rows)
        if form == "ASK":
            return _ask(self._post(text, default, named, _JSON))
        result = self._select(text, default, named)
        ordered = has_order_by(text)
        rows = result.rows if ordered else sorted(result.rows, key=_row_key)
        if max_rows is not None and len(rows) > max_rows:
            return SelectResult(result.variables, rows[:max_rows], True)
        return SelectResult(result.variables, rows)

    def _describe(
        self, text: str, dataset: Dataset | None, max_rows: int | None
    ) -> Graph | GraphResult:
        """DESCRIBE as the embedded store answers it (see the module's docstring)."""
        targets, start, end = describe_targets(text)
        resources = [t for t in targets if t[0] not in "?$*"]
        variables = [t for t in targets if t[0] in "?$"]
        if variables or "*" in targets:
            projection = " ".join(variables) or "*"
            select = f"{text[:start]}SELECT DISTINCT {projection}{text[end:]}"
            found = self.run(select, dataset=dataset)
            assert isinstance(found, SelectResult)
            named = {t.n3() for row in found.rows for t in row if isinstance(t, URIRef)}
            resources += sorted(named)
        if not resources:
            empty = bind_prefixes(Graph())
            return empty if max_rows is None else GraphResult(empty, False)
        # One branch per depth: the resources' own triples, then those of a blank node one,
        # two... hops below one (plain joins: Virtuoso's planner gives up on nested OPTIONALs).
        values = f"VALUES ?r {{ {' '.join(resources)} }}"
        branches = [f"{{ {values} ?r ?p ?o . BIND (?r AS ?s) }}"]
        for depth in range(1, CBD_DEPTH + 1):
            chain = ["?r", *(f"?b{n}" for n in range(1, depth)), "?s"]
            hops = " ".join(
                f"{chain[n - 1]} ?q{n} {chain[n]} . FILTER (isBlank({chain[n]}))"
                for n in range(1, depth + 1)
            )
            branches.append(f"{{ {values} {hops} ?s ?p ?o }}")
        construct = f"{text[:start]}CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {' UNION '.join(branches)} }}"
        answer = self.run(construct, dataset=dataset, max_rows=max_rows)
        assert isinstance(answer, Graph | GraphResult)
        graph = answer if isinstance(answer, Graph) else answer.graph
        if _deepest_blank(graph) > CBD_DEPTH:
            raise QueryError(
                f"a described resource has blank nodes nested deeper than {CBD_DEPTH} levels, "
                "which DESCRIBE on a remote store does not follow; ask for them with CONSTRUCT"
            )
        return answer

    @staticmethod
    def portable(
        query: str, bindings: Mapping[str, Node] | None = None, base_iri: str | None = None
    ) -> str:
        """The query as any SPARQL 1.1 store takes it: the project prefixes it uses declared,
        bound variables replaced by their terms, the base IRI declared."""
        if bindings:
            query = substitute(query, {name: term.n3() for name, term in bindings.items()})
        used, declared = prefix_names(query)
        prologue = "".join(
            f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in used if p not in declared and p in PREFIXES
        )
        if base_iri:
            prologue = f"BASE <{base_iri}>\n" + prologue
        return prologue + query

    def _post(
        self, text: str, default: tuple[str, ...], named: tuple[str, ...], accept: str
    ) -> bytes:
        form = [("query", text)]
        form += [("default-graph-uri", g) for g in default]
        form += [("named-graph-uri", g) for g in named]
        _status, _type, body = self.client.request(
            "POST",
            self.client.url,
            urllib.parse.urlencode(form).encode(),
            {"Content-Type": _FORM, "Accept": accept},
        )
        return body

    def _select(self, text: str, default: tuple[str, ...], named: tuple[str, ...]) -> SelectResult:
        body = self._post(text, default, named, _JSON)
        try:
            data = json.loads(body)
            variables = list(data["head"]["vars"])
            bindings = data["results"]["bindings"]
        except (ValueError, KeyError, TypeError) as exc:
            raise QueryError(f"the store sent no SPARQL JSON results: {exc}") from None
        rows = [tuple(normalise(b.get(v)) for v in variables) for b in bindings]
        return SelectResult(variables, rows)

    def _graph(
        self, text: str, default: tuple[str, ...], named: tuple[str, ...], max_rows: int | None
    ) -> Graph | GraphResult:
        body = self._post(text, default, named, _NTRIPLES)
        parsed = Graph()
        try:
            parsed.parse(data=body.decode("utf-8"), format="nt")
        except Exception as exc:  # rdflib raises several kinds on bad N-Triples
            raise QueryError(f"the store sent no N-Triples: {exc}") from None
        graph = bind_prefixes(Graph())
        truncated = False
        for count, (s, p, o) in enumerate(sorted(parsed)):
            if max_rows is not None and count == max_rows:
                truncated = True
                break
            graph.add((normalise_node(s), p, normalise_node(o)))
        return graph if max_rows is None else GraphResult(graph, truncated)


def _ask(body: bytes) -> bool:
    """SPARQL JSON's `boolean`, or Virtuoso's one-row SELECT of `__ASK_RETVAL`."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise QueryError(f"the store sent no SPARQL JSON result: {exc}") from None
    if "boolean" in data:
        return bool(data["boolean"])
    bindings = data.get("results", {}).get("bindings", [])
    if not bindings:
        return False
    value = next(iter(bindings[0].values()), {}).get("value", "")
    return value in ("1", "true")


def _deepest_blank(graph: Graph) -> int:
    """How many blank-node hops below the described resources (its other subjects) a
    description reaches."""
    frontier = {s for s in graph.subjects() if not isinstance(s, BNode)}
    seen: set[Node] = set(frontier)
    depth = 0
    while frontier:
        below = {o for s in frontier for o in graph.objects(s) if isinstance(o, BNode)}
        frontier = below - seen
        seen |= frontier
        depth += 1 if frontier else 0
    return depth


def _row_key(row: tuple[Node | None, ...]) -> tuple[str, ...]:
    return tuple("" if term is None else term.n3() for term in row)
