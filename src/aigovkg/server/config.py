"""Settings of one running server, with the defaults the README documents."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .engine import GraphSource


@dataclass(frozen=True)
class ServerConfig:
    """Everything `aigovkg serve` can be told; tests start servers with tighter values."""

    dist: Path
    host: str = "127.0.0.1"
    port: int = 8000
    # More workers than cores: idle workers cost memory only, and spare ones let short queries
    # run while a few clients' long ones hold theirs.
    workers: int = field(default_factory=lambda: max(6, os.cpu_count() or 2))
    timeout_s: float = 30.0
    max_rows: int = 10_000
    max_bytes: int = 16 * 1024 * 1024
    memory_limit_mb: int = 1024
    rate_per_s: float = 20.0
    burst: int = 40
    client_workers: int = 0  # 0: a third of the workers (at least one)
    queue_wait_s: float = 5.0
    request_timeout_s: float = 10.0  # to send a request's head, and again its body
    trusted_proxies: tuple[str, ...] = ()
    extra_graphs: tuple[GraphSource, ...] = ()
    store: str | None = None  # a remote SPARQL store's query endpoint (see remote_store)

    @property
    def workers_per_client(self) -> int:
        """Two clients at their share still leave a third of the pool to everyone else."""
        return self.client_workers if self.client_workers > 0 else max(1, self.workers // 3)
