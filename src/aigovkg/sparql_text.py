"""SPARQL text at the level of the grammar's tokens: what kind of operation a query is.

The SPARQL grammar's token rules (section 19.8) are applied so that a keyword inside a literal,
an IRI or a comment is not mistaken for one. The web process uses this to pick the result format
and refuse updates before handing the query to a worker: it must not parse the query itself (a
crafted 16 KB expression takes rdflib seconds to parse, which would hold the event loop), so the
one real parse happens in the worker (`sparql_safety`), which also decides what must never run
and which dataset a query names. A mistake here can only misroute a query to that parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

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
