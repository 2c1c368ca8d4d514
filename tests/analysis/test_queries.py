"""The analysis queries follow the query conventions and answer on the real graph."""

from __future__ import annotations

import pandas as pd
import pytest

from aigovkg.analysis.data import QUERY_KIND
from aigovkg.api import KnowledgeGraph
from aigovkg.queries import list_queries

from ..conftest import REPO

QUERIES = sorted(p.stem for p in (REPO / "queries" / QUERY_KIND).glob("*.rq"))


def test_there_are_analysis_queries() -> None:
    assert {"events", "instrument-facts", "participation", "crosswalk"} <= set(QUERIES)


@pytest.mark.parametrize("query_id", QUERIES)
def test_header_and_answer(kg: KnowledgeGraph, query_id: str) -> None:
    query = next(q for q in list_queries(kg.tree, QUERY_KIND) if q.id == query_id)
    assert query.question and query.why, "header: id, question, why"
    assert isinstance(kg.query(query.text), pd.DataFrame)
