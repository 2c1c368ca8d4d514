"""A real Virtuoso for the remote-store tests: started once per run on free 127.0.0.1 ports with
its own database directory and virtuoso.ini, loaded with `aigovkg publish --to`, stopped at
the end.

Without `virtuoso-t` (Debian: apt-get install virtuoso-opensource) the tests are skipped on a
workstation and FAIL under CI (CI=true), so a CI image that lost the package cannot pass.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from aigovkg.remote_store import RemoteBackend

from ..conftest import run_cli

START_TIMEOUT_S = 90
# A fresh database's administrator; the server listens on 127.0.0.1 only and lives as long as
# the test run.
USER, PASSWORD = "dba", "dba"
# 8 KiB pages of cache (80 MB): the test build's database fits many times over.
BUFFERS = 10000

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = .
{extra_parameters}[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 4
MaxClientConnections = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = {estimate_s}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK {}"})
    try:
        with urllib.request.urlopen(f"{url}?{query}", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class VirtuosoDidNotStart(RuntimeError):
    """The server exited or did not answer in time; the message ends with its log."""


@contextlib.contextmanager
def running_virtuoso(
    exe: str,
    db: Path,
    timeout_s: float = START_TIMEOUT_S,
    buffers: int = BUFFERS,
    estimate_s: int = 600,
    transaction_limit: int | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """A Virtuoso on free 127.0.0.1 ports with its database in `db` (which must exist): its
    SPARQL endpoint URL and process, stopped when the block ends. The tests and
    benchmarks/bench_queries.py start it the same way; `buffers` (8 KiB pages of cache) is the
    raised for a million triples, whose database does not fit in the tests' 80 MB, and
    `estimate_s` the limit on the planner's own estimate of a query's time (0: none), past
    which Virtuoso refuses a query before running it (at 1.16M it put CQ08 at 127,467 s and
    refused it; run, it took 1.7 s), and `transaction_limit` its cap on one transaction's log
    (TransactionAfterImageLimit, bytes; None: Virtuoso's 50 MB)."""
    http_port = _free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(
        INI.format(
            db=db,
            sql_port=_free_port(),
            http_port=http_port,
            buffers=buffers,
            dirty=buffers * 3 // 5,
            estimate_s=estimate_s,
            extra_parameters=(
                f"TransactionAfterImageLimit = {transaction_limit}\n" if transaction_limit else ""
            ),
        )
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    with (db / "stdout.log").open("wb") as log:
        process = subprocess.Popen(
            [exe, "+configfile", str(ini), "+foreground"],
            cwd=db,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout_s
            while not _answers(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = (db / "virtuoso.log").read_text(errors="replace")[-2000:]
                    raise VirtuosoDidNotStart(f"Virtuoso did not start on {url}:\n{tail}")
                time.sleep(0.3)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def virtuoso_exe() -> str:
    """The Virtuoso server program; skips the test without one, fails it under CI."""
    exe = shutil.which("virtuoso-t")
    if exe is None:
        message = (
            "virtuoso-t is not installed (Debian: apt-get install virtuoso-opensource); "
            "the remote-store tests need a real Virtuoso"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return exe


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The SPARQL endpoint URL of a Virtuoso started for this run."""
    try:
        with running_virtuoso(virtuoso_exe(), tmp_path_factory.mktemp("virtuoso")) as (
            url,
            _process,
        ):
            yield url
    except VirtuosoDidNotStart as exc:
        pytest.fail(str(exc))


def store_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGOVKG_STORE")}
    return {**env, **extra}


@pytest.fixture(scope="session")
def published(virtuoso: str, built: Path) -> str:
    """The session's build published into Virtuoso by the real command."""
    result = run_cli(
        "publish",
        "--to",
        virtuoso,
        cwd=built.parent,
        env=store_env(AIGOVKG_STORE_USER=USER, AIGOVKG_STORE_PASSWORD=PASSWORD),
    )
    assert result.returncode == 0, result.stderr
    return virtuoso


@pytest.fixture(scope="session")
def remote(published: str) -> RemoteBackend:
    return RemoteBackend.connect(published)
