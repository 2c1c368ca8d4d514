"""Text renderings of query answers for the command line (table, CSV, TSV, SPARQL JSON)."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rich.table import Table

from .namespaces import PREFIXES
from .serialize import to_turtle
from .store import QueryAnswer, SelectResult


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


# Longest namespace first, so `id/concept/...` wins over `id/`; computed once, used per table cell.
_PREFIXES_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def compact(term: Node | None) -> str:
    """A term as a person reads it: prefixed IRI, plain literal text."""
    if term is None:
        return ""
    text = str(term)
    if isinstance(term, URIRef):
        for prefix, iri in _PREFIXES_LONGEST_FIRST:
            if text.startswith(iri) and "/" not in text[len(iri) :]:
                return f"{prefix}:{text[len(iri) :]}"
    return text


def as_table(result: SelectResult, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False)
    for var in result.variables:
        table.add_column(var, overflow="fold")
    for row in result.rows:
        table.add_row(*(compact(v) for v in row))
    return table


def as_delimited(result: SelectResult, delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return buffer.getvalue()


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


def as_sparql_json(result: SelectResult) -> str:
    """The W3C SPARQL 1.1 Query Results JSON format."""
    bindings = [
        {
            var: _json_term(value)
            for var, value in zip(result.variables, row, strict=True)
            if value is not None
        }
        for row in result.rows
    ]
    document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1)


def render_text(answer: QueryAnswer, fmt: OutputFormat) -> str | Table:
    """The answer in the requested format (a rich Table for `table`)."""
    if isinstance(answer, bool):
        return (
            json.dumps({"head": {}, "boolean": answer})
            if fmt is OutputFormat.json
            else str(answer).lower()
        )
    if isinstance(answer, Graph):
        return to_turtle(answer)
    if fmt is OutputFormat.csv:
        return as_delimited(answer, ",")
    if fmt is OutputFormat.tsv:
        return as_delimited(answer, "\t")
    if fmt is OutputFormat.json:
        return as_sparql_json(answer)
    return as_table(answer)
