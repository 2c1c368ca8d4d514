"""The one IRI shortener: how an IRI is shown to a person, on every surface.

`prefixed` gives `country:KR`, `source:eur-lex-ai-act` or `aigov:Law` (the longest project
namespace wins, and only when what is left is a plain local name); `slug` gives the last
segment (`KR`, `eu-ai-act`, `Law`). Tables, pages, views and error messages all use these two.
"""

from __future__ import annotations

from .namespaces import PREFIXES

# Longest namespace first, so `id/concept/...` wins over `id/`; computed once, used per cell.
_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def slug(iri: str) -> str:
    """The last segment of an IRI: after `#`, else after the last `/`."""
    if "#" in iri:
        return iri.rsplit("#", 1)[1]
    return iri.rstrip("/").rsplit("/", 1)[-1]


def prefixed(iri: str) -> str:
    """`country:KR` for an IRI in a project namespace, else the IRI itself."""
    for prefix, namespace in _LONGEST_FIRST:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
    return iri
