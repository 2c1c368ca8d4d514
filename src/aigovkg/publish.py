"""What a linked-data portal harvests besides the data: a VoID description and a DCAT record.

Both are derived from the built graph and the dump files themselves (counts, byte sizes,
SHA-256), never typed by hand, so they cannot drift from what is published. No clock is read:
the version comes from the package, so the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, VOID, XSD, Namespace

from .namespaces import (
    DATASET_IRI,
    ELI_RESOURCE,
    ID,
    ONTOLOGY_IRI,
    PREFIXES,
    SITE,
    WIKIDATA,
    bind_prefixes,
)
from .store import to_oxigraph
from .version import __version__

SPDX = Namespace(PREFIXES["spdx"])
DCAT3 = Namespace(str(DCAT))  # rdflib's closed DCAT lacks DCAT 3 terms such as dcat:version
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
CATALOG_IRI = URIRef(SITE + "catalog")
SPARQL_ENDPOINT = URIRef(SITE + "sparql")
DOWNLOAD_BASE = SITE + "download/"
TITLE = "aigovkg: a knowledge graph of AI governance"
DESCRIPTION = (
    "AI governance instruments, their obligations, prohibitions, penalties and life-cycle "
    "dates, and the AI summits with who signed what; every claim typed, dated and sourced."
)


@dataclass(frozen=True)
class LinkTarget:
    """An external dataset the identity links point into (the ontology header states the policy)."""

    slug: str
    iri: URIRef
    title: str
    uri_space: str


LINK_PREDICATE = SKOS.exactMatch
LINK_TARGETS = (
    LinkTarget("wikidata", URIRef("https://www.wikidata.org/"), "Wikidata", str(WIKIDATA)),
    LinkTarget(
        "eli",
        URIRef("https://eur-lex.europa.eu/"),
        "EUR-Lex: European Legislation Identifiers of EU acts",
        str(ELI_RESOURCE),
    ),
)


def statements(graph: Graph | Iterable[ox.Triple]) -> set[ox.Triple]:
    """The distinct statements of an rdflib Graph or of the build's pyoxigraph triples."""
    if isinstance(graph, Graph):
        return {ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in graph}  # type: ignore[misc]
    return set(graph)


def link_counts(graph: Graph | Iterable[ox.Triple]) -> dict[str, int]:
    """Identity links per target: skos:exactMatch triples from an aigovkg IRI into its URI space."""
    counts = dict.fromkeys((t.slug for t in LINK_TARGETS), 0)
    predicate = ox.NamedNode(str(LINK_PREDICATE))
    for triple in statements(graph):
        subject, obj = triple.subject, triple.object
        if triple.predicate != predicate or not isinstance(obj, ox.NamedNode):
            continue
        if not (isinstance(subject, ox.NamedNode) and subject.value.startswith(str(ID))):
            continue
        for target in LINK_TARGETS:
            if obj.value.startswith(target.uri_space):
                counts[target.slug] += 1
    return counts


@dataclass(frozen=True)
class Distribution:
    """One published file: its name, media type and how the graph is serialised in it."""

    name: str
    media_type: str
    format_label: str
    compressed: bool = False


def _media(name: str) -> URIRef:
    return URIRef(f"https://www.iana.org/assignments/media-types/{name}")


def _vocabularies(terms: Iterable[str]) -> list[str]:
    """Namespaces of the predicates and classes used (VoID's void:vocabulary)."""
    namespaces: set[str] = set()
    for text in terms:
        cut = max(text.rfind("#"), text.rfind("/"))
        if cut > 0:
            namespaces.add(text[: cut + 1])
    return sorted(namespaces)


def _partition_node(kind: str, iri: str) -> BNode:
    # A stable blank-node label per partition keeps the file byte-identical across runs.
    return BNode(f"{kind}{hashlib.sha256(iri.encode()).hexdigest()[:16]}")


def void_description(
    graph: Graph | Iterable[ox.Triple], dumps: Mapping[str, Distribution]
) -> Graph:
    """VoID: size, class and property partitions, vocabularies, endpoint, dumps, and one linkset per
    external target of the identity links (Wikidata, ELI), its size counted from the graph.

    Counted in one pass over the distinct statements (pyoxigraph terms, the build's own), so a
    million-statement graph is never copied into rdflib for its description."""
    void = bind_prefixes(Graph())
    ds = DATASET_IRI
    triples = statements(graph)
    rdf_type = ox.NamedNode(str(RDF.type))
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    entities = {s for s in subjects if s.startswith(str(ID))}
    classes = Counter(
        t.object.value
        for t in triples
        if t.predicate == rdf_type and isinstance(t.object, ox.NamedNode)
    )
    properties = Counter(t.predicate.value for t in triples)
    void.add((ds, RDF.type, VOID.Dataset))
    void.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    void.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    void.add((ds, DCTERMS.license, LICENCE))
    void.add((ds, FOAF.homepage, URIRef(SITE)))
    void.add((ds, VOID.triples, Literal(len(triples), datatype=XSD.integer)))
    void.add((ds, VOID.entities, Literal(len(entities), datatype=XSD.integer)))
    void.add((ds, VOID.distinctSubjects, Literal(len(subjects), datatype=XSD.integer)))
    void.add((ds, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    void.add((ds, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    void.add((ds, VOID.uriSpace, Literal(str(ID))))
    void.add((ds, VOID.sparqlEndpoint, SPARQL_ENDPOINT))
    void.add((ds, VOID.exampleResource, URIRef(str(ID) + "instrument/eu-ai-act")))
    void.add((ds, DCTERMS.conformsTo, ONTOLOGY_IRI))
    void.add((ds, URIRef("http://www.w3.org/2002/07/owl#versionInfo"), Literal(__version__)))
    for name in sorted(dumps):
        void.add((ds, VOID.dataDump, URIRef(DOWNLOAD_BASE + name)))
    for vocabulary in _vocabularies([*properties, *classes]):
        void.add((ds, VOID.vocabulary, URIRef(vocabulary)))
    for cls, count in classes.items():
        node = _partition_node("c", str(cls))
        void.add((ds, VOID.classPartition, node))
        void.add((node, VOID["class"], URIRef(cls)))
        void.add((node, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in properties.items():
        node = _partition_node("p", str(prop))
        void.add((ds, VOID.propertyPartition, node))
        void.add((node, VOID.property, URIRef(prop)))
        void.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))
    counts = link_counts(triples)
    for target in LINK_TARGETS:
        if not counts[target.slug]:
            continue
        linkset = URIRef(f"{DATASET_IRI}/linkset/{target.slug}")
        void.add((ds, VOID.subset, linkset))
        void.add((linkset, RDF.type, VOID.Linkset))
        void.add((linkset, VOID.linkPredicate, LINK_PREDICATE))
        void.add((linkset, VOID.subjectsTarget, ds))
        void.add((linkset, VOID.objectsTarget, target.iri))
        void.add((linkset, VOID.target, ds))
        void.add((linkset, VOID.target, target.iri))
        void.add((linkset, VOID.triples, Literal(counts[target.slug], datatype=XSD.integer)))
        void.add((target.iri, RDF.type, VOID.Dataset))
        void.add((target.iri, DCTERMS.title, Literal(target.title, lang="en")))
        void.add((target.iri, VOID.uriSpace, Literal(target.uri_space)))
    return void


def dcat_catalog(files: Mapping[str, Path], dumps: Mapping[str, Distribution]) -> Graph:
    """DCAT: a catalogue with the dataset and one distribution per dump (size and SHA-256)."""
    dcat = bind_prefixes(Graph())
    ds = DATASET_IRI
    dcat.add((CATALOG_IRI, RDF.type, DCAT.Catalog))
    dcat.add((CATALOG_IRI, DCTERMS.title, Literal("aigovkg catalogue", lang="en")))
    dcat.add((CATALOG_IRI, DCAT.dataset, ds))
    dcat.add((ds, RDF.type, DCAT.Dataset))
    dcat.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    dcat.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    dcat.add((ds, DCTERMS.license, LICENCE))
    dcat.add((ds, DCAT3.version, Literal(__version__)))
    dcat.add((ds, DCAT.landingPage, URIRef(SITE)))
    for keyword in ("AI governance", "AI regulation", "AI summits", "knowledge graph"):
        dcat.add((ds, DCAT.keyword, Literal(keyword, lang="en")))
    service = URIRef(str(SPARQL_ENDPOINT) + "#service")
    dcat.add((service, RDF.type, DCAT.DataService))
    dcat.add((service, DCAT.endpointURL, SPARQL_ENDPOINT))
    dcat.add((service, DCAT.servesDataset, ds))
    dcat.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    dcat.add((CATALOG_IRI, DCAT.service, service))
    for name in sorted(dumps):
        meta = dumps[name]
        data = files[name].read_bytes()
        dist = URIRef(DOWNLOAD_BASE + name)
        checksum = _partition_node("sum", name)
        dcat.add((ds, DCAT.distribution, dist))
        dcat.add((dist, RDF.type, DCAT.Distribution))
        dcat.add((dist, DCTERMS.title, Literal(f"aigovkg {meta.format_label}", lang="en")))
        dcat.add((dist, DCAT.downloadURL, dist))
        dcat.add((dist, DCAT.mediaType, _media(meta.media_type)))
        if meta.compressed:
            dcat.add((dist, DCAT.compressFormat, _media("application/gzip")))
        dcat.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        dcat.add((dist, DCTERMS.license, LICENCE))
        dcat.add((dist, SPDX.checksum, checksum))
        dcat.add((checksum, RDF.type, SPDX.Checksum))
        dcat.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        digest = Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)
        dcat.add((checksum, SPDX.checksumValue, digest))
    return dcat
