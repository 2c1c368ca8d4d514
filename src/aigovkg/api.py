"""The Python API: `aigovkg.load()` and the KnowledgeGraph it returns.

Researchers in Jupyter get DataFrames; the same object backs the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from rdflib import Graph
from rdflib.term import Node

from . import build as pipeline
from .frames import to_frame
from .queries import get_query
from .sources import SourceTree, locate
from .store import QueryAnswer, SelectResult, SparqlBackend
from .validation import ValidationReport


class KnowledgeGraph:
    """The built graph behind a query backend, plus the source tree it was built from."""

    def __init__(self, backend: SparqlBackend, tree: SourceTree) -> None:
        self.backend = backend
        self.tree = tree

    def __len__(self) -> int:
        return len(self.backend)

    def run(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryAnswer:
        """The raw answer: SelectResult of rdflib terms, bool, or rdflib Graph."""
        return self.backend.run(sparql, bindings)

    def query(
        self, sparql: str, bindings: Mapping[str, Node] | None = None
    ) -> pd.DataFrame | bool | Graph:
        """SELECT as a DataFrame, ASK as bool, CONSTRUCT/DESCRIBE as an rdflib Graph."""
        answer = self.run(sparql, bindings)
        return to_frame(answer) if isinstance(answer, SelectResult) else answer

    def cq(
        self, query_id: str, bindings: Mapping[str, Node] | None = None
    ) -> pd.DataFrame | bool | Graph:
        """Run a competency question from queries/cq/ by id (e.g. "CQ01")."""
        return self.query(get_query(self.tree, "cq", query_id).text, bindings)

    def validate(self) -> ValidationReport:
        """SHACL and integrity checks over the sources (not over the query store)."""
        return pipeline.validate(self.tree)[1]

    def dump(self, out_dir: Path | None = None) -> dict[str, Path]:
        """Validate and write the dumps (default: the tree's dist/)."""
        return pipeline.build(self.tree, out_dir).files


def load(path: str | Path | None = None, *, rebuild: bool = False) -> KnowledgeGraph:
    """The knowledge graph of the checkout at `path` (default: around the current directory,
    else the copy shipped in the package), built first if dist/ is missing or stale."""
    tree = locate(Path(path) if path else None)
    return KnowledgeGraph(pipeline.load_backend(tree, rebuild=rebuild), tree)
