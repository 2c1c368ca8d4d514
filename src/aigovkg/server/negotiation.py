"""Content negotiation: pick a media type from an Accept header (q-values) or `format=` names.

Small and explicit because the endpoint's rules are specific: results of SELECT/ASK and of
CONSTRUCT/DESCRIBE come from different sets of formats, `*/*` means the first (preferred) one
of the set, and nothing acceptable means 406 rather than a guess.

Clients differ in how they name formats, and the rules here take what the common ones send:
SPARQLWrapper repeats `format` (`format=tsv&format=text/tab-separated-values`) and sends one
name whatever the query form (`format=turtle` with a SELECT); generic `application/json` and
`application/xml` in Accept mean the SPARQL results (or JSON-LD / RDF/XML for a graph); an N3
client is answered in Turtle, which every N3 parser reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One serialisation: its media type, the short name of `format=`, and the engine's name.

    `aliases` are further names `format=` may use; `also_accepts` are further media types an
    Accept header may name for it (the response still carries `media_type`).
    """

    media_type: str
    alias: str
    engine_name: str
    aliases: tuple[str, ...] = ()
    also_accepts: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.alias, self.media_type, *self.aliases, *self.also_accepts)


TABULAR = (
    Format("application/sparql-results+json", "json", "json", ("srj",), ("application/json",)),
    Format(
        "application/sparql-results+xml", "xml", "xml", ("srx",), ("application/xml", "text/xml")
    ),
    Format("text/csv", "csv", "csv"),
    Format("text/tab-separated-values", "tsv", "tsv"),
)
GRAPH = (
    Format(
        "text/turtle",
        "turtle",
        "turtle",
        ("ttl", "n3"),
        ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3", "application/n3"),
    ),
    Format("application/n-triples", "nt", "nt", ("ntriples", "n-triples", "text/plain")),
    Format(
        "application/ld+json",
        "jsonld",
        "json-ld",
        ("json-ld", "json"),
        ("application/json", "application/x-json+ld"),
    ),
    Format(
        "application/rdf+xml",
        "rdfxml",
        "xml",
        ("xml", "rdf", "rdf+xml", "rdf/xml"),
        ("application/xml", "text/xml"),
    ),
)
HTML = Format("text/html", "html", "html", (), ("application/xhtml+xml",))
_KNOWN_NAMES = frozenset(name for f in (*TABULAR, *GRAPH, HTML) for name in f.names())


class NotAcceptable(ValueError):
    """No offered format matches the request (HTTP 406)."""


class ConflictingFormats(ValueError):
    """Repeated `format` parameters that name different formats (HTTP 400)."""


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


def choose(
    offered: Sequence[Format], accept: str | None, alias: str | Sequence[str] | None = None
) -> Format:
    """The format for a response: `format=` wins, then Accept; the first offer is the default."""
    named = by_name(offered, [alias] if isinstance(alias, str) else (alias or ()))
    if named is not None:
        return named
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best: tuple[float, int, Format] | None = None
    for index, fmt in enumerate(offered):
        # Wildcards match a format's own media type only: `text/*` is no request for text/xml.
        named = [q for r, q in ranges if r in fmt.also_accepts]
        quality = max([_quality_for(fmt.media_type, ranges), *named])
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, index, fmt)
    if best is None:
        types = ", ".join(f.media_type for f in offered)
        raise NotAcceptable(f"none of the accepted media types is offered; offered: {types}")
    return best[2]


def by_name(offered: Sequence[Format], values: Sequence[str]) -> Format | None:
    """The one offered format that the `format` values name, or None to let Accept decide.

    Empty values are ignored (SPARQLWrapper sends `format=` when it has no media type); a
    value may be a media-type list, as SPARQLWrapper sends its Accept header
    (`application/ld+json,application/x-json+ld`), and then its first offered type counts; a
    name known only for the other query form is ignored, since clients send one name for
    every query; an unknown name is 406 and values naming two formats are 400.
    """
    picked: list[Format] = []
    for value in values:
        names = [p.split(";")[0].strip().lower() for p in value.split(",")]
        names = [name for name in names if name]
        match = next((f for name in names for f in offered if name in f.names()), None)
        if match is not None:
            picked.append(match)
        elif any(name not in _KNOWN_NAMES for name in names):
            offers = ", ".join(f.alias for f in offered)
            raise NotAcceptable(
                f"format={value!r} is not a format this endpoint knows; use {offers}"
            )
    if len(set(picked)) > 1:
        given = ", ".join(repr(v) for v in values)
        raise ConflictingFormats(f"the 'format' parameters name different formats: {given}")
    return picked[0] if picked else None


def _quality_for(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The q-value of the most specific range that matches (RFC 9110 12.5.1)."""
    matching = [(r, q) for r, q in ranges if _matches(r, media_type)]
    if not matching:
        return 0.0
    matching.sort(key=lambda rq: rq[0].count("*"))
    return matching[0][1]
