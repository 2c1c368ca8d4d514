"""The SPARQL 1.1 Service Description answered at GET /sparql with no query.

Built per request because sd:endpoint must be the URL the client actually used.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID, XSD

from ..namespaces import DATASET_IRI, bind_prefixes
from ..store import SparqlBackend
from .negotiation import GRAPH, TABULAR

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/ld+json": FORMATS["JSON-LD"],
    "application/rdf+xml": FORMATS["RDF_XML"],
}


def service_description(endpoint: str, graph_names: Sequence[str], backend: SparqlBackend) -> Graph:
    """sd:Service with the endpoint, language, result formats and the dataset's graphs."""
    sd = bind_prefixes(Graph())
    sd.bind("sd", SD)
    service = BNode("service")
    sd.add((service, RDF.type, SD.Service))
    sd.add((service, SD.endpoint, URIRef(endpoint)))
    sd.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    sd.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (*TABULAR, *GRAPH):
        sd.add((service, SD.resultFormat, _FORMAT_IRIS[fmt.media_type]))
    dataset = BNode("dataset")
    sd.add((service, SD.defaultDataset, dataset))
    sd.add((dataset, RDF.type, SD.Dataset))
    sd.add((dataset, VOID.inDataset, DATASET_IRI))
    default = BNode("defaultGraph")
    sd.add((dataset, SD.defaultGraph, default))
    sd.add((default, RDF.type, SD.Graph))
    sd.add((default, VOID.triples, Literal(len(backend), datatype=XSD.integer)))
    for index, name in enumerate(graph_names):
        named = BNode(f"namedGraph{index}")
        sd.add((dataset, SD.namedGraph, named))
        sd.add((named, RDF.type, SD.NamedGraph))
        sd.add((named, SD.name, URIRef(name)))
    return sd
