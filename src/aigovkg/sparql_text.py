"""SPARQL text at the level of the grammar's tokens: what kind of operation a query is.

The SPARQL grammar's token rules (section 19.8) are applied so that a keyword inside a literal,
an IRI or a comment is not mistaken for one. The web process uses this to pick the result format
and refuse updates before handing the query to a worker: it must not parse the query itself (a
crafted 16 KB expression takes rdflib seconds to parse, which would hold the event loop), so the
one real parse happens in the worker (`sparql_safety`), which also decides what must never run
and which dataset a query names. A mistake here can only misroute a query to that parse.
"""

from __future__ import annotations

import itertools
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
    for token, _end in _located(query):
        yield token


def _located(query: str) -> Iterator[tuple[Token, int]]:
    """Tokens with the offset just after each."""
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield Token(kind, match.group()), match.end()


def body_start(query: str) -> int:
    """The offset just after the `{` that opens the query's WHERE group (the first brace
    outside parentheses), where a pattern can be joined into that group."""
    depth = 0
    for token, end in _located(query):
        if token.kind == "other" and token.text == "(":
            depth += 1
        elif token.kind == "other" and token.text == ")":
            depth -= 1
        elif token.kind == "other" and token.text == "{" and depth == 0:
            return end
    raise ValueError("the query has no WHERE group")


def projects_variable(query: str, name: str) -> bool:
    """True when a SELECT query's projection names ?name / $name or is `*`."""
    for token, _end in _located(query):
        if token.kind == "other" and token.text in ("{", "*"):
            return token.text == "*"
        if token.kind == "word" and token.text.upper() == "WHERE":
            return False
        if token.kind == "var" and token.text[1:] == name:
            return True
    return False


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


def with_declared_prefixes(query: str, known: dict[str, str]) -> str:
    """The query with a PREFIX line for every predeclared prefix it uses but does not declare.

    The endpoint predeclares the project's prefixes, but a query editor parsing the text in
    the browser does not know that and marks every such name as an error; declaring them in
    the text keeps the query's meaning and makes it portable to any endpoint."""
    listed = list(tokens(query))
    declared = {
        listed[i + 1].text.split(":", 1)[0]
        for i, token in enumerate(listed[:-1])
        if token.kind == "word" and token.text.upper() == "PREFIX" and listed[i + 1].kind == "pname"
    }
    used = [t.text.split(":", 1)[0] for t in listed if t.kind == "pname"]
    missing = [p for p in dict.fromkeys(used) if p not in declared and p in known]
    lines = "".join(f"PREFIX {p}: <{known[p]}>\n" for p in sorted(missing))
    header: list[str] = []
    body = query.splitlines(keepends=True)
    while body and body[0].lstrip().startswith("#"):  # the header comment stays on top
        header.append(body.pop(0))
    return "".join(header) + lines + "".join(body)


def has_order_by(query: str) -> bool:
    """True when the query orders its solutions (ORDER BY outside strings and comments)."""
    stream = [t.text.upper() for t in tokens(query) if t.kind == "word"]
    return any(a == "ORDER" and b == "BY" for a, b in itertools.pairwise(stream))


def reads_named_graphs(query: str) -> bool:
    """True when the query has a GRAPH pattern (outside strings and comments): only through one
    can it see a named graph, so a query without one needs no FROM NAMED. (At 1.16M triples the
    project has 2,881 named graphs: about 200 kB of FROM NAMED in every request otherwise.)"""
    return any(t.kind == "word" and t.text.upper() == "GRAPH" for t in tokens(query))


def prefix_names(query: str) -> tuple[list[str], set[str]]:
    """(prefixes used in prefixed names, in order of first use; prefixes the text declares).

    A store other than the embedded one knows none of the project's prefixes: the remote backend
    declares the used-but-undeclared ones, and a test keeps every .rq file self-declaring."""
    stream = list(tokens(query))
    used: list[str] = []
    declared: set[str] = set()
    for index, token in enumerate(stream):
        if token.kind == "word" and token.text.upper() == "PREFIX" and index + 1 < len(stream):
            declared.add(stream[index + 1].text.split(":", 1)[0])
        elif token.kind == "pname":
            name = token.text.split(":", 1)[0]
            if name not in used:
                used.append(name)
    return used, declared


_AFTER_MODIFIERS = {"LIMIT", "OFFSET", "HAVING", "VALUES", "SELECT", "WHERE"}


def substitute(query: str, values: dict[str, str]) -> str:
    """The query with each variable named in `values` replaced by the given RDF term (N3 text).

    This is what the embedded engine's substitutions do (the variable is bound before the
    query is evaluated), written portably: a remote store gets the term in place of the
    variable. In a SELECT projection the variable is kept as a name: `(term AS ?var)`.
    """
    parts: list[str] = []
    in_projection = in_modifier = False  # GROUP BY / ORDER BY take `(term)`, not a bare IRI
    depth = 0  # parentheses inside a projection: `(COUNT(?x) AS ?n)` takes the plain term
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        text = match.group()
        if kind == "word" and text.upper() == "SELECT":
            in_projection, depth = True, 0
        elif (kind == "word" and text.upper() == "WHERE") or text == "{":
            in_projection = False
        elif kind == "word" and text.upper() == "BY":
            in_modifier = True
        elif text in ("{", "}") or (kind == "word" and text.upper() in _AFTER_MODIFIERS):
            in_modifier = False
        elif text in "()" and kind == "other":
            depth += 1 if text == "(" else -1
        if kind == "var" and text[1:] in values:
            term = values[text[1:]]
            if in_projection and depth == 0:
                text = f"({term} AS {text})"
            else:
                text = f"({term})" if in_modifier and depth == 0 else term
        parts.append(text)
    return "".join(parts)


def describe_targets(query: str) -> tuple[list[str], int, int]:
    """A DESCRIBE query's targets as written (IRIs, prefixed names, variables, or `*`), with the
    offsets of the DESCRIBE keyword and of the end of the target list, so that the query can
    be rewritten around them (the remote store's DESCRIBE is emulated, see remote_store)."""
    matches = [m for m in _TOKEN.finditer(query) if m.lastgroup not in ("ws", "comment")]
    index = 0
    while index < len(matches) and matches[index].group().upper() != "DESCRIBE":
        index += 1
    if index == len(matches):
        raise ValueError("not a DESCRIBE query")
    start = end = matches[index].end()
    start = matches[index].start()
    targets: list[str] = []
    for match in matches[index + 1 :]:
        if match.lastgroup in ("iri", "pname", "var") or match.group() == "*":
            targets.append(match.group())
            end = match.end()
        else:
            break
    return targets, start, end


def with_dataset(query: str, default: tuple[str, ...], named: tuple[str, ...]) -> str:
    """The query with FROM / FROM NAMED clauses for the graphs given, placed where the grammar
    puts a dataset clause (after the projection or CONSTRUCT template, before WHERE).

    A remote store holds more than the project's graphs; naming them in the query text rather
    than as protocol parameters keeps a request's size independent of the store (Virtuoso
    echoes every `default-graph-uri` parameter as a response header, and a hundred of them
    overflow an HTTP client's header limit). For a query without a dataset clause of its own.
    """
    clause = "".join(f"FROM <{g}>\n" for g in default) + "".join(
        f"FROM NAMED <{g}>\n" for g in named
    )
    matches = [m for m in _TOKEN.finditer(query) if m.lastgroup not in ("ws", "comment")]
    form = query_form(query)
    index = 0
    while index < len(matches) and matches[index].group().upper() != form:
        index += 1
    index += 1
    if form == "CONSTRUCT" and index < len(matches) and matches[index].group() == "{":
        depth = 0
        while index < len(matches):  # past the balanced template
            text = matches[index].group()
            depth += {"{": 1, "}": -1}.get(text, 0)
            index += 1
            if depth == 0:
                break
    parens = 0
    stop = {"WHERE", "LIMIT", "OFFSET", "ORDER", "VALUES", "GROUP", "HAVING"}
    while index < len(matches):
        match = matches[index]
        text = match.group()
        if match.lastgroup == "other" and text in "()":
            parens += 1 if text == "(" else -1
        elif parens == 0 and (text == "{" or (match.lastgroup == "word" and text.upper() in stop)):
            at = match.start()
            return query[:at] + clause + query[at:]
        index += 1
    return query.rstrip() + "\n" + clause
