"""Query answers as pandas DataFrames, with RDF literals turned into Python values.

The values come from `SelectResult.values()`, that is from the one conversion in store.py.
"""

from __future__ import annotations

import pandas as pd

from .store import SelectResult, python_value

__all__ = ["python_value", "to_frame"]


def to_frame(result: SelectResult) -> pd.DataFrame:
    return pd.DataFrame(result.values(), columns=result.variables)
