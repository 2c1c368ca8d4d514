"""The Python API: `aigovkg.load()` and the KnowledgeGraph it returns.

Researchers in Jupyter get DataFrames; the same object backs the command line. pandas is
imported when a DataFrame is first asked for, so `aigovkg query` (which renders the raw answer)
does not pay for it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.term import Node

from . import build as pipeline
from .errors import QueryError
from .namespaces import STATUS_GRAPH
from .queries import get_query
from .sources import SourceTree, locate
from .store import (
    Dataset,
    GraphResult,
    OxigraphBackend,
    QueryAnswer,
    SelectResult,
    SparqlBackend,
)

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from matplotlib.figure import Figure

    from .analysis.compare import Conversion, Wording
    from .validation import ValidationReport


CACHE_SIZE = 256
# A whole-graph answer (the views' facts: a row per triple, 1.4M rows at a million triples) is
# read once; kept in the cache it would hold gigabytes for the process's life.
CACHE_MAX_ROWS = 50_000


class KnowledgeGraph:
    """The built graph behind a query backend, plus the source tree it was built from.

    Every surface asks its questions here or through the same backend: ad-hoc SPARQL with
    `query`, the project's named queries (`queries/<kind>/<id>.rq`) with `named` and `frame`.
    Answers are cached (the graph does not change under a loaded KnowledgeGraph), so the
    analysis, the resolver and the views share one query per question.
    """

    def __init__(
        self,
        backend: SparqlBackend | None = None,
        tree: SourceTree | None = None,
        *,
        store: str | None = None,
    ) -> None:
        """`KnowledgeGraph(backend, tree)`, or `KnowledgeGraph(store=URL)` for the dataset
        published into a remote SPARQL store (without either: as `load()` chooses)."""
        self.tree = tree or locate(None)
        self.backend = (
            backend if backend is not None else pipeline.load_backend(self.tree, store=store)
        )
        self._cache: OrderedDict[tuple[object, ...], QueryAnswer] = OrderedDict()

    @classmethod
    def from_graph(cls, graph: Graph, tree: SourceTree) -> KnowledgeGraph:
        """An rdflib graph (say, the real data plus a hypothetical event) behind the same query
        layer, with its status intervals derived by the one status rule, as a build would."""
        status = pipeline.derive_status(tree, graph)
        return cls(
            OxigraphBackend.from_graphs({"urn:aigovkg:graph": graph, str(STATUS_GRAPH): status}),
            tree,
        )

    def __len__(self) -> int:
        return len(self.backend)

    def run(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        dataset: Dataset | None = None,
    ) -> QueryAnswer:
        """The raw answer: SelectResult of rdflib terms, bool, or rdflib Graph (not cached:
        a Graph can be changed by its caller)."""
        key = (sparql, tuple(sorted((k, v.n3()) for k, v in (bindings or {}).items())), dataset)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        answer = self.backend.run(sparql, bindings, dataset)
        assert not isinstance(answer, GraphResult)  # only returned when max_rows is given
        if not isinstance(answer, Graph) and not (
            isinstance(answer, SelectResult) and answer.row_count() > CACHE_MAX_ROWS
        ):
            self._cache[key] = answer
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return answer

    def named(
        self, kind: str, query_id: str, bindings: Mapping[str, Node] | None = None
    ) -> QueryAnswer:
        """The answer of a project query, e.g. `named("app/viz", "labels")`."""
        return self.run(get_query(self.tree, kind, query_id).text, bindings)

    def rows(
        self, kind: str, query_id: str, bindings: Mapping[str, Node] | None = None
    ) -> list[dict[str, Node]]:
        """A project SELECT query's rows as dicts of rdflib terms (unbound variables left out)."""
        answer = self.named(kind, query_id, bindings)
        if not isinstance(answer, SelectResult):
            raise QueryError(f"queries/{kind}/{query_id}.rq is not a SELECT query")
        return answer.as_dicts()

    def frame(
        self, kind: str, query_id: str, bindings: Mapping[str, Node] | None = None
    ) -> pd.DataFrame:
        """A project SELECT query's answer as a DataFrame (a fresh copy: callers may change it)."""
        answer = self.named(kind, query_id, bindings)
        if not isinstance(answer, SelectResult):
            raise QueryError(f"queries/{kind}/{query_id}.rq is not a SELECT query")
        from .frames import to_frame

        return to_frame(answer)

    def query(
        self, sparql: str, bindings: Mapping[str, Node] | None = None
    ) -> pd.DataFrame | bool | Graph:
        """SELECT as a DataFrame, ASK as bool, CONSTRUCT/DESCRIBE as an rdflib Graph."""
        answer = self.run(sparql, bindings)
        if isinstance(answer, SelectResult):
            from .frames import to_frame

            return to_frame(answer)
        return answer

    def cq(
        self, query_id: str, bindings: Mapping[str, Node] | None = None
    ) -> pd.DataFrame | bool | Graph:
        """Run a competency question from queries/cq/ by id (e.g. "CQ01")."""
        answer = self.named("cq", query_id, bindings)
        if isinstance(answer, SelectResult):
            from .frames import to_frame

            return to_frame(answer)
        return answer

    def validate(self) -> ValidationReport:
        """SHACL and integrity checks over the sources (not over the query store)."""
        return pipeline.validate(self.tree)[1]

    def dump(self, out_dir: Path | None = None) -> dict[str, Path]:
        """Validate and write the dumps (default: the tree's dist/)."""
        return pipeline.build(self.tree, out_dir).files

    # Analysis (aigovkg.analysis): each method names things as analysts do (slug, label in any
    # language, identifier such as "EO 14110") and returns DataFrames, graphs or figures.

    def resolve(self, name: str, kind: str | None = None) -> str:
        """The IRI of the instrument, party or summit called `name` (UnknownName lists the
        closest matches)."""
        from .resolve import resolve

        return resolve(self, name, kind)

    def status(
        self, as_of: str | date | None = None, jurisdiction: str | None = None
    ) -> pd.DataFrame:
        """Each instrument's status (proposed, adopted, in force, partially applicable,
        revoked...) on `as_of` (default today), derived from its life-cycle events."""
        from .analysis.dates import parse_date
        from .analysis.status import status

        where = self.resolve(jurisdiction, "party") if jurisdiction else None
        return status(self, parse_date(as_of), where)

    def timeline(self, jurisdiction: str | None = None) -> pd.DataFrame:
        """Every dated life-cycle event, in date order, with sources."""
        from .analysis.status import timeline

        return timeline(self, self.resolve(jurisdiction, "party") if jurisdiction else None)

    def compare(
        self,
        *instruments: str,
        as_of: str | date | None = None,
        sources: bool = False,
        conversions: list[Conversion] | None = None,
        long: bool = False,
        words: Wording | None = None,
    ) -> pd.DataFrame:
        """Side-by-side matrix of instruments over the comparison dimensions (`long=True`: one
        row per fact with its sources, worded in `words`' language, English by default)."""
        from .analysis import compare
        from .analysis.dates import parse_date

        iris = [self.resolve(name, "instrument") for name in instruments]
        when = parse_date(as_of)
        if long:
            return compare.compare_long(self, iris, when, conversions, words or compare.ENGLISH)
        return compare.compare(self, iris, when, sources, conversions)

    def obligation_overlap(self, *instruments: str) -> pd.DataFrame:
        """Obligation types x instruments, with the articles; `shared` marks common types."""
        from .analysis.compare import obligation_overlap

        return obligation_overlap(self, [self.resolve(n, "instrument") for n in instruments])

    def participation(
        self, documents: list[str] | None = None, summits_only: bool = True
    ) -> pd.DataFrame:
        """Party x document matrix: signed, endorsed, joined-later, declined, did not sign, or
        not in incomplete list; columns are summit outcomes unless `summits_only=False` (every
        document with signatories) or `documents` are named."""
        from .analysis.participation import matrix

        iris = [self.resolve(d, "instrument") for d in documents] if documents else None
        return matrix(self, iris, summits_only)

    def signed_all(self, documents: list[str] | None = None) -> pd.DataFrame:
        """Parties on every document (default: every summit leaders' declaration)."""
        from .analysis.participation import signed_all

        iris = [self.resolve(d, "instrument") for d in documents] if documents else None
        return signed_all(self, iris)

    def signed_not(self, signed: str, not_signed: str) -> pd.DataFrame:
        """Parties on `signed` but not on `not_signed`, with their status on the latter."""
        from .analysis.participation import signed_not

        return signed_not(
            self, self.resolve(signed, "instrument"), self.resolve(not_signed, "instrument")
        )

    def party(self, name: str) -> dict[str, pd.DataFrame]:
        """A party's memberships, instruments and signatures."""
        from .analysis.participation import party_profile

        return party_profile(self, self.resolve(name, "party"))

    def bipartite_graph(self) -> nx.Graph:
        """The party-document graph (edges: positive participation)."""
        from .analysis.network import bipartite_graph

        return bipartite_graph(self)

    def cosignature_graph(self) -> nx.Graph:
        """Parties linked by the number of documents they both signed (`weight`)."""
        from .analysis.network import bipartite_graph, cosignature

        return cosignature(bipartite_graph(self))

    def similarity(self, of: str = "documents", among: list[str] | None = None) -> pd.DataFrame:
        """Jaccard similarity of documents' signatory sets ("documents") or of regimes'
        obligation-type sets ("obligations"), optionally only `among` some of them (e.g.
        `among=["Seoul Declaration", "Paris"]`)."""
        from .analysis.data import labels
        from .analysis.network import similarity

        table = similarity(self, of)
        if among:
            names = labels(self)
            chosen = [names[self.resolve(name, "instrument")] for name in among]
            missing = [c for c in chosen if c not in table.index]
            if missing:
                from .errors import AigovkgError

                what = "signatories" if of == "documents" else "obligations"
                raise AigovkgError(f"no {what} recorded for: {', '.join(missing)}")
            table = table.loc[chosen, chosen]
        return table

    def centrality(self) -> pd.DataFrame:
        """Degree, strength, betweenness and eigenvector centrality in the co-signature graph."""
        from .analysis.network import centrality

        return centrality(self.cosignature_graph())

    def communities(self, seed: int = 42) -> pd.DataFrame:
        """Louvain communities of the co-signature graph (fixed seed)."""
        from .analysis.network import communities

        return communities(self.cosignature_graph(), seed)

    def plot(self, kind: str, as_of: str | date | None = None) -> Figure:
        """A figure: "participation", "obligations", "timeline" or "similarity"."""
        from .analysis.dates import parse_date
        from .analysis.plots import figure

        return figure(self, kind, parse_date(as_of))


def load(
    path: str | Path | None = None, *, rebuild: bool = False, store: str | None = None
) -> KnowledgeGraph:
    """The knowledge graph of the checkout at `path` (default: around the current directory,
    else the copy shipped in the package), built first if dist/ is missing or stale.

    `store="http://host:8890/sparql"` (or $AIGOVKG_STORE) queries the dataset `aigovkg publish`
    loaded into that SPARQL store instead; the queries still come from the checkout."""
    tree = locate(Path(path) if path else None)
    return KnowledgeGraph(pipeline.load_backend(tree, rebuild=rebuild, store=store), tree)
