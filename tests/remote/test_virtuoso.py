"""The whole product on a real Virtuoso: published by `aigovkg publish --to`, every competency
question and the analysis commands answered by it exactly as by the embedded store."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from aigovkg import build as pipeline
from aigovkg.api import load
from aigovkg.queries import QueryFile, list_queries
from aigovkg.remote_http import StoreClient
from aigovkg.remote_store import METADATA_GRAPH, PUBLISHED_GRAPH, RemoteBackend
from aigovkg.results import ResultFormat, serialize
from aigovkg.sources import locate
from aigovkg.store import OxigraphBackend, SelectResult
from aigovkg.version import __version__

from ..competency.test_cq import EXPECTED
from ..conftest import REPO, run_cli
from .conftest import PASSWORD, USER, running_virtuoso, store_env, virtuoso_exe

QUERIES = list_queries(locate(REPO), "cq")
OBSOLETE = "https://w3id.org/aigovkg/graph/data/obsolete"


def _rows(answer: object) -> list[list[str]]:
    assert isinstance(answer, SelectResult)
    return list(csv.reader(serialize(answer, ResultFormat.csv).decode("utf-8").splitlines()))


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.id)
def test_competency_question_on_virtuoso(
    query: QueryFile, remote: RemoteBackend, backend: OxigraphBackend
) -> None:
    """The same rows as the embedded store's expected answer (in order when it has ORDER BY),
    and the same terms: CSV writes an unbound value and "" alike, so the answers are compared
    term by term too (CQ08's empty lists were unbound on the one and "" on the other).

    Asked once: the rows Virtuoso 7.2.5 used to lose (CQ08, CQ19, CQ64 now and then, CQ13 at
    1.16M) came from two of its faults the queries no longer meet (see their comments), and
    an answer that is right only on a second asking is not right."""
    expected = list(csv.reader((EXPECTED / f"{query.id}.csv").read_text().splitlines()))

    def comparable(rows: list[list[str]]) -> list[list[str]]:
        return rows if query.ordered else [rows[0], *sorted(rows[1:])]

    answer = remote.run(query.text)
    got = _rows(answer)
    assert got[0] == expected[0], "columns differ"
    assert comparable(got)[1:] == comparable(expected)[1:]
    embedded = backend.run(query.text)
    assert isinstance(answer, SelectResult) and isinstance(embedded, SelectResult)
    terms = [[None if v is None else v.n3() for v in row] for row in answer.rows]
    ours = [[None if v is None else v.n3() for v in row] for row in embedded.rows]
    if not query.ordered:
        terms, ours = sorted(terms, key=str), sorted(ours, key=str)
    assert terms == ours


def test_parameter_bound_on_virtuoso(remote: RemoteBackend, backend: OxigraphBackend) -> None:
    """A bound variable (CQ08's as-of date) gives the embedded store's answer too."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    query = next(q for q in QUERIES if q.id == "CQ08")
    day = {"asOf": Literal("2026-01-22", datatype=XSD.date)}
    embedded = _rows(backend.run(query.text, day))
    assert len(embedded) > 2
    assert _rows(remote.run(query.text, day)) == embedded


def test_the_dataset_is_the_build(
    remote: RemoteBackend, backend: OxigraphBackend, built: Path
) -> None:
    """One named graph per source file, the same triples, the version and inputs recorded."""
    assert remote.graphs() == backend.graphs()
    assert len(remote) == len(backend)
    recorded = remote.published()
    assert recorded.version == __version__
    assert recorded.inputs == json.loads((built / pipeline.BUILD_INFO).read_text())["inputs"]


def _store_graphs(url: str) -> set[str]:
    """Every graph the store holds, asked without the backend's dataset restriction."""
    client = StoreClient(url)
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    _status, _type, body = client.request(
        "POST",
        url,
        urllib.parse.urlencode({"query": query}).encode(),
        {"Accept": "application/sparql-results+json"},
    )
    return {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}


def test_publish_takes_credentials_only_from_the_environment(virtuoso: str, built: Path) -> None:
    result = run_cli("publish", "--to", virtuoso, cwd=built.parent, env=store_env())
    assert result.returncode == 2
    assert "AIGOVKG_STORE_USER" in result.stderr
    wrong = store_env(AIGOVKG_STORE_USER=USER, AIGOVKG_STORE_PASSWORD="wrong")
    result = run_cli("publish", "--to", virtuoso, cwd=built.parent, env=wrong)
    assert result.returncode == 2
    assert "401" in result.stderr


COMMANDS = [
    ["status", "--as-of", "2025-06-01", "--format", "csv"],
    ["compare", "eu-ai-act", "kr-ai-basic-act", "--as-of", "2026-03-01", "--format", "csv"],
    ["timeline", "--format", "csv"],
    ["party", "KR", "--format", "json"],
    ["summits", "--format", "csv"],
]


@pytest.mark.parametrize(
    "command", COMMANDS, ids=["status", "compare", "timeline", "party", "summits"]
)
def test_analysis_command_with_store(command: list[str], published: str, built: Path) -> None:
    embedded = run_cli(*command, cwd=built.parent, env=store_env())
    assert embedded.returncode == 0, embedded.stderr
    remote = run_cli("--store", published, *command, cwd=built.parent, env=store_env())
    assert remote.returncode == 0, remote.stderr
    assert embedded.stdout.count("\n") > 3
    assert remote.stdout == embedded.stdout


# DESCRIBE is engine-defined (Virtuoso adds incoming triples and no blank nodes); the remote
# backend answers it as the embedded store does. CONSTRUCT needs nothing of the kind.
GRAPH_QUERIES = [
    "DESCRIBE <https://w3id.org/aigovkg/id/instrument/eu-ai-act>",
    "DESCRIBE aigov:RiskBasedInstrument aigov:provision",  # blank nodes, RDF lists below
    "DESCRIBE ?x WHERE { ?x aigov:jurisdiction <https://w3id.org/aigovkg/id/country/KR> }",
    "DESCRIBE ?c WHERE { ?c a owl:Class FILTER (isIRI(?c)) }",
    "CONSTRUCT { ?i aigov:hasEvent ?e . ?e aigov:date ?d } WHERE { ?i aigov:hasEvent ?e . "
    "?e aigov:date ?d }",
    "CONSTRUCT WHERE { ?r a owl:Restriction ; ?p ?o }",
]


@pytest.mark.parametrize("text", GRAPH_QUERIES, ids=lambda t: t.split()[0] + t[-12:])
def test_graph_query_with_store(text: str, published: str, built: Path) -> None:
    """`aigovkg --store URL query` prints the same triples as the embedded store (isomorphic
    graphs: blank-node labels differ between stores)."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    embedded = run_cli("query", text, cwd=built.parent, env=store_env())
    remote = run_cli("--store", published, "query", text, cwd=built.parent, env=store_env())
    assert embedded.returncode == 0, embedded.stderr
    assert remote.returncode == 0, remote.stderr
    ours = Graph().parse(data=embedded.stdout, format="turtle")
    theirs = Graph().parse(data=remote.stdout, format="turtle")
    assert len(ours) > 3
    assert isomorphic(ours, theirs), (len(ours), len(theirs))


def test_store_from_the_environment(published: str, built: Path) -> None:
    """AIGOVKG_STORE selects the store as --store does: a store without the data says so."""
    env = store_env(AIGOVKG_STORE=published)
    result = run_cli("query", "--cq", "CQ09", "--format", "csv", cwd=built.parent, env=env)
    assert result.returncode == 0, result.stderr
    got = result.stdout.replace("\r\n", "\n")
    assert got == (EXPECTED / "CQ09.csv").read_text()


def test_python_api_load_store(published: str, built: Path, kg) -> None:
    """aigovkg.load(store=...) answers through the remote backend."""
    remote = load(built.parent, store=published)
    assert isinstance(remote.backend, RemoteBackend)
    assert remote.participation().equals(kg.participation())


def test_serve_with_store(
    published: str, built: Path, tmp_path: Path, backend: OxigraphBackend
) -> None:
    """`aigovkg serve` with AIGOVKG_STORE: pages and /sparql answer from Virtuoso, and /sparql
    keeps its guard (SERVICE and updates refused before the store sees them)."""
    import httpx
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from ..server.conftest import free_port

    port = free_port()
    exe = shutil.which("aigovkg")
    command = [exe] if exe else [sys.executable, "-m", "aigovkg"]
    env = store_env(AIGOVKG_STORE=published, AIGOVKG_HOME=str(built.parent))
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--log-level", "warning", "--rate", "0"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(base + "/sparql", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.3)
        query = next(q for q in QUERIES if q.id == "CQ09")
        answer = httpx.post(
            base + "/sparql", data={"query": query.text}, headers={"Accept": "text/csv"}
        )
        assert answer.status_code == 200, answer.text
        got = sorted(csv.reader(answer.text.splitlines()))
        assert got == sorted(csv.reader((EXPECTED / "CQ09.csv").read_text().splitlines()))
        refused = httpx.post(
            base + "/sparql",
            data={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"},
        )
        assert refused.status_code == 400 and "SERVICE" in refused.text
        assert httpx.post(base + "/sparql", data={"update": "DROP ALL"}).status_code == 403
        page = httpx.get(base + "/id/instrument/eu-ai-act", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Artificial Intelligence Act" in page.text
        # DESCRIBE and CONSTRUCT through the guarded proxy, and the resource's RDF view (a
        # DESCRIBE): the embedded store's triples.
        for text in GRAPH_QUERIES:
            answer = httpx.post(
                base + "/sparql", data={"query": text}, headers={"Accept": "text/turtle"}
            )
            assert answer.status_code == 200, answer.text
            got = Graph().parse(data=answer.text, format="turtle")
            assert isomorphic(got, backend.run(text)), text
        view = httpx.get(base + "/id/instrument/eu-ai-act", headers={"Accept": "text/turtle"})
        assert view.status_code == 200
        described = backend.run("DESCRIBE <https://w3id.org/aigovkg/id/instrument/eu-ai-act>")
        assert isomorphic(Graph().parse(data=view.text, format="turtle"), described)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# Last: it changes what the store holds (and puts it back).
def test_publish_again_replaces_the_earlier_version(published: str, built: Path) -> None:
    """A graph an earlier version had and this one has not is dropped; no staging graph is
    left; the answers stay the same."""
    client = StoreClient(published, user=USER, password=PASSWORD)
    update = (
        f"INSERT DATA {{ GRAPH <{OBSOLETE}> {{ <urn:x> <urn:y> <urn:z> }} "
        f"GRAPH <{METADATA_GRAPH}> {{ <https://w3id.org/aigovkg/dataset> "
        f"<{PUBLISHED_GRAPH}> <{OBSOLETE}> }} }}"
    )
    client.request(
        "POST",
        client.sibling("/sparql-auth"),
        urllib.parse.urlencode({"update": update}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert OBSOLETE in RemoteBackend.connect(published).graphs()
    result = run_cli(
        "publish",
        "--to",
        published,
        cwd=built.parent,
        env=store_env(AIGOVKG_STORE_USER=USER, AIGOVKG_STORE_PASSWORD=PASSWORD),
    )
    assert result.returncode == 0, result.stderr
    assert "1 old graphs dropped" in result.stdout
    # The build is the one already published: every graph is recorded with the same digest,
    # so none is sent again.
    graphs = int(result.stdout.split(" graphs, ")[0].rsplit(" ", 1)[1])
    assert f"{graphs} graphs unchanged (not sent)" in result.stdout
    held = _store_graphs(published)
    assert OBSOLETE not in held
    assert not [g for g in held if g.startswith("urn:aigovkg:staging:")]
    fresh = RemoteBackend.connect(published)
    assert OBSOLETE not in fresh.graphs()
    query = next(q for q in QUERIES if q.id == "CQ01")
    expected = (EXPECTED / "CQ01.csv").read_text().splitlines()
    assert [",".join(r) for r in _rows(fresh.run(query.text))] == list(
        map(lambda r: ",".join(r), csv.reader(expected))
    )


EXTRA = (
    "<https://w3id.org/aigovkg/id/test/republished> "
    '<http://www.w3.org/2000/01/rdf-schema#label> "changed" .'
)


def _holds_extra(url: str, graph: str | None) -> bool:
    """Whether the store holds the EXTRA triple in `graph` (None: the backend's union)."""
    pattern = EXTRA.removesuffix(" .")
    text = f"ASK {{ GRAPH <{graph}> {{ {pattern} }} }}" if graph else f"ASK {{ {pattern} }}"
    answer = RemoteBackend.connect(url).run(text)
    return answer is True


# After the test above: it publishes a changed build and then the session's build back.
def test_publish_sends_only_the_changed_graph(
    published: str, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A republish sends only the graphs whose content changed; the union graph follows the
    change, and publishing the earlier build again takes it back out."""
    from aigovkg.store_publish import publish_nquads

    monkeypatch.setenv("AIGOVKG_STORE_USER", USER)
    monkeypatch.setenv("AIGOVKG_STORE_PASSWORD", PASSWORD)
    dump = (built / pipeline.DUMP_NQUADS).read_bytes()
    first = dump.split(b"\n", 1)[0].decode()
    graph = first.rsplit(" ", 2)[1].strip("<>")
    changed = dump + f"{EXTRA.removesuffix(' .')} <{graph}> .\n".encode()
    report = publish_nquads(changed, published)
    assert report.unchanged == report.graphs - 1
    assert _holds_extra(published, graph) and _holds_extra(published, None)
    back = publish_nquads(dump, published)
    assert back.unchanged == back.graphs - 1
    assert not _holds_extra(published, graph) and not _holds_extra(published, None)
    held = _store_graphs(published)
    assert not [g for g in held if g.startswith("urn:aigovkg:staging:")]
    query = next(q for q in QUERIES if q.id == "CQ01")
    expected = (EXPECTED / "CQ01.csv").read_text().splitlines()
    rows = [",".join(r) for r in _rows(RemoteBackend.connect(published).run(query.text))]
    assert rows == list(map(lambda r: ",".join(r), csv.reader(expected)))


def test_a_republish_the_store_cannot_take_whole_replaces_nothing(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store that refuses the swap in one transaction (a Virtuoso whose log cap per
    transaction, 400 kB, takes the union in parts of 2,000 triples but not every graph of the
    build replaced at once: 15k triples needed 1.2-1.5 MB) gets a message naming the setting,
    and its readers keep the earlier version whole: same graphs and digests, no triple of the
    new version, no staging graph left."""
    from aigovkg import store_publish
    from aigovkg.remote_http import StoreError

    monkeypatch.setattr(store_publish, "UNION_BATCH_TRIPLES", 2000)
    monkeypatch.setenv("AIGOVKG_STORE_USER", USER)
    monkeypatch.setenv("AIGOVKG_STORE_PASSWORD", PASSWORD)
    dump = (built / pipeline.DUMP_NQUADS).read_bytes()
    graphs = sorted({line.rsplit(b" ", 2)[1] for line in dump.splitlines() if line})
    extra = EXTRA.removesuffix(" .").encode()
    changed = dump + b"".join(extra + b" " + graph + b" .\n" for graph in graphs)
    db = tmp_path / "capped"
    db.mkdir()
    with running_virtuoso(virtuoso_exe(), db, transaction_limit=400_000) as (url, _process):
        store_publish.publish_nquads(dump, url)
        before = RemoteBackend.connect(url).published()
        with pytest.raises(StoreError) as refused:
            store_publish.publish_nquads(changed, url)
        message = str(refused.value)
        assert "TransactionAfterImageLimit" in message and "Nothing was replaced" in message
        after = RemoteBackend.connect(url).published()
        assert after == before
        assert not _holds_extra(url, None)
        assert not _holds_extra(url, graphs[0].decode().strip("<>"))
        assert not [g for g in _store_graphs(url) if g.startswith("urn:aigovkg:staging:")]
        query = next(q for q in QUERIES if q.id == "CQ01")
        expected = list(csv.reader((EXPECTED / "CQ01.csv").read_text().splitlines()))
        assert _rows(RemoteBackend.connect(url).run(query.text)) == expected
