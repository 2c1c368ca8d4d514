"""The endpoint's rules on query text: size, query form, and what must never run.

Both engines on this stack fetch URLs on their own (pyoxigraph calls SERVICE endpoints, rdflib
also dereferences FROM / FROM NAMED), so every query is checked on a real parse by
`aigovkg.sparql_safety` before an engine sees it. That parse runs inside the query worker
(`refused`, called by pool._worker_main), not in the web server: rdflib's parser is pure Python
and a crafted 16 KB expression takes seconds to parse, which in the web process would hold the
event loop, while in a worker it counts against the query's time limit and memory cap like any
other work. The web server itself only checks the size (`check_size`) and reads the query form
with the grammar's token rules (`query_form`) to choose a result format and refuse updates
early with 403; a lexer mistake there can only misroute a query to the worker's real check.
"""

from __future__ import annotations

from collections.abc import Collection

from ..sparql_safety import RefusedQuery
from ..sparql_safety import check_query as check_parsed
from ..sparql_text import QUERY_FORMS, query_form
from .engine import QueryJob, QueryReply

__all__ = ["QUERY_FORMS", "RefusedQuery", "check_query", "check_size", "query_form", "refused"]

MAX_QUERY_BYTES = 16 * 1024

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


def check_size(query: str) -> None:
    """Raise RefusedQuery when the query is longer than the endpoint accepts."""
    size = len(query.encode("utf-8"))
    if size > MAX_QUERY_BYTES:
        raise RefusedQuery(
            f"query is {size} bytes; this endpoint accepts at most {MAX_QUERY_BYTES} bytes"
        )


def check_query(query: str, store_graphs: Collection[str]) -> None:
    """Raise RefusedQuery for an over-long query, or one the safety parser refuses (SERVICE,
    an update, a FROM outside the store, a text it cannot parse)."""
    check_size(query)
    check_parsed(query, store_graphs)


def refused(job: QueryJob, store_graphs: Collection[str]) -> QueryReply | None:
    """In a worker, before the engine: the client error for a job that must not run, or None."""
    try:
        check_query(job.query, store_graphs)
    except RefusedQuery as exc:
        return QueryReply(ok=False, error=str(exc))
    return None


def looks_like_update(text: str) -> bool:
    """True when the operation is an update (the endpoint is read-only)."""
    return query_form(text) in UPDATE_KEYWORDS
