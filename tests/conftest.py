"""Shared fixtures: the real source tree, loaded and built once per run, handed out as copies.

Tests never write into the source tree: anything that writes (build, fmt, dist/) works on a copy
of the tree in a temporary directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock
from rdflib import Graph

from aigovkg import build as pipeline
from aigovkg.api import KnowledgeGraph
from aigovkg.loader import LoadedGraph
from aigovkg.sources import SourceTree, locate
from aigovkg.store import OxigraphBackend

REPO = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("ontology", "data", "shapes", "queries")


@pytest.fixture(scope="session")
def tree() -> SourceTree:
    return locate(REPO)


@pytest.fixture(scope="session")
def loaded(tree: SourceTree) -> LoadedGraph:
    """Ontology and data parsed once."""
    return pipeline.assemble(tree)


@pytest.fixture
def graph(loaded: LoadedGraph) -> Graph:
    """A private copy of the whole graph, safe to mutate."""
    copy = Graph()
    for triple in loaded.graph:
        copy.add(triple)
    return copy


@pytest.fixture(scope="session")
def shapes(tree: SourceTree) -> Graph:
    return pipeline.load_shapes(tree)


@pytest.fixture(scope="session")
def report(tree: SourceTree, loaded: LoadedGraph):
    """The validation report of the real data, computed once."""
    return pipeline.validate(tree, loaded)[1]


def copy_tree(destination: Path) -> Path:
    """A throwaway copy of the hand-edited sources (a checkout without dist/)."""
    for name in SOURCE_DIRS:
        shutil.copytree(REPO / name, destination / name)
    return destination


def copy_build(built: Path, destination: Path) -> Path:
    """A copy of the session's build. Other workers' commands may be writing into it at the same
    moment (the verdict book, a view), each through a temporary file renamed into place; the
    temporaries are skipped, since one can vanish between the listing and the copy."""
    shutil.copytree(built, destination, ignore=shutil.ignore_patterns("*.tmp"))
    return destination


@pytest.fixture
def tree_copy(tmp_path: Path, built: Path) -> Path:
    """A throwaway checkout with a copy of the session's build, so commands that query do not
    rebuild (a test that edits the sources makes dist/ stale, and the command rebuilds)."""
    root = copy_tree(tmp_path / "checkout")
    copy_build(built, root / "dist")
    return root


def run_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary directory of this test run, shared by xdist's workers (each worker's own
    base directory is a child of it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of a copy of the tree; returns its dist/ directory.

    Built once per test run, not once per xdist worker: the first worker to take the lock
    builds (about 8 s of CPU), the others wait and use it. Tests only read it; a test that
    changes the sources or the build works on a copy (`tree_copy`)."""
    shared = run_directory(tmp_path_factory)
    with FileLock(str(shared / "built.lock")):
        root = shared / "built"
        done = shared / "built.done"
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # a worker that failed half-way
            root.mkdir()
            pipeline.build(locate(copy_tree(root)))
            done.touch()
    return root / "dist"


@pytest.fixture(scope="session")
def backend(built: Path) -> OxigraphBackend:
    return OxigraphBackend.from_nquads((built / pipeline.DUMP_NQUADS).read_bytes())


@pytest.fixture(scope="session")
def kg(built: Path, backend: OxigraphBackend) -> KnowledgeGraph:
    """The real knowledge graph, as `aigovkg.load()` gives it, on a built copy of the tree."""
    return KnowledgeGraph(backend, locate(built.parent))


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the installed `aigovkg` command for real."""
    exe = shutil.which("aigovkg")
    command = [exe, *args] if exe else [sys.executable, "-m", "aigovkg", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
