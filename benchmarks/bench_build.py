"""Benchmark: the build's phases at today's size and on scaled copies of the data.

Run: python benchmarks/bench_build.py [--scales 1 10 100] [--validate]. For each scale a child
process (under /usr/bin/time -v, for its peak memory) builds a source tree holding the ontology,
shapes and queries once and `scale` renamed copies of data/ (every instance IRI of copy n gets
`x<n>-` in front of its last segment; concepts and schemes stay shared), then times the phases:
parse (assemble), each serialiser call (summed by function), the dumps as a whole
(write_dumps), every output (write_outputs: dumps, source register, ontology page, views) and,
with --validate, validation. Prints one JSON object per scale. Not a test: speed targets live
here, never in tests/. When benchmarks/synthetic.py lands, its trees can replace `scaled_tree`.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Instance IRIs that a copy renames: everything under id/ except the shared concepts and schemes.
INSTANCE = re.compile(r"(https://w3id\.org/aigovkg/id/(?!concept/|scheme/)[A-Za-z-]+/)")


def scaled_tree(destination: Path, copies: int) -> Path:
    """A source tree with `copies` renamed copies of data/ (copy 0 is today's data)."""
    for name in ("ontology", "shapes", "queries", "viz"):
        shutil.copytree(REPO / name, destination / name)
    for n in range(copies):
        for path in sorted((REPO / "data").rglob("*.ttl")):
            relative = path.relative_to(REPO / "data")
            target = destination / "data" / (f"copy{n}" if n else "") / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            text = path.read_text(encoding="utf-8")
            target.write_text(INSTANCE.sub(rf"\1x{n}-", text) if n else text, encoding="utf-8")
    return destination


def timed(timings: dict[str, float], name: str, action: Callable[[], object]) -> object:
    """Wall time under `name`, the process's CPU time (every thread) under `name` + "_cpu":
    on a shared machine the wall time measures the other jobs too."""
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    timings[name] = round(time.perf_counter() - start, 3)
    timings[name.removesuffix("_s") + "_cpu_s"] = round(time.process_time() - cpu, 3)
    return result


def run_one(scale: int, validate: bool) -> dict[str, object]:
    """Every phase once at one scale (called in the child process)."""
    from aigovkg import build as pipeline
    from aigovkg import serialize
    from aigovkg.sources import locate

    per_call: dict[str, float] = defaultdict(float)

    def clocked(name: str, function: Callable[..., object]) -> Callable[..., object]:
        @functools.wraps(function)
        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                per_call[name] += time.perf_counter() - start

        return wrapper

    serialisers = ("to_", "canonical", "gzip", "ntriples", "turtle", "jsonld", "nquads")
    for name in dir(serialize):
        function = getattr(serialize, name)
        if name.startswith(serialisers) and callable(function):
            setattr(serialize, name, clocked(name, function))
    # Each output of write_outputs, timed where it is made (the views import write_views late).
    per_output: dict[str, float] = defaultdict(float)
    per_output_cpu: dict[str, float] = defaultdict(float)
    import aigovkg.viz
    from aigovkg.store import OxigraphBackend

    def clock_output(owner: object, name: str, label: str) -> None:
        function = getattr(owner, name)

        @functools.wraps(function)
        def wrapper(*args: object, **kwargs: object) -> object:
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                per_output[label] += time.perf_counter() - start
                per_output_cpu[label] += time.process_time() - cpu

        setattr(owner, name, wrapper)

    for owner, name, label in [
        (pipeline, "derive_status", "status intervals"),
        (pipeline, "write_dumps", "dumps (4 formats, gzip, VoID, DCAT, SHA256SUMS)"),
        (pipeline, "void_description", "of which VoID"),
        (OxigraphBackend, "write_on_disk", "query store on disk"),
        (OxigraphBackend, "from_triples", "query store in memory"),
        (pipeline, "source_register", "source register"),
        (pipeline, "ontology_html", "ontology page"),
        (aigovkg.viz, "write_views", "views (4 views x 2 languages)"),
    ]:
        clock_output(owner, name, label)
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tree = locate(scaled_tree(Path(tmp) / "tree", scale))
        loaded = timed(timings, "parse_s", lambda: pipeline.assemble(tree))
        if validate:
            timed(timings, "validate_s", lambda: pipeline.validate(tree, loaded))
        out = Path(tmp) / "out"
        timed(timings, "outputs_s", lambda: pipeline.write_outputs(tree, loaded, out))
        outputs = {k: round(v, 3) for k, v in per_output.items()}
        outputs_cpu = {k: round(v, 3) for k, v in per_output_cpu.items()}
        dumps = {name: (out / name).stat().st_size for name in pipeline.DUMPS}
        # The dumps alone, again, into a fresh directory (the status graph is already added).
        if hasattr(loaded, "union"):  # the pyoxigraph build: statements as parsed
            args = (loaded.union(), pipeline.named_graphs(tree, loaded))
        else:  # the rdflib build
            args = (loaded.graph, pipeline.named_graphs(tree, loaded))
        per_call.clear()
        timed(timings, "dumps_s", lambda: pipeline.write_dumps(args[0], Path(tmp) / "d", args[1]))
        triples = sum(1 for _ in (Path(tmp) / "d" / pipeline.DUMP_NTRIPLES).open("rb"))
    return {
        "scale": scale,
        "triples": triples,
        **timings,
        "per_output_s": outputs,
        "per_output_cpu_s": outputs_cpu,
        "serialize_s": {k: round(v, 3) for k, v in sorted(per_call.items())},
        "dump_bytes": dumps,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--validate", action="store_true", help="also time validation")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(run_one(args.child, args.validate)))
        return
    for scale in args.scales:
        command = [sys.executable, __file__, "--child", str(scale)]
        command += ["--validate"] if args.validate else []
        done = subprocess.run(
            ["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=True
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        result["peak_mb"] = round(int(peak.group(1)) / 1024) if peak else None
        wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", done.stderr)
        result["process_wall"] = wall.group(1) if wall else None
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
