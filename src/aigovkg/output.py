"""The one output layer of the command line: every command renders through `render`, in one set
of formats (table, csv, tsv, json, md).

A SPARQL answer in csv, tsv or json is written by the W3C result serialiser (`results.py`), so
`aigovkg query --format csv` gives the same bytes as `/sparql` with `Accept: text/csv`. Tables
and Markdown show IRIs shortened by the one shortener (`names.prefixed`). A DataFrame (the
analysis commands) is written in the same formats with the same conventions (CRLF CSV rows,
tab-separated TSV, JSON records with ISO dates).
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rich.table import Table

from .names import prefixed
from .results import ResultFormat, serialize
from .serialize import to_turtle
from .store import QueryAnswer, SelectResult

if TYPE_CHECKING:  # pandas (and numpy's thread pool) only when a command renders a frame
    import pandas as pd


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    md = "md"


def readable(term: Node | None) -> str:
    """A term as a person reads it: prefixed IRI, plain literal text."""
    if term is None:
        return ""
    return prefixed(str(term)) if isinstance(term, URIRef) else str(term)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, Node):
        return readable(value)
    return str(value)


def _with_index(frame: pd.DataFrame) -> pd.DataFrame:
    """Named or non-default indexes (dimension, party...) become the first column."""
    import pandas as pd

    if frame.index.name or not isinstance(frame.index, pd.RangeIndex):
        return frame.reset_index()
    return frame


def _table(columns: list[str], rows: list[list[str]], title: str | None, lines: bool) -> Table:
    table = Table(title=title, show_lines=lines)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def _markdown(columns: list[str], rows: list[list[str]], title: str | None) -> str:
    out = [f"**{title}**", ""] if title else []
    out.append("| " + " | ".join(columns) + " |")
    out.append("|" + "---|" * len(columns))
    for row in rows:
        out.append(
            "| " + " | ".join(c.replace("|", "\\|").replace("\n", "<br>") for c in row) + " |"
        )
    return "\n".join(out) + "\n"


def _json_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if value is None or _cell(value) == "":
        return None
    if isinstance(value, Literal):
        return value.toPython() if not value.language else str(value)
    if isinstance(value, Node):
        return str(value)
    return value


def render_frame(frame: pd.DataFrame, fmt: OutputFormat, title: str | None = None) -> Table | str:
    """A DataFrame as a rich Table (for `table`) or as text."""
    frame = _with_index(frame)
    columns = [str(c) for c in frame.columns]
    if fmt is OutputFormat.csv:
        return frame.to_csv(index=False, lineterminator="\r\n")
    if fmt is OutputFormat.tsv:
        return frame.to_csv(index=False, sep="\t", lineterminator="\n")
    if fmt is OutputFormat.json:
        records = [
            {c: _json_value(v) for c, v in zip(columns, row, strict=True)}
            for row in frame.itertuples(index=False)
        ]
        return json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n"
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    if fmt is OutputFormat.md:
        return _markdown(columns, rows, title)
    return _table(columns, rows, title, lines=True)


def for_people(
    frame: pd.DataFrame, fmt: OutputFormat, columns: list[str] | None = None
) -> pd.DataFrame:
    """What a person reads in a table or Markdown: only `columns` (when given), and the IRIs of
    a `sources` column shortened to `source:slug`. csv, tsv and json keep every column and
    full IRIs, for programs."""
    if fmt not in (OutputFormat.table, OutputFormat.md):
        return frame
    if columns is not None:
        frame = frame[columns]
    if "sources" in frame.columns:
        frame = frame.assign(
            sources=[
                ", ".join(prefixed(s) for s in sorted(set(v.split()))) if isinstance(v, str) else ""
                for v in frame["sources"]
            ]
        )
    return frame


def render_sections(
    head: dict[str, str], sections: dict[str, pd.DataFrame], fmt: OutputFormat
) -> list[Table | str]:
    """A record in several tables (a party's memberships, instruments, signatures): in json one
    object, `head` followed by each section's records; otherwise the head's values, then one
    titled table per section."""
    if fmt is OutputFormat.json:
        joined = {k: json.loads(str(render_frame(v, fmt))) for k, v in sections.items()}
        return [json.dumps({**head, **joined}, ensure_ascii=False, indent=2)]
    rendered: list[Table | str] = list(head.values())
    for title, frame in sections.items():
        rendered.append(render_frame(for_people(frame, fmt), fmt, title))
    return rendered


def render_answer(
    answer: QueryAnswer, fmt: OutputFormat, title: str | None = None
) -> Table | str | bytes:
    """A SPARQL answer: W3C bytes for csv/tsv/json, a table or Markdown for people, Turtle for
    graphs."""
    if isinstance(answer, Graph):
        return to_turtle(answer)
    if fmt in (OutputFormat.csv, OutputFormat.tsv, OutputFormat.json):
        return serialize(answer, ResultFormat(fmt.value))
    if isinstance(answer, bool):
        return "true" if answer else "false"
    assert isinstance(answer, SelectResult)
    rows = [[readable(v) for v in row] for row in answer.rows]
    if fmt is OutputFormat.md:
        return _markdown(answer.variables, rows, title)
    return _table(answer.variables, rows, title, lines=False)
