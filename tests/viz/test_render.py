"""The written pages: self-contained, deterministic, escaped; and the command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from aigovkg.namespaces import AIGOV, COUNTRY, SUMMIT
from aigovkg.sources import SourceTree
from aigovkg.store import OxigraphBackend
from aigovkg.viz import ViewRequest, write_views
from aigovkg.viz.assets import VIS_NETWORK_VERSION
from aigovkg.viz.extract import NODE_BUDGET

from ..conftest import run_cli
from .conftest import HOSTILE, HOSTILE_DOC, HOSTILE_TITLE, hostile_graph


def test_every_view_is_written(pages: dict[str, Path]) -> None:
    assert {"full", "summits", "regimes", "ontology"} <= set(pages)
    assert "full-focus-KR" in pages and "full-focus-eu-ai-act" in pages


def test_pages_are_self_contained(pages: dict[str, Path]) -> None:
    for path in pages.values():
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc=", html, re.IGNORECASE)
        assert not re.search(r"<link\b", html, re.IGNORECASE)
        assert "cdn" not in html.lower().split("<script>", 1)[0]
        assert html.count("<script") == 3 and html.count("</script>") == 3
        assert "default-src &#39;none&#39;" in html
        assert f"vis-network {VIS_NETWORK_VERSION}" in html
        assert "sourceMappingURL" not in html


def test_same_graph_gives_byte_identical_html(
    kg: OxigraphBackend, tree: SourceTree, tmp_path: Path
) -> None:
    first = write_views(kg, tmp_path / "a", tree=tree)
    second = write_views(kg, tmp_path / "b", tree=tree)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()


SUBPROCESS_WRITE = """
import sys
from pathlib import Path
from aigovkg.sources import locate
from aigovkg.api import KnowledgeGraph
from aigovkg.store import OxigraphBackend
from aigovkg.viz import ViewRequest, write_views
tree = locate(Path(sys.argv[3]))
kg = KnowledgeGraph(OxigraphBackend.from_nquads(Path(sys.argv[1]).read_bytes()), tree)
write_views(kg, Path(sys.argv[2]), requests=[ViewRequest("full")], tree=tree)
"""


def test_identical_html_across_processes_and_hash_seeds(
    built: Path, tree: SourceTree, tmp_path: Path
) -> None:
    """Set order changes with PYTHONHASHSEED; the page must not."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        nt = str(built / "aigovkg.nq")
        subprocess.run(
            [sys.executable, "-c", SUBPROCESS_WRITE, nt, str(out), str(tree.root)],
            check=True,
            env=env,
            timeout=300,
        )
        outputs.append((out / "full.html").read_bytes())
    assert outputs[0] == outputs[1]


def test_hostile_strings_never_appear_raw(hostile_pages: dict[str, Path]) -> None:
    texts = []
    for path in hostile_pages.values():
        html = path.read_text(encoding="utf-8")
        for bad in (HOSTILE, HOSTILE_DOC, HOSTILE_TITLE):
            assert bad not in html
        assert html.count("<script") == 3
        assert "\u2028" not in html and "\u2029" not in html
        data = json.loads(re.search(r'id="viz-data">(.*?)</script>', html, re.S).group(1))
        links = [f[1:] for d in data["details"].values() for f in d["facts"]]
        links += [s for d in data["details"].values() for s in d["sources"]]
        links += [s for sources in data["evidence"].values() for s in sources]
        assert links
        assert all(href is None or href.startswith(("http://", "https://")) for _, _, href in links)
        texts += [text for text, _, _ in links]
    assert "javascript:alert(4)" in texts  # shown as text, never as a link


def test_output_file_needs_one_view(kg: OxigraphBackend, tree: SourceTree, tmp_path: Path) -> None:
    from aigovkg.viz import UnknownView

    with pytest.raises(UnknownView):
        write_views(kg, tmp_path, tree=tree, output=tmp_path / "x.html")
    written = write_views(
        hostile_graph(),
        tmp_path,
        requests=[ViewRequest("summits")],
        tree=tree,
        output=tmp_path / "x.html",
    )
    assert written == [tmp_path / "x.html"]


def test_cli_help(tmp_path: Path) -> None:
    result = run_cli("viz", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--focus" in result.stdout


def test_cli_writes_views(built: Path) -> None:
    root = built.parent
    result = run_cli("viz", cwd=root)
    assert result.returncode == 0, result.stderr
    for view in ("full", "summits", "regimes", "ontology"):
        assert (root / "dist" / "viz" / f"{view}.html").stat().st_size > 0
    result = run_cli("viz", "--view", "summits", "--focus", "KR", "-o", "kr.html", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "Republic of Korea" in (root / "kr.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ("--focus", "atlantis"),
        ("--view", "bogus"),
        ("--as-of", "yesterday"),
    ],
)
def test_cli_usage_errors_exit_2(built: Path, args: tuple[str, ...]) -> None:
    result = run_cli("viz", *args, "-o", "never.html", cwd=built.parent)
    assert result.returncode == 2
    assert "error" in result.stderr
    assert not (built.parent / "never.html").exists()


def test_write_views_takes_a_knowledge_graph_and_a_date(
    kg: OxigraphBackend, tree: SourceTree, tmp_path: Path
) -> None:
    import datetime as dt

    from aigovkg.api import KnowledgeGraph

    kg = KnowledgeGraph(kg, tree)
    [path] = write_views(
        kg, tmp_path, requests=[ViewRequest("summits")], as_of=dt.date(2023, 12, 31)
    )
    assert path.name == "summits-as-of-2023-12-31.html"
    html = path.read_text(encoding="utf-8")
    assert "as of 2023-12-31" in html
    assert "AI Safety Summit" in html and "AI Seoul Summit 2024" not in html


def crowded_summit(countries: int) -> Graph:
    """A summit with `countries` participants: one hub and many look-alike leaves."""
    graph = Graph()
    summit = SUMMIT["crowded-summit"]
    graph.add((summit, RDF.type, AIGOV.Summit))
    graph.add((summit, RDFS.label, Literal("Crowded summit", lang="en")))
    for i in range(countries):
        country = COUNTRY[f"C{i:04d}"]
        graph.add((country, RDF.type, AIGOV.Country))
        graph.add((country, RDFS.label, Literal(f"Country {i}", lang="en")))
        graph.add((summit, AIGOV.participant, country))
    return graph


def test_a_view_over_its_node_budget_draws_the_hubs_and_says_what_it_left_out(
    tree: SourceTree, tmp_path: Path
) -> None:
    (page,) = write_views(
        crowded_summit(NODE_BUDGET + 200), tmp_path, requests=[ViewRequest("full")], tree=tree
    )
    html = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="viz-data">(.*?)</script>', html, re.S).group(1))
    ids = {node["id"] for node in data["nodes"]}
    assert len(ids) == NODE_BUDGET
    assert str(SUMMIT["crowded-summit"]) in ids  # the hub is kept
    assert str(COUNTRY["C0000"]) in ids and str(COUNTRY[f"C{NODE_BUDGET + 199}"]) not in ids
    assert len(data["edges"]) == NODE_BUDGET - 1
    assert set(data["details"]) == ids
    note = re.search(r'<p id="viz-note"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert f"{NODE_BUDGET:,} most connected of {NODE_BUDGET + 201:,} nodes" in note
    assert "Not drawn: 201 Country." in note
    assert f'<span id="node-count">{NODE_BUDGET}</span>' in html


def test_a_view_within_its_budget_has_no_note(pages: dict[str, Path]) -> None:
    for path in pages.values():
        assert 'id="viz-note"' not in path.read_text(encoding="utf-8")
