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

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from ..sparql_safety import RefusedQuery
from ..sparql_safety import check_query as check_parsed
from .engine import QueryJob, QueryReply

__all__ = ["RefusedQuery", "check_query", "check_size", "query_form", "refused"]

MAX_QUERY_BYTES = 16 * 1024

# Token patterns from the SPARQL 1.1 grammar (section 19.8), in matching order.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:[\w.\-:%\\\u00b7\u00c0-\uffff]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokens(query: str) -> Iterator[Token]:
    """SPARQL tokens without whitespace and comments."""
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield Token(kind, match.group())


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


QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(text: str) -> str | None:
    """The first keyword after the prologue (SELECT, ASK, CONSTRUCT, DESCRIBE, or an update
    keyword such as INSERT), upper-case; None when there is none. The endpoint picks the
    result format from it before the query runs, and refuses updates by it."""
    stream = list(tokens(text))
    index = 0
    while index < len(stream):
        token = stream[index]
        word = token.text.upper()
        if token.kind == "word" and word == "PREFIX":
            index += 3  # PREFIX pname: <iri>
        elif token.kind == "word" and word == "BASE":
            index += 2
        elif token.kind == "word":
            return word
        else:
            return None
    return None


def looks_like_update(text: str) -> bool:
    """True when the operation is an update (the endpoint is read-only)."""
    return query_form(text) in UPDATE_KEYWORDS
