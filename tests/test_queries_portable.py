"""Every query file runs unchanged on any SPARQL 1.1 store: it declares every prefix it uses.

The embedded store predeclares the project's prefixes, so a missing declaration goes unnoticed
there and fails on Virtuoso or Fuseki with "prefix not found". Each file is parsed by two
independent SPARQL parsers given NO prefixes: pyoxigraph's and rdflib's.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from .conftest import REPO

QUERY_FILES = sorted((REPO / "queries").rglob("*.rq"))


def test_there_are_queries() -> None:
    assert len(QUERY_FILES) > 60


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: str(p.relative_to(REPO / "queries")))
def test_query_declares_its_prefixes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ox.Store().query(text)  # SyntaxError on an undeclared prefix
    prepareQuery(text, initNs={})


def test_an_undeclared_prefix_is_caught() -> None:
    """The check can fail: the same parsers refuse a query that leans on a predeclared prefix."""
    with pytest.raises(SyntaxError):
        ox.Store().query("SELECT ?s WHERE { ?s a aigov:Law }")
    with pytest.raises(Exception, match="aigov"):
        prepareQuery("SELECT ?s WHERE { ?s a aigov:Law }", initNs={})
