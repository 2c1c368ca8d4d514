"""The status of each instrument on a given date, derived from its dated life-cycle events.

Nothing here is stored in the graph: the state of the world on any day is recomputed from the
events, so `status(as_of=2024-05-31)` shows Korea's act pending and EO 14110 in force, and the
answer changes by itself as events are added. Each status row names the event and the sources it
rests on.

Rules (documented because they are the analysis, not data):
- An event counts from its own date: on the day of entry into force the instrument is in force.
- revoked / expired end the life cycle, whatever came before.
- entered-into-force makes it "in force"; if the instrument has several applies-from dates and
  only some have passed, it is "partially applicable" (the EU AI Act from 2 Feb 2025).
- Without any recorded entry into force, an executive order is in force from its signature
  (an order takes effect when the President signs it unless it says otherwise); other
  instruments are "adopted" once passed, adopted, signed, promulgated or published.
- proposed / reported-pending make it "proposed".
- An amended event sets the `amended` flag; it does not change the stage.
Event types not listed here (added to the scheme later) are shown as the last event but do not
change the stage.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .data import Queryable, read, split

PROPOSED = frozenset({"proposed", "reported-pending"})
ADOPTED = frozenset({"passed", "adopted", "signed", "promulgated", "published"})
IN_FORCE = "entered-into-force"
APPLIES_FROM = "applies-from"
ENDED = ("revoked", "expired")
AMENDED = "amended"
EFFECTIVE_ON_SIGNATURE = frozenset({"https://w3id.org/aigovkg/ontology#ExecutiveOrder"})

STATUS_ORDER = [
    "proposed",
    "adopted",
    "in force",
    "partially applicable",
    "revoked",
    "expired",
]

COLUMNS = [
    "instrument",
    "label",
    "type",
    "status",
    "since",
    "amended",
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


def _status_of(group: pd.DataFrame, as_of: date) -> dict[str, object] | None:
    """One instrument's status from its events (all of them, past and future)."""
    past = group[group["date"] <= as_of].sort_values(["date", "eventType"])
    if past.empty:
        return None
    types = set(past["eventType"])

    def last(kinds: set[str] | frozenset[str] | tuple[str, ...]) -> pd.Series | None:
        rows = past[past["eventType"].isin(kinds)]
        return None if rows.empty else rows.iloc[-1]

    decisive: pd.Series | None
    ended = last(ENDED)
    if ended is not None:
        status, decisive = str(ended["eventType"]), ended
    elif IN_FORCE in types:
        status, decisive = "in force", last({IN_FORCE})
        applies = group[group["eventType"] == APPLIES_FROM]
        applied = applies[applies["date"] <= as_of]
        if len(applies) > 1 and 0 < len(applied) < len(applies):
            status, decisive = "partially applicable", last({APPLIES_FROM})
    elif (
        group["typeClass"].iloc[0] in EFFECTIVE_ON_SIGNATURE
        and IN_FORCE not in set(group["eventType"])
        and types & ADOPTED
    ):
        first = past[past["eventType"].isin(ADOPTED)].iloc[0]
        status, decisive = "in force", first
    elif types & ADOPTED:
        status, decisive = "adopted", last(ADOPTED)
    elif types & PROPOSED:
        status, decisive = "proposed", last(PROPOSED)
    else:
        status, decisive = "recorded", past.iloc[-1]
    latest = past.iloc[-1]
    assert decisive is not None
    return {
        "instrument": group["instrument"].iloc[0],
        "label": group["label"].iloc[0],
        "type": group["type"].iloc[0],
        "status": status,
        "since": decisive["date"],
        "amended": AMENDED in types,
        "last_event": latest["eventType"],
        "last_event_date": latest["date"],
        "jurisdictions": " ".join(split(group["jurisdictions"].iloc[0])),
        "event": decisive["event"],
        "sources": " ".join(split(decisive["sources"])),
    }


def status_table(frame: pd.DataFrame, as_of: date, jurisdiction: str | None = None) -> pd.DataFrame:
    """Status on `as_of` of every instrument with an event on or before that date.

    `frame` is the events table; `jurisdiction` an IRI that must be among the instrument's
    jurisdictions. Instruments with no event yet did not exist on that date and are left out.
    """
    rows = []
    for _instrument, group in frame.groupby("instrument", sort=True):
        row = _status_of(group, as_of)
        if row is None:
            continue
        if jurisdiction and jurisdiction not in str(row["jurisdictions"]).split():
            continue
        rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    table["_order"] = table["status"].map(lambda s: order.get(s, len(order)))
    table = table.sort_values(["_order", "label"]).drop(columns="_order")
    return table.reset_index(drop=True)


def status(kg: Queryable, as_of: date, jurisdiction: str | None = None) -> pd.DataFrame:
    """Status of the graph's instruments on `as_of` (see the module rules)."""
    return status_table(events(kg), as_of, jurisdiction)


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
