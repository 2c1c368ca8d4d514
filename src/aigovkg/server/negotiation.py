"""Content negotiation: pick a media type from an Accept header (q-values) or a `format=` alias.

Small and explicit because the endpoint's rules are specific: results of SELECT/ASK and of
CONSTRUCT/DESCRIBE come from different sets of formats, `*/*` means the first (preferred) one
of the set, and nothing acceptable means 406 rather than a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One serialisation: its media type, the short name of `format=`, and the engine's name."""

    media_type: str
    alias: str
    engine_name: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.alias, self.media_type, *self.aliases)


TABULAR = (
    Format("application/sparql-results+json", "json", "json", ("srj", "application/json")),
    Format("application/sparql-results+xml", "xml", "xml", ("srx", "application/xml")),
    Format("text/csv", "csv", "csv"),
    Format("text/tab-separated-values", "tsv", "tsv"),
)
GRAPH = (
    Format("text/turtle", "turtle", "turtle", ("ttl", "application/x-turtle")),
    Format("application/n-triples", "nt", "nt", ("ntriples", "n-triples", "text/plain")),
    Format("application/ld+json", "jsonld", "json-ld", ("json-ld", "json", "application/json")),
    Format("application/rdf+xml", "rdfxml", "xml", ("xml", "rdf", "application/xml")),
)
HTML = Format("text/html", "html", "html", ("application/xhtml+xml",))


class NotAcceptable(ValueError):
    """No offered format matches the request (HTTP 406)."""


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (ties keep header order)."""
    ranges: list[tuple[str, float, int]] = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality, position))
    # More specific ranges win ties over wildcards (RFC 9110 12.5.1).
    ranges.sort(key=lambda r: (-r[1], r[0].count("*"), r[2]))
    return [(media, quality) for media, quality, _ in ranges]


def _matches(media_range: str, media_type: str) -> bool:
    if media_range in ("*/*", "*"):
        return True
    kind, _, subtype = media_range.partition("/")
    offered_kind, _, offered_subtype = media_type.partition("/")
    return kind == offered_kind and subtype in ("*", offered_subtype)


def choose(offered: Sequence[Format], accept: str | None, alias: str | None = None) -> Format:
    """The format for a response: `format=` wins, then Accept; the first offer is the default."""
    if alias:
        wanted = alias.strip().lower()
        for fmt in offered:
            if wanted in fmt.names():
                return fmt
        names = ", ".join(f.alias for f in offered)
        raise NotAcceptable(f"format={alias!r} is not offered here; use one of: {names}")
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best: tuple[float, int, Format] | None = None
    for index, fmt in enumerate(offered):
        quality = _quality_for(fmt.media_type, ranges)
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, index, fmt)
    if best is None:
        types = ", ".join(f.media_type for f in offered)
        raise NotAcceptable(f"none of the accepted media types is offered; offered: {types}")
    return best[2]


def _quality_for(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The q-value of the most specific range that matches (RFC 9110 12.5.1)."""
    matching = [(r, q) for r, q in ranges if _matches(r, media_type)]
    if not matching:
        return 0.0
    matching.sort(key=lambda rq: rq[0].count("*"))
    return matching[0][1]
