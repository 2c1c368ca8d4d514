"""The endpoint's query side when the data lives in a remote SPARQL store: a guarded proxy.

The worker pool exists to bound queries the embedded engine runs in this machine's memory and
CPU; with `--store`, the store runs them, so a query is a request to it instead, made by the
one query layer (`Engine` over `RemoteBackend`) in a thread. Every limit of the endpoint still
holds: the safety check before anything is sent, the row and byte limits while the answer is
read and serialised, the query time limit as the store request's timeout, and a bounded number
of requests in flight (per client too), waiting at most `queue_wait_s` for a free slot.

A store that is down when the server starts does not stop it: the server starts, and every page
and query answers 503 (store unreachable), 504 (store timed out) or 502 (store error) until the
store answers again, as a web tier in front of a restarting store or a replica should.
"""

from __future__ import annotations

import asyncio
import collections
import sys

import anyio

from ..remote_http import StoreError, StoreTimeout
from ..remote_store import RemoteBackend
from .engine import Engine, QueryJob, QueryReply
from .pool import PoolBusy, PoolSettings, QueryTimeout


class RemotePool:
    """`WorkerPool`'s interface (start, run, graphs, close) over a remote store."""

    def __init__(self, backend: RemoteBackend, settings: PoolSettings) -> None:
        self.backend = backend
        self.settings = settings
        self.engine = Engine(backend)  # type: ignore[arg-type]
        self._graphs: frozenset[str] = frozenset()
        self._slots: asyncio.Semaphore | None = None
        self._held: collections.Counter[str] = collections.Counter()

    def start(self) -> None:
        """Ask the store which graphs it holds; if it cannot say now, say so and start anyway."""
        try:
            self._graphs = self.backend.graphs()
        except StoreError as exc:
            print(f"warning: {exc}; answering {exc.gateway_status} until it does", file=sys.stderr)

    @property
    def graphs(self) -> frozenset[str]:
        """The store's graphs (asked again while the store has not answered yet)."""
        if not self._graphs:
            try:
                self._graphs = self.backend.graphs()
            except StoreError:
                return frozenset()
        return self._graphs

    async def run(self, job: QueryJob, client: str = "") -> QueryReply:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.settings.workers)
        if self._held[client] >= self.settings.client_workers:
            raise PoolBusy("this client already has its share of queries running")
        self._held[client] += 1
        try:
            try:
                await asyncio.wait_for(self._slots.acquire(), self.settings.queue_wait_s)
            except TimeoutError:
                raise PoolBusy("every connection to the store is busy") from None
            try:
                reply = await anyio.to_thread.run_sync(self.engine.run, job)
            finally:
                self._slots.release()
        finally:
            self._held[client] -= 1
        if not reply.ok and reply.status == StoreTimeout.gateway_status:
            raise QueryTimeout(f"the query passed its {self.settings.timeout_s:g} s limit")
        return reply

    def close(self) -> None:
        pass
