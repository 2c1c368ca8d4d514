"""DataFrames rendered as text for the command line: a rich table, CSV, JSON or Markdown."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum

import pandas as pd
from rich.table import Table


class FrameFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _with_index(frame: pd.DataFrame) -> pd.DataFrame:
    """Named or non-default indexes (dimension, party...) become the first column."""
    if frame.index.name or not isinstance(frame.index, pd.RangeIndex):
        return frame.reset_index()
    return frame


def render_frame(frame: pd.DataFrame, fmt: FrameFormat, title: str | None = None) -> Table | str:
    """The frame as a rich Table (for `table`) or as text."""
    frame = _with_index(frame)
    columns = [str(c) for c in frame.columns]
    if fmt is FrameFormat.table:
        table = Table(title=title, show_lines=True)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in frame.itertuples(index=False):
            table.add_row(*(_cell(v) for v in row))
        return table
    if fmt is FrameFormat.csv:
        return frame.to_csv(index=False)
    if fmt is FrameFormat.json:
        records = [
            {c: (v.isoformat() if isinstance(v, date) else None if _cell(v) == "" else v)
             for c, v in zip(columns, row, strict=True)}
            for row in frame.itertuples(index=False)
        ]  # fmt: skip
        return json.dumps(records, ensure_ascii=False, indent=2, default=str) + "\n"
    lines = [f"**{title}**", ""] if title else []
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "---|" * len(columns))
    for row in frame.itertuples(index=False):
        cells = [_cell(v).replace("|", "\\|").replace("\n", "<br>") for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
