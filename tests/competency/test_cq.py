"""Every competency question in queries/cq/ gives its expected answer (expected/<ID>.csv).

Expected files are checked by hand against the sources; comparison is by set unless the query
has ORDER BY. A new query without an expected file fails, so none goes unchecked.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from aigovkg.queries import QueryFile, list_queries
from aigovkg.results import ResultFormat, serialize
from aigovkg.sources import locate
from aigovkg.store import SelectResult

from ..conftest import REPO

EXPECTED = Path(__file__).parent / "expected"
QUERIES = list_queries(locate(REPO), "cq")


def _rows(text: str) -> list[tuple[str, ...]]:
    return [tuple(row) for row in csv.reader(text.splitlines())]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.id)
def test_competency_question(query: QueryFile, backend) -> None:
    assert query.question, f"{query.path.name} has no '# question:' header"
    answer = backend.run(query.text)
    assert isinstance(answer, SelectResult)
    got = _rows(serialize(answer, ResultFormat.csv).decode("utf-8"))
    expected = _rows((EXPECTED / f"{query.id}.csv").read_text(encoding="utf-8"))
    assert got[0] == expected[0], "columns differ"
    if query.ordered:
        assert got[1:] == expected[1:]
    else:
        assert sorted(got[1:]) == sorted(expected[1:])


def test_at_least_forty_competency_questions() -> None:
    assert len(QUERIES) >= 40


def test_bletchley_and_seoul_intersection_is_what_the_sources_say(backend) -> None:
    """Written from the sources, not from the output: every one of the Seoul Declaration's 11
    signatories also agreed the Bletchley Declaration, whose full list the graph now holds."""
    query = next(q for q in QUERIES if q.id == "CQ02")
    answer = backend.run(query.text)
    codes = {str(row[0]).rsplit("/", 1)[1] for row in answer.rows}
    assert codes == {"AU", "CA", "eu", "FR", "DE", "IT", "JP", "GB", "KR", "SG", "US"}


def test_status_as_of_parameter(backend) -> None:
    """The as-of date is a parameter: the day before and the day of Korea's entry into force."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    query = next(q for q in QUERIES if q.id == "CQ08")
    kr = "https://w3id.org/aigovkg/id/instrument/kr-ai-basic-act"

    def step(day: str) -> str:
        answer = backend.run(query.text, {"asOf": Literal(day, datatype=XSD.date)})
        return {str(r[0]): str(r[1]) for r in answer.rows}[kr]

    assert step("2024-05-31") == "proposed"
    assert step("2026-01-21") == "adopted"
    assert step("2026-01-22") == "in force"


EU_AI_ACT = "https://w3id.org/aigovkg/id/instrument/eu-ai-act"
ART_9 = "https://w3id.org/aigovkg/id/obligation/eu-ai-act-art-9-risk-management"
ART_50_1 = "https://w3id.org/aigovkg/id/obligation/eu-ai-act-art-50-1-transparency"


def _applying(backend, day: str) -> dict[str, set[str]]:
    """CQ64 on one day: obligation -> the dates it applies from (one per governing provision)."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    query = next(q for q in QUERIES if q.id == "CQ64")
    answer = backend.run(query.text, {"asOf": Literal(day, datatype=XSD.date)})
    applying: dict[str, set[str]] = {}
    for row in answer.rows:
        applying.setdefault(str(row[0]), set()).add(str(row[3]))
    return applying


def test_obligations_as_amended_parameter(backend) -> None:
    """Written from the sources: the Digital Omnibus on AI (in force 27 July 2026) moved the Annex
    III high-risk obligations from 2 August 2026 to 2 December 2027; Art. 50 kept 2 August 2026."""
    assert ART_9 not in _applying(backend, "2026-08-02")
    assert _applying(backend, "2026-08-02")[ART_50_1] == {"2026-08-02"}
    assert ART_50_1 not in _applying(backend, "2026-08-01")
    assert ART_9 not in _applying(backend, "2027-12-01")
    assert _applying(backend, "2027-12-02")[ART_9] == {"2027-12-02"}
    assert _applying(backend, "2028-08-02")[ART_9] == {"2027-12-02", "2028-08-02"}


def test_amended_date_counts_only_once_the_amending_act_is_in_force(graph) -> None:
    """Were the amending act in force only on 10 August 2026, the date as enacted (2 August 2026)
    would govern the Annex III obligations until then, and the amended date from then on."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from aigovkg.api import KnowledgeGraph
    from aigovkg.namespaces import AIGOV

    in_force = URIRef("https://w3id.org/aigovkg/id/event/eu-digital-omnibus-ai-entered-into-force")
    graph.set((in_force, AIGOV.date, Literal("2026-08-10", datatype=XSD.date)))
    backend = KnowledgeGraph.from_graph(graph, locate(REPO)).backend
    assert _applying(backend, "2026-08-09")[ART_9] == {"2026-08-02"}
    assert ART_9 not in _applying(backend, "2026-08-10")


def test_dates_moved_by_amendment_parameter(backend) -> None:
    """CQ65 restricted to one amending act; the AI Act itself moved no date of another act."""
    from rdflib import URIRef

    query = next(q for q in QUERIES if q.id == "CQ65")
    omnibus = URIRef("https://w3id.org/aigovkg/id/instrument/eu-digital-omnibus-ai")
    moves = {
        (str(r[2]).rsplit("/", 1)[1], str(r[4]), str(r[5]))
        for r in backend.run(query.text, {"amendingAct": omnibus}).rows
    }
    assert moves == {
        ("eu-ai-act-high-risk-annex-iii", "2026-08-02", "2027-12-02"),
        ("eu-ai-act-high-risk-annex-i", "2027-08-02", "2028-08-02"),
        ("eu-ai-act-art-50-2-legacy-generative-systems", "2026-08-02", "2026-12-02"),
    }
    assert backend.run(query.text, {"amendingAct": URIRef(EU_AI_ACT)}).rows == []
