"""Per-client rate limiting: a token bucket per address, answered with 429 when empty.

A bucket refills at `rate` requests per second up to `burst`; a client that sends faster than
that is told when to come back (Retry-After) instead of taking worker time from others.
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


class RateLimiter:
    """Token buckets keyed by client address; `rate` <= 0 turns limiting off."""

    def __init__(self, rate: float, burst: int, max_clients: int = 10_000) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self.max_clients = max_clients
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def check(self, client: str, now: float | None = None) -> float:
        """0 when the request may proceed, else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        moment = time.monotonic() if now is None else now
        with self._lock:
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
