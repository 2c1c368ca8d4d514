"""The benchmarks' synthetic tree (benchmarks/synthetic.py): deterministic, and it conforms.

The scaling figures in benchmarks/README.md are only worth something if the synthetic graph is a
graph the project would accept: these tests run the real validation (SHACL and the integrity
checks) over a small synthetic tree, and check that the same seed gives the same bytes.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from aigovkg import build as pipeline
from aigovkg.sources import SourceTree

from .conftest import REPO


@pytest.fixture(scope="module")
def synthetic():
    name = "aigovkg_benchmarks_synthetic"
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    yield module
    del sys.modules[name]


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.ttl"))}


def test_same_seed_same_bytes_and_about_the_size_asked(synthetic, tmp_path: Path) -> None:
    first = synthetic.make_tree(8000, tmp_path / "a", seed=3, real_data=False)
    second = synthetic.make_tree(8000, tmp_path / "b", seed=3, real_data=False)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert 8000 <= first == second < 9000
    counted = synthetic.count_triples(sorted((tmp_path / "a").rglob("*.ttl")))
    shapes = synthetic.count_triples(sorted((tmp_path / "a" / "shapes").glob("*.ttl")))
    assert counted - shapes == first
    other = synthetic.make_tree(8000, tmp_path / "c", seed=4, real_data=False)
    assert _files(tmp_path / "c") != _files(tmp_path / "a") and other >= 8000


def test_synthetic_tree_conforms_to_the_shapes_and_checks(synthetic, tmp_path: Path) -> None:
    root = tmp_path / "tree"
    synthetic.make_tree(8000, root, seed=3, real_data=False)
    data = "\n".join(p.read_text() for p in sorted((root / "data").rglob("*.ttl")))
    # The shapes it has to satisfy are there: amendments that move dates, summits with
    # signatures, penalties, risk tiers.
    for term in ("aigov:supersedesEvent", "aigov:qualifiedSignature", "aigov:Penalty"):
        assert term in data
    assert "aigov:RiskTier" in data and "aigov:Summit" in data
    tree = SourceTree(root=root, dist=tmp_path / "dist", is_checkout=True)
    _loaded, report = pipeline.validate(tree)
    assert report.violations == []
    assert set(synthetic.run_checks(root).values()) == {0}
