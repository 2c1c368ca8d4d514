"""Answer the queries `cheap.trivial_form` accepts in the web process, without a worker.

The answer is the worker's (`Engine.run` on the same sources), except that SPARQL JSON, the
format nearly every client asks for, is written by pyoxigraph itself: going through rdflib
terms and rdflib's writer costs several times the query at this size. (LIMIT is at most
MAX_INLINE_ROWS here, so the row limit cannot cut such a result.)
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pyoxigraph as ox

from .cheap import MAX_INLINE_ROWS
from .engine import (
    Engine,
    GraphSource,
    QueryJob,
    QueryReply,
    ResultTooLarge,
    _dataset_arguments,  # one definition of the protocol's dataset
)


class InlineEngine:
    """A store in the web process for trivially cheap queries."""

    def __init__(self, sources: Sequence[GraphSource]) -> None:
        self.engine = Engine.load(sources)

    def run(self, job: QueryJob, form: str) -> QueryReply:
        if form != "SELECT" or job.tabular_format != "json" or job.max_rows < MAX_INLINE_ROWS:
            return self.engine.run(job)
        try:
            result = self.engine.store.query(job.query, **_dataset_arguments(job))
        except (SyntaxError, OSError, ValueError, RuntimeError):
            return self.engine.run(job)  # the worker's code words the error
        assert isinstance(result, ox.QuerySolutions)
        try:
            return _json(result, job)
        except ResultTooLarge:
            return self.engine.run(job)  # words the error as the worker would


def _json(solutions: ox.QuerySolutions, job: QueryJob) -> QueryReply:
    """pyoxigraph's own writer; the row count is read back with the C JSON parser, which is
    still cheaper than building the document in Python."""
    body = solutions.serialize(format=ox.QueryResultsFormat.JSON)
    assert body is not None
    if len(body) > job.max_bytes:
        raise ResultTooLarge
    rows = len(json.loads(body)["results"]["bindings"])
    return QueryReply(ok=True, kind="select", body=body, rows=rows)
