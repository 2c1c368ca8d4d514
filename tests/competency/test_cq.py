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
