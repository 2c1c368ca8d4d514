"""What a profile page shows beyond the generic facts: an instrument's life cycle (status
intervals, events, application dates as enacted and as amended), its obligations grouped by
risk tier and addressee, prohibitions, penalties, authorities and signatories; a party's
signatures, refusals, summits, memberships and instruments; a summit's hosts, participants
and outcomes. Every claim carries its sources as links.

The rows come from queries/app/profile/*.rq through the one query layer, with the reader's
language bound as ?lang (labels fall back to English in the queries themselves).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rdflib import Literal, URIRef

from ..names import slug
from ..queries import QueryFile
from ..store import OxigraphBackend, SelectResult
from .linked_data import safe_href

PROFILE_QUERIES = ("events", "status", "application", "claims", "signatures", "party", "summit")
INSTRUMENT_QUERIES = ("events", "status", "application", "claims", "signatures")
PARTY_RELATIONS = ("signed", "declined", "hosted", "attended", "member", "issued")
SUMMIT_RELATIONS = ("host", "participant", "outcome", "precededBy")


@dataclass(frozen=True)
class Link:
    """A labelled link (href None: shown as text)."""

    text: str
    href: str | None = None


@dataclass
class Claim:
    """One claim row on a profile: what it says, where it is, and its sources."""

    iri: str
    text: str
    href: str | None
    details: list[str] = field(default_factory=list)
    sources: list[Link] = field(default_factory=list)


@dataclass
class Group:
    """Claims under one heading (a tier and addressee, a relation)."""

    key: str
    title: str
    claims: list[Claim] = field(default_factory=list)


@dataclass
class Band:
    """One status interval of the timeline, with its place on a 0-100 scale."""

    status: str
    label: str
    start: str
    end: str | None
    amended: bool
    amended_by: list[Link]
    left: float = 0.0
    width: float = 0.0


@dataclass
class Profile:
    """A profile page's sections; empty lists are not shown."""

    kind: str
    bands: list[Band] = field(default_factory=list)
    events: list[Claim] = field(default_factory=list)
    application: list[Claim] = field(default_factory=list)
    obligations: list[Group] = field(default_factory=list)
    prohibitions: list[Claim] = field(default_factory=list)
    penalties: list[Claim] = field(default_factory=list)
    authorities: list[Claim] = field(default_factory=list)
    tiers: list[Claim] = field(default_factory=list)
    signatories: list[Group] = field(default_factory=list)
    relations: list[Group] = field(default_factory=list)

    def empty(self) -> bool:
        return not any(
            (self.bands, self.events, self.obligations, self.prohibitions, self.penalties,
             self.authorities, self.signatories, self.relations, self.tiers)
        )  # fmt: skip


def _s(row: Mapping[str, Any], key: str) -> str | None:
    value = row.get(key)
    return None if value is None else str(value)


def _label(row: Mapping[str, Any], key: str) -> str:
    return _s(row, key + "Label") or slug(_s(row, key) or "")


def _source(row: Mapping[str, Any]) -> Link | None:
    iri = _s(row, "source")
    if iri is None:
        return None
    return Link(_s(row, "sourceTitle") or slug(iri), safe_href(iri))


def _source_url(row: Mapping[str, Any]) -> Link | None:
    url = _s(row, "sourceUrl")
    if url and url.startswith(("http://", "https://")):
        return Link(url, url)
    return None


def _claims(rows: Iterable[Mapping[str, Any]], key: str, describe: Any) -> list[Claim]:
    """One Claim per distinct value of `key`, its sources gathered from every row."""
    found: dict[str, Claim] = {}
    for row in rows:
        iri = _s(row, key) or ""
        claim = found.get(iri)
        if claim is None:
            text, details = describe(row)
            claim = found[iri] = Claim(iri, text, safe_href(iri), details)
        else:
            for detail in describe(row)[1]:
                if detail not in claim.details:
                    claim.details.append(detail)
        source = _source(row)
        if source is not None and source not in claim.sources:
            claim.sources.append(source)
    return list(found.values())


class ProfileQueries:
    """The profile queries, read once."""

    def __init__(self, queries: Mapping[str, QueryFile]) -> None:
        self.queries = dict(queries)

    def rows(self, backend: OxigraphBackend, name: str, iri: str, lang: str) -> list[dict]:
        answer = backend.run(
            self.queries[name].text, {"resource": URIRef(iri), "lang": Literal(lang)}
        )
        assert isinstance(answer, SelectResult)
        return answer.as_dicts()


def build_profile(
    backend: OxigraphBackend, queries: ProfileQueries, iri: str, kind: str, lang: str
) -> Profile:
    """The profile of an instrument, party or summit (kind from the resolver's names)."""
    profile = Profile(kind)
    if kind == "instrument":
        _instrument(profile, backend, queries, iri, lang)
    elif kind == "party":
        rows = queries.rows(backend, "party", iri, lang)
        profile.relations = _grouped(rows, PARTY_RELATIONS, "party")
    elif kind == "summit":
        rows = queries.rows(backend, "summit", iri, lang)
        profile.relations = _grouped(rows, SUMMIT_RELATIONS, "summit")
    return profile


def _grouped(rows: list[dict], order: tuple[str, ...], prefix: str) -> list[Group]:
    def describe(row: Mapping[str, Any]) -> tuple[str, list[str]]:
        details = [d for d in (_s(row, "roleLabel"), _s(row, "date")) if d]
        return _label(row, "other"), details

    groups = []
    for relation in order:
        chosen = [r for r in rows if _s(r, "relation") == relation]
        if chosen:
            claims = _claims(chosen, "other", describe)
            groups.append(Group(relation, f"{prefix}.{relation}", claims))
    return groups


def _instrument(
    profile: Profile, backend: OxigraphBackend, queries: ProfileQueries, iri: str, lang: str
) -> None:
    status_rows = queries.rows(backend, "status", iri, lang)
    bands: dict[str, Band] = {}
    for row in status_rows:
        key = _s(row, "interval") or ""
        band = bands.get(key)
        if band is None:
            band = bands[key] = Band(
                status=slug(_s(row, "status") or ""),
                label=_label(row, "status"),
                start=_s(row, "from") or "",
                end=_s(row, "until"),
                amended=_s(row, "asAmended") == "true",
                amended_by=[],
            )
        by = _s(row, "amendedBy")
        if by:
            link = Link(_label(row, "amendedBy"), safe_href(by))
            if link not in band.amended_by:
                band.amended_by.append(link)
    profile.bands = _place(sorted(bands.values(), key=lambda b: b.start))

    def event(row: Mapping[str, Any]) -> tuple[str, list[str]]:
        details = [_s(row, "date") or ""]
        if _s(row, "reference"):
            details.append(str(row["reference"]))
        if _s(row, "provision"):
            details.append(_label(row, "provision"))
        if _s(row, "enactedBy"):
            details.append("⇐ " + _label(row, "enactedBy"))
        return _label(row, "type"), details

    profile.events = _claims(queries.rows(backend, "events", iri, lang), "event", event)

    def period(row: Mapping[str, Any]) -> tuple[str, list[str]]:
        details = [_label(row, "provision")] if _s(row, "provision") else []
        if _s(row, "enactedBy"):
            details.append("⇐ " + _label(row, "enactedBy"))
        valid = f"{_s(row, 'validFrom') or '…'} - {_s(row, 'validUntil') or '…'}"
        details.append(valid)
        return _s(row, "appliesFrom") or "", details

    periods = _claims(queries.rows(backend, "application", iri, lang), "period", period)
    profile.application = periods

    claims = queries.rows(backend, "claims", iri, lang)
    by_kind: dict[str, list[dict]] = {}
    for row in claims:
        by_kind.setdefault(_s(row, "kind") or "", []).append(row)
    profile.obligations = _obligations(by_kind.get("obligation", []))
    profile.prohibitions = _claims(by_kind.get("prohibition", []), "claim", _plain)
    profile.penalties = _claims(by_kind.get("penalty", []), "claim", _penalty)
    profile.authorities = _claims(by_kind.get("authority", []), "claim", _plain)
    profile.tiers = _claims(by_kind.get("tier", []), "claim", _plain)
    signatures = queries.rows(backend, "signatures", iri, lang)
    groups: dict[str, Group] = {}
    for row in signatures:
        role = _label(row, "role")
        groups.setdefault(role, Group(role, role)).claims.append(row)  # type: ignore[arg-type]
    profile.signatories = [
        Group(g.key, g.title, _claims(g.claims, "party", _party))  # type: ignore[arg-type]
        for g in groups.values()
    ]


def _plain(row: Mapping[str, Any]) -> tuple[str, list[str]]:
    details = []
    for key in ("reference", "appliesFrom"):
        if _s(row, key):
            details.append(str(row[key]))
    if _s(row, "otype"):
        details.append(_label(row, "otype"))
    return _label(row, "claim"), details


def _penalty(row: Mapping[str, Any]) -> tuple[str, list[str]]:
    text, details = _plain(row)
    amount, currency, percent = _s(row, "amount"), _s(row, "currency"), _s(row, "percent")
    if amount:
        details.append(f"{currency or ''} {float(amount):,.0f}".strip())
    if percent:
        details.append(f"{float(percent):g}%")
    return text, details


def _party(row: Mapping[str, Any]) -> tuple[str, list[str]]:
    return _label(row, "party"), [d for d in (_s(row, "date"),) if d]


def _obligations(rows: list[dict]) -> list[Group]:
    """Obligations grouped by (tier, addressee); tiers by rank, untiered last."""
    keyed: dict[tuple[Any, ...], list[dict]] = {}
    titles: dict[tuple[Any, ...], tuple[str, str]] = {}
    for row in rows:
        rank = row.get("rank")
        tier = _label(row, "tier") if _s(row, "tier") else ""
        addressee = _label(row, "addressee") if _s(row, "addressee") else ""
        key = (tier == "", int(rank) if rank is not None else 99, tier, addressee)
        keyed.setdefault(key, []).append(row)
        titles[key] = (tier, addressee)
    return [
        Group(titles[k][1], titles[k][0], _claims(keyed[k], "claim", _plain)) for k in sorted(keyed)
    ]


def _place(bands: list[Band]) -> list[Band]:
    """Lay the bands out on a 0-100 scale from the first start to the last end (open-ended
    bands get the width of a year past the last date)."""
    if not bands:
        return bands
    starts = [date.fromisoformat(b.start) for b in bands]
    ends = [date.fromisoformat(b.end) if b.end else None for b in bands]
    last = max([*starts, *(e for e in ends if e)])
    horizon = last + timedelta(days=365)
    first = min(starts)
    span = max(1, (horizon - first).days)
    for band, start, end in zip(bands, starts, ends, strict=True):
        band.left = round(100 * (start - first).days / span, 2)
        band.width = round(100 * ((end or horizon) - start).days / span, 2)
    return bands
