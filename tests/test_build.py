"""The build: deterministic bytes, dumps that round-trip, checksums, and no dumps from bad data."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from aigovkg import build as pipeline
from aigovkg import distdir
from aigovkg.sources import locate
from aigovkg.validation import ValidationReport

from .conftest import copy_tree, run_cli

# Every file the build publishes with a checksum (the ontology's HTML documentation is not one).
PUBLISHED = [*pipeline.DUMPS, pipeline.VOID_FILE, pipeline.DCAT_FILE]


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    """The dumps and the interactive views (in every language); the views once showed the
    store's blank-node labels, drawn afresh by each load."""
    again = pipeline.build(locate(copy_tree(tmp_path / "checkout")), tmp_path / "again")
    views = [name for name in again.files if name.startswith(f"{pipeline.VIZ_DIR}/")]
    assert any(name.startswith(f"{pipeline.VIZ_DIR}/ko/") for name in views)
    for name in [*PUBLISHED, pipeline.CHECKSUMS, *views]:
        assert (built / name).read_bytes() == again.files[name].read_bytes(), name


def test_build_ignores_hash_seed(built: Path, tmp_path: Path) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the bytes must not."""
    out = tmp_path / "seeded"
    code = (
        "from pathlib import Path; from aigovkg import build; from aigovkg.sources import locate; "
        f"build.build(locate(), Path({str(out)!r}))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    checkout = copy_tree(tmp_path / "checkout")  # its validation cache is written there
    subprocess.run([sys.executable, "-c", code], cwd=checkout, env=env, check=True, timeout=300)
    for name in PUBLISHED:
        assert (built / name).read_bytes() == (out / name).read_bytes(), name


def test_checksums_match_files(built: Path) -> None:
    lines = (built / pipeline.CHECKSUMS).read_text().splitlines()
    assert sorted(line.split("  ")[1] for line in lines) == sorted(PUBLISHED)
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == digest


def test_version_comes_from_the_package(built: Path) -> None:
    from aigovkg import __version__

    text = (built / pipeline.DUMP_NTRIPLES).read_text()
    assert f"<https://w3id.org/aigovkg/ontology/{__version__}>" in text


def test_nonconforming_data_fails_with_exit_1_and_writes_nothing(tmp_path: Path) -> None:
    root = copy_tree(tmp_path / "checkout")
    bad = root / "data" / "parties" / "bad.ttl"
    bad.write_text(
        "@prefix aigov: <https://w3id.org/aigovkg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/aigovkg/id/country/XX> a aigov:Country ; rdfs:label "Nowhere"@en .\n'
    )
    result = run_cli("build", cwd=root)
    assert result.returncode == 1
    assert "bad.ttl" in result.stderr
    assert "https://w3id.org/aigovkg/id/country/XX" in result.stderr
    assert "isoCode" in result.stderr
    assert not (root / "dist" / pipeline.DUMP_NTRIPLES).exists()


def _skip_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about writing: the session's build already showed the data conforms."""
    monkeypatch.setattr(
        pipeline, "validate", lambda tree, **_: (pipeline.assemble(tree), ValidationReport())
    )


def test_a_build_failing_halfway_leaves_the_old_build_whole(
    tree_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = locate(tree_copy)
    before = {name: (tree.dist / name).read_bytes() for name in [*PUBLISHED, pipeline.CHECKSUMS]}
    _skip_validation(monkeypatch)

    def broken(*_args: object) -> str:  # called after the dumps are written
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "ontology_html", broken)
    (tree.data_dir / "parties" / "countries.ttl").write_text(
        (tree.data_dir / "parties" / "countries.ttl").read_text() + "\n"
    )  # the inputs change, so the failed build would have replaced the dumps
    with pytest.raises(OSError, match="disk full"):
        pipeline.build(tree)
    for name, data in before.items():
        assert (tree.dist / name).read_bytes() == data, name
    assert pipeline.outputs_verify(tree.dist)
    staging = [p for p in distdir.builds_dir(tree.dist).iterdir() if p.name.startswith(".tmp")]
    assert staging == []


def test_up_to_date_check_rejects_a_truncated_dump(tree_copy: Path) -> None:
    tree = locate(tree_copy)
    assert pipeline.is_up_to_date(tree)
    dump = tree.dist / pipeline.DUMP_NTRIPLES
    data = dump.read_bytes()
    dump.write_bytes(b"")
    assert not pipeline.is_up_to_date(tree)
    dump.write_bytes(data[: len(data) // 2])
    assert not pipeline.is_up_to_date(tree)
    dump.write_bytes(data)
    assert pipeline.is_up_to_date(tree)
    (tree.dist / pipeline.CHECKSUMS).write_text("")
    assert not pipeline.is_up_to_date(tree)


def test_up_to_date_check_hashes_once_yet_sees_an_edit_that_keeps_size_and_mtime(
    tree_copy: Path,
) -> None:
    """The check keeps each dump's digest with its stat stamp, so it does not hash a gigabyte of
    dumps on every query; an edit that keeps the size and sets the mtime back is still seen
    (the ctime moved)."""
    tree = locate(tree_copy)
    assert pipeline.is_up_to_date(tree)
    stamps = json.loads((tree.dist / pipeline.VERIFIED).read_text())
    assert stamps.keys() == pipeline._recorded_outputs(tree.dist).keys()
    dump = tree.dist / pipeline.DUMP_NQUADS
    before = dump.stat()
    data = bytearray(dump.read_bytes())
    data[-2:-1] = b" "  # the last triple's final '.' becomes a space: same size, broken dump
    dump.write_bytes(bytes(data))
    os.utime(dump, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert dump.stat().st_size == before.st_size and dump.stat().st_mtime_ns == before.st_mtime_ns
    assert not pipeline.is_up_to_date(tree)


def test_the_query_store_holds_the_nquads_dump_and_is_optional(tree_copy: Path) -> None:
    """`serve` opens the build's store on disk to answer at once instead of parsing the dump;
    it holds exactly the dump's quads (as the in-memory store every surface queries), and a
    build without it (an older version's) still opens, from the dump."""
    import pyoxigraph as ox

    tree = locate(tree_copy)

    def shape(store: ox.Store) -> Counter:
        """The quads, blank nodes (labelled afresh by each load) as one placeholder."""
        return Counter(
            tuple("_:" if isinstance(t, ox.BlankNode) else t for t in quad) for quad in store
        )

    in_memory = pipeline.load_backend(tree).store
    dump = shape(in_memory)
    opened = pipeline.open_built(tree.dist)
    assert shape(opened.store) == dump
    with pytest.raises(RuntimeError, match="read-write"):
        opened.store.add(next(iter(in_memory)))  # read-only: no surface writes into a build
    shutil.rmtree(tree.dist / pipeline.STORE_DIR)
    assert shape(pipeline.open_built(tree.dist).store) == dump
    assert pipeline.is_up_to_date(tree), "the store is not an output whose loss means a rebuild"


def test_a_rebuild_replaces_a_truncated_build_and_keeps_foreign_files(
    tree_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = locate(tree_copy)
    expected = (tree.dist / pipeline.DUMP_NTRIPLES).read_bytes()
    (tree.dist / pipeline.DUMP_NTRIPLES).write_bytes(b"")
    (tree.dist / "plots").mkdir()
    (tree.dist / "plots" / "trade.svg").write_text("<svg/>")
    _skip_validation(monkeypatch)
    backend = pipeline.load_backend(tree)
    assert tree.dist.is_symlink()
    assert (tree.dist / pipeline.DUMP_NTRIPLES).read_bytes() == expected
    assert len(backend) > 9000
    assert pipeline.is_up_to_date(tree)
    assert (tree.dist / "plots" / "trade.svg").read_text() == "<svg/>"
