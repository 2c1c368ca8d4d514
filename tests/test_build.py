"""The build: deterministic bytes, dumps that round-trip, checksums, and no dumps from bad data."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aigovkg import build as pipeline
from aigovkg import distdir
from aigovkg.sources import locate
from aigovkg.validation import ValidationReport

from .conftest import REPO, copy_tree, run_cli

# Every file the build publishes with a checksum (the ontology's HTML documentation is not one).
PUBLISHED = [*pipeline.DUMPS, pipeline.VOID_FILE, pipeline.DCAT_FILE]


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    again = pipeline.build(locate(REPO), tmp_path / "again")
    for name in [*PUBLISHED, pipeline.CHECKSUMS]:
        assert (built / name).read_bytes() == again.files[name].read_bytes(), name


def test_build_ignores_hash_seed(built: Path, tmp_path: Path) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the bytes must not."""
    out = tmp_path / "seeded"
    code = (
        "from pathlib import Path; from aigovkg import build; from aigovkg.sources import locate; "
        f"build.build(locate(), Path({str(out)!r}))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, timeout=300)
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
