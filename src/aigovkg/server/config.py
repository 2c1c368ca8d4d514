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
    workers: int = field(default_factory=lambda: max(2, os.cpu_count() or 2))
    timeout_s: float = 30.0
    max_rows: int = 10_000
    memory_limit_mb: int = 1024
    rate_per_s: float = 20.0
    burst: int = 40
    extra_graphs: tuple[GraphSource, ...] = ()
