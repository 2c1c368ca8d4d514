"""A plain `pip install .` ships ontology, data, shapes and queries inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import REPO


def test_wheel_contains_the_sources(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("aigovkg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "aigovkg/_sources/ontology/aigovkg.ttl",
        "aigovkg/_sources/data/instruments/eu-ai-act.ttl",
        "aigovkg/_sources/shapes/provenance.shapes.ttl",
        "aigovkg/_sources/queries/cq/CQ01-signatories-per-document.rq",
        "aigovkg/py.typed",
    ):
        assert required in names, required
