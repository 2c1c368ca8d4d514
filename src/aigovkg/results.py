"""The W3C SPARQL 1.1 result formats (JSON, XML, CSV, TSV): the one serialiser for the CLI and
the endpoint, so `aigovkg query --format csv` and `/sparql` with `Accept: text/csv` give the same
bytes for the same query.

The output matches pyoxigraph's own result writers byte for byte (tests compare them), with two
additions the engine's writers lack: a byte budget (an over-large result stops while it is being
written, so no process ever holds it whole) and well-formed XML for literals holding characters
XML 1.0 cannot carry (they are replaced by U+FFFD; the JSON form keeps them escaped).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from enum import StrEnum

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError
from .store import SelectResult

_XSD = "http://www.w3.org/2001/XMLSchema#"
# Datatypes TSV writes bare when the lexical form is already in Turtle's short syntax.
_BARE = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ResultFormat(StrEnum):
    json = "json"
    xml = "xml"
    csv = "csv"
    tsv = "tsv"


class ResultTooLarge(QueryError):
    """The serialised result passed the byte budget."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the result is larger than {limit} bytes; narrow the query or add LIMIT")
        self.limit = limit


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _turtle_string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def tsv_term(term: Node | None) -> str:
    """A term as SPARQL TSV writes it: N-Triples/Turtle syntax, short forms for numbers."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = str(term)
    if term.language:
        return f"{_turtle_string(text)}@{term.language}"
    if term.datatype is None:
        return _turtle_string(text)
    bare = _BARE.get(str(term.datatype))
    if bare is not None and bare.fullmatch(text):
        return text
    return f"{_turtle_string(text)}^^<{term.datatype}>"


def _csv_cell(term: Node | None) -> str:
    if term is None:
        return ""
    text = f"_:{term}" if isinstance(term, BNode) else str(term)
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry replaced by U+FFFD."""
    return _XML_FORBIDDEN.sub("\ufffd", text)


def _xml_text(text: str) -> str:
    """Text or attribute content, escaped as the engine escapes it (quotes too)."""
    text = _XML_FORBIDDEN.sub("\ufffd", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_text(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_text(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        attr = f' xml:lang="{_xml_text(term.language)}"'
    elif term.datatype:
        attr = f' datatype="{_xml_text(str(term.datatype))}"'
    else:
        attr = ""
    return f"<literal{attr}>{_xml_text(str(term))}</literal>"


_XML_HEAD = '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _per_term(encode: Callable[[Node], str]) -> Callable[[Node | None], str]:
    """`encode` run once per term object of one answer.

    Why: the embedded store's rows share one rdflib object per distinct term
    (`store.memoized`), so a 60,000-row answer holds a few thousand terms; encoding each cell
    anew was most of the time of writing it. Keyed by `id`, which is safe because the answer
    keeps every row, and so every term, alive while it is written; rows that do not share
    their terms (a remote store's) are simply encoded cell by cell, as before."""
    memo: dict[int, str] = {}

    def encode_once(term: Node | None) -> str:
        if term is None:
            return ""
        key = id(term)
        found = memo.get(key)
        if found is None:
            found = memo[key] = encode(term)
        return found

    return encode_once


def _select_chunks(result: SelectResult, fmt: ResultFormat) -> Iterator[str]:
    names = result.variables
    if fmt is ResultFormat.json:
        # Each binding object written as json.dumps writes it (insertion order, no spaces).
        yield '{"head":{"vars":' + _dumps(names) + '},"results":{"bindings":['
        keys = [_dumps(n) + ":" for n in names]
        cell = _per_term(lambda term: _dumps(_json_term(term)))
        for index, row in enumerate(result.rows):
            body = ",".join(k + cell(v) for k, v in zip(keys, row, strict=True) if v is not None)
            yield ("," if index else "") + "{" + body + "}"
        yield "]}}"
    elif fmt is ResultFormat.xml:
        yield _XML_HEAD + "<head>"
        yield "".join(f'<variable name="{_xml_text(n)}"/>' for n in names)
        yield "</head><results>"
        opens = [f'<binding name="{_xml_text(n)}">' for n in names]
        cell = _per_term(_xml_term)
        for row in result.rows:
            cells = "".join(
                f"{o}{cell(v)}</binding>" for o, v in zip(opens, row, strict=True) if v is not None
            )
            yield f"<result>{cells}</result>"
        yield "</results></sparql>"
    elif fmt is ResultFormat.csv:
        yield ",".join(names) + "\r\n"
        cell = _per_term(_csv_cell)
        for row in result.rows:
            yield ",".join(map(cell, row)) + "\r\n"
    else:
        yield "\t".join(f"?{n}" for n in names) + "\n"
        cell = _per_term(tsv_term)
        for row in result.rows:
            yield "\t".join(map(cell, row)) + "\n"


def _boolean(answer: bool, fmt: ResultFormat) -> str:
    word = "true" if answer else "false"
    if fmt is ResultFormat.json:
        return '{"head":{},"boolean":' + word + "}"
    if fmt is ResultFormat.xml:
        return _XML_HEAD + f"<head></head><boolean>{word}</boolean></sparql>"
    return word  # CSV and TSV have no boolean form in the standard; the engine writes the word


def serialize(
    answer: SelectResult | bool, fmt: ResultFormat, max_bytes: int | None = None
) -> bytes:
    """A SELECT or ASK answer in a W3C result format; ResultTooLarge past `max_bytes`."""
    if isinstance(answer, bool):
        return _boolean(answer, fmt).encode("utf-8")
    buffer = io.BytesIO()
    for chunk in _select_chunks(answer, fmt):
        buffer.write(chunk.encode("utf-8"))
        if max_bytes is not None and buffer.tell() > max_bytes:
            raise ResultTooLarge(max_bytes)
    return buffer.getvalue()
