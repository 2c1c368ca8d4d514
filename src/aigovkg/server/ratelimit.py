"""Per-client rate limiting: a token bucket per address, answered with 429 when empty.

A bucket refills at `rate` requests per second up to `burst`; a client that sends faster than
that is told when to come back (Retry-After) instead of taking worker time from others.

A client whose query killed its worker (time limit, memory limit, crash) is also made to wait
before its next request: 1 s after the first such query, doubling with each further one up to
`max_penalty_s`, forgiven after `forgive_s` without one. Replacing a worker costs a fresh
interpreter (about a CPU-second), so without this a client could keep the CPU busy restarting
workers with a few requests a second while staying well inside its rate.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    stamp: float


@dataclass
class _Strikes:
    count: int
    last: float
    until: float


class RateLimiter:
    """Token buckets keyed by client address; `rate` <= 0 turns limiting off."""

    def __init__(
        self,
        rate: float,
        burst: int,
        max_clients: int = 10_000,
        max_penalty_s: float = 60.0,
        forgive_s: float = 120.0,
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self.max_clients = max_clients
        self.max_penalty_s = max_penalty_s
        self.forgive_s = forgive_s
        self._buckets: dict[str, _Bucket] = {}
        self._strikes: dict[str, _Strikes] = {}
        self._lock = threading.Lock()

    def penalize(self, client: str, now: float | None = None) -> float:
        """Record that a query of `client` cost a worker; returns the seconds it must now wait
        (0 when limiting is off)."""
        if self.rate <= 0:
            return 0.0
        moment = time.monotonic() if now is None else now
        with self._lock:
            strikes = self._strikes.get(client)
            if strikes is None or moment - strikes.last > self.forgive_s:
                if len(self._strikes) >= self.max_clients:
                    self._forget_strikes(moment)
                strikes = self._strikes[client] = _Strikes(0, moment, moment)
            strikes.count += 1
            strikes.last = moment
            wait = min(self.max_penalty_s, 2.0 ** (strikes.count - 1))
            strikes.until = moment + wait
            return wait

    def _forget_strikes(self, moment: float) -> None:
        old = [k for k, s in self._strikes.items() if moment - s.last > self.forgive_s]
        for key in old or list(self._strikes)[: len(self._strikes) // 2]:
            del self._strikes[key]

    def check(self, client: str, now: float | None = None) -> float:
        """0 when the request may proceed, else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        moment = time.monotonic() if now is None else now
        with self._lock:
            strikes = self._strikes.get(client)
            if strikes is not None and strikes.until > moment:
                return strikes.until - moment
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= self.max_clients:
                    self._forget_full(moment)
                bucket = self._buckets[client] = _Bucket(float(self.burst), moment)
            bucket.tokens = min(self.burst, bucket.tokens + (moment - bucket.stamp) * self.rate)
            bucket.stamp = moment
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate

    def _forget_full(self, moment: float) -> None:
        """Drop buckets that have refilled: they hold no state worth keeping (bounded memory)."""
        full = [
            key
            for key, b in self._buckets.items()
            if b.tokens + (moment - b.stamp) * self.rate >= self.burst
        ]
        for key in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[key]


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
