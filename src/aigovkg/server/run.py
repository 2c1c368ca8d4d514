"""Start the server: make sure dist/ is built (without re-running SHACL when it is current),
then hand the app to uvicorn."""

from __future__ import annotations

import time
from collections.abc import Callable

import uvicorn

from .. import build as pipeline
from ..sources import SourceTree
from .app import create_app
from .config import ServerConfig
from .timeouts import head_deadline_protocol


def ensure_built(tree: SourceTree, progress: Callable[[str], None]) -> None:
    """Build only when dist/ is missing or older than the sources: start-up stays fast."""
    if pipeline.is_up_to_date(tree, tree.dist) and (tree.dist / pipeline.DUMP_NQUADS).is_file():
        return
    progress("building the graph (validate, then write dist/) ...")
    started = time.perf_counter()
    pipeline.build(tree)
    progress(f"built in {time.perf_counter() - started:.1f} s")


def serve(config: ServerConfig, tree: SourceTree, log_level: str = "info") -> None:
    """Run until interrupted."""
    app = create_app(config, tree)
    uvicorn.run(
        app,
        host=config.host,
        port=config.port,
        log_level=log_level,
        access_log=log_level == "debug",
        server_header=False,
        timeout_graceful_shutdown=5,
        http=head_deadline_protocol(config.request_timeout_s),
        # X-Forwarded-For names the client only when a configured proxy sent it; uvicorn's own
        # default trusts it from 127.0.0.1, which let any local client choose its identity.
        proxy_headers=bool(config.trusted_proxies),
        forwarded_allow_ips=list(config.trusted_proxies) or None,
    )
