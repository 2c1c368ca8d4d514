"""The one status rule: where each instrument stood on every day, from its dated life-cycle events.

Defined once, here, and materialised by the build as `aigov:StatusInterval` nodes in the named
graph `graph/derived/status`; the CLI (`status`, `compare`), the Python API, the views' filter,
the web pages and the competency questions (CQ08, CQ19) all read those intervals, so they cannot
disagree. Nothing is overwritten: the events stay as recorded, the intervals are derived.

The rule, with its vocabulary read from the graph (`ontology/status.ttl`):
- An event counts from its own date: on the day of entry into force the instrument is in force.
- An event type with `aigov:setsStatus` gives that status; the highest `aigov:statusRank` reached
  decides (proposed 1 < adopted 2 < in force 3 < revoked / expired / lapsed 4), the latest event
  among equal ranks.
- In force, with several application dates (`applies-from`) of which some have passed and some
  not, is "partially applicable" (the EU AI Act from 2 Feb 2025).
- A class with `aigov:inForceOnAdoption` (executive orders) is in force from its first adopting
  event when no entry into force is recorded at all.
- Amendments: an event `aigov:enactedBy` another instrument counts only from the day that
  instrument entered into force, and from then on replaces the event it `aigov:supersedesEvent`.
  On any day the dates as they stood then apply; an `amended` event or a counting as-amended date
  marks the status as amended, and `amendedBy` names the amending instruments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from .names import slug
from .namespaces import AIGOV, APPLICATION_PERIOD, INSTRUMENT_STATUS, STATUS_INTERVAL

APPLIES_FROM = "applies-from"
AMENDED = "amended"
IN_FORCE = "in force"
PARTIAL = "partially applicable"
ADOPTED_RANK = 2
IN_FORCE_RANK = 3
ENDED_RANK = 4


@dataclass(frozen=True)
class Event:
    """One row of queries/app/status-events.rq."""

    instrument: str
    iri: str
    day: date
    event_type: str
    sets: str | None
    rank: int
    on_adoption: bool
    enacted_by: str | None
    supersedes: str | None
    sources: tuple[str, ...]
    provisions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Status:
    """An instrument's status on one day, with the event that decides it."""

    status: str
    event: Event
    amended_by: tuple[str, ...]
    amended: bool


@dataclass(frozen=True)
class Interval:
    """A status that held from `start` (inclusive) until `end` (exclusive; None: still)."""

    instrument: str
    start: date
    end: date | None
    status: Status


def events_from_rows(rows: Iterable[Mapping[str, object]]) -> list[Event]:
    """The rule's input from the query rows (values as Python objects or rdflib terms)."""
    events = []
    for row in rows:
        rank = row.get("rank")
        sources = str(row.get("sources") or "").split()
        day = row["date"]
        events.append(
            Event(
                instrument=str(row["instrument"]),
                iri=str(row["event"]),
                day=day.toPython() if isinstance(day, Literal) else day,  # type: ignore[arg-type]
                event_type=str(row["eventType"]),
                sets=str(row["sets"]) if row.get("sets") is not None else None,
                rank=int(rank) if rank is not None else 0,  # type: ignore[call-overload]
                on_adoption=str(row.get("onAdoption")).lower() == "true",
                enacted_by=str(row["enactedBy"]) if row.get("enactedBy") is not None else None,
                supersedes=str(row["supersedes"]) if row.get("supersedes") is not None else None,
                sources=tuple(sorted(set(sources))),
                provisions=tuple(sorted(set(str(row.get("provisions") or "").split()))),
            )
        )
    return events


def _entered_into_force(events: list[Event]) -> dict[str, date]:
    """The first day each instrument was in force (the day its amendments start to count)."""
    first: dict[str, date] = {}
    for event in events:
        if event.sets == IN_FORCE and (
            event.instrument not in first or event.day < first[event.instrument]
        ):
            first[event.instrument] = event.day
    return first


def _counts(event: Event, day: date, in_force: Mapping[str, date]) -> bool:
    """Whether an event is part of the law as it stood on `day`."""
    if event.day > day and event.event_type != APPLIES_FROM:
        return False
    if event.enacted_by is None:
        return True
    start = in_force.get(event.enacted_by)
    return start is not None and start <= day


def status_on(events: list[Event], day: date, in_force: Mapping[str, date]) -> Status | None:
    """One instrument's status on `day` (None: nothing had happened yet)."""
    counting = [e for e in events if _counts(e, day, in_force)]
    superseded = {e.supersedes for e in counting if e.supersedes}
    counting = [e for e in counting if e.iri not in superseded]
    past = sorted((e for e in counting if e.day <= day), key=lambda e: (e.day, e.iri))
    if not past:
        return None
    amended_by = tuple(sorted({e.enacted_by for e in counting if e.enacted_by}))
    amended = bool(amended_by) or any(e.event_type == AMENDED for e in past)
    setting = [e for e in past if e.sets]
    if setting:
        top = max(e.rank for e in setting)
        decisive = [e for e in setting if e.rank == top][-1]
        status = decisive.sets or ""
    else:
        decisive, status, top = past[-1], "recorded", 0
    adopted = [e for e in setting if e.rank == ADOPTED_RANK]
    on_adoption = top == ADOPTED_RANK and past[0].on_adoption
    if on_adoption and not any(e.sets == IN_FORCE for e in events):
        decisive, status, top = adopted[0], IN_FORCE, IN_FORCE_RANK
    if top == IN_FORCE_RANK:
        applies = [e for e in counting if e.event_type == APPLIES_FROM]
        passed = [e for e in applies if e.day <= day]
        if len(applies) > 1 and 0 < len(passed) < len(applies):
            status = PARTIAL
            decisive = max(passed, key=lambda e: (e.day, e.iri))
    return Status(status, decisive, amended_by, amended)


def intervals(events: list[Event]) -> list[Interval]:
    """Every instrument's statuses as consecutive intervals, in instrument and date order."""
    in_force = _entered_into_force(events)
    by_instrument: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_instrument[event.instrument].append(event)
    result: list[Interval] = []
    for instrument in sorted(by_instrument):
        own = by_instrument[instrument]
        days = {e.day for e in own}
        days |= {in_force[e.enacted_by] for e in own if e.enacted_by in in_force}
        current: Interval | None = None
        for day in sorted(days):
            status = status_on(own, day, in_force)
            if status is None or (current is not None and current.status == status):
                continue
            if current is not None:
                result.append(Interval(instrument, current.start, day, current.status))
            current = Interval(instrument, day, None, status)
        if current is not None:
            result.append(current)
    return result


@dataclass(frozen=True)
class ApplicationPeriod:
    """When an application date (an applies-from event) was part of the law: from the day its
    enacting act entered into force (`start`, None: from the start) until the day a date that
    supersedes it started to count (`end`, None: still)."""

    event: Event
    start: date | None
    end: date | None


def application_periods(events: list[Event]) -> list[ApplicationPeriod]:
    """Every application date with the period during which it was the law, by the same
    `enactedBy` / `supersedesEvent` rule as the status (one rule, two views of it)."""
    in_force = _entered_into_force(events)
    dates = [e for e in events if e.event_type == APPLIES_FROM]
    counts_from: dict[str, date | None] = {}
    for event in dates:
        if event.enacted_by is None:
            counts_from[event.iri] = None
        elif event.enacted_by in in_force:
            counts_from[event.iri] = in_force[event.enacted_by]
    # Who supersedes whom, looked up rather than searched: a search per date was quadratic in
    # the number of application dates (derive status grew 14x for 10x the data).
    superseded_by: dict[str, list[Event]] = defaultdict(list)
    for event in dates:
        if event.supersedes:
            superseded_by[event.supersedes].append(event)
    periods = []
    for event in sorted(dates, key=lambda e: (e.instrument, e.day, e.iri)):
        if event.iri not in counts_from:
            continue  # enacted by an act not (yet) in force: never part of the law
        replaced = [counts_from[s.iri] for s in superseded_by[event.iri] if counts_from.get(s.iri)]
        end = min(replaced) if replaced else None  # type: ignore[type-var]
        periods.append(ApplicationPeriod(event, counts_from[event.iri], end))
    return periods


def _date(day: date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def application_graph(periods: list[ApplicationPeriod]) -> Graph:
    """The periods as RDF: one `aigov:ApplicationPeriod` per application date, derived from its
    event and carrying its sources, so CQ64 reads the law as it stood without re-deriving it."""
    graph = Graph()
    for period in periods:
        event = period.event
        node = APPLICATION_PERIOD[slug(event.iri)]
        graph.add((node, RDF.type, AIGOV.ApplicationPeriod))
        graph.add((node, AIGOV.statusOf, URIRef(event.instrument)))
        graph.add((node, AIGOV.appliesFrom, _date(event.day)))
        graph.add((node, PROV.wasDerivedFrom, URIRef(event.iri)))
        for provision in event.provisions:
            graph.add((node, AIGOV.provision, URIRef(provision)))
        if event.enacted_by:
            graph.add((node, AIGOV.enactedBy, URIRef(event.enacted_by)))
        if period.start is not None:
            graph.add((node, AIGOV.validFrom, _date(period.start)))
        if period.end is not None:
            graph.add((node, AIGOV.validUntil, _date(period.end)))
        for source in event.sources:
            graph.add((node, DCTERMS.source, URIRef(source)))
    return graph


def status_graph(found: list[Interval]) -> Graph:
    """The intervals as RDF: one `aigov:StatusInterval` each, derived from its deciding event
    and carrying that event's sources."""
    graph = Graph()
    for interval in found:
        node = STATUS_INTERVAL[f"{slug(interval.instrument)}-{interval.start.isoformat()}"]
        state = interval.status
        graph.add((node, RDF.type, AIGOV.StatusInterval))
        graph.add((node, AIGOV.statusOf, URIRef(interval.instrument)))
        graph.add((node, AIGOV.status, INSTRUMENT_STATUS[state.status.replace(" ", "-")]))
        graph.add((node, AIGOV.validFrom, _date(interval.start)))
        if interval.end is not None:
            graph.add((node, AIGOV.validUntil, _date(interval.end)))
        graph.add((node, PROV.wasDerivedFrom, URIRef(state.event.iri)))
        for source in state.event.sources:
            graph.add((node, DCTERMS.source, URIRef(source)))
        for amending in state.amended_by:
            graph.add((node, AIGOV.amendedBy, URIRef(amending)))
        graph.add((node, AIGOV.asAmended, Literal(state.amended)))
    return graph
