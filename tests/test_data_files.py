"""Every data file is valid, formatted and registered: a new file needs no test change."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from aigovkg.fmt import formatted

from .conftest import REPO

DATA_FILES = sorted((REPO / "data").rglob("*.ttl"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_data_file_has_no_violation(path: Path, report) -> None:
    about_file = [v for v in report.violations if str(path) in v.files]
    assert about_file == []


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_data_file_is_formatted(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == formatted(path)


def test_whole_graph_conforms(report) -> None:
    assert report.conforms, report.violations[:5]


def test_the_generated_register_lists_every_source_with_its_file(built, loaded) -> None:
    """The register in dist/sources.csv (generated from the data) has one row per source, each
    naming the data file that defines it and carrying the source's URL."""
    import csv

    from rdflib.namespace import RDF

    from aigovkg.namespaces import AIGOV

    with (built / "sources.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sources = {str(s) for s in loaded.graph.subjects(RDF.type, AIGOV.Source)}
    assert {row["source"] for row in rows} == sources
    assert len(rows) == len(sources), "a source defined in two files"
    for row in rows:
        assert (REPO / row["file"]).is_file(), row
        urls = {str(u) for u in loaded.graph.objects(URIRef(row["source"]), AIGOV.url)}
        assert {row["url"]} == urls or (not row["url"] and not urls)
