"""Regime comparison against the parsed sources; crosswalk matches appear when SKOS mappings
are added."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from aigovkg.analysis.compare import DIMENSIONS, Conversion
from aigovkg.api import KnowledgeGraph
from aigovkg.namespaces import AIGOV

EU = URIRef("https://w3id.org/aigovkg/id/instrument/eu-ai-act")
KR = URIRef("https://w3id.org/aigovkg/id/instrument/kr-ai-basic-act")


def obligation_types(rdf: Graph, instrument: URIRef) -> set[str]:
    return {
        str(rdf.value(t, SKOS.prefLabel))
        for o in rdf.objects(instrument, AIGOV.imposes)
        for t in rdf.objects(o, AIGOV.obligationType)
    }


def test_matrix_shape_and_status(kg: KnowledgeGraph) -> None:
    table = kg.compare("eu-ai-act", "AI 기본법", "EO 14110", as_of="2026-01-22")
    assert list(table.index) == DIMENSIONS
    assert list(table.columns) == [
        "EU AI Act",
        "Korea AI Basic Act",
        "Executive Order 14110 on Safe, Secure, and Trustworthy AI",
    ]
    assert table.loc["status", "Korea AI Basic Act"].startswith("in force since 2026-01-22")
    assert table.loc["status", "EU AI Act"].startswith("partially applicable")
    assert table.loc["status", table.columns[2]].startswith("revoked since 2025-01-20")


def test_obligations_match_the_sources(kg: KnowledgeGraph, rdf: Graph) -> None:
    overlap = kg.obligation_overlap("eu-ai-act", "kr-ai-basic-act")
    eu, kr = obligation_types(rdf, EU), obligation_types(rdf, KR)
    assert set(overlap.index) == eu | kr
    assert set(overlap.index[overlap["shared"]]) == eu & kr
    similarity = kg.similarity("obligations")
    assert similarity.loc["EU AI Act", "Korea AI Basic Act"] == len(eu & kr) / len(eu | kr)


def test_every_fact_has_sources_where_the_data_has_them(kg: KnowledgeGraph) -> None:
    long = kg.compare("eu-ai-act", "kr-ai-basic-act", as_of="2026-01-22", long=True)
    for dimension in ("key dates", "obligation types", "maximum penalties", "status"):
        rows = long[long["dimension"] == dimension]
        assert not rows.empty and rows["sources"].map(bool).all(), dimension
    wide = kg.compare("eu-ai-act", "kr-ai-basic-act", as_of="2026-01-22", sources=True)
    assert "[source:" in wide.loc["maximum penalties", "EU AI Act"]


def test_penalties_native_currency_and_named_conversion(kg: KnowledgeGraph) -> None:
    rate = Conversion("KRW", "EUR", 0.0005, date(2026, 1, 22))
    table = kg.compare("eu-ai-act", "kr-ai-basic-act", as_of="2026-01-22", conversions=[rate])
    assert (
        "EUR 35,000,000 or 7% of worldwide annual turnover (Art. 99(3))"
        in (table.loc["maximum penalties", "EU AI Act"])
    )
    korean = table.loc["maximum penalties", "Korea AI Basic Act"]
    assert korean.startswith("KRW 30,000,000")
    assert "≈ EUR 15,000 at 0.0005 EUR/KRW on 2026-01-22" in korean


def test_crosswalk_appears_when_mapped(extend: Callable[[str], KnowledgeGraph]) -> None:
    kg = extend("tier:eu-ai-act-high-risk skos:closeMatch tier:kr-ai-basic-act-high-impact-ai .")
    table = kg.compare("eu-ai-act", "kr-ai-basic-act", as_of="2026-01-22")
    assert "close match high-impact AI" in table.loc["crosswalk", "EU AI Act"]
    assert "close match high risk" in table.loc["crosswalk", "Korea AI Basic Act"]


MAPPING_RECORD = """
@prefix mapping: <https://w3id.org/aigovkg/id/mapping/> .
mapping:example a aigov:Mapping ;
    aigov:mappingSubject obligation:eu-ai-act-art-9-risk-management ;
    aigov:mappingPredicate skos:broadMatch ;
    aigov:mappingObject obligation:kr-ai-basic-act-domestic-agent ;
    dcterms:source source:example-mapping-source .
"""


def test_crosswalk_from_a_mapping_record_has_its_sources(
    extend: Callable[[str], KnowledgeGraph],
) -> None:
    """A mapping stated only as a record (the SSSOM pattern) counts, with the record's sources;
    broadMatch seen from the other side reads "narrower than"."""
    kg = extend(MAPPING_RECORD)
    long = kg.compare("eu-ai-act", "kr-ai-basic-act", as_of="2026-01-22", long=True)
    rows = long[(long["dimension"] == "crosswalk") & long["value"].str.contains("domestic agent")]
    by_side = dict(zip(rows["instrument_label"], rows["value"], strict=True))
    assert "broader than appoint a domestic agent" in by_side["EU AI Act"]
    assert "narrower than risk management" in by_side["Korea AI Basic Act"]
    assert rows["sources"].str.endswith("/source/example-mapping-source").all()
