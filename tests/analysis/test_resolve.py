"""Naming things: slug, label in any language, identifier, ISO code; unknown names get the
closest matches."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from aigovkg.api import KnowledgeGraph
from aigovkg.errors import UnknownName
from aigovkg.namespaces import AIGOV

ID = "https://w3id.org/aigovkg/id/"


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("eu-ai-act", "instrument", "instrument/eu-ai-act"),
        ("instrument:eu-ai-act", None, "instrument/eu-ai-act"),
        ("EU AI Act", "instrument", "instrument/eu-ai-act"),
        ("AI 기본법", "instrument", "instrument/kr-ai-basic-act"),
        ("EO 14110", "instrument", "instrument/us-eo-14110"),
        ("eo14110", "instrument", "instrument/us-eo-14110"),
        ("KR", "party", "country/KR"),
        ("country:KR", None, "country/KR"),
        ("european union", "party", "organisation/eu"),
        ("Bletchley Declaration", "instrument", "instrument/bletchley-declaration"),
        ("AI Seoul Summit 2024", "summit", "summit/ai-seoul-summit-2024"),
    ],
)
def test_names_resolve(kg: KnowledgeGraph, name: str, kind: str | None, expected: str) -> None:
    assert kg.resolve(name, kind) == ID + expected


def test_every_label_in_every_language_resolves(kg: KnowledgeGraph, rdf: Graph) -> None:
    """Golden from the sources: each instrument's labels, whatever the language, name it (unless
    two instruments share the label)."""
    owners: dict[str, set[URIRef]] = {}
    instruments = {
        s for s, o in rdf.subject_objects(RDFS.label) if str(s).startswith(ID + "instrument/")
    }
    for instrument in instruments:
        for label in rdf.objects(instrument, RDFS.label):
            owners.setdefault(str(label), set()).add(instrument)
        for ident in rdf.objects(instrument, AIGOV.identifier):
            owners.setdefault(str(ident), set()).add(instrument)
    for name, nodes in owners.items():
        if len(nodes) == 1:
            assert kg.resolve(name, "instrument") == str(next(iter(nodes))), name


def test_unknown_name_suggests_closest(kg: KnowledgeGraph) -> None:
    with pytest.raises(UnknownName) as caught:
        kg.resolve("EU AI Akt", "instrument")
    assert "EU AI Act (eu-ai-act)" in caught.value.suggestions
    assert "closest matches" in str(caught.value)
    assert caught.value.exit_code == 2


def test_ambiguous_name_lists_candidates(kg: KnowledgeGraph) -> None:
    with pytest.raises(UnknownName, match="several") as caught:
        kg.resolve("Seoul", "instrument")
    assert any("seoul-declaration" in s for s in caught.value.suggestions)
