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
CATALOG_DESCRIPTION = (
    "The aigovkg knowledge graph of AI governance: its dumps in four RDF serialisations "
    "(plain and gzipped) and its read-only SPARQL 1.1 endpoint."
)
SERVICE_TITLE = "aigovkg SPARQL endpoint"
SERVICE_DESCRIPTION = (
    "Read-only SPARQL 1.1 Protocol endpoint over the aigovkg graph: one named graph per "
    "source file, their union as the default graph; row, time and size limits apply."
)
PUBLISHER_NAME = "aigovkg contributors"  # as pyproject.toml's authors
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
# DCAT-AP's file-type vocabulary (the EU Publications Office authority table) for dcterms:format.
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
FILE_TYPES = {
    "text/turtle": FILE_TYPE.RDF_TURTLE,
    "application/n-triples": FILE_TYPE.RDF_N_TRIPLES,
    "application/ld+json": FILE_TYPE.JSON_LD,
    "application/n-quads": FILE_TYPE.RDF_N_QUADS,
}


@dataclass(frozen=True)
class LinkTarget:
    """An external dataset the identity links point into (the ontology header states the policy)."""

    slug: str
    iri: URIRef
    title: str
    uri_space: str


LINK_PREDICATE = SKOS.exactMatch
LINK_PREDICATE_IRI = str(LINK_PREDICATE)
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
    predicate = ox.NamedNode(LINK_PREDICATE_IRI)
    for triple in statements(graph):
        if triple.predicate == predicate:
            _count_link(counts, triple.subject, triple.object)
    return counts


def _count_link(counts: dict[str, int], subject: object, obj: object) -> None:
    """Count one identity link (its predicate already checked) from an aigovkg IRI into a
    target's URI space."""
    if not isinstance(obj, ox.NamedNode):
        return
    if not (isinstance(subject, ox.NamedNode) and subject.value.startswith(str(ID))):
        return
    for target in LINK_TARGETS:
        if obj.value.startswith(target.uri_space):
            counts[target.slug] += 1


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
    graph: Graph | Iterable[ox.Triple],
    dumps: Mapping[str, Distribution],
    parts: Mapping[str, Iterable[ox.Triple]] | None = None,
) -> Graph:
    """VoID: size, class and property partitions, vocabularies, endpoint, dumps, one subset per
    named graph of the N-Quads dump (`parts`) with its own counts, and one linkset per
    external target of the identity links (Wikidata, ELI), its size counted from the graph.

    Counted in one pass over the distinct statements (pyoxigraph terms, the build's own), so a
    million-statement graph is never copied into rdflib for its description.
    void:distinctSubjects counts every subject, blank nodes included (VoID 4.6: "the total
    number of distinct subjects"), so it equals what a reader counts in the dump."""
    void = bind_prefixes(Graph())
    ds = DATASET_IRI
    triples = statements(graph)
    rdf_type = str(RDF.type)
    subjects: set[ox.NamedNode | ox.BlankNode] = set()
    classes: Counter[str] = Counter()
    properties: Counter[str] = Counter()
    counts = dict.fromkeys((t.slug for t in LINK_TARGETS), 0)
    # One pass, each term read once (every attribute read of a pyoxigraph triple makes a new
    # Python object: six passes took 15-35 s at a million statements).
    for subject, predicate, obj in triples:
        subjects.add(subject)
        name = predicate.value
        properties[name] += 1
        if name == rdf_type and isinstance(obj, ox.NamedNode):
            classes[obj.value] += 1
        elif name == LINK_PREDICATE_IRI:
            _count_link(counts, subject, obj)
    entities = {
        s.value for s in subjects if isinstance(s, ox.NamedNode) and s.value.startswith(str(ID))
    }
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
    # Each named graph is read from the N-Quads dumps, the files that keep graphs apart.
    quads = [n for n, d in sorted(dumps.items()) if d.media_type == "application/n-quads"]
    for name in sorted(parts or {}):
        part = statements((parts or {})[name])
        iri = URIRef(name)
        void.add((ds, VOID.subset, iri))
        void.add((iri, RDF.type, VOID.Dataset))
        void.add((iri, VOID.triples, Literal(len(part), datatype=XSD.integer)))
        distinct = len({t.subject for t in part})
        void.add((iri, VOID.distinctSubjects, Literal(distinct, datatype=XSD.integer)))
        for dump in quads:
            void.add((iri, VOID.dataDump, URIRef(DOWNLOAD_BASE + dump)))
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
    """DCAT-AP 3: a catalogue with its publisher, the dataset, the SPARQL data service and one
    distribution per dump (size and SHA-256).

    Every property DCAT-AP 3.0.1 marks mandatory is here, and every value its range shapes
    check carries its class (licence, media types, standard, landing page, agent), so the
    shapes DCAT-AP publishes (vendored in tests/dcat_ap/) accept the file.
    """
    dcat = bind_prefixes(Graph())
    ds = DATASET_IRI
    publisher = _partition_node("agent", PUBLISHER_NAME)
    service = URIRef(str(SPARQL_ENDPOINT) + "#service")
    dcat.add((CATALOG_IRI, RDF.type, DCAT.Catalog))
    dcat.add((CATALOG_IRI, DCTERMS.title, Literal("aigovkg catalogue", lang="en")))
    dcat.add((CATALOG_IRI, DCTERMS.description, Literal(CATALOG_DESCRIPTION, lang="en")))
    dcat.add((CATALOG_IRI, DCTERMS.publisher, publisher))
    dcat.add((CATALOG_IRI, DCTERMS.license, LICENCE))
    dcat.add((CATALOG_IRI, FOAF.homepage, URIRef(SITE)))
    dcat.add((CATALOG_IRI, DCAT.dataset, ds))
    dcat.add((CATALOG_IRI, DCAT.service, service))
    dcat.add((publisher, RDF.type, FOAF.Agent))
    dcat.add((publisher, FOAF.name, Literal(PUBLISHER_NAME, lang="en")))
    dcat.add((URIRef(SITE), RDF.type, FOAF.Document))
    dcat.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    dcat.add((ds, RDF.type, DCAT.Dataset))
    dcat.add((ds, DCTERMS.title, Literal(TITLE, lang="en")))
    dcat.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    dcat.add((ds, DCTERMS.publisher, publisher))
    dcat.add((ds, DCTERMS.license, LICENCE))
    dcat.add((ds, DCAT3.version, Literal(__version__)))
    dcat.add((ds, DCAT.landingPage, URIRef(SITE)))
    for keyword in ("AI governance", "AI regulation", "AI summits", "knowledge graph"):
        dcat.add((ds, DCAT.keyword, Literal(keyword, lang="en")))
    dcat.add((service, RDF.type, DCAT.DataService))
    dcat.add((service, DCTERMS.title, Literal(SERVICE_TITLE, lang="en")))
    dcat.add((service, DCTERMS.description, Literal(SERVICE_DESCRIPTION, lang="en")))
    dcat.add((service, DCTERMS.publisher, publisher))
    dcat.add((service, DCTERMS.license, LICENCE))
    dcat.add((service, DCAT.endpointURL, SPARQL_ENDPOINT))
    # GET /sparql without a query answers with the SPARQL service description.
    dcat.add((service, DCAT.endpointDescription, SPARQL_ENDPOINT))
    dcat.add((service, DCAT.servesDataset, ds))
    dcat.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    dcat.add((SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard))
    for name in sorted(dumps):
        meta = dumps[name]
        data = files[name].read_bytes()
        dist = URIRef(DOWNLOAD_BASE + name)
        checksum = _partition_node("sum", name)
        media = _media(meta.media_type)
        dcat.add((ds, DCAT.distribution, dist))
        dcat.add((dist, RDF.type, DCAT.Distribution))
        dcat.add((dist, DCTERMS.title, Literal(f"aigovkg {meta.format_label}", lang="en")))
        dcat.add((dist, DCAT.accessURL, dist))  # a direct download: access and download agree
        dcat.add((dist, DCAT.downloadURL, dist))
        dcat.add((dist, DCAT.mediaType, media))
        dcat.add((media, RDF.type, DCTERMS.MediaType))
        if meta.media_type in FILE_TYPES:
            dcat.add((dist, DCTERMS["format"], FILE_TYPES[meta.media_type]))
            dcat.add((FILE_TYPES[meta.media_type], RDF.type, DCTERMS.MediaTypeOrExtent))
        if meta.compressed:
            gzip_type = _media("application/gzip")
            dcat.add((dist, DCAT.compressFormat, gzip_type))
            dcat.add((gzip_type, RDF.type, DCTERMS.MediaType))
        dcat.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
        dcat.add((dist, DCTERMS.license, LICENCE))
        dcat.add((dist, SPDX.checksum, checksum))
        dcat.add((checksum, RDF.type, SPDX.Checksum))
        dcat.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        digest = Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)
        dcat.add((checksum, SPDX.checksumValue, digest))
    return dcat
