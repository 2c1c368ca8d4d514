"""Status on a date from life-cycle events, on the edge dates: the day before and the day of
entry into force or revocation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS

from aigovkg.api import KnowledgeGraph
from aigovkg.errors import BadDate
from aigovkg.namespaces import AIGOV

KR = "https://w3id.org/aigovkg/id/instrument/kr-ai-basic-act"
EO = "https://w3id.org/aigovkg/id/instrument/us-eo-14110"
EU = "https://w3id.org/aigovkg/id/instrument/eu-ai-act"


def state(kg: KnowledgeGraph, instrument: str, on: str) -> str | None:
    table = kg.status(as_of=on).set_index("instrument")
    return table.loc[instrument, "status"] if instrument in table.index else None


@pytest.mark.parametrize(
    ("instrument", "on", "expected"),
    [
        (KR, "2024-05-31", "proposed"),
        (KR, "2026-01-21", "adopted"),
        (KR, "2026-01-22", "in force"),
        (EO, "2024-05-31", "in force"),
        (EO, "2025-01-19", "in force"),
        (EO, "2025-01-20", "revoked"),
        (EO, "2025-01-21", "revoked"),
        (EU, "2024-07-31", "adopted"),
        (EU, "2024-08-01", "in force"),
        (EU, "2025-02-01", "in force"),
        (EU, "2025-02-02", "partially applicable"),
    ],
)
def test_edge_dates(kg: KnowledgeGraph, instrument: str, on: str, expected: str) -> None:
    assert state(kg, instrument, on) == expected


def _event_dates(rdf: Graph, notation: str) -> dict[str, date]:
    """instrument -> date of its event of that type, read straight from the parsed sources."""
    found = {}
    for instrument, event in rdf.subject_objects(AIGOV.hasEvent):
        kind = rdf.value(event, AIGOV.eventType)
        if kind is not None and str(rdf.value(kind, SKOS.notation)) == notation:
            found[str(instrument)] = rdf.value(event, AIGOV.date).toPython()
    return found


def test_entry_into_force_edges_for_every_instrument(kg: KnowledgeGraph, rdf: Graph) -> None:
    """Golden from the sources: every entry into force, whatever data is added later."""
    revoked = _event_dates(rdf, "revoked")
    for instrument, day in _event_dates(rdf, "entered-into-force").items():
        if instrument in revoked and revoked[instrument] <= day:
            continue
        before = state(kg, instrument, (day - timedelta(days=1)).isoformat())
        assert before not in ("in force", "partially applicable"), instrument
        assert state(kg, instrument, day.isoformat()) in ("in force", "partially applicable")


def test_revocation_edges_for_every_instrument(kg: KnowledgeGraph, rdf: Graph) -> None:
    for instrument, day in _event_dates(rdf, "revoked").items():
        assert state(kg, instrument, (day - timedelta(days=1)).isoformat()) != "revoked"
        assert state(kg, instrument, day.isoformat()) == "revoked"


def test_may_2024_world(kg: KnowledgeGraph) -> None:
    """No instrument appears before its first event: EO 14148 (2025) is absent in May 2024."""
    table = kg.status(as_of="2024-05-31")
    assert "https://w3id.org/aigovkg/id/instrument/us-eo-14148" not in set(table["instrument"])
    row = table.set_index("instrument").loc[KR]
    assert row["sources"], "the status names its sources"


def test_jurisdiction_filter(kg: KnowledgeGraph) -> None:
    table = kg.status(as_of="2026-01-22", jurisdiction="KR")
    assert KR in set(table["instrument"])
    assert EO not in set(table["instrument"])


def test_timeline_is_ordered(kg: KnowledgeGraph) -> None:
    frame = kg.timeline()
    assert list(frame["date"]) == sorted(frame["date"])
    assert frame["sources"].map(bool).all()


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday", "31/05/2024"])
def test_bad_dates(kg: KnowledgeGraph, bad: str) -> None:
    with pytest.raises(BadDate, match="YYYY-MM-DD"):
        kg.status(as_of=bad)


OMNIBUS = "https://w3id.org/aigovkg/id/instrument/eu-digital-omnibus-ai"
AI_ACT = "https://w3id.org/aigovkg/id/instrument/eu-ai-act"


@pytest.mark.parametrize(
    ("day", "amended", "status"),
    [
        ("2026-07-26", False, "partially applicable"),  # the day before the Omnibus is in force
        ("2026-07-27", True, "partially applicable"),  # the Omnibus in force: as amended
        ("2026-12-02", True, "partially applicable"),  # a date the Omnibus set
        ("2027-08-02", True, "partially applicable"),  # the Annex I date as enacted, moved away
        ("2028-08-02", True, "in force"),  # the last date as amended
    ],
)
def test_ai_act_status_as_amended_around_each_omnibus_date(kg, day, amended, status) -> None:
    """Written from the sources (the Omnibus in force 27 July 2026; Annex III moved to 2 Dec 2027,
    Annex I to 2 Aug 2028): the status says whether the act stood as amended, and by what."""
    row = kg.status(as_of=day).set_index("instrument").loc[AI_ACT]
    assert row["status"] == status
    assert bool(row["amended"]) is amended
    assert (OMNIBUS in row["amended_by"]) is amended
    assert row["sources"], "the status names its sources"


def test_compare_says_as_amended_and_by_what(kg) -> None:
    before = kg.compare("eu-ai-act", "kr-ai-basic-act", as_of="2026-07-26", long=True)
    after = kg.compare("eu-ai-act", "kr-ai-basic-act", as_of="2027-09-01", long=True)

    def status_cell(frame):
        rows = frame[(frame["instrument"] == AI_ACT) & (frame["dimension"] == "status")]
        return rows.iloc[0]

    assert "as amended" not in status_cell(before)["value"]
    cell = status_cell(after)
    assert "as amended by instrument:eu-digital-omnibus-ai" in cell["value"]
    assert cell["sources"]
