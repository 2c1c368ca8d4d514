"""The Python API researchers use from Jupyter."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pytest
from rdflib import Graph
from rdflib.namespace import RDF

import aigovkg
from aigovkg.errors import QueryError
from aigovkg.namespaces import AIGOV


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    from .conftest import copy_tree

    return aigovkg.load(copy_tree(tmp_path_factory.mktemp("api")))


def test_select_gives_a_dataframe_with_python_values(kg) -> None:
    frame = kg.query("SELECT ?d WHERE { event:eu-ai-act-entered-into-force aigov:date ?d }")
    assert isinstance(frame, pd.DataFrame)
    assert frame["d"].tolist() == [datetime.date(2024, 8, 1)]


def test_ask_gives_bool_and_construct_gives_graph(kg, loaded) -> None:
    assert (
        kg.query("ASK { instrument:asean-guide-ai-governance-ethics aigov:legallyBinding false }")
        is True
    )
    graph = kg.query("CONSTRUCT { ?s a aigov:Summit } WHERE { ?s a aigov:Summit }")
    summits = set(loaded.graph.subjects(RDF.type, AIGOV.Summit))  # counted apart from the store
    assert isinstance(graph, Graph) and len(graph) == len(summits) > 0


def test_cq_by_id(kg) -> None:
    frame = kg.cq("CQ05")
    assert list(frame.columns) == ["instrument", "rank", "tier"]
    eu = frame[frame["instrument"].str.endswith("/eu-ai-act")]
    assert eu.iloc[0]["tier"] == "unacceptable risk" and eu.iloc[0]["rank"] == 1


def test_malformed_query_raises_query_error(kg) -> None:
    with pytest.raises(QueryError, match="malformed SPARQL"):
        kg.query("SELEC ?x")


def test_validate_and_dump(kg, tmp_path: Path) -> None:
    assert kg.validate().conforms
    files = kg.dump(tmp_path)
    assert (tmp_path / "aigovkg.ttl") == files["aigovkg.ttl"]
    assert len(kg) > 2000
