"""One question, one answer: the CLI, the Python API, the views and /sparql ask the same core.

Each test asks the same thing through several surfaces of a real build and a real server on
127.0.0.1 and compares the answers, so a second runner, resolver or status rule shows up here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from aigovkg.api import KnowledgeGraph
from aigovkg.results import ResultFormat, serialize
from aigovkg.viz.extract import read_facts
from aigovkg.viz.extract import statuses as view_statuses

from ..conftest import run_cli
from .conftest import Server, start_server, stop_server

EU_GRAPH = "https://w3id.org/aigovkg/graph/data/instruments/eu-ai-act"
QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    f"SELECT (COUNT(*) AS ?n) FROM <{EU_GRAPH}> WHERE {{ ?s ?p ?o }}",
    f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{EU_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} "
    "GROUP BY ?g",
    "SELECT ?i ?label WHERE { ?i a aigov:Law ; rdfs:label ?label } ORDER BY ?i ?label",
    'SELECT ?s ?o WHERE { ?s aigov:scopeNote ?o FILTER(CONTAINS(?o, ",")) } ORDER BY ?s LIMIT 5',
]


CLI_QUERIES = (QUERIES[1], QUERIES[4])
MEDIA = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
}


@pytest.fixture(scope="module")
def plain(served_home: Path, tmp_path_factory: pytest.TempPathFactory):
    """A server on the build alone (the session server also loads the W3C suite's graphs)."""
    running = start_server(served_home, tmp_path_factory.mktemp("one") / "log", "--rate", "0")
    yield running
    stop_server(running)


def _http(server: Server, query: str, fmt: str, **params: str) -> bytes:
    media = MEDIA[fmt]
    response = httpx.post(
        server.url("/sparql"),
        data={"query": query, **params},
        headers={"Accept": media},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return response.content


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_cli_api_and_endpoint_give_the_same_bytes(
    query: str, fmt: str, kg: KnowledgeGraph, plain: Server, served_home: Path
) -> None:
    from_api = serialize(kg.run(query), ResultFormat(fmt))
    from_http = _http(plain, query, fmt)
    assert from_api == from_http
    if query in CLI_QUERIES:  # a CLI run costs seconds: two queries cover dataset and escaping
        exe = shutil.which("aigovkg")
        command = [exe] if exe else [sys.executable, "-m", "aigovkg"]
        cli = subprocess.run(
            [*command, "query", query, "--format", fmt],
            cwd=served_home,
            capture_output=True,
            timeout=300,
        )  # bytes, not text: universal newlines would hide the CRLF rows of W3C CSV
        assert cli.returncode == 0, cli.stderr
        assert cli.stdout == from_api


def test_from_clause_and_default_graph_uri_agree(kg: KnowledgeGraph, plain: Server) -> None:
    """The issue's reproduction: 9247 / 0 / 632 for one graph; now one number everywhere."""
    with_from = _http(plain, QUERIES[1], "csv")
    with_parameter = _http(
        plain,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "csv",
        **{"default-graph-uri": EU_GRAPH},
    )
    whole = _http(plain, QUERIES[0], "csv")
    assert with_from == with_parameter != whole
    count = int(with_from.split(b"\r\n")[1])
    assert 0 < count < int(whole.split(b"\r\n")[1])
    assert serialize(kg.run(QUERIES[1]), ResultFormat.csv) == with_from


def _check_days(kg: KnowledgeGraph) -> list[date]:
    """Every event date and the day before it."""
    events = kg.frame("app", "status-events")
    days = {d for d in events["date"]}
    return sorted(days | {d - timedelta(days=1) for d in days})


def test_every_surface_agrees_on_every_status(kg: KnowledgeGraph, plain: Server) -> None:
    """For every instrument on each event date and the day before: the Python API, CQ08 over
    HTTP, the views' status filter and CQ19 agree."""
    cq08 = (kg.tree.queries_dir / "cq" / "CQ08-status-as-of.rq").read_text(encoding="utf-8")
    cq19 = kg.frame("cq", "CQ19")  # warm: the query text is read once
    del cq19
    days = _check_days(kg)
    assert len(days) > 50
    # The views' filter is read_facts' status (read once: it reads the whole graph).
    assert read_facts(kg, days[len(days) // 2]).status == view_statuses(kg, days[len(days) // 2])
    for day in days[:: max(1, len(days) // 40)]:
        api = kg.status(as_of=day).set_index("instrument")["status"].to_dict()
        literal = Literal(day.isoformat(), datatype=XSD.date)
        bound = cq08.replace(
            'BIND (COALESCE(?asOf, "2024-05-31"^^xsd:date) AS ?cutoff)',
            f'BIND ("{day.isoformat()}"^^xsd:date AS ?cutoff)',
        )
        body = json.loads(_http(plain, bound, "json"))
        over_http = {
            b["instrument"]["value"]: b["status"]["value"] for b in body["results"]["bindings"]
        }
        views = view_statuses(kg, day)  # what read_facts gives the views
        in_force = set(kg.frame("cq", "CQ19", {"asOf": literal})["instrument"])
        assert api == over_http == views, day
        assert in_force == {i for i, s in api.items() if s in ("in force", "partially applicable")}


def test_status_command_matches_the_api(kg: KnowledgeGraph, served_home: Path) -> None:
    for day in ("2024-05-31", "2025-03-01"):
        cli = run_cli("status", "--as-of", day, "--format", "json", cwd=served_home)
        assert cli.returncode == 0, cli.stderr
        from_cli = {row["instrument"]: row["status"] for row in json.loads(cli.stdout)}
        api = kg.status(as_of=day).set_index("instrument")["status"].to_dict()
        assert from_cli == api


@pytest.mark.parametrize(
    "args",
    [
        ("compare", "EO 14110", "eu-ai-act", "--format", "csv"),
        ("viz", "--focus", "EO 14110", "-o", "focus.html"),
        ("trade", "--partner", "Viet Nam", "--format", "csv"),
    ],
)
def test_every_command_resolves_names_with_the_one_resolver(
    args, served_home: Path, tmp_path
) -> None:
    """ "EO 14110" names the same order for compare and viz --focus (viz exited 2 before)."""
    args = tuple(str(tmp_path / a) if a.endswith(".html") else a for a in args)
    result = run_cli(*args, cwd=served_home)
    assert result.returncode == 0, result.stderr


def test_a_miss_gets_the_same_suggestions_everywhere(served_home: Path) -> None:
    outputs = [
        run_cli("compare", "EO 14111", "eu-ai-act", cwd=served_home),
        run_cli("viz", "--focus", "EO 14111", cwd=served_home),
    ]
    assert all(o.returncode == 2 for o in outputs)
    for output in outputs:
        assert "closest matches" in output.stderr and "(us-eo-14110)" in output.stderr
    suggestions = [o.stderr.split("closest matches:", 1)[1].split(",")[0] for o in outputs]
    assert suggestions[0] == suggestions[1]
