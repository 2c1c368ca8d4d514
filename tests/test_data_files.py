"""Every data file is valid, formatted and registered: a new file needs no test change."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_every_source_url_is_in_the_register(loaded) -> None:
    """data/README.md lists every source the data cites."""
    from aigovkg.namespaces import AIGOV

    register = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    missing = sorted(
        str(url) for url in loaded.graph.objects(None, AIGOV.url) if str(url) not in register
    )
    assert missing == []
