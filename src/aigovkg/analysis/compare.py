"""Side-by-side comparison of regimes: one row per dimension, one column per instrument.

The long form (`compare_long`) has one row per fact with the sources behind it, so every cell of
the wide table (`compare`) can show where it comes from. Penalties stay in their native currency;
a conversion is only made when the caller gives the rate and its date, which are then printed in
the cell (the graph holds no exchange rates).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ..errors import AigovkgError
from ..names import prefixed
from ..namespaces import EVENT_TYPE, INSTRUMENT_STATUS
from .data import Queryable, read, split
from .dates import parse_date
from .status import events, status_table

DIMENSIONS = [
    "type",
    "legally binding",
    "jurisdiction",
    "issued by",
    "status",
    "key dates",
    "risk tiers",
    "obligation types",
    "prohibited practices",
    "maximum penalties",
    "competent authority",
    "principles",
    "crosswalk",
]
INVERSE = {
    "exactMatch": "exactMatch",
    "closeMatch": "closeMatch",
    "relatedMatch": "relatedMatch",
    "broadMatch": "narrowMatch",
    "narrowMatch": "broadMatch",
}
LONG_COLUMNS = ["instrument", "instrument_label", "dimension", "value", "sources"]
MATCH_WORDS = {
    "exactMatch": "exact match",
    "closeMatch": "close match",
    "broadMatch": "broader than",
    "narrowMatch": "narrower than",
    "relatedMatch": "related to",
}
# The words compare writes into its cells itself (everything else in a cell is a label from the
# graph). A page in another language passes its own `Wording` with the same keys.
PHRASES: dict[str, str] = {
    "status": "{status} since {since} (as of {as_of})",
    "as_amended": "; as amended",
    "as_amended_by": "; as amended by {by}",
    "no_event": "no recorded event by {as_of}",
    "event": "{event}: {date}{reference}",
    "turnover": "{percent}% of worldwide annual turnover",
    "or": " or ",
    "binding": "binding",
    "non-binding": "non-binding",
    **{f"match.{name}": words for name, words in MATCH_WORDS.items()},
}


def _no_label(iri: str) -> str | None:
    return None


@dataclass(frozen=True)
class Wording:
    """The language of compare's cells: its own phrases (keys of PHRASES) and, for nodes of
    the graph (types, statuses, event types, concepts, amending acts), their label in that
    language (None: the English label the analysis already has). English by default, so the
    command line and the Python API are unchanged; the web page passes the reader's."""

    phrases: Mapping[str, str] = field(default_factory=lambda: PHRASES)
    label: Callable[[str], str | None] = _no_label

    def __call__(self, key: str, **values: object) -> str:
        return self.phrases[key].format(**values)


ENGLISH = Wording()


@dataclass(frozen=True)
class Conversion:
    """An exchange rate chosen by the user: 1 unit of `source` = `rate` units of `target`."""

    source: str
    target: str
    rate: float
    on: date

    @classmethod
    def parse(cls, spec: str) -> Conversion:
        """`FROM:TO:RATE:DATE` as the user types it (`--convert KRW:EUR:0.00064:2026-01-22`)."""
        parts = spec.split(":")
        if len(parts) != 4:
            raise AigovkgError(f"bad --convert '{spec}': expected FROM:TO:RATE:DATE")
        try:
            rate = float(parts[2])
        except ValueError:
            raise AigovkgError(f"bad --convert rate '{parts[2]}'") from None
        return cls(parts[0], parts[1], rate, parse_date(parts[3]))

    def apply(self, amount: float, currency: str) -> str | None:
        if currency != self.source:
            return None
        return (
            f"≈ {self.target} {amount * self.rate:,.0f} at {self.rate:g} {self.target}/"
            f"{self.source} on {self.on.isoformat()}"
        )


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _penalty_text(row: pd.Series, conversions: list[Conversion], words: Wording = ENGLISH) -> str:
    parts = []
    if _present(row["amount"]):
        currency = row["currency"] if _present(row["currency"]) else ""
        text = f"{currency} {float(row['amount']):,.0f}".strip()
        for conversion in conversions:
            converted = conversion.apply(float(row["amount"]), str(currency))
            if converted:
                text += f" ({converted})"
        parts.append(text)
    if _present(row["percent"]):
        parts.append(words("turnover", percent=f"{float(row['percent']):g}"))
    text = words("or").join(parts) or str(row["label"])
    if _present(row["reference"]):
        text += f" ({row['reference']})"
    return text


def _fact_label(row: object, dimension: str, words: Wording) -> str:
    """A fact's label in the wording's language: binding/non-binding are compare's own words,
    every other label is the item's (a class, concept or node of the graph)."""
    if dimension == "legally binding":
        return words(str(row.label))  # type: ignore[attr-defined]
    return words.label(str(row.item)) or str(row.label)  # type: ignore[attr-defined]


def _fact_rows(
    facts: pd.DataFrame, conversions: list[Conversion], words: Wording = ENGLISH
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for (instrument, dimension), group in facts.groupby(["instrument", "dimension"], sort=False):
        if dimension == "risk tiers":
            group = group.sort_values(["rank", "label"], na_position="last")
        elif dimension == "maximum penalties":
            group = group.sort_values(["amount", "label"], ascending=[False, True])
        else:
            group = group.sort_values("label")
        by_item: dict[str, dict[str, object]] = {}
        for row in group.itertuples(index=False):
            series = pd.Series(row._asdict())
            if dimension == "maximum penalties":
                value = _penalty_text(series, conversions, words)
                key = str(row.item)
            elif dimension == "risk tiers" and _present(row.rank):
                value = f"{int(row.rank)}. {_fact_label(row, dimension, words)}"
                key = str(row.item)
            else:
                value = _fact_label(row, dimension, words)
                key = value
            entry = by_item.setdefault(key, {"value": value, "refs": [], "sources": set()})
            if dimension in ("obligation types", "prohibited practices") and _present(
                row.reference
            ):
                entry["refs"].append(str(row.reference))  # type: ignore[union-attr]
            entry["sources"].update(split(row.sources))  # type: ignore[union-attr]
        for entry in by_item.values():
            value = str(entry["value"])
            refs = sorted(set(entry["refs"]))  # type: ignore[arg-type]
            if refs:
                value += f" ({', '.join(refs)})"
            rows.append(
                {
                    "instrument": instrument,
                    "dimension": dimension,
                    "value": value,
                    "sources": " ".join(sorted(entry["sources"])),  # type: ignore[arg-type]
                }
            )
    return rows


def _status_text(row: object, as_of: date, words: Wording = ENGLISH) -> str:
    """The status cell: "in force since 2024-08-01 (as of ...)", and whether amended, by what."""
    status = str(row.status)  # type: ignore[attr-defined]
    status = words.label(str(INSTRUMENT_STATUS[status.replace(" ", "-")])) or status
    text = words("status", status=status, since=row.since, as_of=as_of.isoformat())  # type: ignore[attr-defined]
    if row.amended:  # type: ignore[attr-defined]
        acts = split(row.amended_by)  # type: ignore[attr-defined]
        by = ", ".join(words.label(i) or prefixed(i) for i in acts)
        text += words("as_amended_by", by=by) if by else words("as_amended")
    return text


def compare_long(
    kg: Queryable,
    instruments: list[str],
    as_of: date,
    conversions: list[Conversion] | None = None,
    words: Wording = ENGLISH,
) -> pd.DataFrame:
    """One row per (instrument, dimension, value) with its sources, in DIMENSIONS order,
    worded in `words`' language (English by default)."""
    facts = read(kg, "instrument-facts")
    facts = facts[facts["instrument"].isin(instruments)]
    rows = _fact_rows(facts, conversions or [], words)
    all_events = events(kg)
    chosen = all_events[all_events["instrument"].isin(instruments)]
    state = status_table(kg, as_of, instruments=instruments)
    for row in state.itertuples(index=False):
        rows.append(
            {
                "instrument": row.instrument,
                "dimension": "status",
                "value": _status_text(row, as_of, words),
                "sources": row.sources,
            }
        )
    for instrument in instruments:
        if instrument not in set(state["instrument"]):
            rows.append(
                {
                    "instrument": instrument,
                    "dimension": "status",
                    "value": words("no_event", as_of=as_of.isoformat()),
                    "sources": "",
                }
            )
    for row in chosen.sort_values(["date", "eventType"]).itertuples(index=False):
        reference = f" ({row.legalReference})" if _present(row.legalReference) else ""
        event = words.label(str(EVENT_TYPE[str(row.eventType)])) or row.eventType
        rows.append(
            {
                "instrument": row.instrument,
                "dimension": "key dates",
                "value": words("event", event=event, date=row.date, reference=reference),
                "sources": " ".join(split(row.sources)),
            }
        )
    rows.extend(_crosswalk_rows(kg, instruments, words))
    long = pd.DataFrame(rows, columns=["instrument", "dimension", "value", "sources"])
    labels = _labels(kg)
    long["instrument_label"] = long["instrument"].map(lambda i: labels.get(i, i))
    long["_d"] = long["dimension"].map(DIMENSIONS.index)
    long["_i"] = long["instrument"].map(instruments.index)
    long = long.sort_values(["_i", "_d"], kind="stable").drop(columns=["_d", "_i"])
    return long[LONG_COLUMNS].reset_index(drop=True)


def _labels(kg: Queryable) -> dict[str, str]:
    names = kg.frame("app", "names")
    return dict(zip(names["node"], names["label"], strict=True))


def _crosswalk_rows(
    kg: Queryable, instruments: list[str], words: Wording = ENGLISH
) -> list[dict[str, object]]:
    """SKOS matches between concepts of two compared instruments, stated from both sides
    (closeMatch is symmetric, broadMatch the inverse of narrowMatch), each once."""
    walk = read(kg, "crosswalk")
    chosen = set(instruments)
    walk = walk[walk["instrument"].isin(chosen) & walk["otherInstrument"].isin(chosen)]
    seen: set[tuple[str, str]] = set()
    rows = []
    for row in walk.itertuples(index=False):
        name = str(row.match).rsplit("#", 1)[-1]
        mine = words.label(str(row.concept)) or row.conceptLabel
        theirs = words.label(str(row.other)) or row.otherLabel
        sides = [
            (row.instrument, mine, name, theirs, row.otherInstrument),
            (row.otherInstrument, theirs, INVERSE[name], mine, row.instrument),
        ]
        sources = " ".join(split(row.sources))
        for instrument, label, match, other_label, other in sides:
            value = f"{label}: {words('match.' + match)} {other_label} [{prefixed(other)}]"
            if (instrument, value) not in seen:
                seen.add((instrument, value))
                rows.append(
                    {
                        "instrument": instrument,
                        "dimension": "crosswalk",
                        "value": value,
                        "sources": sources,
                    }
                )
    return rows


def compare(
    kg: Queryable,
    instruments: list[str],
    as_of: date,
    sources: bool = False,
    conversions: list[Conversion] | None = None,
) -> pd.DataFrame:
    """The comparison matrix: dimensions as rows, instruments (by label) as columns.

    A cell lists its values one per line; with `sources`, each value is followed by the short
    names of its sources in brackets. Empty cells mean the graph holds nothing for that dimension.
    """
    long = compare_long(kg, instruments, as_of, conversions)
    if sources:
        long["value"] = [
            f"{v} [{', '.join(prefixed(s) for s in split(src))}]" if split(src) else v
            for v, src in zip(long["value"], long["sources"], strict=True)
        ]
    labels = _labels(kg)
    columns = [labels.get(i, i) for i in instruments]
    table = pd.DataFrame("", index=DIMENSIONS, columns=columns)
    for (instrument, dimension), group in long.groupby(["instrument", "dimension"], sort=False):
        table.loc[dimension, labels.get(instrument, instrument)] = "\n".join(group["value"])
    table.index.name = "dimension"
    return table


def obligation_overlap(kg: Queryable, instruments: list[str]) -> pd.DataFrame:
    """Obligation types x instruments: the articles that impose each type, empty where none does.

    Answers "how do the EU and Korean regimes overlap in obligations" at a glance; the `shared`
    column says whether every compared instrument imposes the type.
    """
    facts = read(kg, "instrument-facts")
    facts = facts[
        (facts["dimension"] == "obligation types") & facts["instrument"].isin(instruments)
    ]
    labels = _labels(kg)
    table = pd.DataFrame(
        "", index=sorted(set(facts["label"])), columns=[labels[i] for i in instruments]
    )
    for row in facts.itertuples(index=False):
        cell = table.loc[row.label, labels[row.instrument]]
        ref = str(row.reference) if _present(row.reference) else "yes"
        table.loc[row.label, labels[row.instrument]] = ", ".join(
            sorted(set(filter(None, [*str(cell).split(", "), ref])))
        )
    table["shared"] = (table != "").all(axis=1)
    table.index.name = "obligation type"
    return table
