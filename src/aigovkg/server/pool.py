"""A pool of query worker processes that can be killed: the only way to bound a SPARQL query.

pyoxigraph has no timeout and a Python thread cannot be interrupted, so an in-process limit
would let one cartesian product or catastrophic regex hold the server. Each query instead runs
in a child process with an address-space limit (a memory bomb kills only its worker); the web
server waits for the reply with a deadline, kills the worker when it passes, and starts a fresh
one. When every worker is busy the caller is told at once (the web layer answers 503 with
Retry-After) instead of queueing work it cannot bound.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import resource
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from .. import netjail
from . import guard
from .engine import Engine, GraphSource, QueryJob, QueryReply

_CONTEXT = mp.get_context("spawn")  # a clean interpreter: never fork a threaded web server


class PoolBusy(RuntimeError):
    """Every worker is running a query."""


class QueryTimeout(RuntimeError):
    """The worker passed its deadline and was killed."""


class WorkerDied(RuntimeError):
    """The worker exited mid-query (in practice: it hit its memory limit)."""


@dataclass(frozen=True)
class PoolSettings:
    workers: int
    timeout_s: float
    memory_limit_mb: int


def _worker_main(conn: Connection, sources: Sequence[GraphSource], memory_limit_mb: int) -> None:
    """Child process: load the store, then answer jobs until the pipe closes."""
    netjail.jail_worker()  # no network before any data or query is touched (see netjail)
    engine = Engine.load(sources)
    # The limit is set after loading so that it bounds the query, not the data; allocations
    # beyond it fail and the process dies, which the parent reports as a memory error.
    limit = _current_address_space() + memory_limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn.send(sorted(engine.graphs))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = guard.refused(job, engine.graphs) or engine.run(job)
        except MemoryError:
            reply = QueryReply(ok=False, error="query exceeded the worker memory limit")
        conn.send(reply)


def _current_address_space() -> int:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * resource.getpagesize()


class _Worker:
    def __init__(self, sources: Sequence[GraphSource], memory_limit_mb: int) -> None:
        parent, child = _CONTEXT.Pipe()
        self.conn = parent
        self.process: BaseProcess = _CONTEXT.Process(
            target=_worker_main, args=(child, list(sources), memory_limit_mb), daemon=True
        )
        self.process.start()
        child.close()
        self.graphs: list[str] = []

    def wait_ready(self, timeout_s: float) -> None:
        if not self.conn.poll(timeout_s):
            self.kill()
            raise RuntimeError("a query worker did not start in time")
        try:
            self.graphs = self.conn.recv()
        except (EOFError, OSError):
            raise RuntimeError(
                "a query worker exited at start (its error is logged above)"
            ) from None

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool:
    """A fixed number of workers; `run` blocks its calling thread, never the event loop."""

    def __init__(self, sources: Sequence[GraphSource], settings: PoolSettings) -> None:
        self.sources = list(sources)
        self.settings = settings
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.graphs: frozenset[str] = frozenset()
        self.restarts = 0

    def start(self) -> None:
        workers = [self._spawn() for _ in range(self.settings.workers)]
        for worker in workers:
            worker.wait_ready(120)
            self._idle.put(worker)
        self.graphs = frozenset(workers[0].graphs)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.sources, self.settings.memory_limit_mb)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker now and start its successor in the background, so the client that
        caused it gets its answer without waiting for a fresh store to load."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.restarts += 1
        threading.Thread(target=self._start_successor, daemon=True).start()

    def _start_successor(self) -> None:
        fresh = self._spawn()
        try:
            fresh.wait_ready(120)
        except RuntimeError:
            with self._lock:
                self._all.discard(fresh)
            return
        self._idle.put(fresh)

    def run(self, job: QueryJob) -> QueryReply:
        """Run a job on an idle worker; raises PoolBusy, QueryTimeout or WorkerDied."""
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            raise PoolBusy("all query workers are busy") from None
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.settings.timeout_s):
                self._replace(worker)
                raise QueryTimeout(
                    f"query stopped after the {self.settings.timeout_s:g} s time limit"
                )
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise WorkerDied(
                f"query stopped: it exceeded the worker memory limit "
                f"({self.settings.memory_limit_mb} MiB)"
            ) from None
        self._idle.put(worker)
        return reply

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
