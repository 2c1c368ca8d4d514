"""Recognise queries too small to need a worker: at most one triple pattern, nothing else.

A query sent to a worker pays two process hops (about a millisecond on an idle machine, many
on a busy one) and waits for a free worker; for the light lookups that make up most traffic
(`ASK {}`, one pattern with a small LIMIT) that costs more than the query. Such a query is
bounded by construction: one pattern is one scan of the store, with no joins, expressions,
paths, sorting or grouping, and LIMIT bounds what is serialised. The web process answers it
itself. Anything outside this tiny grammar (including every query this module cannot lex)
goes to the worker pool as before, so a mistake here can only send a cheap query the slow way.
The grammar has no nesting, so one regular expression decides it (a few microseconds).

    query    := ("PREFIX" PNAME_NS IRIREF)* (select | ask)
    select   := "SELECT" ("DISTINCT" | "REDUCED")? ("*" | VAR+) "WHERE"? group limits
    ask      := "ASK" "WHERE"? group
    group    := "{" (term term term "."?)? "}"
    limits   := any order of "LIMIT" n (required, n <= MAX_INLINE_ROWS) and "OFFSET" n
"""

from __future__ import annotations

import re

MAX_INLINE_ROWS = 100
MAX_INLINE_QUERY = 2048  # characters; far below the guard's byte limit

_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
_PNAME = r"(?:[A-Za-z][\w\-]*)?:[\w\-]*"
_VAR = r"[?$][A-Za-z0-9_]+"
_LITERAL = (
    r'(?:"(?:[^"\\\n\r]|\\.)*"|' + r"'(?:[^'\\\n\r]|\\.)*')"
    rf"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:{_IRI}|{_PNAME}))?"
    r"|[+-]?\d+(?:\.\d+)?|true|false"
)
_TERM = rf"(?:{_VAR}|{_IRI}|{_PNAME}|{_LITERAL})"
_GROUP = rf"\{{\s*(?:{_TERM}\s+(?:a|{_TERM})\s+{_TERM}\s*\.?\s*)?\}}"
_LIMITS = r"(?:(?:LIMIT\s+(?P<limit>\d+)|OFFSET\s+\d+)\s*){1,2}"
_TRIVIAL = re.compile(
    rf"\s*(?:PREFIX\s+{_PNAME}\s*{_IRI}\s*)*"
    rf"(?:(?P<ask>ASK)\s*(?:WHERE\s*)?{_GROUP}\s*"
    rf"|(?P<select>SELECT)\s+(?:(?:DISTINCT|REDUCED)\s+)?(?:\*|(?:{_VAR}\s*)+)\s*(?:WHERE\s*)?"
    rf"{_GROUP}\s*{_LIMITS})",
    re.IGNORECASE,
)


def trivial_form(query: str) -> str | None:
    """ "SELECT" or "ASK" when the query fits the grammar above (and so is cheap whatever the
    data), else None. The grammar has no SERVICE, FROM or update keyword, so such a query
    needs none of the guard's checks either."""
    if len(query) > MAX_INLINE_QUERY:
        return None
    match = _TRIVIAL.fullmatch(query)
    if match is None:
        return None
    if match.group("ask"):
        return "ASK"
    limit = match.group("limit")
    return "SELECT" if limit is not None and int(limit) <= MAX_INLINE_ROWS else None


def is_trivial(query: str) -> bool:
    return trivial_form(query) is not None
