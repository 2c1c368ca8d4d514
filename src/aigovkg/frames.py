"""Query answers as pandas DataFrames, with RDF literals turned into Python values."""

from __future__ import annotations

import pandas as pd
from rdflib import Literal
from rdflib.term import Node

from .store import SelectResult


def python_value(term: Node | None) -> object:
    """IRIs and blank nodes as strings, typed literals as Python values (dates, numbers...)."""
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.language or term.datatype is None:
            return str(term)
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def to_frame(result: SelectResult) -> pd.DataFrame:
    return pd.DataFrame(
        [[python_value(v) for v in row] for row in result.rows], columns=result.variables
    )
