"""Defence in depth: a process in the network jail cannot reach the canary even when an engine is
handed SERVICE with no parser in the way. Every jail is entered in a child process: the test
process itself keeps its network (the canary lives in it)."""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from aigovkg import netjail
from aigovkg.server.engine import GraphSource, QueryJob
from aigovkg.server.pool import PoolSettings, WorkerPool

from .conftest import Canary

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux namespaces")

SPAWN = mp.get_context("spawn")


def _engine_in_child(endpoint: str, jail: bool, answers: mp.Queue) -> None:
    """Child: optionally jail, then run SERVICE straight on the engine (no safety parser)."""
    import pyoxigraph as ox

    if jail:
        netjail.drop_network()
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")))
    # The engine itself, below the query layer (whose safety parser would refuse SERVICE first).
    try:
        list(store.query(f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?x ?y ?z }} }}"))
    except (OSError, RuntimeError, ValueError) as exc:  # evaluated lazily: fails mid-results
        answers.put((False, str(exc)))
        return
    answers.put((True, ""))


def _run_engine_child(endpoint: str, jail: bool) -> tuple[bool, str]:
    answers: mp.Queue = SPAWN.Queue()
    child = SPAWN.Process(target=_engine_in_child, args=(endpoint, jail, answers))
    child.start()
    try:
        return answers.get(timeout=120)
    finally:
        child.join(30)


def test_jailed_engine_cannot_reach_the_canary(canary: Canary) -> None:
    ok, error = _run_engine_child(canary.base + "sparql", jail=True)
    assert not ok
    assert "unreachable" in error.lower(), error
    assert canary.seen() == []


def test_unjailed_engine_does_reach_the_canary(canary: Canary) -> None:
    """The control: the same child without the jail calls the canary, so the test above can fail."""
    _run_engine_child(canary.base + "sparql", jail=False)
    assert canary.seen() != []


def test_pool_workers_run_jailed_and_refuse_service(tmp_path: Path, canary: Canary) -> None:
    data = tmp_path / "g.nt"
    data.write_text("<urn:s> <urn:p> <urn:o> .\n", encoding="utf-8")
    pool = WorkerPool([GraphSource(data, "urn:g")], PoolSettings(1, 60.0, 512))
    pool.start()
    try:
        (worker,) = list(pool._all)
        pid = worker.process.pid
        assert os.readlink(f"/proc/{pid}/ns/net") != os.readlink("/proc/self/ns/net")
        hostile = QueryJob(query=f"SELECT * WHERE {{ SERVICE <{canary.base}> {{ ?x ?y ?z }} }}")
        reply = asyncio.run(pool.run(hostile))
        assert not reply.ok and "SERVICE is not allowed" in reply.error
        assert asyncio.run(pool.run(QueryJob(query="ASK { GRAPH <urn:g> { ?s ?p ?o } }"))).ok
    finally:
        pool.close()
    assert canary.seen() == []


def _jail_with_a_thread(allow: bool, answers: mp.Queue) -> None:
    """Child: a second thread makes the namespace impossible to enter for the whole process."""
    if allow:
        os.environ[netjail.ALLOW_ENV] = "1"
    else:
        os.environ.pop(netjail.ALLOW_ENV, None)
    threading.Thread(target=time.sleep, args=(5,), daemon=True).start()
    try:
        answers.put(("ok", netjail.jail_worker()))
    except netjail.JailError as exc:
        answers.put(("refused", str(exc)))


@pytest.mark.parametrize("allow", [False, True])
def test_worker_refuses_to_run_unjailed_unless_the_operator_allows(allow: bool) -> None:
    answers: mp.Queue = SPAWN.Queue()
    child = SPAWN.Process(target=_jail_with_a_thread, args=(allow, answers))
    child.start()
    outcome, message = answers.get(timeout=120)
    child.join(30)
    if allow:
        assert outcome == "ok" and "network left on" in message
    else:
        assert outcome == "refused"
        assert netjail.ALLOW_FLAG in message and "threads" in message
