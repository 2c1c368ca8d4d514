"""The W3C Data Cube integrity constraints (shapes/cube.shapes.ttl) in valid/invalid pairs.

The statistics pass every constraint; one targeted change makes exactly that constraint fire on
the expected focus node (asserted by component, not message). A small graph (ontology, the
statistics and the seed sources) against the cube shapes keeps each run fast.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from aigovkg.loader import load_files
from aigovkg.namespaces import AIGOV, DATASET, DSD, OBSERVATION, QB, SDMX_ATTRIBUTE, TRADE_FLOW
from aigovkg.validation import run_shacl

from ..conftest import REPO

OBS = OBSERVATION["kr-trade-akc-2024-05-vn-2024-05-export"]
TWIN = OBSERVATION["kr-trade-akc-2024-05-vn-2024-05-import"]
TRADE = DATASET["kr-trade-akc-2024-05"]
BILATERAL = DSD["bilateral-trade"]


@pytest.fixture(scope="module")
def cube_graph() -> Graph:
    files = [
        REPO / "ontology" / "aigovkg.ttl",
        *sorted((REPO / "data" / "statistics").glob("*.ttl")),
        REPO / "data" / "sources" / "seeds.ttl",
    ]
    return load_files(files).graph


@pytest.fixture(scope="module")
def cube_shapes() -> Graph:
    return load_files(
        [REPO / "shapes" / "cube.shapes.ttl", REPO / "shapes" / "prefixes.shapes.ttl"]
    ).graph


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _drop_dimension(g: Graph) -> None:
    g.remove((OBS, AIGOV.referencePeriod, None))


def _duplicate_key(g: Graph) -> None:
    g.set((TWIN, AIGOV.tradeFlow, TRADE_FLOW["export"]))


def _drop_unit(g: Graph) -> None:
    g.remove((OBS, SDMX_ATTRIBUTE.unitMeasure, None))


def _drop_measure(g: Graph) -> None:
    g.remove((OBS, AIGOV.tradeValue, None))


def _text_measure(g: Graph) -> None:
    g.set((OBS, AIGOV.tradeValue, Literal("5,124")))


def _code_outside_list(g: Graph) -> None:
    g.set(
        (OBS, AIGOV.tradeFlow, URIRef("https://w3id.org/aigovkg/id/concept/trade-flow/re-export"))
    )


def _two_datasets(g: Graph) -> None:
    g.add((OBS, QB.dataSet, DATASET["kr-asean-partnership-trade"]))


def _no_source(g: Graph) -> None:
    g.remove((OBS, DCTERMS.source, None))


def _no_structure(g: Graph) -> None:
    g.remove((TRADE, QB.structure, None))


def _no_measure_in_dsd(g: Graph) -> None:
    g.remove((BILATERAL, QB.component, DSD["bilateral-trade-value"]))


def _dimension_without_range(g: Graph) -> None:
    g.remove((AIGOV.reporter, RDFS.range, None))


def _concept_dimension_without_code_list(g: Graph) -> None:
    g.remove((AIGOV.tradeFlow, QB.codeList, None))


def _optional_dimension(g: Graph) -> None:
    g.add((DSD["bilateral-trade-flow"], QB.componentRequired, Literal(False)))


def _unordered_dimension(g: Graph) -> None:
    g.remove((DSD["bilateral-trade-flow"], QB.order, None))


def _second_structure(g: Graph) -> None:
    other = BNode()
    g.add((other, RDF.type, QB.DataStructureDefinition))
    g.add((TRADE, QB.structure, other))


CASES: list[tuple[str, Callable[[Graph], None], URIRef, str]] = [
    ("IC-1 two datasets", _two_datasets, OBS, "sh:MaxCountConstraintComponent"),
    ("IC-2 no structure", _no_structure, TRADE, "sh:MinCountConstraintComponent"),
    ("IC-2 two structures", _second_structure, TRADE, "sh:MaxCountConstraintComponent"),
    ("IC-3 DSD without measure", _no_measure_in_dsd, BILATERAL, "sh:MinCountConstraintComponent"),
    (
        "IC-4 dimension without range",
        _dimension_without_range,
        BILATERAL,
        "sh:SPARQLConstraintComponent",
    ),
    (
        "IC-5 concept dimension without code list",
        _concept_dimension_without_code_list,
        BILATERAL,
        "sh:SPARQLConstraintComponent",
    ),
    ("IC-6 optional dimension", _optional_dimension, BILATERAL, "sh:SPARQLConstraintComponent"),
    (
        "dimension component without qb:order",
        _unordered_dimension,
        DSD["bilateral-trade-flow"],
        "sh:MinCountConstraintComponent",
    ),
    ("IC-11 missing dimension", _drop_dimension, TRADE, "sh:SPARQLConstraintComponent"),
    ("IC-12 duplicate key", _duplicate_key, TRADE, "sh:SPARQLConstraintComponent"),
    ("IC-13 missing required attribute", _drop_unit, TRADE, "sh:SPARQLConstraintComponent"),
    ("IC-14 missing measure", _drop_measure, TRADE, "sh:SPARQLConstraintComponent"),
    ("measure not a number", _text_measure, TRADE, "sh:SPARQLConstraintComponent"),
    ("IC-19 code outside code list", _code_outside_list, TRADE, "sh:SPARQLConstraintComponent"),
    ("observation without source", _no_source, OBS, "sh:MinCountConstraintComponent"),
]


@pytest.fixture(scope="module")
def baseline(cube_graph, cube_shapes):
    return run_shacl(cube_graph, cube_shapes)


def test_statistics_conform(baseline) -> None:
    assert baseline.conforms, baseline.violations[:5]


@pytest.mark.parametrize(("name", "mutate", "focus", "component"), CASES, ids=[c[0] for c in CASES])
def test_invalid_case_fires(name, mutate, focus, component, cube_graph, cube_shapes) -> None:
    graph = _copy(cube_graph)
    mutate(graph)
    report = run_shacl(graph, cube_shapes)
    assert not report.conforms
    fired = {(v.focus, v.component) for v in report.violations}
    assert (str(focus), component) in fired, sorted(fired)


def test_observation_constraints_name_the_observation(cube_graph, cube_shapes) -> None:
    """Checked once per dataset (fast), reported with the offending observation as value."""
    graph = _copy(cube_graph)
    _duplicate_key(graph)
    _drop_unit(graph)
    report = run_shacl(graph, cube_shapes)
    values = {v.value for v in report.violations if v.focus == str(TRADE)}
    assert values == {str(OBS), str(TWIN)}
    assert any("share their dimension key" in v.message for v in report.violations)


def test_every_observation_counted(cube_graph) -> None:
    """70 cells of the seed table, 3 trade figures and 3 indicators of seeds 003 and 004."""
    observations = set(cube_graph.subjects(RDF.type, QB.Observation))
    by_dataset = {}
    for obs in observations:
        by_dataset.setdefault(str(cube_graph.value(obs, QB.dataSet)).rsplit("/", 1)[1], []).append(
            obs
        )
    assert {k: len(v) for k, v in by_dataset.items()} == {
        "kr-trade-akc-2024-05": 70,
        "kr-asean-partnership-trade": 3,
        "kr-asean-partnership-indicators": 3,
    }
    assert all(
        cube_graph.value(o, AIGOV.tradeValue) is None
        or cube_graph.value(o, AIGOV.tradeValue).datatype == XSD.decimal
        for o in observations
    )
