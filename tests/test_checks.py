"""Integrity checks (queries/checks/*-violation.rq): clean on the real data, firing on bad data."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from aigovkg.namespaces import AIGOV, EVENT
from aigovkg.queries import list_queries
from aigovkg.sources import locate
from aigovkg.store import OxigraphBackend, SelectResult

from .conftest import REPO

CHECKS = list_queries(locate(REPO), "checks")


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.id)
def test_check_is_clean_on_real_data(check, backend) -> None:
    answer = backend.run(check.text)
    assert isinstance(answer, SelectResult)
    assert answer.rows == []


def _run(graph, check_id: str) -> SelectResult:
    backend = OxigraphBackend.from_graph(graph)
    check = next(c for c in CHECKS if c.id == check_id)
    answer = backend.run(check.text)
    assert isinstance(answer, SelectResult)
    return answer


def test_untyped_subject_fires(graph) -> None:
    graph.add((URIRef("https://w3id.org/aigovkg/id/country/ZZ"), AIGOV.isoCode, Literal("ZZ")))
    assert _run(graph, "untyped-subject").rows


def test_duplicate_iso_code_fires(graph) -> None:
    graph.add((URIRef("https://w3id.org/aigovkg/id/country/KP"), AIGOV.isoCode, Literal("KR")))
    assert _run(graph, "duplicate-iso-code").rows


def test_event_after_source_fires(graph) -> None:
    # KBS World (issued 2024-05-22) is the only source of the Ministerial Statement's adoption.
    graph.set(
        (
            EVENT["seoul-ministerial-statement-adopted"],
            AIGOV.date,
            Literal("2025-05-22", datatype=XSD.date),
        )
    )
    assert _run(graph, "event-after-source").rows


def test_claim_without_source_fires_on_an_unsourced_instrument(graph) -> None:
    eo = URIRef("https://w3id.org/aigovkg/id/instrument/us-eo-14179")
    assert (eo, DCTERMS.source, None) in graph
    assert _run(graph, "claim-without-source").rows == []
    graph.remove((eo, DCTERMS.source, None))
    assert [row[0] for row in _run(graph, "claim-without-source").rows] == [eo]


def test_claim_without_source_fires_on_a_party_with_an_unsourced_link(graph) -> None:
    party = URIRef("https://w3id.org/aigovkg/id/company/anthropic")
    graph.add((party, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q1")))
    assert [row[0] for row in _run(graph, "claim-without-source").rows] == [party]


def test_unsigned_treaty_binding_fires_on_a_binding_unsigned_treaty(graph) -> None:
    defa = URIRef("https://w3id.org/aigovkg/id/instrument/asean-defa")
    assert _run(graph, "unsigned-treaty-binding").rows == []
    graph.set((defa, AIGOV.legallyBinding, Literal(True)))
    assert [row[0] for row in _run(graph, "unsigned-treaty-binding").rows] == [defa]


def test_unsigned_treaty_binding_accepts_a_signed_treaty(graph) -> None:
    defa = URIRef("https://w3id.org/aigovkg/id/instrument/asean-defa")
    graph.set((defa, AIGOV.legallyBinding, Literal(True)))
    graph.add((defa, AIGOV.hasEvent, EVENT["asean-defa-signed-test"]))
    graph.add(
        (
            EVENT["asean-defa-signed-test"],
            AIGOV.eventType,
            URIRef("https://w3id.org/aigovkg/id/concept/lifecycle-event-type/signed"),
        )
    )
    assert _run(graph, "unsigned-treaty-binding").rows == []
