"""Answer the queries `cheap.trivial_form` accepts in the web process, without a worker.

The answer is the one query layer's (`Engine` over the site's `OxigraphBackend`, the same
backend the pages use, loaded from the same files as the workers'), except that SPARQL JSON,
the format nearly every client asks for, is written by pyoxigraph itself over the same store
with the backend's dataset rules: going through rdflib terms costs several times the query at
this size, and `results.py` writes the same bytes (tests compare the two writers); an ASK
answer is written by `results.py`, as the engine writes it. LIMIT is at most MAX_INLINE_ROWS
here, so the row limit cannot cut such a result. The trivial grammar has no SERVICE, FROM or
update, so these queries cannot leave the machine (and need no safety parse); every other
query goes to a jailed worker.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..results import ResultFormat, serialize
from ..store import Dataset, OxigraphBackend
from .cheap import MAX_INLINE_ROWS
from .engine import Engine, QueryJob, QueryReply


class InlineEngine:
    """The site's backend, answering trivially cheap queries in the web process."""

    def __init__(self, backend: OxigraphBackend) -> None:
        self.engine = Engine(backend)

    def run(self, job: QueryJob, form: str) -> QueryReply:
        if form == "ASK":
            return self._ask(job)
        if form != "SELECT" or job.tabular_format != "json" or job.max_rows < MAX_INLINE_ROWS:
            return self.engine.run(job)
        try:
            result = self._store_query(job)
            assert isinstance(result, ox.QuerySolutions)
            body = result.serialize(format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, OSError, ValueError, RuntimeError):
            return self.engine.run(job)  # the query layer words the error
        assert body is not None
        if len(body) > job.max_bytes:
            return self.engine.run(job)  # words the refusal as the worker would
        rows = len(json.loads(body)["results"]["bindings"])
        return QueryReply(ok=True, kind="select", body=body, rows=rows)

    def _ask(self, job: QueryJob) -> QueryReply:
        """A trivial ASK on the same store with the same dataset rules, its answer written by
        `results.serialize` (as the engine writes it): like the SELECT above, without the
        safety parse the grammar makes needless, so a server's first answer (a client's
        `ASK {}` or `ASK { ?s ?p ?o }` readiness probe) does not wait for the parser's import."""
        try:
            answer = self._store_query(job)
        except (SyntaxError, OSError, ValueError, RuntimeError):
            return self.engine.run(job)  # the query layer words the error
        if not isinstance(answer, ox.QueryBoolean):
            return self.engine.run(job)
        body = serialize(bool(answer), ResultFormat(job.tabular_format))
        return QueryReply(ok=True, kind="ask", body=body)

    def _store_query(self, job: QueryJob) -> object:
        """`job` on the web process's store with the backend's dataset rules (the trivial
        grammar has no FROM: nothing to parse here for the dataset)."""
        backend = self.engine.backend
        dataset = Dataset(job.default_graphs, job.named_graphs)
        return backend.store.query(
            job.query,
            prefixes=PREFIXES,
            base_iri=job.base_iri,
            **backend.dataset_options(False, dataset),  # type: ignore[arg-type]
        )
