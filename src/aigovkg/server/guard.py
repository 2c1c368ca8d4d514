"""Refuse SPARQL that would reach outside the store, before any engine sees it.

Both engines on this stack fetch URLs on their own: rdflib and pyoxigraph call any endpoint
named in SERVICE, and rdflib dereferences FROM / FROM NAMED (and even reads local files). The
endpoint therefore lexes every query with the SPARQL grammar's own token rules (strings, IRIs,
comments, prefixed names and variables are skipped as whole tokens, so a keyword inside a
literal or an IRI is not mistaken for one) and rejects SERVICE anywhere and any FROM target
that is not one of the store's graphs. The engine still parses the query itself; this module
only decides what must never run.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

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


class RefusedQuery(ValueError):
    """A query the endpoint will not run; the message says why, for the 400 response."""


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


def check_query(query: str, store_graphs: Collection[str]) -> None:
    """Raise RefusedQuery for SERVICE, a FROM outside the store, or an over-long query."""
    size = len(query.encode("utf-8"))
    if size > MAX_QUERY_BYTES:
        raise RefusedQuery(
            f"query is {size} bytes; this endpoint accepts at most {MAX_QUERY_BYTES} bytes"
        )
    stream = list(tokens(query))
    for index, token in enumerate(stream):
        if token.kind != "word":
            continue
        keyword = token.text.upper()
        if keyword == "SERVICE":
            raise RefusedQuery(
                "SERVICE is not allowed: this endpoint makes no outbound requests "
                "(federated queries are refused)"
            )
        if keyword == "FROM":
            _check_from(stream, index, store_graphs)


def _check_from(stream: list[Token], index: int, store_graphs: Collection[str]) -> None:
    position = index + 1
    if position < len(stream) and stream[position].text.upper() == "NAMED":
        position += 1
    target = stream[position] if position < len(stream) else None
    if target is None or target.kind != "iri":
        raise RefusedQuery(
            "FROM and FROM NAMED must name one of this store's graphs as a full IRI <...>"
        )
    iri = target.text[1:-1]
    if iri not in store_graphs:
        raise RefusedQuery(
            f"FROM <{iri}> is not one of this store's graphs; the endpoint never fetches "
            "external data (list the graphs with SELECT DISTINCT ?g { GRAPH ?g {} })"
        )


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
