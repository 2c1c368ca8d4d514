"""Benchmark: build time and query latency over the current graph (median of several runs).

Run: python benchmarks/bench_build.py [--runs N]. Prints one JSON object; numbers go into the
closing notes and benchmarks/README.md. Not a test: speed targets live here, never in tests/.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from aigovkg import build as pipeline
from aigovkg.queries import list_queries
from aigovkg.sources import locate
from aigovkg.store import OxigraphBackend


def median_seconds(action: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query-runs", type=int, default=50)
    args = parser.parse_args()
    tree = locate()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        results: dict[str, object] = {
            "triples": len(pipeline.assemble(tree).graph),
            "parse_s": median_seconds(lambda: pipeline.assemble(tree), args.runs),
            "validate_s": median_seconds(lambda: pipeline.validate(tree), args.runs),
            "build_s": median_seconds(lambda: pipeline.build(tree, out), args.runs),
        }
        data = (out / pipeline.DUMP_NTRIPLES).read_bytes()
        results["store_load_s"] = median_seconds(
            lambda: OxigraphBackend.from_ntriples(data), args.runs
        )
        backend = OxigraphBackend.from_ntriples(data)
        latencies = {}
        for query in list_queries(tree, "cq"):
            latencies[query.id] = round(
                median_seconds(lambda q=query: backend.run(q.text), args.query_runs) * 1000, 3
            )
        results["query_median_ms"] = latencies
    print(
        json.dumps(
            {k: round(v, 3) if isinstance(v, float) else v for k, v in results.items()}, indent=1
        )
    )


if __name__ == "__main__":
    main()
