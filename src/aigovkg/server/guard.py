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

from collections.abc import Collection

from ..sparql_text import QUERY_FORMS, Token, query_form, tokens

__all__ = ["QUERY_FORMS", "RefusedQuery", "check_query", "looks_like_update", "query_form"]

MAX_QUERY_BYTES = 16 * 1024

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


class RefusedQuery(ValueError):
    """A query the endpoint will not run; the message says why, for the 400 response."""


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


def looks_like_update(text: str) -> bool:
    """True when the operation is an update (the endpoint is read-only)."""
    return query_form(text) in UPDATE_KEYWORDS
