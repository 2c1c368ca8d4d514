"""Benchmark: start-up cost at today's size and on a scaled copy, with and without the build's
query store (dist/store), in one run.

For each scale a source tree with `scale` renamed copies of data/ (bench_build.scaled_tree) is
built without validation (bench_validate measures that) and published as its dist/, timing the
query store's writing. Then, against that checkout:

1. `aigovkg serve` from a prebuilt dist/: wall time from the process start to the first answer
   of `/sparql?query=ASK{?s ?p ?o}` (targets: < 0.5 s at today's size, issue 16; < 1 s at 1M,
   issue 14);
2. `aigovkg query --cq CQ01 --format csv`: CPU time against `python -c "import pyoxigraph"`
   (target at today's size: at most 10x);

each with the store (what `aigovkg build` writes) and without it (the dump parsed, as before the
store existed; `query` asks one question, so it opens the store on disk when there is one and
parses the dump otherwise), medians of `--runs` runs. Prints a Markdown table.

Run: python benchmarks/bench_start.py [--scales 1 100] [--runs 5]. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_build import scaled_tree
from bench_hot_paths import child_cpu_s

REPO = Path(__file__).resolve().parents[1]
ASK = "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"


def build_without_validation(tree_root: Path) -> dict[str, float]:
    """The build's outputs (and its store) published as the tree's dist/, timed."""
    from aigovkg import build as pipeline
    from aigovkg import distdir
    from aigovkg.sources import locate
    from aigovkg.store import OxigraphBackend

    timings: dict[str, float] = {}
    write_on_disk = OxigraphBackend.write_on_disk.__func__  # type: ignore[attr-defined]

    def timed_store(cls: type, directory: Path, nquads: Path) -> None:
        started = time.perf_counter()
        write_on_disk(cls, directory, nquads)
        timings["store_write_s"] = time.perf_counter() - started

    OxigraphBackend.write_on_disk = classmethod(timed_store)  # type: ignore[method-assign]
    tree = locate(tree_root)
    started = time.perf_counter()
    loaded = pipeline.assemble(tree)
    timings["parse_s"] = time.perf_counter() - started
    started = time.perf_counter()
    with distdir.staging(tree.dist) as stage:
        pipeline.write_outputs(tree, loaded, stage)
        distdir.publish(tree.dist, stage)
    timings["outputs_s"] = time.perf_counter() - started
    OxigraphBackend.write_on_disk = classmethod(write_on_disk)  # type: ignore[method-assign]
    return timings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_answer_s(env: dict[str, str]) -> float:
    """Wall seconds from starting `aigovkg serve` to its first answer."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "aigovkg", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{ASK}", timeout=60) as r:
                    r.read()
                    return time.perf_counter() - started
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("aigovkg serve exited before answering") from None
                time.sleep(0.01)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def measure(tree_root: Path, runs: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "AIGOVKG_HOME": str(tree_root)}
    command = [sys.executable, "-m", "aigovkg", "query", "--cq", "CQ01", "--format", "csv"]
    floor = [sys.executable, "-c", "import pyoxigraph"]
    serve, query, imports = [], [], []
    for _ in range(runs):
        imports.append(child_cpu_s(floor, env))
        query.append(child_cpu_s(command, env))
        serve.append(first_answer_s(env))
    return {
        "serve_first_answer_s": statistics.median(serve),
        "query_cpu_s": statistics.median(query),
        "import_pyoxigraph_cpu_s": statistics.median(imports),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(
        "| scale | quads | store write s | dist/ | serve: first answer s | "
        "query CQ01 CPU s | import pyoxigraph CPU s | query ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            root = scaled_tree(Path(tmp) / "tree", scale)
            timings = build_without_validation(root)
            dist = (root / "dist").resolve()
            quads = sum(1 for _ in (dist / "aigovkg.nq").open("rb"))
            for label in ("with store", "dump parsed"):
                if label == "dump parsed":
                    shutil.rmtree(dist / "store")
                got = measure(root, args.runs)
                ratio = got["query_cpu_s"] / got["import_pyoxigraph_cpu_s"]
                print(
                    f"| {scale}x | {quads:,} | {timings['store_write_s']:.1f} | {label} "
                    f"| {got['serve_first_answer_s']:.2f} | {got['query_cpu_s']:.2f} "
                    f"| {got['import_pyoxigraph_cpu_s']:.2f} | {ratio:.1f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
