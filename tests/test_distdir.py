"""Publishing a build is atomic: a writer killed at any point leaves the previous build whole."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aigovkg import distdir

from . import killed_publisher
from .conftest import REPO

WRITER = Path(killed_publisher.__file__)
KILL_POINTS = [
    *(f"mid-{i}" for i in range(len(killed_publisher.FILES))),
    "before-rename",
    "after-rename",
    "before-swap",
]


def publish(out: Path, version: str, kill_at: str = "never") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(
        [sys.executable, str(WRITER), str(out), version, kill_at],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def published_version(out: Path) -> str:
    """The one version every file of `out` holds, after checking SHA256SUMS."""
    versions = set()
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        data = (out / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name
        versions.add(data.split(b"\n")[0].rsplit(b" ", 1)[-1].decode())
    assert len(versions) == 1, versions
    return versions.pop()


@pytest.mark.parametrize("kill_at", KILL_POINTS)
def test_a_killed_publish_leaves_the_old_build(tmp_path: Path, kill_at: str) -> None:
    out = tmp_path / "dist"
    assert publish(out, "v1").returncode == 0
    killed = publish(out, "v2", kill_at)
    assert killed.returncode == -signal.SIGKILL
    assert published_version(out) == "v1"
    assert publish(out, "v3").returncode == 0
    assert published_version(out) == "v3"
    leftovers = [p.name for p in distdir.builds_dir(out).iterdir() if p.name.startswith(".")]
    assert leftovers == []  # the killed writer's staging directory and link are swept away


def test_killed_after_the_swap_the_new_build_is_whole(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert publish(out, "v1").returncode == 0
    assert publish(out, "v2", "after-swap").returncode == -signal.SIGKILL
    assert published_version(out) == "v2"


def test_a_plain_directory_is_migrated_and_foreign_files_carried_over(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    (out / "plots").mkdir(parents=True)
    (out / "plots" / "trade.svg").write_text("<svg/>")
    (out / "aigovkg.nt").write_text("")  # a truncated dump of the older, non-atomic layout
    (out / "SHA256SUMS").write_text("0  aigovkg.nt\n")
    assert publish(out, "v1").returncode == 0
    assert out.is_symlink()
    assert published_version(out) == "v1"
    assert (out / "plots" / "trade.svg").read_text() == "<svg/>"


def test_old_builds_are_pruned_but_not_a_pinned_one(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert publish(out, "v1").returncode == 0
    pinned = distdir.pin(out)  # as a server does at start
    for version in ("v2", "v3", "v4", "v5"):
        assert publish(out, version).returncode == 0
    builds = sorted(p for p in distdir.builds_dir(out).iterdir() if not p.name.startswith("."))
    assert pinned in builds
    assert len(builds) == distdir.KEEP + 1
    assert published_version(pinned) == "v1"
    assert published_version(out) == "v5"


def test_a_directory_that_is_not_a_build_is_refused_untouched(tmp_path: Path) -> None:
    out = tmp_path / "Documents"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    result = publish(out, "v1")
    assert result.returncode != 0
    assert "OutputDirNotABuild" in result.stderr
    assert not out.is_symlink()
    assert (out / "thesis.tex").read_text() == "years of work"
    assert not distdir.builds_dir(out).exists()


def test_a_directory_the_build_owns_is_not_carried_into_the_next(tmp_path: Path) -> None:
    """The query store is a database directory: an old file of it copied into the new build's
    store would corrupt it, while a foreign file beside it is carried over as usual."""
    out = tmp_path / "dist"
    with distdir.staging(out) as first:
        (first / "store").mkdir()
        (first / "store" / "000009.sst").write_bytes(b"old table")
        (first / "SHA256SUMS").write_text("")
        (first / "plots").mkdir()
        (first / "plots" / "trade.svg").write_text("<svg/>")
        distdir.publish(out, first)
    with distdir.staging(out) as second:
        (second / "store").mkdir()
        (second / "store" / "000004.log").write_bytes(b"new log")
        (second / "SHA256SUMS").write_text("")
        distdir.publish(out, second, owned=["SHA256SUMS", "store/"])
    assert sorted(p.name for p in (out / "store").iterdir()) == ["000004.log"]
    assert (out / "plots" / "trade.svg").read_text() == "<svg/>"
