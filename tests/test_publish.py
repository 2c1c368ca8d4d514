"""The published files: every dump parses back to the built graph, with rdflib and with an
independent parser (raptor's `rapper`), and VoID/DCAT describe the files truthfully."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, SKOS, VOID

from aigovkg import build as pipeline
from aigovkg.loader import LoadedGraph
from aigovkg.namespaces import BUILD_GRAPH, DATASET_IRI, GRAPH, STATUS_GRAPH
from aigovkg.publish import SPDX, void_description
from aigovkg.sources import locate

from .conftest import REPO

RDFLIB_FORMATS = {
    pipeline.DUMP_TURTLE: "turtle",
    pipeline.DUMP_NTRIPLES: "nt",
    pipeline.DUMP_JSONLD: "json-ld",
}
RAPPER_FORMATS = {
    pipeline.DUMP_TURTLE: "turtle",
    pipeline.DUMP_NTRIPLES: "ntriples",
    pipeline.DUMP_NQUADS: "nquads",
}


def built_graph(loaded: LoadedGraph) -> Graph:
    """The sources plus what the build derives from them (status intervals, application
    periods), derived here by the same rule from the independently parsed sources."""
    graph = Graph()
    for triple in loaded.graph:
        graph.add(triple)
    for triple in pipeline.derive_status(locate(REPO), loaded.graph):
        graph.add(triple)
    return graph


def _split(graph: Graph) -> tuple[set[str], Graph]:
    """Ground triples (as N-Triples terms, so literal lexical forms count) and the subgraph of
    triples that touch a blank node. Two graphs are isomorphic exactly when their ground parts
    are equal and their blank-node parts are isomorphic; rdflib's algorithm on the whole graph
    takes minutes at this size, on the blank-node part milliseconds."""
    ground: set[str] = set()
    with_bnodes = Graph()
    for triple in graph:
        if any(isinstance(term, BNode) for term in triple):
            with_bnodes.add(triple)
        else:
            ground.add(" ".join(term.n3() for term in triple))
    return ground, with_bnodes


def same_graph(a: Graph, b: Graph) -> bool:
    ground_a, bnodes_a = _split(a)
    ground_b, bnodes_b = _split(b)
    return ground_a == ground_b and isomorphic(bnodes_a, bnodes_b)


def canonical_digest(graph: Graph) -> str:
    ground, with_bnodes = _split(graph)
    digest = hashlib.sha256("\n".join(sorted(ground)).encode())
    digest.update(str(to_isomorphic(with_bnodes).graph_digest()).encode())
    return digest.hexdigest()


def read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("name", sorted(RDFLIB_FORMATS))
def test_dump_is_isomorphic_to_the_built_graph(
    built: Path, loaded: LoadedGraph, name: str, gz: bool
) -> None:
    path = built / (name + (".gz" if gz else ""))
    parsed = Graph().parse(data=read(path), format=RDFLIB_FORMATS[name])
    expected = built_graph(loaded)
    assert len(parsed) == len(expected)
    assert same_graph(parsed, expected)
    # rdflib normalises some literals on the way in and out; the canonical hashes compare
    # what a harvester gets byte for byte.
    assert canonical_digest(parsed) == canonical_digest(expected)


def test_nquads_has_one_named_graph_per_source_file(built: Path, loaded: LoadedGraph) -> None:
    dataset = Dataset()
    dataset.parse(data=read(built / (pipeline.DUMP_NQUADS + ".gz")), format="nquads")
    names = {g.identifier for g in dataset.graphs() if len(g)}
    expected = {
        GRAPH[str(p.resolve().relative_to(REPO)).removesuffix(".ttl")] for p in loaded.files
    } | {BUILD_GRAPH, STATUS_GRAPH}
    assert names == expected
    union = Graph()
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    assert same_graph(union, built_graph(loaded))


@pytest.mark.parametrize("name", sorted(RAPPER_FORMATS))
def test_independent_parser_reads_every_dump(built: Path, name: str) -> None:
    rapper = shutil.which("rapper")
    if rapper is None:
        if os.environ.get("CI"):
            pytest.fail("rapper (raptor2-utils) is missing: .ci/run must install it")
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    done = subprocess.run(
        [rapper, "-q", "-i", RAPPER_FORMATS[name], "-o", "ntriples", str(built / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    expected = (built / pipeline.DUMP_NTRIPLES).read_text().splitlines()
    assert len(lines) == len(expected)


def test_void_counts_match_the_graph(built: Path, loaded: LoadedGraph) -> None:
    void = Graph().parse(built / pipeline.VOID_FILE)
    graph = built_graph(loaded)
    assert void.value(DATASET_IRI, VOID.triples) == Literal(len(graph))
    partitions = {
        void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
        for p in void.objects(DATASET_IRI, VOID.classPartition)
    }
    for cls, count in partitions.items():
        assert count == len(set(graph.subjects(RDF.type, cls))), cls
    dumps = {str(o).rsplit("/", 1)[-1] for o in void.objects(DATASET_IRI, VOID.dataDump)}
    assert dumps == set(pipeline.DUMPS)
    assert void.value(DATASET_IRI, VOID.sparqlEndpoint) is not None


def test_dcat_sizes_and_checksums_match_the_files(built: Path) -> None:
    dcat = Graph().parse(built / pipeline.DCAT_FILE)
    distributions = list(dcat.objects(DATASET_IRI, DCAT.distribution))
    assert len(distributions) == len(pipeline.DUMPS)
    for dist in distributions:
        name = str(dist).rsplit("/", 1)[-1]
        data = (built / name).read_bytes()
        assert dcat.value(dist, DCAT.byteSize).toPython() == len(data)
        checksum = dcat.value(dist, SPDX.checksum)
        assert str(dcat.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert dcat.value(dist, DCAT.mediaType) is not None
    assert (None, RDF.type, DCAT.DataService) in dcat
    assert isinstance(dcat.value(DATASET_IRI, URIRef(str(DCAT) + "version")), Literal)


def test_void_has_one_linkset_per_link_target(built: Path, loaded: LoadedGraph) -> None:
    void = Graph().parse(built / pipeline.VOID_FILE)
    graph = built_graph(loaded)
    linksets = {
        str(void.value(ls, VOID.objectsTarget)): ls for ls in void.subjects(RDF.type, VOID.Linkset)
    }
    expected = {
        "https://www.wikidata.org/": "http://www.wikidata.org/entity/",
        "https://eur-lex.europa.eu/": "http://data.europa.eu/eli/",
    }
    assert set(linksets) == set(expected)
    for target, space in expected.items():
        linkset = linksets[target]
        assert (DATASET_IRI, VOID.subset, linkset) in void
        assert void.value(linkset, VOID.linkPredicate) == SKOS.exactMatch
        assert set(void.objects(linkset, VOID.target)) == {DATASET_IRI, URIRef(target)}
        triples = [
            (s, o)
            for s, o in graph.subject_objects(SKOS.exactMatch)
            if str(s).startswith("https://w3id.org/aigovkg/id/") and str(o).startswith(space)
        ]
        assert triples
        assert void.value(linkset, VOID.triples) == Literal(len(triples))


def test_void_linkset_counts_links_of_a_small_graph() -> None:
    kr = URIRef("https://w3id.org/aigovkg/id/country/KR")
    graph = Graph()
    graph.add((kr, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q884")))
    graph.add((kr, SKOS.closeMatch, URIRef("http://www.wikidata.org/entity/Q1")))
    graph.add(
        (
            URIRef("http://example.org/x"),
            SKOS.exactMatch,
            URIRef("http://www.wikidata.org/entity/Q2"),
        )
    )
    void = void_description(graph, {})
    linksets = list(void.subjects(RDF.type, VOID.Linkset))
    assert len(linksets) == 1  # no ELI link, so no ELI linkset
    assert void.value(linksets[0], VOID.triples) == Literal(1)
    assert void.value(linksets[0], VOID.objectsTarget) == URIRef("https://www.wikidata.org/")


DCAT_AP = Path(__file__).resolve().parent / "dcat_ap"


def test_catalog_conforms_to_dcat_ap_shapes(built: Path) -> None:
    """The shapes DCAT-AP 3.0.1 publishes (mandatory properties and class ranges), vendored."""
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(DCAT_AP / name, format="turtle")
    catalog = Graph().parse(built / pipeline.DCAT_FILE)
    conforms, _report, text = pyshacl.validate(catalog, shacl_graph=shapes, advanced=True)
    assert conforms, text
    # The shapes fire on a catalogue without what the issue listed as missing.
    service = next(catalog.subjects(RDF.type, DCAT.DataService))
    broken = Graph()
    for triple in catalog:
        broken.add(triple)
    broken.remove((service, DCTERMS.title, None))
    broken.remove((None, DCAT.accessURL, None))
    broken.remove((None, DCTERMS.publisher, None))
    conforms, report, _text = pyshacl.validate(broken, shacl_graph=shapes, advanced=True)
    assert not conforms
    paths = {report.value(r, SH.resultPath) for r in report.subjects(RDF.type, SH.ValidationResult)}
    assert {DCTERMS.title, DCAT.accessURL, DCTERMS.publisher} <= paths


def test_void_subset_per_named_graph(built: Path) -> None:
    """One void:subset per named graph of the N-Quads dump, each with its own exact counts."""
    void = Graph().parse(built / pipeline.VOID_FILE)
    quads = Dataset()
    quads.parse(built / pipeline.DUMP_NQUADS, format="nquads")
    graphs = {g.identifier: g for g in quads.graphs() if len(g)}
    subsets = {
        s for s in void.objects(DATASET_IRI, VOID.subset) if (s, RDF.type, VOID.Linkset) not in void
    }
    assert subsets == set(graphs)
    assert GRAPH["data/instruments/eu-ai-act"] in subsets and STATUS_GRAPH in subsets
    for iri, graph in graphs.items():
        assert void.value(iri, VOID.triples) == Literal(len(graph)), iri
        assert void.value(iri, VOID.distinctSubjects) == Literal(len(set(graph.subjects()))), iri


def test_void_distinct_subjects_count_blank_nodes(built: Path) -> None:
    """Exactly the distinct subjects of the published dump, blank nodes included."""
    void = Graph().parse(built / pipeline.VOID_FILE)
    dump = Graph().parse(built / pipeline.DUMP_NTRIPLES, format="nt")
    subjects = set(dump.subjects())
    assert any(isinstance(s, BNode) for s in subjects)
    assert void.value(DATASET_IRI, VOID.distinctSubjects) == Literal(len(subjects))
