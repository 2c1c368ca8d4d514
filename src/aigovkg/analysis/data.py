"""The rows the analysis works on, read with the SPARQL files of `queries/app/analysis/`.

One query per kind of fact (names, events, instrument facts, participation...), run once per
knowledge graph and cached: the analysis functions then work on DataFrames, which keeps them
testable on hand-made frames and independent of the store.
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from ..queries import get_query
from ..sources import SourceTree

QUERY_KIND = "app/analysis"


class Queryable(Protocol):
    """What the analysis needs from a knowledge graph: a query method and its source tree."""

    tree: SourceTree

    def query(self, sparql: str) -> object: ...


def read(kg: Queryable, query_id: str) -> pd.DataFrame:
    """The answer of one analysis query as a DataFrame (cached on the graph object)."""
    cache: dict[str, pd.DataFrame] = kg.__dict__.setdefault("_analysis_cache", {})
    if query_id not in cache:
        answer = kg.query(get_query(kg.tree, QUERY_KIND, query_id).text)
        if not isinstance(answer, pd.DataFrame):
            raise TypeError(f"queries/{QUERY_KIND}/{query_id}.rq is not a SELECT query")
        cache[query_id] = answer
    return cache[query_id].copy()


def split(value: object) -> list[str]:
    """A GROUP_CONCAT cell (space-separated IRIs) as a sorted list; empty cells give []."""
    if not isinstance(value, str) or not value.strip():
        return []
    return sorted(set(value.split()))


def slug(iri: str) -> str:
    """The last path segment of an instance IRI, e.g. `eu-ai-act`."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def short(iri: str) -> str:
    """An IRI as `kind:slug` (e.g. `source:eur-lex-ai-act`) for compact source lists."""
    parts = iri.rstrip("/").split("/")
    return f"{parts[-2]}:{parts[-1]}" if len(parts) >= 2 else iri
