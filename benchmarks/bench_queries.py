"""Benchmark: every competency question and app query at 1x, 10x and 100x the data, on the
embedded store (pyoxigraph) and on rdflib's SPARQL engine, flagging queries that grow faster than
the data.

1x is this checkout; 10x and 100x are synthetic trees (benchmarks/synthetic.py, the real data plus
generated instruments and summits) of ten and a hundred times as many triples. Each size is turned
into the dataset every surface queries (one named graph per file plus the derived status graph),
written once as N-Quads, and loaded by a worker process per engine, the way `aigovkg.load` loads
the build's N-Quads dump. A query that runs past `--timeout` seconds is stopped (its worker is
killed and a new one continues with the next query) and reported as "> timeout". rdflib's
worker, whose load takes minutes at 100x, runs each query in a forked child that shares the
loaded graph and is killed at the limit, so one load serves the whole suite.

Times are the worker's CPU time (`time.process_time`, the best of `--repeat` runs), not wall
time: on a 2-core machine shared with other jobs, wall time measures the neighbours (a 1 ms query
was seen taking 2 s). Both engines evaluate a query in the calling thread. The time limit is wall
time.

A query is flagged when, from one size to the next, its time grows with an exponent above
`--flag-exponent` (1 is linear: 10x the data, 10x the time) and it takes more than 50 ms at the
larger size; the row counts are shown beside it, since a query whose answer grows faster than the
data has to take longer too.

With `--virtuoso-scales`, each of those sizes is also published into a Virtuoso started for
the run (Debian's virtuoso-t, on 127.0.0.1, its own database directory under --work, the
settings of tests/remote/conftest.py) by `store_publish.publish_nquads`, the code behind
`aigovkg publish --to`, and the CQ suite runs on it through `RemoteBackend`, as `--store` does.
A Virtuoso query's time is the CPU the query cost, the server's (read from /proc before and
after) plus this client's (sending, parsing the JSON answer), so it compares with the embedded
engines' CPU times; the wall time is shown beside it. Row counts are shown per engine: a
Virtuoso count that differs from the embedded store's is marked.

Run: python benchmarks/bench_queries.py [--work DIR] [--scales 1 10 100] [--rdflib-scales 1 10]
     [--virtuoso-scales 10]
Prints Markdown tables (and writes --json). Not a test: speed targets live here, never in tests/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import select
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import itertools

from synthetic import CHECKOUT, count_triples, make_tree, query_store

FLOOR_S = 0.05


@dataclass
class Timing:
    query: str
    seconds: float | None  # None: stopped at the time limit
    rows: int | None
    wall: float | None = None
    error: str | None = None  # the engine refused or failed the query
    answer: str | None = None  # digest of the rows as a multiset (embedded store and Virtuoso)


def query_files(tree: Path, engine: str = "oxigraph", cq_only: bool = False) -> list[Path]:
    """Every competency question, then (on the embedded store) every app query; always read
    from the checkout, so a cached synthetic tree runs the queries as they are now. rdflib's
    engine runs the competency questions only: the app queries that list the whole graph take it
    minutes each, and the comparison the issue asks for is the CQ suite."""
    cq = sorted((tree / "queries" / "cq").glob("*.rq"))
    app = sorted((tree / "queries" / "app").rglob("*.rq"))
    return cq + app if engine == "oxigraph" and not cq_only else cq  # others: the CQ suite


def query_id(path: Path) -> str:
    """CQ01 for a competency question, app/viz/labels for an app query."""
    if path.parent.name == "cq":
        return path.stem.split("-", 1)[0]
    parts = path.with_suffix("").parts
    return "/".join(parts[parts.index("app") :])


# Worker: one engine, one dataset, queries in order, one JSON line per query ---------------


def worker(
    engine: str, nquads: Path, tree: Path, skip: set[str], repeat: int, limit: float, cq_only: bool
) -> None:
    from aigovkg.namespaces import PREFIXES

    server = 0  # the store's process, whose CPU a remote query costs
    if engine == "oxigraph":
        from aigovkg.store import OxigraphBackend

        backend = OxigraphBackend.from_nquads(nquads.read_bytes())

        def run(text: str) -> object:
            return backend.run(text)

    elif engine == "rdflib":
        from rdflib import Dataset

        dataset = Dataset(default_union=True)
        dataset.parse(nquads, format="nquads")

        def run(text: str) -> object:
            return list(dataset.query(text, initNs=PREFIXES))

    if engine == "virtuoso":
        from aigovkg.remote_store import RemoteBackend

        remote = RemoteBackend.connect(os.environ["BENCH_STORE_URL"], timeout_s=3600)
        server = int(os.environ["BENCH_STORE_PID"])

        def run(text: str) -> object:
            return remote.run(text)

    print(json.dumps({"ready": True}), flush=True)
    for path in query_files(CHECKOUT, engine, cq_only):
        name = query_id(path)
        if name in skip:
            continue
        text = path.read_text(encoding="utf-8")
        if engine == "rdflib":  # loading is minutes at 100x: a stopped query must not redo it
            reply = {"query": name, **_forked(lambda text=text: _timed(run, text, 0, 1), limit)}
        else:
            try:
                reply = {"query": name, **_timed(run, text, server, repeat)}
            except Exception as exc:  # the store refused it: reported, the suite goes on
                reply = {"query": name, "seconds": None, "rows": None, "error": str(exc)[:300]}
        print(json.dumps(reply), flush=True)


def _timed(run: Callable[[str], object], text: str, server: int, repeat: int) -> dict:
    """The best of `repeat` runs of `text`: CPU seconds (with the store server's), rows, wall,
    and (outside the timing) a digest of the rows as a multiset."""
    timings, walls, answer = [], [], None
    for _ in range(repeat):
        start, wall, served = time.process_time(), time.perf_counter(), _cpu(server)
        answer = run(text)
        timings.append(time.process_time() - start + _cpu(server) - served)
        walls.append(time.perf_counter() - wall)
        if timings[-1] > 5.0:
            break  # one run of a slow query is enough (not at 1 s: that is the target's line)
    rows, digest = _summary(answer)
    return {"seconds": min(timings), "rows": rows, "wall": min(walls), "answer": digest}


def _summary(answer: object) -> tuple[int, str | None]:
    """Row count and, for the query layer's SelectResult (both stores give rdflib terms,
    normalised alike), a digest of the rows sorted: equal digests, equal multisets of rows."""
    from aigovkg.store import SelectResult

    if isinstance(answer, list):  # rdflib's engine: counted, not compared
        return len(answer), None
    if not isinstance(answer, SelectResult):
        return 1, None
    lines = sorted("\t".join("" if v is None else v.n3() for v in row) for row in answer.rows)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _forked(measure: Callable[[], dict], limit: float) -> dict:
    """`measure()` in a forked child that shares the loaded graph (copy on write) and is killed
    after `limit` seconds of wall time, so the worker keeps its graph for the next query."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, report, leave without running the parent's cleanup
        os.close(read)
        try:
            os.write(write, json.dumps(measure()).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        if not select.select([pipe], [], [], limit)[0]:
            os.kill(pid, signal.SIGKILL)  # the child forked above
            os.waitpid(pid, 0)
            return {"seconds": None, "rows": None, "wall": None}
        answer = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(answer) if answer else {"seconds": None, "rows": None, "wall": None}


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) process `pid` has used so far; 0 for no process."""
    if not pid:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# Parent: sizes, workers with a time limit, the tables --------------------------------------


def run_engine(
    engine: str,
    nquads: Path,
    tree: Path,
    timeout: float,
    repeat: int,
    load_timeout: float,
    extra_env: dict[str, str] | None = None,
    cq_only: bool = False,
) -> tuple[float, list[Timing]]:
    """All queries on one engine; returns the load time and the timings."""
    done: dict[str, Timing] = {}
    load_s = math.nan
    names = [query_id(p) for p in query_files(CHECKOUT, engine, cq_only)]
    # rdflib's worker stops a query itself (a forked child) and keeps its graph: wait longer
    answer_limit = timeout + 120 if engine == "rdflib" else timeout
    while len(done) < len(names):
        argv = [sys.executable, __file__, "--worker", engine, str(nquads), str(tree)]
        argv += ["--repeat", str(repeat), "--limit", str(timeout), "--skip", *done]
        argv += ["--cq-only"] if cq_only else []
        env = {**os.environ, "PYTHONPATH": str(CHECKOUT / "src"), **(extra_env or {})}
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        limit, ready = load_timeout, False
        while True:
            if not sel.select(timeout=limit):
                proc.kill()  # this worker's own pid, started above
                proc.wait()
                if not ready:
                    return load_s, [*done.values()] + [
                        Timing(n, None, None) for n in names if n not in done
                    ]
                pending = next(n for n in names if n not in done)
                done[pending] = Timing(pending, None, None)
                break
            line = proc.stdout.readline()
            if not line:
                proc.wait()
                break
            message = json.loads(line)
            if message.get("ready"):
                ready, limit = True, answer_limit
                load_s = time.perf_counter() - start
                continue
            done[message["query"]] = Timing(
                message["query"],
                message["seconds"],
                message["rows"],
                message.get("wall"),
                message.get("error"),
                message.get("answer"),
            )
        sel.close()
    return load_s, [done[n] for n in names]


def run_virtuoso(
    scale: int,
    nquads: Path,
    tree: Path,
    work: Path,
    timeout: float,
    repeat: int,
    buffers: int | None = None,
    cq_only: bool = False,
    estimate_s: int = 600,
) -> tuple[float, list[Timing]]:
    """Publish one size into a Virtuoso started for it, run the CQ suite there; returns the
    publish time and the timings. The server is stopped (and its database removed) after."""
    import shutil
    import urllib.request

    sys.path.insert(0, str(CHECKOUT))
    from aigovkg.store_publish import publish_nquads
    from tests.remote.conftest import (  # one set-up: the tests' Virtuoso
        BUFFERS,
        PASSWORD,
        USER,
        VirtuosoDidNotStart,
        running_virtuoso,
    )

    exe = shutil.which("virtuoso-t")
    if exe is None:
        raise SystemExit("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    db = work / f"virtuoso-{scale}x"
    shutil.rmtree(db, ignore_errors=True)
    db.mkdir(parents=True)
    try:
        with running_virtuoso(exe, db, 120, buffers or BUFFERS, estimate_s) as (url, server):
            os.environ.update(AIGOVKG_STORE_USER=USER, AIGOVKG_STORE_PASSWORD=PASSWORD)
            report = publish_nquads(nquads.read_bytes(), url)
            print(f"virtuoso {scale}x: published in {report.seconds:.1f} s", file=sys.stderr)
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=10).read()
            env = {"BENCH_STORE_URL": url, "BENCH_STORE_PID": str(server.pid)}
            _, timings = run_engine("virtuoso", nquads, tree, timeout, repeat, 600.0, env, cq_only)
            return report.seconds, timings
    except VirtuosoDidNotStart as exc:
        raise SystemExit(str(exc)) from None
    finally:
        shutil.rmtree(db, ignore_errors=True)


def side_by_side(
    scale: int,
    triples: int,
    publish_s: float,
    engines: dict[str, list[Timing]],
    limits: dict[str, float],
) -> list[str]:
    """The CQ suite at one size on every engine that ran it: CPU s (rows), Virtuoso's wall."""
    names = [t.query for t in engines["virtuoso"]]
    found = {e: {t.query: t for t in ts} for e, ts in engines.items()}
    order = [e for e in ("oxigraph", "rdflib", "virtuoso") if e in engines]
    lines = [
        f"CQ suite at {scale}x ({triples:,} quads); Virtuoso publish {publish_s:.1f} s",
        "",
        "| query | " + " | ".join(f"{e} CPU s (rows)" for e in order) + " | virtuoso wall s |",
        "|---|" + "---|" * (len(order) + 1),
    ]
    totals = dict.fromkeys(order, 0.0)
    wall, differ = 0.0, []
    for name in names:
        cells = [name]
        for e in order:
            t = found[e].get(name)
            if t is None:
                cells.append("-")
                continue
            totals[e] += t.seconds if t.seconds is not None else limits[e]
            mark = ""
            if t.error:
                cells.append(f"error: {t.error[:80]}")
                differ.append(name)
                continue
            if e == "virtuoso" and (t.rows, t.answer) != (
                found["oxigraph"][name].rows,
                found["oxigraph"][name].answer,
            ):
                mark, _ = " DIFFERENT ROWS", differ.append(name)
            cells.append(f"{fmt_s(t.seconds, limits[e])} ({t.rows}){mark}")
        v = found["virtuoso"][name]
        wall += v.wall or 0.0
        cells.append(f"{v.wall:.3f}" if v.wall is not None else "-")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("| all | " + " | ".join(f"{totals[e]:.2f}" for e in order) + f" | {wall:.2f} |")
    lines.append("")
    lines.append(
        f"- answers that differ from the embedded store's (rows as a multiset): "
        f"{', '.join(differ) or 'none'}"
    )
    return lines


def prepare(scale: int, work: Path, base: int, seed: int) -> tuple[Path, Path, int]:
    """The tree and N-Quads file of one size (reused when already written with these inputs)."""
    tree = CHECKOUT if scale == 1 else work / f"tree-{scale}x"
    nquads = work / f"dataset-{scale}x.nq"
    stamp = work / f"dataset-{scale}x.json"
    wanted = {"scale": scale, "base": base, "seed": seed}
    if stamp.exists() and json.loads(stamp.read_text()).get("wanted") == wanted:
        return tree, nquads, json.loads(stamp.read_text())["triples"]
    if scale != 1:
        make_tree(base * scale, tree, seed)
    import pyoxigraph as ox

    store = query_store(tree).store
    store.dump(str(nquads), format=ox.RdfFormat.N_QUADS)
    triples = len(store)
    stamp.write_text(json.dumps({"wanted": wanted, "triples": triples}))
    return tree, nquads, triples


def fmt_s(seconds: float | None, timeout: float) -> str:
    if seconds is None:
        return f"> {timeout:g}"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path("/tmp/aigovkg-bench-queries"))
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--rdflib-scales", type=int, nargs="*", default=[1, 10])
    parser.add_argument("--timeout", type=float, default=120.0, help="per query, seconds")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--virtuoso-scales", type=int, nargs="*", default=[])
    parser.add_argument(
        "--virtuoso-buffers",
        type=int,
        default=None,
        help="Virtuoso's NumberOfBuffers (8 KiB pages); default the tests' 10000 (80 MB)",
    )
    parser.add_argument(
        "--virtuoso-estimate-limit",
        type=int,
        default=600,
        help="Virtuoso's MaxQueryCostEstimationTime, s (0: none); the tests' 600 refuses CQ08 "
        "at 1.16M on the planner's estimate alone",
    )
    parser.add_argument(
        "--nquads",
        type=Path,
        default=None,
        help="a prebuilt N-Quads dataset (e.g. a synthetic tree's dist/aigovkg.nq) as the one "
        "size given in --scales, instead of generating it",
    )
    parser.add_argument("--load-timeout", type=float, default=900.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--flag-exponent", type=float, default=1.25)
    parser.add_argument("--only", nargs="*", default=None, help="query ids to show")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--worker", nargs=3, metavar=("ENGINE", "NQUADS", "TREE"))
    parser.add_argument("--skip", nargs="*", default=[])
    parser.add_argument("--limit", type=float, default=60.0, help=argparse.SUPPRESS)
    parser.add_argument(
        "--cq-only", action="store_true", help="the competency questions only, on every engine"
    )
    args = parser.parse_args()
    if args.worker:
        engine, nquads, tree = args.worker
        worker(
            engine, Path(nquads), Path(tree), set(args.skip), args.repeat, args.limit, args.cq_only
        )
        return

    args.work.mkdir(parents=True, exist_ok=True)
    base = count_triples(sorted((CHECKOUT / "ontology").glob("*.ttl"))) + count_triples(
        sorted((CHECKOUT / "data").rglob("*.ttl"))
    )
    results: dict[str, dict[int, list[Timing]]] = {"oxigraph": {}, "rdflib": {}}
    sizes: dict[int, int] = {}
    loads: list[str] = []
    side: list[str] = []
    if args.nquads and len(args.scales) != 1:
        parser.error("--nquads is the dataset of one size: give one --scales label")
    for scale in args.scales:
        if args.nquads:
            tree, nquads = CHECKOUT, args.nquads
            with nquads.open("rb") as lines:
                sizes[scale] = sum(1 for line in lines if line.strip())
        else:
            tree, nquads, sizes[scale] = prepare(scale, args.work, base, args.seed)
        for engine in ("oxigraph", "rdflib"):
            if engine == "rdflib" and scale not in args.rdflib_scales:
                continue
            limit = args.timeout if engine == "oxigraph" else args.rdflib_timeout
            load_s, timings = run_engine(
                engine, nquads, tree, limit, args.repeat, args.load_timeout, None, args.cq_only
            )
            results[engine][scale] = timings
            total = sum(t.seconds or limit for t in timings)
            loads.append(f"| {scale}x | {sizes[scale]:,} | {engine} | {load_s:.1f} | {total:.1f} |")
            print(f"{engine} {scale}x: load {load_s:.1f} s, queries {total:.1f} s", file=sys.stderr)
        if scale in args.virtuoso_scales:
            publish_s, timings = run_virtuoso(
                scale,
                nquads,
                tree,
                args.work,
                args.timeout,
                args.repeat,
                args.virtuoso_buffers,
                args.cq_only,
                args.virtuoso_estimate_limit,
            )
            results.setdefault("virtuoso", {})[scale] = timings
            limits = {"oxigraph": args.timeout, "rdflib": args.rdflib_timeout}
            limits["virtuoso"] = args.timeout
            engines = {e: r[scale] for e, r in results.items() if scale in r}
            side.extend([*side_by_side(scale, sizes[scale], publish_s, engines, limits), ""])

    print("| size | quads | engine | load s | all queries s |")
    print("|---|---|---|---|---|")
    print("\n".join(loads))
    print()
    scales = args.scales
    header = ["query"]
    for s in scales:
        header.append(f"oxigraph {s}x s (rows)")
    for s in args.rdflib_scales:
        if s in scales:
            header.append(f"rdflib {s}x s")
    header.append("growth exponent (oxigraph)")
    header.append("flag")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    ox = results["oxigraph"]
    flagged = []
    for i, timing in enumerate(ox[scales[0]]):
        name = timing.query
        if args.only and name not in args.only:
            continue
        cells = [name]
        for s in scales:
            t = ox[s][i]
            cells.append(
                f"{fmt_s(t.seconds, args.timeout)} ({t.rows if t.rows is not None else '-'})"
            )
        for s in args.rdflib_scales:
            if s in scales:
                found = [t for t in results["rdflib"][s] if t.query == name]
                cells.append(fmt_s(found[0].seconds, args.rdflib_timeout) if found else "-")
        exponents, flag = [], ""
        for a, b in itertools.pairwise(scales):
            ta, tb = ox[a][i].seconds, ox[b][i].seconds
            growth = math.log(sizes[b] / sizes[a])
            if tb is None:
                exponents.append("?")
                flag = "TIMEOUT"
                continue
            e = math.log(max(tb, 1e-4) / max(ta or 1e-4, 1e-4)) / growth
            exponents.append(f"{e:.2f}")
            if e > args.flag_exponent and tb > FLOOR_S:
                flag = "SUPERLINEAR"
        cells.append(" / ".join(exponents))
        cells.append(flag)
        if flag:
            flagged.append(name)
        print("| " + " | ".join(cells) + " |")
    print()
    for s in args.rdflib_scales:
        if s in scales:
            cq = {t.query for t in results["rdflib"][s]}
            ox_total = sum(t.seconds or args.timeout for t in ox[s] if t.query in cq)
            rd_total = sum(t.seconds or args.rdflib_timeout for t in results["rdflib"][s])
            stopped = sum(t.seconds is None for t in results["rdflib"][s])
            print(
                f"- {s}x: CQ suite {ox_total:.2f} s on oxigraph, {rd_total:.1f} s on rdflib "
                f"(ratio {rd_total / ox_total:.0f}; {stopped} rdflib queries stopped at "
                f"{args.rdflib_timeout:g} s and counted as that, so the ratio is a lower bound)"
            )
    slowest = {s: max((t.seconds or args.timeout, t.query) for t in ox[s]) for s in scales}
    for s, (sec, name) in slowest.items():
        print(f"- slowest at {s}x on oxigraph: {name} {sec:.3f} s")
    print(f"- flagged: {', '.join(flagged) or 'none'}")
    if side:
        print()
        print("\n".join(side))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "sizes": sizes,
                    "results": {
                        e: {s: [t.__dict__ for t in ts] for s, ts in r.items()}
                        for e, r in results.items()
                    },
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
