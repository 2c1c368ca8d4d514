"""Answer the queries `cheap.trivial_form` accepts in the web process, without a worker.

The answer is the worker's (`Engine.run` on the same sources), except that SPARQL JSON, the
format nearly every client asks for, is written straight from pyoxigraph's terms: going
through rdflib terms and rdflib's writer costs five times the query itself at this size.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pyoxigraph as ox

from .engine import (
    Engine,
    GraphSource,
    QueryJob,
    QueryReply,
    ResultTooLarge,
    _dataset_arguments,  # one definition of the protocol's dataset
)

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class InlineEngine:
    """A store in the web process for trivially cheap queries."""

    def __init__(self, sources: Sequence[GraphSource]) -> None:
        self.engine = Engine.load(sources)

    def run(self, job: QueryJob, form: str) -> QueryReply:
        if form != "SELECT" or job.tabular_format != "json":
            return self.engine.run(job)
        try:
            result = self.engine.store.query(job.query, **_dataset_arguments(job))
        except (SyntaxError, OSError, ValueError, RuntimeError):
            return self.engine.run(job)  # the worker's code words the error
        assert isinstance(result, ox.QuerySolutions)
        try:
            return _json(result, job)
        except (ResultTooLarge, _NotPlain):
            return self.engine.run(job)


class _NotPlain(Exception):
    """A term this writer leaves to rdflib (an RDF-star triple)."""


def _term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        cell = {"type": "literal", "value": term.value}
        if term.language:
            cell["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            cell["datatype"] = term.datatype.value
        return cell
    raise _NotPlain


def _json(solutions: ox.QuerySolutions, job: QueryJob) -> QueryReply:
    names = [v.value for v in solutions.variables]
    rows = []
    truncated = False
    for solution in solutions:
        if len(rows) == job.max_rows:
            truncated = True
            break
        row = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = _term(value)
        rows.append(row)
    body = json.dumps(
        {"head": {"vars": names}, "results": {"bindings": rows}}, ensure_ascii=False
    ).encode("utf-8")
    if len(body) > job.max_bytes:
        raise ResultTooLarge
    return QueryReply(ok=True, kind="select", body=body, rows=len(rows), truncated=truncated)
