"""Networks of participation: the bipartite party-document graph, its weighted co-signature
projection, Jaccard similarity of sets, centrality and communities (networkx).

Only positive participation (signed, endorsed, joined later...) makes an edge; "declined" and the
two kinds of absence are attributes of nothing, because an edge means "is on the document".
Louvain runs with a fixed seed so that the communities are the same on every run.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd

from ..errors import AigovkgError
from .data import Queryable, read
from .participation import records

if TYPE_CHECKING:
    from ..api import KnowledgeGraph

SEED = 42
METRICS = ("centrality", "communities", "similarity", "obligations")
GRAPHS = ("bipartite", "cosignature")


def bipartite_from_records(frame: pd.DataFrame) -> nx.Graph:
    """Parties (bipartite=0) and documents (bipartite=1), an edge per positive participation."""
    graph = nx.Graph()
    for row in frame.itertuples(index=False):
        if not isinstance(row.party, str) or not row.onDocument:
            continue
        graph.add_node(row.party, bipartite=0, kind="party", label=str(row.partyLabel))
        graph.add_node(row.document, bipartite=1, kind="document", label=str(row.documentLabel))
        graph.add_edge(row.party, row.document, status=str(row.status), date=str(row.date or ""))
    return graph


def bipartite_graph(kg: Queryable) -> nx.Graph:
    """The party-document graph of the knowledge graph."""
    return bipartite_from_records(records(kg))


def cosignature(bipartite: nx.Graph) -> nx.Graph:
    """Parties linked by the number of documents they are both on (edge attribute `weight`)."""
    parties = [n for n, d in bipartite.nodes(data=True) if d.get("bipartite") == 0]
    projected = nx.bipartite.weighted_projected_graph(bipartite, parties)
    for node in projected:
        projected.nodes[node].update(bipartite.nodes[node])
    return projected


def jaccard(sets: Mapping[str, set[str]]) -> pd.DataFrame:
    """Symmetric matrix of |A and B| / |A or B| between named sets (1.0 on the diagonal; two empty
    sets count as identical)."""
    names = list(sets)
    table = pd.DataFrame(0.0, index=names, columns=names)
    for a in names:
        for b in names:
            union = sets[a] | sets[b]
            table.loc[a, b] = len(sets[a] & sets[b]) / len(union) if union else 1.0
    return table


def signatory_sets(kg: Queryable) -> dict[str, set[str]]:
    """Document label -> parties positively on it, in document date order."""
    frame = records(kg)
    sets: dict[str, set[str]] = {}
    for row in frame.itertuples(index=False):
        members = sets.setdefault(str(row.documentLabel), set())
        if isinstance(row.party, str) and row.onDocument:
            members.add(row.party)
    return sets


def obligation_sets(kg: Queryable) -> dict[str, set[str]]:
    """Instrument label -> obligation types it imposes (instruments that impose at least one)."""
    facts = read(kg, "instrument-facts")
    facts = facts[facts["dimension"] == "obligation types"]
    labels = kg.frame("app", "names").drop_duplicates("node").set_index("node")["label"]
    sets: dict[str, set[str]] = {}
    for row in facts.sort_values("instrument").itertuples(index=False):
        sets.setdefault(str(labels.get(row.instrument, row.instrument)), set()).add(row.item)
    return sets


def similarity(kg: Queryable, of: str = "documents") -> pd.DataFrame:
    """Jaccard similarity between documents' signatory sets (`of="documents"`) or between
    regimes' obligation-type sets (`of="obligations"`)."""
    if of in ("documents", "obligations"):
        table = jaccard(signatory_sets(kg) if of == "documents" else obligation_sets(kg))
        table.index.name = "document" if of == "documents" else "instrument"
        return table
    raise ValueError(f"similarity of 'documents' or 'obligations', not {of!r}")


def centrality(graph: nx.Graph) -> pd.DataFrame:
    """Degree, weighted degree (strength), betweenness and eigenvector centrality per node.

    Betweenness ignores weights (a path is a chain of co-signatures); eigenvector centrality uses
    them. Sorted by eigenvector centrality, then degree.
    """
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(
            columns=["node", "label", "degree", "strength", "betweenness", "eigenvector"]
        )
    degree = nx.degree_centrality(graph)
    strength = dict(graph.degree(weight="weight"))
    betweenness = nx.betweenness_centrality(graph)
    try:
        eigen = nx.eigenvector_centrality(graph, weight="weight", max_iter=10_000)
    except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
        eigen = nx.eigenvector_centrality_numpy(graph, weight="weight")
    rows = [
        {
            "node": n,
            "label": graph.nodes[n].get("label", n),
            "degree": degree[n],
            "strength": strength[n],
            "betweenness": betweenness[n],
            "eigenvector": eigen[n],
        }
        for n in graph
    ]
    frame = pd.DataFrame(rows)
    return frame.sort_values(
        ["eigenvector", "degree", "label"], ascending=[False, False, True], ignore_index=True
    )


def communities(graph: nx.Graph, seed: int = SEED) -> pd.DataFrame:
    """Louvain communities (weighted, fixed seed), numbered from the largest."""
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    rows = [
        {"community": i, "node": n, "label": graph.nodes[n].get("label", n)}
        for i, members in enumerate(ordered)
        for n in sorted(members)
    ]
    return pd.DataFrame(rows, columns=["community", "node", "label"])


EXPORT_FORMATS = ("graphml", "gexf")


def check_options(metric: str, export: str | None, graph: str) -> None:
    """Refuse an unknown metric, export format or graph before anything is loaded."""
    if export is not None and export not in EXPORT_FORMATS:
        raise AigovkgError(f"unknown export format '{export}' (use graphml or gexf)")
    if graph not in GRAPHS:
        raise AigovkgError(f"unknown graph '{graph}' (use bipartite or cosignature)")
    if metric not in METRICS:
        raise AigovkgError(f"unknown metric '{metric}' (use {', '.join(METRICS)})")


def metric_table(kg: KnowledgeGraph, metric: str, among: list[str] | None = None) -> pd.DataFrame:
    """One of METRICS as a table: centrality, communities, or the Jaccard similarity of
    documents' signatories ("similarity") or regimes' obligation types ("obligations")."""
    check_options(metric, None, "bipartite")
    if metric == "centrality":
        return kg.centrality()
    if metric == "communities":
        return kg.communities()
    return kg.similarity("documents" if metric == "similarity" else "obligations", among)


def named_graph(kg: KnowledgeGraph, name: str) -> nx.Graph:
    """One of GRAPHS: the party-document graph or its co-signature projection."""
    check_options(METRICS[0], None, name)
    return kg.bipartite_graph() if name == "bipartite" else kg.cosignature_graph()


def export(graph: nx.Graph, path: Path, fmt: str) -> Path:
    """Write a graph for Gephi (GEXF) or Cytoscape/yEd (GraphML); attributes become strings
    or numbers, which both formats require."""
    clean = nx.Graph()
    for node, data in graph.nodes(data=True):
        clean.add_node(
            node, **{k: v if isinstance(v, int | float) else str(v) for k, v in data.items()}
        )
    for a, b, data in graph.edges(data=True):
        clean.add_edge(
            a, b, **{k: v if isinstance(v, int | float) else str(v) for k, v in data.items()}
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(clean, path)
    elif fmt == "gexf":
        nx.write_gexf(clean, path)
    else:
        raise ValueError(f"export format must be one of {EXPORT_FORMATS}, not {fmt!r}")
    return path
