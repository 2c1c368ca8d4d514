"""Benchmark: how long the whole-graph page takes to be drawn and stable in headless Chromium,
and how big it is, at today's size and on a 10x synthetic graph (ten renamed copies of the data).

Run: python benchmarks/bench_viz.py [--runs N] [--scale 10]. Prints one JSON object. "stable_ms"
is the page's own clock (performance.now() at vis-network's stabilized event, from navigation
start); "open_to_stable_s" is the wall time from page.goto to that event; "write_s" is the Python
side (queries, pyvis, template). Not a test: speed targets live here, never in tests/.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from rdflib import Graph, URIRef

from aigovkg import build as pipeline
from aigovkg.namespaces import ID
from aigovkg.sources import locate
from aigovkg.store import OxigraphBackend
from aigovkg.viz import ViewRequest, write_views

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def scaled(graph: Graph, copies: int) -> Graph:
    """The graph plus `copies - 1` copies of its instance data with renamed IRIs (the ontology
    and concept schemes stay shared, as they would in a bigger real graph)."""
    out = Graph()
    for triple in graph:
        out.add(triple)

    def rename(term: object, n: int) -> object:
        if (
            isinstance(term, URIRef)
            and str(term).startswith(str(ID))
            and "/concept/" not in str(term)
        ):
            return URIRef(f"{term}-x{n}")
        return term

    for n in range(1, copies):
        for s, p, o in graph:
            if isinstance(s, URIRef) and str(s).startswith(str(ID)) and "/concept/" not in str(s):
                out.add((rename(s, n), p, rename(o, n)))  # type: ignore[arg-type]
    return out


def measure(browser: object, page_path: Path, runs: int) -> dict[str, float]:
    stable_ms, wall_s = [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
        start = time.perf_counter()
        page.goto(page_path.as_uri())
        page.wait_for_function(
            "() => window.aigovViz !== undefined && window.aigovViz.stable === true",
            timeout=600_000,
        )
        wall_s.append(time.perf_counter() - start)
        stable_ms.append(page.evaluate("() => window.aigovViz.stabilizedAt"))
        page.close()
    return {
        "stable_ms": round(statistics.median(stable_ms), 1),
        "open_to_stable_s": round(statistics.median(wall_s), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    tree = locate()
    graph = pipeline.assemble(tree).graph
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, g in (("today", graph), (f"x{args.scale}", scaled(graph, args.scale))):
            backend = OxigraphBackend.from_graph(g)
            start = time.perf_counter()
            [path] = write_views(
                backend, Path(tmp) / name, requests=[ViewRequest("full")], tree=tree
            )
            write_s = time.perf_counter() - start
            page = browser.new_page()
            page.goto(path.as_uri())
            page.wait_for_function("() => window.aigovViz !== undefined", timeout=600_000)
            counts = page.evaluate(
                "() => [window.aigovViz.nodes.length, window.aigovViz.edges.length]"
            )
            page.close()
            results[name] = {
                "triples": len(g),
                "nodes": counts[0],
                "edges": counts[1],
                "html_bytes": path.stat().st_size,
                "write_s": round(write_s, 3),
                **measure(browser, path, args.runs),
            }
        browser.close()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
