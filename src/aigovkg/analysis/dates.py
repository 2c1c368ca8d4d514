"""Parsing the dates analysts type: ISO calendar dates only, with a clear error otherwise."""

from __future__ import annotations

from datetime import date

from ..errors import BadDate


def parse_date(text: str | date | None, default: date | None = None) -> date:
    """`YYYY-MM-DD` (or "today") as a date; None gives `default` (else today)."""
    if isinstance(text, date):
        return text
    if text is None:
        return default or date.today()
    if text.strip().lower() == "today":
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadDate(f"bad date '{text}': expected an ISO date YYYY-MM-DD") from None
