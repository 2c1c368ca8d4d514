"""Fixtures for the analysis tests: the real graph (built once from a copy of the tree), an
rdflib view of the same data for answers computed independently of the analysis queries, and a
way to add triples (a future Paris declaration, a crosswalk) without touching data/."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph

from aigovkg.api import KnowledgeGraph
from aigovkg.loader import LoadedGraph
from aigovkg.namespaces import bind_prefixes

PREFIXES = "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in bind_prefixes(Graph()).namespaces() if p)


@pytest.fixture(scope="session")
def rdf(loaded: LoadedGraph) -> Graph:
    """The source graph as parsed by rdflib: the reference the golden answers are computed from."""
    return loaded.graph


@pytest.fixture(scope="session")
def extend(loaded: LoadedGraph, kg: KnowledgeGraph) -> Callable[[str], KnowledgeGraph]:
    """A knowledge graph of the real data plus some Turtle (prefixes predeclared)."""

    def make(turtle: str) -> KnowledgeGraph:
        graph = Graph()
        for triple in loaded.graph:
            graph.add(triple)
        graph.parse(data=PREFIXES + "\n" + turtle, format="turtle")
        return KnowledgeGraph.from_graph(graph, kg.tree)

    return make
