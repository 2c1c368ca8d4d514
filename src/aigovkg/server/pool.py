"""A pool of query worker processes that can be killed: the only way to bound a SPARQL query.

pyoxigraph has no timeout and a Python thread cannot be interrupted, so an in-process limit
would let one cartesian product or catastrophic regex hold the server. Each query instead runs
in a child process with an address-space limit (a memory bomb kills only its worker); the web
server waits for the reply with a deadline, kills the worker when it passes, and starts a fresh
one.

The pool is shared fairly between clients rather than first come, first served:
- a client holds at most `client_workers` workers at once, so a few clients sending expensive
  queries leave the other workers to everyone else;
- a request that finds no worker free waits in a bounded queue for a bounded time (ordinary
  bursts are queued, not refused); waiting clients are served round-robin, so a client with
  many queued requests does not delay a client with one;
- a query that keeps a CPU busy for `demote_after_s` drops to the lowest CPU priority: the
  short queries that make up ordinary load keep the CPU while long ones use what is left
  (measured as CPU time, not wall time: on a busy machine a light query that merely waited
  for the CPU must not be pushed further back);
- a replacement worker loads at reduced priority, so restarting workers does not slow the
  queries being answered meanwhile;
- a caller that goes away (the HTTP client disconnected) cancels its query: the worker is killed
  and replaced instead of finishing work nobody will read.

Waiting for a reply does not tie up a thread: the event loop watches each worker's pipe.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import multiprocessing as mp
import os
import resource
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from .. import netjail
from . import guard
from .engine import Engine, GraphSource, QueryJob, QueryReply

logger = logging.getLogger(__name__)

_CONTEXT = mp.get_context("spawn")  # a clean interpreter: never fork a threaded web server
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class PoolBusy(RuntimeError):
    """No worker became free within the queue wait, or the queue is full."""


class QueryTimeout(RuntimeError):
    """The worker passed its deadline and was killed."""


class WorkerDied(RuntimeError):
    """The worker exited mid-query (it hit its memory limit or crashed)."""


@dataclass(frozen=True)
class PoolSettings:
    workers: int
    timeout_s: float
    memory_limit_mb: int
    client_workers: int = 1  # workers one client may hold at once
    queue_wait_s: float = 5.0  # how long a request may wait for a worker before 503
    queue_size: int = 512  # requests that may wait at once, over all clients
    demote_after_s: float = 0.2  # a query using this much CPU gives the CPU to short ones


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
        self.demoted = False

    def wait_ready(self, timeout_s: float) -> None:
        if not self.conn.poll(timeout_s):
            self.kill()
            self.reap()
            raise RuntimeError("a query worker did not start in time")
        try:
            self.graphs = self.conn.recv()
        except (EOFError, OSError):
            raise RuntimeError(
                "a query worker exited at start (its error is logged above)"
            ) from None

    def kill(self) -> None:
        """Send SIGKILL without waiting (safe on the event loop); `reap` collects the exit."""
        with contextlib.suppress(Exception):
            self.process.kill()

    def reap(self) -> None:
        with contextlib.suppress(Exception):
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def cpu_seconds(self) -> float:
        """CPU time the worker has used so far (user + system), from /proc."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS

    def demote(self, niceness: int = 19) -> None:
        """Lower CPU priority: short queries get the CPU first. (Nice, not SCHED_IDLE: an
        idle-class query starves outright on a machine busy with other work.)"""
        pid = self.process.pid
        if pid is None:
            return
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, pid, niceness)
            self.demoted = True

    def promote(self) -> bool:
        """Back to normal priority; False when not allowed (the worker is then retired)."""
        pid = self.process.pid
        if pid is None:
            return False
        try:
            os.setpriority(os.PRIO_PROCESS, pid, os.getpriority(os.PRIO_PROCESS, 0))
        except OSError:
            return False
        self.demoted = False
        return True


class WorkerPool:
    """Worker processes shared fairly between clients; `run` is a coroutine on the event loop."""

    def __init__(self, sources: Sequence[GraphSource], settings: PoolSettings) -> None:
        self.sources = list(sources)
        self.settings = settings
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._spawn_lock = threading.Lock()  # one fresh interpreter at a time: a crash loop
        self._held: collections.Counter[str] = collections.Counter()  # cannot eat the CPU
        self._waiting: collections.OrderedDict[str, collections.deque[asyncio.Future[_Worker]]]
        self._waiting = collections.OrderedDict()
        self._queued = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self.graphs: frozenset[str] = frozenset()
        self.restarts = 0
        self._starting = 0  # spawned by start_in_background, not yet loaded

    def start(self) -> None:
        """Start every worker and wait until each has loaded the store (blocking)."""
        workers = [self._spawn() for _ in range(self.settings.workers)]
        for worker in workers:
            worker.wait_ready(120)
        self._idle.extend(workers)
        self.graphs = frozenset(workers[0].graphs)

    @property
    def ready(self) -> int:
        """Workers started and alive (busy or idle)."""
        with self._lock:
            return len(self._all) - self._starting

    @property
    def idle(self) -> int:
        """Workers free to take a query now: an operator (or a test) sees the pool is full
        without sending a query that would take the last worker."""
        with self._lock:
            return len(self._idle)

    def start_in_background(self, graphs: frozenset[str]) -> threading.Thread:
        """Start the workers one after another in a thread; each joins the pool as soon as it
        has loaded the store, so the server answers (pages and the fast path from the web
        process's own store at once, /sparql from the first worker) while the rest start.

        `graphs` are the store's graphs as the web process loaded them from the same dump. A
        worker that fails to start is logged and the pool goes on with the others; queries
        then wait in the queue and get 503 after its wait, as when every worker is busy.
        """
        self.graphs = graphs
        loop = asyncio.get_running_loop()
        self._loop = loop

        def spawn_all() -> None:
            for _ in range(self.settings.workers):
                if self._closed:
                    return
                with self._lock:
                    self._starting += 1
                worker = self._spawn()
                try:
                    worker.wait_ready(120)
                except RuntimeError as exc:
                    logger.error("query worker not started: %s", exc)
                    with self._lock:
                        self._all.discard(worker)
                    continue
                finally:
                    with self._lock:
                        self._starting -= 1
                loop.call_soon_threadsafe(self._add_idle, worker)

        thread = threading.Thread(target=spawn_all, name="aigovkg-pool-start", daemon=True)
        thread.start()
        return thread

    def _spawn(self) -> _Worker:
        worker = _Worker(self.sources, self.settings.memory_limit_mb)
        with self._lock:
            self._all.add(worker)
        return worker

    # -- sharing workers between clients (event loop only) --

    async def _acquire(self, client: str) -> _Worker:
        if self._idle and self._held[client] < self.settings.client_workers:
            self._held[client] += 1
            return self._idle.pop()
        if self._queued >= self.settings.queue_size:
            raise PoolBusy("all query workers are busy and the queue is full")
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(client, collections.deque()).append(waiter)
        self._queued += 1
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), self.settings.queue_wait_s)
        except (TimeoutError, asyncio.CancelledError) as exc:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result(), client)  # granted just as we gave up
            waiter.cancel()
            if isinstance(exc, TimeoutError):
                raise PoolBusy(
                    f"no query worker became free within {self.settings.queue_wait_s:g} s"
                ) from None
            raise
        finally:
            self._queued -= 1

    def _release(self, worker: _Worker | None, client: str) -> None:
        self._held[client] -= 1
        if self._held[client] <= 0:
            del self._held[client]
        if worker is not None:
            self._idle.append(worker)
        self._dispatch()

    def _dispatch(self) -> None:
        """Hand idle workers to waiting clients in turn, skipping clients at their share."""
        while self._idle and self._waiting:
            granted = False
            for client in list(self._waiting):
                waiters = self._waiting[client]
                while waiters and waiters[0].done():
                    waiters.popleft()  # gave up (timeout or disconnect)
                if not waiters:
                    del self._waiting[client]
                    continue
                if self._held[client] >= self.settings.client_workers or not self._idle:
                    continue
                waiters.popleft().set_result(self._idle.pop())
                self._held[client] += 1
                self._waiting.move_to_end(client)  # round-robin: this client goes last
                granted = True
                break
            if not granted:
                return

    def _add_idle(self, worker: _Worker) -> None:
        if self._closed:
            worker.kill()
            return
        self._idle.append(worker)
        self._dispatch()

    # -- running a job --

    async def run(self, job: QueryJob, client: str = "") -> QueryReply:
        """Run a job for `client`; raises PoolBusy, QueryTimeout or WorkerDied. Cancelling the
        coroutine (the HTTP client went away) kills the worker running the query."""
        self._loop = asyncio.get_running_loop()
        worker = await self._acquire(client)
        try:
            reply = await self._exchange(worker, job)
        except BaseException:
            self._replace(worker)
            self._release(None, client)
            raise
        if worker.demoted and not worker.promote():
            self._replace(worker)
            self._release(None, client)
        else:
            self._release(worker, client)
        return reply

    async def _exchange(self, worker: _Worker, job: QueryJob) -> QueryReply:
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not readable.done():
                readable.set_result(None)

        try:
            worker.conn.send(job)
            fd = worker.conn.fileno()
        except (OSError, ValueError):
            raise self._died() from None
        loop.add_reader(fd, wake)
        window = self.settings.demote_after_s
        demotion: asyncio.TimerHandle | None = None

        def check_cpu(cpu_before: float) -> None:
            """Every `window` seconds: demote once the query kept a CPU busy half the window."""
            nonlocal demotion
            cpu_now = worker.cpu_seconds()
            if cpu_now - cpu_before >= window / 2:
                worker.demote()
            else:
                demotion = loop.call_later(window, check_cpu, cpu_now)

        def start_window() -> None:
            nonlocal demotion
            demotion = loop.call_later(window, check_cpu, worker.cpu_seconds())

        # Most queries end before the first reading: they never touch /proc.
        demotion = loop.call_later(window / 2, start_window)
        try:
            await asyncio.wait_for(readable, self.settings.timeout_s)
        except TimeoutError:
            raise QueryTimeout(
                f"query stopped after the {self.settings.timeout_s:g} s time limit"
            ) from None
        finally:
            if demotion is not None:
                demotion.cancel()
            loop.remove_reader(fd)
        try:
            return worker.conn.recv()
        except (EOFError, OSError):
            raise self._died() from None

    def _died(self) -> WorkerDied:
        return WorkerDied(
            "query stopped: its worker ran out of memory (the memory limit is "
            f"{self.settings.memory_limit_mb} MiB) or crashed"
        )

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker now and start its successor in the background, so the client that
        caused it gets its answer without waiting for a fresh store to load."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.restarts += 1
        threading.Thread(target=self._start_successor, args=(worker,), daemon=True).start()

    def _start_successor(self, old: _Worker) -> None:
        old.reap()
        with self._spawn_lock:
            if self._closed:
                return
            fresh = self._spawn()
            if os.geteuid() == 0:  # only root may raise the priority back afterwards
                fresh.demote(10)
            try:
                fresh.wait_ready(120)
            except RuntimeError:
                with self._lock:
                    self._all.discard(fresh)
                return
            if fresh.demoted and not fresh.promote():
                fresh.kill()
                fresh.reap()
                with self._lock:
                    self._all.discard(fresh)
                return
        loop = self._loop
        if loop is None or loop.is_closed():
            fresh.kill()
            return
        try:
            loop.call_soon_threadsafe(self._add_idle, fresh)
        except RuntimeError:  # the loop closed meanwhile
            fresh.kill()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
        for worker in workers:
            worker.reap()
