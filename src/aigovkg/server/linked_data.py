"""What a linked-data page shows about one IRI: labels by language, facts, sources, incoming links.

The facts come from queries/app/resource-*.rq on the web process's own read-only store (these
are the project's queries, bounded by one subject, so they need no worker). Local IRIs
(https://w3id.org/aigovkg/...) are linked to this server's pages; other IRIs are linked only
when they are http(s), so a data string can never become a javascript: link.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from ..names import slug
from ..namespaces import SITE
from ..queries import QueryFile
from ..store import SelectResult, SparqlBackend


def local_path(iri: str) -> str | None:
    """The server path of an IRI in the project's namespace (None for foreign IRIs)."""
    return "/" + iri[len(SITE) :] if iri.startswith(SITE) else None


def safe_href(iri: str) -> str | None:
    """A link target for an IRI: a local path, an http(s) URL, or nothing."""
    local = local_path(iri)
    if local is not None:
        return local
    return iri if iri.startswith(("http://", "https://")) else None


@dataclass(frozen=True)
class Value:
    """One object of a fact, ready for the template."""

    text: str
    href: str | None = None
    iri: str | None = None
    language: str | None = None
    datatype: str | None = None
    source_url: str | None = None


@dataclass
class Fact:
    """All values of one property."""

    property_iri: str
    property_label: str
    values: list[Value] = field(default_factory=list)


@dataclass
class ResourceView:
    """A resource's page content."""

    iri: str
    labels: list[tuple[str, str]]  # (language, label)
    types: list[Value]
    facts: list[Fact]
    sources: list[Fact]  # one entry per source: the source, and the claims resting on it
    incoming: list[Fact]

    @property
    def title(self) -> str:
        return self.title_in("en")

    def title_in(self, lang: str) -> str:
        """The label in `lang`, else English, else any, else the IRI."""
        for wanted in (lang, "en"):
            for language, label in self.labels:
                if language == wanted:
                    return label
        return self.labels[0][1] if self.labels else self.iri


LABEL_PROPERTIES = {str(RDFS.label), str(SKOS.prefLabel)}


def _value(node: Node | None, label: Node | None = None, url: Node | None = None) -> Value:
    if isinstance(node, Literal):
        text = str(node)
        is_link = node.datatype == XSD.anyURI and text.startswith(("http://", "https://"))
        return Value(
            text=text,
            href=text if is_link else None,
            language=node.language,
            datatype=str(node.datatype) if node.datatype else None,
        )
    iri = str(node)
    text = str(label) if label is not None and str(label) else iri
    href = safe_href(iri)
    source_url = str(url) if url is not None else None
    if source_url is not None and not source_url.startswith(("http://", "https://")):
        source_url = None
    return Value(text=text, href=href, iri=iri, source_url=source_url)


@dataclass(frozen=True)
class PageQueries:
    """The three queries behind a resource page (queries/app/resource-*.rq)."""

    facts: QueryFile
    incoming: QueryFile
    sources: QueryFile


def describe(
    backend: SparqlBackend, iri: str, queries: PageQueries, lang: str = "en"
) -> ResourceView | None:
    """The page content of `iri` with labels in `lang` (else English), or None when the graph
    does not mention it."""
    bound = {"resource": URIRef(iri), "lang": Literal(lang)}
    resource = URIRef(iri)
    outgoing = backend.run(queries.facts.text, bound)
    incoming = backend.run(queries.incoming.text, bound)
    evidence = backend.run(queries.sources.text, bound)
    assert isinstance(outgoing, SelectResult) and isinstance(incoming, SelectResult)
    assert isinstance(evidence, SelectResult)
    if not outgoing.rows and not incoming.rows:
        return None
    labels: list[tuple[str, str]] = []
    types: list[Value] = []
    facts: dict[str, Fact] = {}
    for row in outgoing.as_dicts():
        prop = str(row["property"])
        value = _value(row["value"], row.get("valueLabel"), row.get("valueUrl"))
        if prop in LABEL_PROPERTIES and isinstance(row["value"], Literal):
            labels.append((row["value"].language or "", str(row["value"])))
            continue
        if prop == str(RDF.type):
            types.append(value)
            continue
        if prop == str(DCTERMS.source):
            continue  # shown with the evidence below
        label = str(row.get("propertyLabel") or "") or slug(prop)
        facts.setdefault(prop, Fact(prop, label)).values.append(value)
    back: dict[str, Fact] = {}
    for row in incoming.as_dicts():
        prop = str(row["property"])
        label = str(row.get("propertyLabel") or "") or slug(prop)
        back.setdefault(prop, Fact(prop, label)).values.append(
            _value(row["subject"], row.get("subjectLabel"))
        )
    sources: dict[str, Fact] = {}
    for row in evidence.as_dicts():
        source = _value(row["source"], row.get("title"), row.get("url"))
        entry = sources.setdefault(
            str(row["source"]), Fact(str(row["source"]), source.text, [source])
        )
        claim = row["claim"]
        if claim != resource:
            entry.values.append(_value(claim, row.get("claimLabel")))
    return ResourceView(
        iri=iri,
        labels=sorted(set(labels)),
        types=_unique(types),
        facts=[_dedupe(f) for f in sorted(facts.values(), key=lambda f: f.property_label)],
        sources=[_dedupe(f) for f in sorted(sources.values(), key=lambda f: f.property_label)],
        incoming=[_dedupe(f) for f in sorted(back.values(), key=lambda f: f.property_label)],
    )


def _unique(values: Iterable[Value]) -> list[Value]:
    return list(dict.fromkeys(values))


def _dedupe(fact: Fact) -> Fact:
    fact.values = _unique(fact.values)
    return fact
