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


RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def labels(kg: Queryable) -> dict[str, str]:
    """Node IRI -> English label (else any label, else the slug)."""
    names = read(kg, "names")
    found = {str(n): str(lbl) for n, lbl in zip(names["node"], names["label"], strict=True)}
    return {n: (lbl if lbl and lbl != "None" else slug(n)) for n, lbl in found.items()}


def bilingual_labels(kg: Queryable) -> dict[str, str]:
    """Node IRI -> "English / native" where the node has a label in another language (e.g.
    "Korea AI Basic Act / AI 기본법"), else the English label; for plots and tables read abroad."""
    names = read(kg, "names")
    english = labels(kg)
    native = names[(names["property"] == RDFS_LABEL) & ~names["lang"].isin(["en", "", None])]
    native = native.sort_values(["node", "lang"]).drop_duplicates("node")
    out = dict(english)
    for row in native.itertuples(index=False):
        if row.name != english.get(row.node):
            out[row.node] = f"{english.get(row.node, slug(row.node))} / {row.name}"
    return out
