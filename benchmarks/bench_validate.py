"""Validation at scale: the whole graph, one changed file, and pySHACL alone for comparison.

Run: python benchmarks/bench_validate.py [--sizes 10000 100000 1000000] [--reference-up-to N]

For each size a synthetic tree (benchmarks/synthetic.py, seeded) is written to a temporary
directory and, in a child process under `/usr/bin/time -v` (peak memory), measured in one run:

- parse: `build.assemble` (pyoxigraph parse; no rdflib graph: validation no longer needs one);
- SHACL: `validation.run_shacl` (core constraints screened on the store by shacl_core, pySHACL
  on the candidates only; SPARQL constraints on the store),
  the integrity checks, and `build.validate` as a whole;
- one file: `build.validate(tree, loaded, only_files=[one instrument file])`, the graph already
  parsed (as `aigovkg validate PATH` after the parse, and as the rebuild behind `query`);
- incremental: the whole validation with a cache (validation_cache) once, then one instrument
  file edited (a label changed), the tree parsed again and validated with the cache: the time
  of that validation (parse not included; it is the parse column again) and how many focus
  nodes it checked;
- a new process: the same file edited again and `build.validate_changes` (what `aigovkg
  validate` runs: only the changed file parsed, the store on disk brought up to date) timed in
  a new interpreter, the call alone and the whole process (start and imports included);
- reference (up to `--reference-up-to` triples, default 20k; at 92k it took over 600 s in
  issue 16): pySHACL alone with every constraint, the validator before issue 16, so the ratio
  is measured on the same machine in the same run.

Times are wall seconds of a single run (the machine is shared: compare columns of one run).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def measure(root: Path, reference: bool) -> dict[str, float]:
    """In this process: the phases above on the tree at `root`."""
    from aigovkg import build
    from aigovkg.sources import locate
    from aigovkg.validation import run_shacl

    tree = locate(root)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    loaded = build.assemble(tree)
    timings["parse"] = time.perf_counter() - started
    timings["triples"] = len(loaded)
    shapes = build.load_shapes(tree)
    backend = build.union_backend(loaded)
    started = time.perf_counter()
    # No rdflib copy of the data: shacl_core screens on the store, pySHACL reads the few
    # candidates' surroundings from it (the store is built by build.validate too).
    report = run_shacl(None, shapes, loaded.subject_files, backend=backend)
    timings["shacl"] = time.perf_counter() - started
    timings["violations"] = len(report.violations)
    started = time.perf_counter()
    build.validate(tree, loaded)
    timings["validate"] = time.perf_counter() - started
    one = sorted((root / "data" / "instruments").glob("*.ttl"))[0]
    started = time.perf_counter()
    build.validate(tree, loaded, only_files=[one])
    timings["one_file"] = time.perf_counter() - started
    from aigovkg.validation_cache import ValidationCache

    cache = ValidationCache(root / "bench.cache" / "validation.json")
    started = time.perf_counter()
    build.validate(tree, loaded, cache=cache)
    timings["cache_fill"] = time.perf_counter() - started
    text = one.read_text(encoding="utf-8")
    one.write_text(text.replace('"@en', ' (edited)"@en', 1), encoding="utf-8")
    edited = build.assemble(tree)
    started = time.perf_counter()
    _, report = build.validate(tree, edited, cache=cache)
    timings["incremental"] = time.perf_counter() - started
    timings["incremental_focus"] = report.focus_checked if report.focus_checked is not None else -1
    timings["incremental_mode"] = report.mode  # type: ignore[assignment]
    # As `aigovkg validate` after an edit: a new interpreter that parses only the changed file.
    one.write_text(text.replace('"@en', ' (edited again)"@en', 1), encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--changed", str(root)],
        capture_output=True,
        text=True,
        check=True,
    )
    timings["process"] = time.perf_counter() - started
    inner = json.loads(done.stdout.strip().splitlines()[-1])
    timings["changed_call"], timings["changed_mode"] = inner["call"], inner["mode"]
    one.write_text(text, encoding="utf-8")
    if reference:
        from pyshacl import validate as pyshacl_validate

        started = time.perf_counter()
        pyshacl_validate(loaded.graph, shacl_graph=shapes, inference="none", advanced=True)
        timings["pyshacl_alone"] = time.perf_counter() - started
    return timings


def changed(root: Path) -> dict[str, object]:
    """In this (new) process: `build.validate_changes` with the cache `measure` filled, timed
    without the interpreter's start and imports (the `process` column has them)."""
    from aigovkg import build
    from aigovkg.sources import locate
    from aigovkg.validation_cache import ValidationCache

    tree = locate(root)
    cache = ValidationCache(root / "bench.cache" / "validation.json")
    started = time.perf_counter()
    report = build.validate_changes(tree, cache)
    return {"call": time.perf_counter() - started, "mode": report.mode}


def child(size: int, work: Path, reference: bool) -> dict[str, float]:
    """Generate the tree, then measure it in a fresh interpreter under /usr/bin/time -v."""
    import synthetic

    root = work / f"tree-{size}"
    synthetic.make_tree(size, root)
    command = ["/usr/bin/time", "-v", sys.executable, __file__, "--measure", str(root)]
    if reference:
        command.append("--reference")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    timings = json.loads(done.stdout.strip().splitlines()[-1])
    for line in done.stderr.splitlines():
        if "Maximum resident set size" in line:
            timings["peak_mb"] = int(line.split()[-1]) / 1024
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--reference-up-to", type=int, default=20_000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--changed", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.reference)))
        return
    if args.changed:
        print(json.dumps(changed(args.changed)))
        return
    print(
        "| triples | parse s | SHACL s | validate s | one file s | one/full | with cache s "
        "| one changed file, cached s (focus nodes) | changed/full "
        "| new process: call s / whole s | pySHACL alone s | peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            t = child(size, Path(scratch), size <= args.reference_up_to)
            alone = f"{t['pyshacl_alone']:.1f}" if "pyshacl_alone" in t else "-"
            print(
                f"| {int(t['triples']):,} | {t['parse']:.1f} | {t['shacl']:.1f} "
                f"| {t['validate']:.1f} | {t['one_file']:.2f} "
                f"| {t['one_file'] / t['validate']:.1%} | {t['cache_fill']:.1f} "
                f"| {t['incremental']:.2f} ({int(t['incremental_focus']):,}) "
                f"| {t['incremental'] / t['validate']:.1%} "
                f"| {t['changed_call']:.2f} / {t['process']:.2f} ({t['changed_mode']}) "
                f"| {alone} | {t['peak_mb']:,.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
