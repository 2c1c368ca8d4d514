"""Network metrics on small hand-made graphs with values known by hand, then on the real data."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from rdflib import Graph, URIRef

from aigovkg.analysis import network as net
from aigovkg.api import KnowledgeGraph
from aigovkg.namespaces import AIGOV

# The roles of the hand-made records that put a party on a document (the real ones are read
# from the graph by participation.signature_roles).
ON_DOCUMENT = {"signed", "endorsed", "joined-later"}


def records(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "party": p,
                "partyLabel": p,
                "document": d,
                "documentLabel": d,
                "status": s,
                "onDocument": s in ON_DOCUMENT,
                "date": None,
            }
            for p, d, s in rows
        ]
    )


HAND = records(
    [
        ("A", "D1", "signed"),
        ("B", "D1", "signed"),
        ("C", "D1", "endorsed"),
        ("B", "D2", "signed"),
        ("C", "D2", "joined-later"),
        ("A", "D2", "declined"),
        ("E", "D2", "did not sign"),
    ]
)


def test_bipartite_only_positive_edges() -> None:
    graph = net.bipartite_from_records(HAND)
    expected = [("A", "D1"), ("B", "D1"), ("C", "D1"), ("B", "D2"), ("C", "D2")]
    assert {frozenset(e) for e in graph.edges()} == {frozenset(e) for e in expected}
    assert "E" not in graph
    assert nx.is_bipartite(graph)


def test_cosignature_weights() -> None:
    projected = net.cosignature(net.bipartite_from_records(HAND))
    assert projected["B"]["C"]["weight"] == 2
    assert projected["A"]["B"]["weight"] == 1
    assert projected["A"]["C"]["weight"] == 1


def test_jaccard() -> None:
    table = net.jaccard({"x": {"a", "b", "c"}, "y": {"b", "c", "d"}, "z": set()})
    assert table.loc["x", "y"] == 0.5
    assert table.loc["y", "x"] == 0.5
    assert table.loc["x", "x"] == 1.0
    assert table.loc["x", "z"] == 0.0


def test_star_centrality() -> None:
    """A star with 3 leaves: centre degree 1, betweenness 1, eigenvector 1/sqrt(2); leaves
    1/3, 0 and 1/sqrt(6)."""
    star = nx.star_graph(3)
    table = net.centrality(star).set_index("node")
    assert table.loc[0, "degree"] == pytest.approx(1.0)
    assert table.loc[0, "betweenness"] == pytest.approx(1.0)
    assert table.loc[0, "eigenvector"] == pytest.approx(1 / math.sqrt(2), abs=1e-4)
    for leaf in (1, 2, 3):
        assert table.loc[leaf, "degree"] == pytest.approx(1 / 3)
        assert table.loc[leaf, "betweenness"] == pytest.approx(0.0)
        assert table.loc[leaf, "eigenvector"] == pytest.approx(1 / math.sqrt(6), abs=1e-4)
    assert table.index[0] == 0, "sorted by eigenvector centrality"


def test_path_betweenness() -> None:
    """Path a-b-c: b lies on the only shortest path between a and c (normalised: 1.0)."""
    table = net.centrality(nx.path_graph(["a", "b", "c"])).set_index("node")
    assert table.loc["b", "betweenness"] == pytest.approx(1.0)
    assert table.loc["a", "betweenness"] == 0.0


def test_louvain_two_cliques_fixed_seed() -> None:
    graph = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(5))
    graph.add_edge(0, 5)
    first = net.communities(graph)
    again = net.communities(graph)
    assert first.equals(again)
    groups = {frozenset(g["node"]) for _, g in first.groupby("community")}
    assert groups == {frozenset(range(5)), frozenset(range(5, 10))}


@pytest.mark.parametrize("fmt", net.EXPORT_FORMATS)
def test_export_reads_back(tmp_path: Path, fmt: str) -> None:
    graph = net.bipartite_from_records(HAND)
    path = net.export(graph, tmp_path / f"g.{fmt}", fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()


def test_real_similarity_of_documents(kg: KnowledgeGraph, rdf: Graph) -> None:
    """Golden from the sources: Jaccard of the two declarations' aigov:signatory sets."""
    ids = "https://w3id.org/aigovkg/id/instrument/"
    a = set(rdf.objects(URIRef(ids + "bletchley-declaration"), AIGOV.signatory))
    b = set(rdf.objects(URIRef(ids + "seoul-declaration"), AIGOV.signatory))
    table = kg.similarity("documents")
    value = table.loc[
        "Bletchley Declaration", "Seoul Declaration for safe, innovative and inclusive AI"
    ]
    assert value == pytest.approx(len(a & b) / len(a | b))


def test_real_cosignature_graph(kg: KnowledgeGraph, rdf: Graph) -> None:
    graph = kg.cosignature_graph()
    signers = {str(o) for o in rdf.objects(None, AIGOV.signatory)}
    assert set(graph.nodes) == signers
    central = kg.centrality()
    assert set(central.columns) >= {"degree", "betweenness", "eigenvector"}
    assert set(kg.communities()["node"]) == signers
