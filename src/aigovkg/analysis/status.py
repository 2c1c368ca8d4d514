"""Status on a date and the timeline, as DataFrames for the analysis commands.

The rule itself lives in `aigovkg.status` and is materialised by the build as status intervals;
`status` here reads them through CQ08 (the same query a researcher runs on /sparql) and adds the
instrument's label, type and jurisdictions, so every surface gives the same answer. An amended
status says so (`amended`) and names the amending instruments (`amended_by`).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from rdflib import Literal
from rdflib.namespace import XSD

from .data import Queryable, read, split

STATUS_ORDER = [
    "proposed",
    "adopted",
    "in force",
    "partially applicable",
    "revoked",
    "expired",
    "vetoed",
]

COLUMNS = [
    "instrument",
    "label",
    "type",
    "status",
    "since",
    "amended",
    "amended_by",
    "last_event",
    "last_event_date",
    "jurisdictions",
    "event",
    "sources",
]


def events(kg: Queryable) -> pd.DataFrame:
    """Every dated life-cycle event, with its instrument, type and sources (date as `date`)."""
    frame = read(kg, "events")
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    # An instrument typed twice (say, a law that is also a treaty) would repeat its events.
    return frame.drop_duplicates("event").reset_index(drop=True)


def status_table(
    kg: Queryable,
    as_of: date,
    jurisdiction: str | None = None,
    instruments: list[str] | None = None,
) -> pd.DataFrame:
    """Status on `as_of` of every instrument with an event on or before that date (optionally
    only some, or only those of one jurisdiction IRI), from the one status rule via CQ08."""
    state = kg.frame("cq", "CQ08", {"asOf": Literal(as_of.isoformat(), datatype=XSD.date)})
    frame = events(kg)
    info = frame.drop_duplicates("instrument").set_index("instrument")
    past = frame[frame["date"] <= as_of].sort_values(["date", "eventType"])
    latest = past.groupby("instrument").tail(1).set_index("instrument")
    rows = []
    for row in state.itertuples(index=False):
        iri = str(row.instrument)
        if iri not in info.index or (instruments is not None and iri not in instruments):
            continue
        places = split(info.at[iri, "jurisdictions"])
        if jurisdiction and jurisdiction not in places:
            continue
        rows.append(
            {
                "instrument": iri,
                "label": info.at[iri, "label"],
                "type": info.at[iri, "type"],
                "status": row.status,
                "since": row.since,
                "amended": bool(row.asAmended),
                "amended_by": " ".join(split(row.amendedBy)),
                "last_event": latest.at[iri, "eventType"] if iri in latest.index else None,
                "last_event_date": latest.at[iri, "date"] if iri in latest.index else None,
                "jurisdictions": " ".join(places),
                "event": row.event,
                "sources": " ".join(split(row.sources)),
            }
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    table["_order"] = table["status"].map(lambda s: order.get(s, len(order)))
    table = table.sort_values(["_order", "label"]).drop(columns="_order")
    return table.reset_index(drop=True)


def status(kg: Queryable, as_of: date, jurisdiction: str | None = None) -> pd.DataFrame:
    """Status of the graph's instruments on `as_of` (see aigovkg.status for the rule)."""
    return status_table(kg, as_of, jurisdiction)


def timeline(
    kg: Queryable, jurisdiction: str | None = None, instruments: list[str] | None = None
) -> pd.DataFrame:
    """The dated events of every instrument (or of some), in date order, with their sources."""
    frame = events(kg)
    if jurisdiction:
        frame = frame[frame["jurisdictions"].map(lambda j: jurisdiction in split(j))]
    if instruments:
        frame = frame[frame["instrument"].isin(instruments)]
    frame = frame.sort_values(["date", "label", "eventType"])
    return frame[
        ["date", "label", "eventType", "legalReference", "type", "instrument", "event", "sources"]
    ].reset_index(drop=True)
