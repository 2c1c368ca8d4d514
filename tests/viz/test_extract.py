"""What each view holds, on the real graph: queries/app/viz/ and the code over its rows."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from aigovkg.api import KnowledgeGraph
from aigovkg.errors import UnknownName
from aigovkg.namespaces import AIGOV, COUNTRY, ID, INSTRUMENT, SUMMIT
from aigovkg.resolve import resolve
from aigovkg.sources import SourceTree
from aigovkg.store import OxigraphBackend, SelectResult
from aigovkg.viz.extract import (
    GraphFacts,
    Text,
    UnknownView,
    build_view,
    ego,
    read_facts,
)

KR = str(COUNTRY.KR)
SEOUL = str(INSTRUMENT["seoul-declaration"])
EU_AI_ACT = str(INSTRUMENT["eu-ai-act"])


def test_full_view_holds_every_instance_and_no_ontology_term(
    kg: OxigraphBackend, tree: SourceTree, facts: GraphFacts, loaded
) -> None:
    view = build_view(kg, "full", facts)
    graph = loaded.graph
    typed = {str(s) for s in graph.subjects(RDF.type, None) if str(s).startswith(str(ID))}
    assert typed <= set(view.nodes)
    assert not any(iri.startswith(str(AIGOV._NS)) for iri in view.nodes)
    for edge in view.edges:
        assert edge.source in view.nodes and edge.target in view.nodes


def test_summits_view_links_korea_to_what_it_signed_with_evidence(
    kg: OxigraphBackend, tree: SourceTree, facts: GraphFacts
) -> None:
    view = build_view(kg, "summits", facts)
    assert KR in view.nodes and SEOUL in view.nodes
    signed = [e for e in view.edges if e.source == KR and e.target == SEOUL]
    assert [e.label for e in signed] == ["signed"]
    evidence = signed[0].evidence
    assert evidence is not None and view.evidence_sources[evidence]
    assert view.nodes[KR].cls == "Country"
    assert view.nodes[KR].labels["ko"] == "대한민국"
    assert str(SUMMIT["ai-seoul-summit-2024"]) in view.nodes[KR].summits
    assert KR in view.nodes[SEOUL].jurisdictions


def test_regimes_view_has_instruments_and_tiers(
    kg: OxigraphBackend, tree: SourceTree, facts: GraphFacts
) -> None:
    view = build_view(kg, "regimes", facts)
    assert EU_AI_ACT in view.nodes
    assert view.nodes[EU_AI_ACT].instrument
    tiers = [
        e.target for e in view.edges if e.source == EU_AI_ACT and e.label == "defines risk tier"
    ]
    assert tiers and all(view.nodes[t].cls == "RiskTier" for t in tiers)


def test_ontology_view_has_classes_and_properties(
    kg: OxigraphBackend, tree: SourceTree, facts: GraphFacts
) -> None:
    view = build_view(kg, "ontology", facts)
    assert str(AIGOV.Signature) in view.nodes and str(AIGOV.party) in view.nodes
    assert view.nodes[str(AIGOV.Signature)].cls == "Class"
    assert view.nodes[str(AIGOV.party)].cls == "ObjectProperty"  # also a FunctionalProperty
    assert view.nodes[str(AIGOV.startDate)].cls == "DatatypeProperty"
    assert any(e.source == str(AIGOV.party) and e.label for e in view.edges)


def test_unknown_view(kg: OxigraphBackend, tree: SourceTree, facts: GraphFacts) -> None:
    with pytest.raises(UnknownView):
        build_view(kg, "nope", facts)


@pytest.mark.parametrize(
    ("name", "iri"),
    [
        ("KR", KR),
        ("kr", KR),
        ("country:KR", KR),
        (KR, KR),
        ("Republic of Korea", KR),
        ("대한민국", KR),
        ("eu-ai-act", EU_AI_ACT),
    ],
)
def test_focus_names_resolve_with_the_one_resolver(name: str, iri: str, kg) -> None:
    """`--focus` goes through aigovkg.resolve, as the CLI arguments and /compare do."""
    assert resolve(kg, name) == iri


def test_resolve_unknown_name_is_a_clear_error(kg) -> None:
    with pytest.raises(UnknownName, match="atlantis"):
        resolve(kg, "atlantis")
    assert UnknownName.exit_code == 2


def test_ego_graph_of_korea(kg: OxigraphBackend, tree: SourceTree, facts: GraphFacts) -> None:
    view = ego(build_view(kg, "full", facts), KR)
    assert KR in view.nodes and SEOUL in view.nodes
    assert "Republic of Korea" in view.title
    assert len(view.nodes) < len(build_view(kg, "full", facts).nodes)


def test_as_of_leaves_out_later_summits(kg: OxigraphBackend, tree: SourceTree) -> None:
    as_of = dt.date(2023, 12, 31)
    facts = read_facts(kg, as_of)
    view = build_view(kg, "summits", facts, as_of)
    assert str(SUMMIT["ai-safety-summit-2023"]) in view.nodes
    assert str(SUMMIT["ai-seoul-summit-2024"]) not in view.nodes
    assert SEOUL not in view.nodes


class RdflibTermsBackend:
    """The embedded store answering as a remote store does: rows of rdflib terms."""

    def __init__(self, backend: OxigraphBackend) -> None:
        self.backend = backend

    def run(self, query, bindings=None, dataset=None, **options):  # type: ignore[no-untyped-def]
        answer = self.backend.run(query, bindings, dataset, **options)
        if isinstance(answer, SelectResult):
            return SelectResult(answer.variables, answer.rows, answer.truncated)
        return answer

    def graphs(self) -> frozenset[str]:
        return self.backend.graphs()

    def __len__(self) -> int:
        return len(self.backend)


def test_views_read_rdflib_terms_as_they_read_the_engines_own(kg, facts: GraphFacts) -> None:
    """The views read the embedded store's whole-graph rows as its own terms (making an rdflib
    term per row was most of their time at a million statements); a remote store answers with
    rdflib terms. Both give the same facts and the same views."""
    remote = KnowledgeGraph(RdflibTermsBackend(kg.backend), kg.tree)
    native = kg.named("app/viz", "facts").iter_terms()
    assert all(isinstance(row[0], ox.NamedNode) for row in native)
    assert all(isinstance(row[0], URIRef) for row in remote.named("app/viz", "facts").iter_terms())
    again = read_facts(remote)
    assert again.labels == facts.labels and again.facts == facts.facts
    assert again.sources == facts.sources and again.dates == facts.dates
    assert any(isinstance(o, Text) for values in facts.facts.values() for _, o, _ in values)
    for view in ("full", "summits", "regimes", "ontology"):
        assert build_view(remote, view, again) == build_view(kg, view, facts), view
