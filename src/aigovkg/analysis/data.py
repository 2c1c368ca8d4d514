"""The rows the analysis works on, read with the SPARQL files of `queries/app/analysis/`.

One query per kind of fact (names, events, instrument facts, participation...), run once per
knowledge graph and cached: the analysis functions then work on DataFrames, which keeps them
testable on hand-made frames and independent of the store.
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from ..names import slug
from ..sources import SourceTree

QUERY_KIND = "app/analysis"


class Queryable(Protocol):
    """What the analysis needs from a knowledge graph: its named queries as frames."""

    tree: SourceTree

    def frame(self, kind: str, query_id: str) -> pd.DataFrame: ...


# Columns the analysis queries fill with GROUP_CONCAT(DISTINCT ...; separator=" "): sets of IRIs.
LIST_COLUMNS = ("sources", "jurisdictions", "provisions")


def read(kg: Queryable, query_id: str) -> pd.DataFrame:
    """The answer of one analysis query as a fresh DataFrame (the graph caches the query).

    A GROUP_CONCAT cell is a set whose order SPARQL leaves to the engine (Virtuoso and the
    embedded store concatenate in different orders): it is rewritten sorted, so every table
    the analysis prints is the same whichever store answered."""
    frame = kg.frame(QUERY_KIND, query_id)
    for column in LIST_COLUMNS:
        if column in frame.columns:
            frame[column] = [" ".join(split(v)) if isinstance(v, str) else v for v in frame[column]]
    return frame


def split(value: object) -> list[str]:
    """A GROUP_CONCAT cell (space-separated IRIs) as a sorted list; empty cells give []."""
    if not isinstance(value, str) or not value.strip():
        return []
    return sorted(set(value.split()))


RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def labels(kg: Queryable) -> dict[str, str]:
    """Node IRI -> English label (else any label, else the slug)."""
    names = kg.frame("app", "names")
    found = {str(n): str(lbl) for n, lbl in zip(names["node"], names["label"], strict=True)}
    return {n: (lbl if lbl and lbl != "None" else slug(n)) for n, lbl in found.items()}


def bilingual_labels(kg: Queryable) -> dict[str, str]:
    """Node IRI -> "English / native" where the node has a label in another language (e.g.
    "Korea AI Basic Act / AI 기본법"), else the English label; for plots and tables read abroad."""
    names = kg.frame("app", "names")
    english = labels(kg)
    native = names[(names["property"] == RDFS_LABEL) & ~names["lang"].isin(["en", "", None])]
    native = native.sort_values(["node", "lang"]).drop_duplicates("node")
    out = dict(english)
    for row in native.itertuples(index=False):
        if row.name != english.get(row.node):
            out[row.node] = f"{english.get(row.node, slug(row.node))} / {row.name}"
    return out
