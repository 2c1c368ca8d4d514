"""Benchmark: the two hot paths of issue 16.5, each against its floor, ratios measured in one run.

1. `kg.query` (answer cache cleared every time, so each call runs the query) against a plain
   `pyoxigraph.Store.query` on the same store whose solutions are put into a DataFrame of their
   lexical values. Target: at most 1.5x for small results.
2. `aigovkg query --cq CQ01` (a fresh interpreter, dist/ already built) against
   `python -c "import pyoxigraph"`. Target: at most 10x. Also lists which heavy modules the
   query command imported (none of pyshacl, pandas, the build's viz or the reasoner should be).

Times are CPU times (this process's, or the child's rusage), medians of the runs.

Run: python benchmarks/bench_hot_paths.py [--runs N] [--cli-runs N]. Prints a Markdown table.
Not a test: speed targets live here, never in tests/.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

import aigovkg
from aigovkg.namespaces import PREFIXES
from aigovkg.queries import get_query

CHECKOUT = Path(__file__).resolve().parents[1]
QUERIES = ["CQ09", "CQ03", "CQ33", "CQ01"]
HEAVY = ["pyshacl", "pandas", "pyvis", "matplotlib", "networkx", "pylode", "owlrl"]


def median_s(action: Callable[[], object], runs: int) -> float:
    """Median CPU time of this process (wall time on a shared 2-core machine measures the
    neighbours' jobs as much as ours)."""
    timings = []
    for _ in range(runs):
        start = time.process_time()
        action()
        timings.append(time.process_time() - start)
    return statistics.median(timings)


def child_cpu_s(argv: list[str], env: dict[str, str]) -> float:
    """CPU time (user + system) a command used, from the children's rusage."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def api_rows(runs: int) -> list[str]:
    kg = aigovkg.load(CHECKOUT)
    store = kg.backend.store  # type: ignore[attr-defined]
    lines = []
    for query_id in QUERIES:
        text = get_query(kg.tree, "cq", query_id).text

        def plain(text: str = text) -> pd.DataFrame:
            result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
            columns = [v.value for v in result.variables]
            rows = [[None if t is None else t.value for t in solution] for solution in result]
            return pd.DataFrame(rows, columns=columns)

        def api(text: str = text) -> object:
            kg._cache.clear()  # measure the query, not the answer cache
            return kg.query(text)

        size = len(plain())
        api()  # the safety check's parse is cached per process, as in any session
        plain_s, api_s = 0.0, 0.0
        for _ in range(3):  # interleaved, so load on the machine hits both alike
            plain_s += median_s(plain, runs)
            api_s += median_s(api, runs)
        lines.append(
            f"| {query_id} | {size} | {plain_s / 3 * 1000:.2f} | {api_s / 3 * 1000:.2f} "
            f"| {api_s / plain_s:.2f} |"
        )
    return lines


def cli_rows(runs: int) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT / "src"), "AIGOVKG_HOME": str(CHECKOUT)}
    command = [sys.executable, "-m", "aigovkg", "query", "--cq", "CQ01", "--format", "csv"]
    subprocess.run(command, env=env, check=True, capture_output=True)  # builds dist/ if stale
    floor = [sys.executable, "-c", "import pyoxigraph"]
    cli_s, floor_s = [], []
    for _ in range(runs):
        for argv, sink in ((floor, floor_s), (command, cli_s)):
            sink.append(child_cpu_s(argv, env))
    probe = (
        "import sys, runpy; sys.argv = ['aigovkg', 'query', '--cq', 'CQ01', '--format', 'csv'];\n"
        "try:\n    runpy.run_module('aigovkg', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"print('IMPORTED', sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True
    ).stdout
    imported = found.rsplit("IMPORTED", 1)[1].strip()
    c, f = statistics.median(cli_s), statistics.median(floor_s)
    return [
        f'| `python -c "import pyoxigraph"` | {f:.3f} | 1.0 | |',
        f"| `aigovkg query --cq CQ01 --format csv` | {c:.3f} | {c / f:.1f} | {imported} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cli-runs", type=int, default=7)
    args = parser.parse_args()
    print("| query | rows | plain pyoxigraph + DataFrame (CPU ms) | kg.query (CPU ms) | ratio |")
    print("|---|---|---|---|---|")
    print("\n".join(api_rows(args.runs)))
    print()
    print("| command | median CPU s | ratio | heavy modules imported |")
    print("|---|---|---|---|")
    print("\n".join(cli_rows(args.cli_runs)))


if __name__ == "__main__":
    main()
