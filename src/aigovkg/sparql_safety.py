"""Decide on a real parse whether a SPARQL text could make the engine reach outside the store.

Both engines on this stack fetch URLs on their own: pyoxigraph (the query store) calls any
endpoint named in SERVICE, and rdflib (pySHACL's engine) calls SERVICE endpoints, dereferences
FROM / FROM NAMED and runs LOAD. A filter on tokens can be walked around (an escaped local name
such as `ex:p\\#` once made a lexer read the rest of the line as a comment), so this module
parses the text with rdflib's SPARQL 1.1 grammar and walks the whole parse tree: a
ServiceGraphPattern anywhere (sub-select, EXISTS, OPTIONAL, MINUS, UNION, GRAPH, nested
groups), any update operation, and any FROM / FROM NAMED target outside an allowed set is
refused, whatever escapes, comments or case the text used.

Policy, because the engine that runs the query is not the parser that checks it:

* A text rdflib cannot parse is refused. pyoxigraph accepts more (SPARQL 1.2, RDF-star); refusing
  is the safe side of any disagreement between the two parsers.
* `\\uXXXX` / `\\UXXXXXXXX` escapes are allowed only when they stand for a letter, a digit or a
  non-ASCII character. rdflib expands them over the whole text before parsing (as SPARQL 1.1
  section 19.2 says), pyoxigraph only inside strings and IRIs; an escape that stands for a quote,
  `<`, `#`, a brace or a line break could make the two see different token boundaries, so it is
  refused. So are `\\u` with eight hex digits and `\\U` with four, which rdflib reads differently
  from the specification.
* A carriage return ends a comment for pyoxigraph (and the specification) but not for rdflib, so
  the checked copy has every CR turned into LF.

Parse results are cached (LRU), so a hot query is parsed once per process. rdflib's grammar
recurses about a dozen Python frames per triple pattern, so the parse runs in a thread with a
deep stack and a raised recursion limit; a text nested deeper than that is refused.

The project's own queries (queries/**/*.rq) are parsed once per build, not once per process: a
verdict book (`verdict_key` -> Analysis) holds what the parse decided for each of their texts,
kept beside the build (verdict_book.py) and handed to `use_verdicts`. A text the book does not
hold is parsed, always; the parser and its grammar (about 0.1 s of imports, a quarter of an
`aigovkg query`) are imported only then.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .errors import QueryError
from .namespaces import PREFIXES

if TYPE_CHECKING:  # imported where a text is really parsed (see the module docstring)
    import pyparsing

CACHE_SIZE = 512
_PARSE_STACK_BYTES = 32 * 1024 * 1024
_PARSE_RECURSION_LIMIT = 20_000
_PARSE_LOCK = threading.Lock()


def _fresh_lock_after_fork() -> None:
    """A forked child (the SHACL run) must not inherit the lock held by another thread."""
    global _PARSE_LOCK
    _PARSE_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_fresh_lock_after_fork)
_LOCAL_ESC = re.compile(r"\\(.)")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")

T = TypeVar("T")


class RefusedQuery(QueryError, ValueError):
    """A query that will not run; the message says why (the endpoint answers 400 with it).

    A QueryError, so the command line reports it like any bad query (exit 2), and a ValueError,
    as it was when only the web endpoint raised it."""

    def __init__(self, detail: str, query_name: str | None = None) -> None:
        super().__init__(detail, query_name)


@dataclass(frozen=True)
class Analysis:
    """What the parse found, independent of which graphs a caller allows."""

    refusal: str | None = None  # why the text is refused whatever the graphs
    dataset: tuple[tuple[str, str], ...] = ()  # ("FROM" | "FROM NAMED", resolved IRI)


def check_query(
    text: str,
    allowed_graphs: Collection[str] | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> None:
    """Raise RefusedQuery unless `text` is a SPARQL 1.1 query that cannot reach outside.

    `allowed_graphs`: the IRIs a FROM / FROM NAMED may name (None or empty: no dataset clause).
    `prefixes`: prefixes the engine predeclares (default: the project's), to resolve `FROM p:x`.
    """
    analysis = analyse(text, _prefix_key(prefixes))
    if analysis.refusal:
        raise RefusedQuery(analysis.refusal)
    allowed = frozenset(allowed_graphs or ())
    for keyword, iri in analysis.dataset:
        if not allowed:
            raise RefusedQuery(
                f"{keyword} <{iri}> is refused: this store has no graphs to name, and no "
                "engine here may fetch data from elsewhere"
            )
        if iri not in allowed:
            raise RefusedQuery(
                f"{keyword} <{iri}> is not one of this store's graphs; the endpoint never "
                "fetches external data (list the graphs with SELECT DISTINCT ?g { GRAPH ?g {} })"
            )


def declared_dataset(
    text: str, prefixes: Mapping[str, str] | None = None
) -> tuple[tuple[str, str], ...]:
    """The query's own FROM / FROM NAMED clauses, from the same cached parse `check_query` made
    (empty for a text it refuses, which never runs): the store answers a query that names its
    dataset on that dataset, and any other on the union of its graphs."""
    return analyse(text, _prefix_key(prefixes)).dataset


def _prefix_key(prefixes: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((PREFIXES if prefixes is None else prefixes).items()))


# The verdict book: verdict_key -> the Analysis a real parse gave for that text, or None for a
# project query not parsed yet (its verdict is handed to _ON_NEW once found). Empty unless a
# build's book was loaded (use_verdicts).
_BOOK: dict[str, Analysis | None] = {}
_ON_NEW: list[Callable[[str, Analysis], None]] = []


@lru_cache(maxsize=1)
def policy() -> str:
    """What a verdict depends on besides the text: this module's code and the parser's version.
    A book written under another policy is not used."""
    from importlib.metadata import version

    digest = hashlib.sha256(Path(__file__).read_bytes())
    for package in ("rdflib", "pyparsing"):
        digest.update(f"\n{package} {version(package)}".encode())
    return digest.hexdigest()


def verdict_key(text: str, prefixes: tuple[tuple[str, str], ...]) -> str:
    """The book's key for a text checked with the given predeclared prefixes."""
    return hashlib.sha256(_prefixes_line(prefixes) + text.encode()).hexdigest()


@lru_cache(maxsize=8)
def _prefixes_line(prefixes: tuple[tuple[str, str], ...]) -> bytes:
    # JSON escapes line breaks, so the first line ends where the prefixes end
    return json.dumps(prefixes).encode() + b"\n"


def packaged_key(text: str) -> str:
    """The book's key for a text run with the project's prefixes (as every store runs it)."""
    return verdict_key(text, _prefix_key(None))


def use_verdicts(
    book: Mapping[str, Analysis | None],
    on_new: Callable[[str, Analysis], None] | None = None,
) -> None:
    """Take verdicts a real parse gave before (None: a text to record once parsed, via `on_new`,
    which replaces the previous recorder when given).

    Only for a book this process or a build wrote (verdict_book); a text it does not hold is
    parsed as always."""
    for key, verdict in book.items():
        if verdict is not None or key not in _BOOK:  # a verdict known stays known
            _BOOK[key] = verdict
    if on_new is not None:
        _ON_NEW[:] = [on_new]


def known_verdicts() -> dict[str, Analysis | None]:
    """The book as it stands (what a build records beside its outputs)."""
    return dict(_BOOK)


def forget_verdicts() -> None:
    """Empty the book: every text is parsed again."""
    _BOOK.clear()
    _ON_NEW.clear()
    _DERIVED.clear()
    analyse.cache_clear()


@lru_cache(maxsize=CACHE_SIZE)
def analyse(text: str, prefixes: tuple[tuple[str, str], ...] = ()) -> Analysis:
    """What would make `text` unsafe: from the verdict book, else from a real parse (cached:
    the parse is the slow part)."""
    derived = _DERIVED.get((text, prefixes))
    if derived is not None:
        return derived
    if not _BOOK:
        return _parsed(text, prefixes)
    key = verdict_key(text, prefixes)
    known = _BOOK.get(key, _MISSING)
    if isinstance(known, Analysis):
        return known
    found = _parsed(text, prefixes)
    if known is None:  # a project query: record its verdict for the next process
        _BOOK[key] = found
        for record in _ON_NEW:
            record(key, found)
    return found


_MISSING = object()

# Texts this module built itself by joining a VALUES block of IRIs into a text it had checked
# (`this_values`), with that text's verdict: (text, prefixes) -> Analysis. Bounded, oldest
# dropped; never written down, never filled from outside.
_DERIVED: dict[tuple[str, tuple[tuple[str, str], ...]], Analysis] = {}
DERIVED_SIZE = 1024
# What may stand between < and > of an IRIREF with no escape to expand and nothing to close or
# open (SPARQL 1.1 grammar rule 139 minus its escapes); shacl_guard checks shape IRIs with it too.
IRI_TEXT = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')


def this_values(
    query: str, iris: Collection[str], prefixes: Mapping[str, str] | None = None
) -> str:
    """`query` with `VALUES ?this { <iri> ... }` (in the order given) joined first into its
    WHERE group: the text validation runs to re-check a few focus nodes (validation_anchor,
    shacl_sparql). Its verdict is `query`'s, without a parse of the new text.

    Why that holds: the block goes in between two tokens (just after the `{` that
    sparql_text.body_start finds with a lexer that knows strings, IRIs and comments), with
    a space either side, so every token of `query` stays as it was; the block's own tokens
    are VALUES, ?this, braces and IRIREFs whose characters are checked here (none of
    `<>"{}|^`\\`, space or control characters: no escape to expand, no string, comment or
    bracket to open or close). Such a block adds inline data and nothing else: no SERVICE,
    LOAD, update or dataset clause, which is all a verdict records. The parse of a query
    generated per change (about 40 ms, eight for a label edit at 100k, in the parent and in
    the SHACL child) was most of an incremental validation. When a value does not pass the
    check, the text is built the same way and parsed as any other."""
    from .sparql_text import body_start

    start = body_start(query)
    block = " ".join(f"<{iri}>" for iri in iris)
    text = f"{query[:start]} VALUES ?this {{ {block} }} {query[start:]}"
    if all(iri and IRI_TEXT.fullmatch(iri) for iri in iris):
        key = _prefix_key(prefixes)
        verdict = analyse(query, key)
        if len(_DERIVED) >= DERIVED_SIZE:
            del _DERIVED[next(iter(_DERIVED))]
        _DERIVED[(text, key)] = verdict
    return text


# In a forked SHACL child (shacl_guard) only: the verdicts earlier children's parses gave (by
# `verdict_key`), which the parent keeps for its next children, and what this child parsed itself
# (handed back). A validation asks the same generated texts each time (a 37 kB screening query
# alone takes 1.2 s to parse) and a child's own cache dies with it. Outside a child neither is
# read: the parent's own checks never take a verdict from a child.
_SANDBOX_KNOWN: Mapping[str, Analysis] | None = None
_SANDBOX_PARSED: list[tuple[str, Analysis]] = []


def enter_sandbox(known: Mapping[str, Analysis]) -> None:
    """Called first thing in a forked validation child: use `known` (verdicts earlier children
    found, by `verdict_key`), and note every text this child parses (`sandbox_parsed`)."""
    global _SANDBOX_KNOWN
    _SANDBOX_KNOWN = known
    _SANDBOX_PARSED.clear()


def sandbox_parsed() -> list[tuple[str, Analysis]]:
    """What this child parsed since `enter_sandbox`, as (verdict_key, verdict) pairs."""
    return list(_SANDBOX_PARSED)


def _parsed(text: str, prefixes: tuple[tuple[str, str], ...]) -> Analysis:
    """A real parse, or in a validation child the verdict an earlier child's parse gave."""
    if _SANDBOX_KNOWN is None:
        return _parse_and_analyse(text, prefixes)
    key = verdict_key(text, prefixes)
    known = _SANDBOX_KNOWN.get(key)
    if known is not None:
        return known
    found = _parse_and_analyse(text, prefixes)
    _SANDBOX_PARSED.append((key, found))
    return found


def load_parser() -> None:
    """Import the parser now (a long-lived process that will check user texts: the server,
    before its workers and its store loading compete with it for the processor)."""
    import rdflib.plugins.sparql.parser  # noqa: F401


def _parse_and_analyse(text: str, prefixes: tuple[tuple[str, str], ...]) -> Analysis:
    """The real parse of `text` and the walk of its tree."""
    import pyparsing
    from rdflib.plugins.sparql.parser import parseQuery

    escape = _unsafe_escape(text)
    if escape:
        return Analysis(refusal=escape)
    checked = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        tree = _deep(parseQuery, checked)
    except RecursionError:
        return Analysis(refusal=_TOO_DEEP)
    except (pyparsing.ParseBaseException, ValueError) as exc:
        return Analysis(refusal=_unparsed(checked, exc))
    found = _service_in(tree)
    if found:
        return Analysis(refusal=found)
    try:
        dataset = _dataset(tree, dict(prefixes))
    except Exception as exc:  # rdflib raises bare Exception for an unknown prefix
        return Analysis(refusal=f"FROM / FROM NAMED names an IRI that cannot be resolved: {exc}")
    return Analysis(dataset=dataset)


_TOO_DEEP = (
    "the query is nested too deeply (or has too many patterns in one group) for the safety "
    "parser; split it into smaller queries"
)


def _unsafe_escape(text: str) -> str | None:
    """Why a codepoint escape is refused, or None (see the module docstring)."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes_re

    for match in expandUnicodeEscapes_re.finditer(text):
        marker, digits = match.group()[1], match.group(1)
        if (marker == "u") != (len(digits) == 4):
            return (
                f"the escape {match.group()!r} is ambiguous (SPARQL reads \\u with 4 hex digits "
                "and \\U with 8); write the character itself"
            )
        code = int(digits, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return f"the escape {match.group()!r} is not a Unicode character"
        char = chr(code)
        if code < 0x80 and not char.isalnum():
            return (
                f"the escape {match.group()!r} stands for {char!r}, a character with a meaning "
                "in SPARQL syntax; write it directly (in a string, use \\\" or \\' style escapes)"
            )
    return None


def _deep(parse: Callable[[str], T], text: str) -> T:
    """Run rdflib's recursive-descent parser with room to recurse, in a thread of its own."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = parse(text)
        except BaseException as exc:  # handed back to the calling thread below
            box["error"] = exc

    with _PARSE_LOCK:
        limit = sys.getrecursionlimit()
        previous_stack = threading.stack_size(_PARSE_STACK_BYTES)
        try:
            worker = threading.Thread(target=run, name="sparql-safety-parse", daemon=True)
            worker.start()
        finally:
            threading.stack_size(previous_stack)
        sys.setrecursionlimit(max(limit, _PARSE_RECURSION_LIMIT))
        try:
            worker.join()
        finally:
            sys.setrecursionlimit(limit)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def _unparsed(text: str, exc: Exception) -> str:
    """The refusal for a text rdflib's query grammar rejects: an update, or a syntax error."""
    import pyparsing
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        _deep(parseUpdate, text)
    except Exception:
        where = ""
        if isinstance(exc, pyparsing.ParseBaseException):
            where = f" at line {exc.lineno}, column {exc.col}: {exc.msg}"
        return (
            f"malformed SPARQL: the query does not parse as SPARQL 1.1{where}. Queries are "
            "checked by a strict SPARQL 1.1 parser before they run; what it cannot read is refused"
        )
    return "SPARQL Update (LOAD, INSERT, DELETE, CLEAR, ...) is refused: the graph is read-only"


def _nodes(tree: object) -> Iterator[object]:
    """Every node of a parse tree, iteratively (a deep tree must not exhaust the stack)."""
    import pyparsing
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, CompValue):
            stack.extend(node.values())
        elif isinstance(node, pyparsing.ParseResults | list | tuple):
            stack.extend(node)


def _service_in(tree: object) -> str | None:
    from rdflib.plugins.sparql.parserutils import CompValue

    for node in _nodes(tree):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            return (
                "SERVICE is not allowed: no query here may make an outbound request "
                "(federated queries are refused)"
            )
    return None


def _dataset(tree: pyparsing.ParseResults, prefixes: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """FROM / FROM NAMED targets as absolute IRIs (prefixed names and BASE resolved)."""
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parserutils import CompValue

    prologue_part, query = tree[0], tree[1]
    clauses = dict.get(query, "datasetClause") or []  # CompValue.get means something else
    if not clauses:
        return ()
    prologue = translatePrologue(prologue_part, None, prefixes)
    found = []
    for clause in clauses:
        if clause.default is not None:
            keyword, term = "FROM", clause.default
        else:
            keyword, term = "FROM NAMED", clause.named
        if isinstance(term, CompValue) and term.name == "pname" and term.localname:
            # rdflib keeps PN_LOCAL_ESC backslashes; the IRI has the bare character
            term = CompValue(
                "pname", prefix=term.prefix, localname=_LOCAL_ESC.sub(r"\1", term.localname)
            )
        iri = str(prologue.absolutize(term))
        found.append((keyword, iri if _ABSOLUTE_IRI.match(iri) else f"{iri} (relative)"))
    return tuple(found)
