"""A rebuild while the server runs: it keeps serving the build it started with, whole."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import httpx
import pytest

from aigovkg import build as pipeline
from aigovkg.sources import locate
from aigovkg.validation import ValidationReport

from .conftest import start_server, stop_server

DUMPS = [pipeline.DUMP_NTRIPLES, pipeline.DUMP_NQUADS, pipeline.DUMP_TURTLE]


def test_downloads_stay_on_the_started_build_across_a_rebuild(
    tree_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = locate(tree_copy)
    before = {name: (tree.dist / name).read_bytes() for name in DUMPS}
    server = start_server(tree_copy, tmp_path / "server.log", "--workers", "1", "--rate", "0")
    try:
        # Rebuild from changed data (validation skipped: this is about publishing).
        countries = tree.data_dir / "parties" / "countries.ttl"
        countries.write_text(countries.read_text().replace("Republic of Korea", "Korea (ROK)", 1))
        monkeypatch.setattr(
            pipeline, "validate", lambda t, **_: (pipeline.assemble(t), ValidationReport())
        )
        pipeline.build(tree)
        assert (tree.dist / pipeline.DUMP_NTRIPLES).read_bytes() != before[pipeline.DUMP_NTRIPLES]

        with httpx.Client(timeout=30) as http:
            listing = http.get(f"{server.base}/download").text
            for name in DUMPS:
                body = http.get(f"{server.base}/download/{name}").content
                assert body == before[name], name
                listed = re.search(rf"{re.escape(name)}.*?([0-9a-f]{{64}})", listing, re.S)
                assert listed and listed.group(1) == hashlib.sha256(body).hexdigest(), name
    finally:
        stop_server(server)
