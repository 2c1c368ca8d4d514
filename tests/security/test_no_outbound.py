"""No entry point makes an outbound request, whatever the SPARQL text (issue 12 items 1 and 5).

The generated corpus (corpus.py) goes to every way a query reaches an engine: the endpoint's
/sparql (GET, POST form, POST direct) on a real `aigovkg serve`, the `aigovkg query` command, the
Python API, `validate`'s integrity checks, SHACL-SPARQL constraints, and `aigovkg reason` with an
owl:imports. Each must be refused with a clear message, and the canary must see nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from aigovkg import build as pipeline
from aigovkg import shacl_guard
from aigovkg.api import KnowledgeGraph
from aigovkg.errors import AigovkgError
from aigovkg.loader import LoadedGraph
from aigovkg.namespaces import PREFIXES, SH
from aigovkg.sources import SourceTree, locate
from aigovkg.sparql_safety import Analysis, RefusedQuery, analyse, check_query
from aigovkg.store import OxigraphBackend
from aigovkg.validation import run_shacl

from ..conftest import copy_tree
from ..server.conftest import Server, start_server, stop_server
from .conftest import Canary
from .corpus import Hostile, corpus

# The endpoint's answers that come from the safety parser (not from the engine or the jail).
PARSER_REASONS = (
    "SERVICE is not allowed",
    "is not one of this store's graphs",
    "no graphs to name",
    "SPARQL Update",
    "does not parse as SPARQL 1.1",
    "escape",
    "read-only",
)

# One of each trick, for the entry points that cost a process per query.
SAMPLE = (
    "service/issue-12-escaped-hash/optional",
    "service/comment-ended-by-cr/exists",
    "service/escaped-iri-host/sub-select",
    "service/base-relative/minus",
    "dataset/from-prefixed",
    "update/load-escaped",
)


def _sample(canary: Canary) -> list[Hostile]:
    by_name = {h.name: h for h in corpus(canary.base)}
    return [by_name[name] for name in SAMPLE]


@pytest.fixture(scope="module")
def server(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("security-server") / "server.log"
    running = start_server(
        built.parent, log, "--workers", "2", "--timeout", "20", "--memory-mb", "512", "--rate", "0"
    )
    yield running
    stop_server(running)


def _assert_refused_by_parser(response: httpx.Response, hostile: Hostile) -> None:
    assert response.status_code in (400, 403), (hostile.name, response.status_code, response.text)
    assert any(reason in response.text for reason in PARSER_REASONS), (hostile.name, response.text)
    assert "Traceback" not in response.text


def test_endpoint_refuses_the_corpus_on_every_method(server: Server, canary: Canary) -> None:
    url = server.url("/sparql")
    with httpx.Client(timeout=60) as http:
        for hostile in corpus(canary.base):
            for response in (
                http.get(url, params={"query": hostile.text}),
                http.post(url, data={"query": hostile.text}),
                http.post(
                    url,
                    content=hostile.text.encode(),
                    headers={"Content-Type": "application/sparql-query"},
                ),
            ):
                _assert_refused_by_parser(response, hostile)
        # The endpoint still answers ordinary queries, so the refusals were not an outage.
        assert http.get(url, params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    assert server.alive()
    assert canary.seen() == []


def test_cli_query_refuses(tree_copy: Path, canary: Canary) -> None:
    exe = shutil.which("aigovkg")
    command = [exe] if exe else [sys.executable, "-m", "aigovkg"]
    env = {**os.environ, "AIGOVKG_HOME": str(tree_copy)}
    for hostile in _sample(canary):
        done = subprocess.run(
            [*command, "query", "-"],
            input=hostile.text,
            capture_output=True,
            text=True,
            env=env,
            cwd=tree_copy,
            timeout=300,
        )
        assert done.returncode == 2, (hostile.name, done.stdout, done.stderr)
        assert any(reason in done.stderr for reason in PARSER_REASONS), done.stderr
    assert canary.seen() == []


def test_python_api_refuses(loaded: LoadedGraph, tree: SourceTree, canary: Canary) -> None:
    kg = KnowledgeGraph(OxigraphBackend.from_graph(loaded.graph), tree)
    for hostile in corpus(canary.base):
        with pytest.raises(RefusedQuery):
            kg.query(hostile.text)
    assert len(kg.query("SELECT ?s WHERE { ?s a aigov:Summit }")) > 0
    assert canary.seen() == []


TINY_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix aigov: <https://w3id.org/aigovkg/ontology#> .
<urn:shape> a sh:NodeShape ; sh:targetClass aigov:Summit ; sh:property [ sh:path aigov:host ] .
"""


def _checkout_with_check(root: Path, text: str) -> Path:
    """A checkout copy whose only shape is trivial (so SHACL is quick) and whose integrity
    checks include `text` as queries/checks/x-violation.rq."""
    copy_tree(root)
    shutil.rmtree(root / "shapes")
    (root / "shapes").mkdir()
    (root / "shapes" / "tiny.shapes.ttl").write_text(TINY_SHAPES, encoding="utf-8")
    (root / "queries" / "checks" / "x-violation.rq").write_text(
        "# x: a hostile integrity check\n" + text, encoding="utf-8"
    )
    return root


def test_validate_refuses_a_hostile_integrity_check(tmp_path: Path, canary: Canary) -> None:
    sample = _sample(canary)
    root = _checkout_with_check(tmp_path / "cli", sample[0].text)
    exe = shutil.which("aigovkg")
    command = [exe] if exe else [sys.executable, "-m", "aigovkg"]
    done = subprocess.run(
        [*command, "validate"],
        capture_output=True,
        text=True,
        env={**os.environ, "AIGOVKG_HOME": str(root)},
        cwd=root,
        timeout=600,
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert any(reason in done.stderr for reason in PARSER_REASONS), done.stderr
    for index, hostile in enumerate(sample[1:]):
        other = _checkout_with_check(tmp_path / f"api{index}", hostile.text)
        with pytest.raises(RefusedQuery):
            pipeline.validate(locate(other))
    assert canary.seen() == []


AIGOV = "https://w3id.org/aigovkg/ontology#"


def _small_data() -> Graph:
    data = Graph()
    for index in range(3):
        node = URIRef(f"urn:summit:{index}")
        data.add((node, RDF.type, URIRef(AIGOV + "Summit")))
        data.add((node, RDFS.label, Literal(f"summit {index}")))
    return data


def _sparql_shape(select: str, *, engine: str = "pyshacl") -> Graph:
    """A shape whose SPARQL constraint `select` runs in pySHACL (a property shape's constraint
    stays there) or on the store (a node shape's constraint: shacl_sparql)."""
    shapes = Graph()
    shape, constraint = URIRef("urn:shape:s"), URIRef("urn:shape:c")
    shapes.add((shape, RDF.type, SH.PropertyShape if engine == "pyshacl" else SH.NodeShape))
    shapes.add((shape, SH.targetClass, URIRef(AIGOV + "Summit")))
    if engine == "pyshacl":
        shapes.add((shape, SH.path, RDFS.label))
    shapes.add((shape, SH.sparql, constraint))
    shapes.add((constraint, SH.select, Literal(select)))
    return shapes


ENGINES = pytest.mark.parametrize("engine", ["pyshacl", "store"])


def _shacl_service(canary: Canary) -> str:
    """SERVICE written so that pySHACL's own check (a regular expression over the raw text)
    misses it, while rdflib expands the escapes and calls the endpoint."""
    return f"SELECT $this WHERE {{ \\u0053\\u0045RVICE <{canary.base}sparql> {{ $this ?p ?o }} }}"


def test_shacl_sparql_constraint_with_service_is_refused_naming_the_shape(
    canary: Canary,
) -> None:
    plain = f"SELECT $this WHERE {{ SERVICE <{canary.base}sparql> {{ $this ?p ?o }} }}"
    for text in (plain, _shacl_service(canary), *(h.text for h in _sample(canary))):
        with pytest.raises(RefusedQuery, match="sh:select of shape urn:shape:s"):
            run_shacl(_small_data(), _sparql_shape(text))
    injected = _sparql_shape("SELECT $this WHERE { $this ?p ?o }")
    injected.add((URIRef("urn:shape:c"), SH.prefixes, URIRef("urn:decl")))
    injected.add((URIRef("urn:decl"), SH.declare, URIRef("urn:d")))
    injected.add((URIRef("urn:d"), SH.prefix, Literal("x")))
    injected.add((URIRef("urn:d"), SH.namespace, Literal(f"urn:x> SERVICE <{canary.base}> {{}} #")))
    with pytest.raises(RefusedQuery, match="sh:namespace"):
        run_shacl(_small_data(), injected)
    assert canary.seen() == []


@ENGINES
def test_shacl_child_checks_the_assembled_query(
    canary: Canary, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Layer 2: with the static check removed, the forked child still refuses the text
    pySHACL hands to rdflib, and the text the store is asked to run."""
    monkeypatch.setattr(shacl_guard, "check_shapes", lambda shapes: None)
    with pytest.raises(RefusedQuery, match="assembled for validation"):
        run_shacl(_small_data(), _sparql_shape(_shacl_service(canary), engine=engine))
    assert canary.seen() == []


def test_the_next_child_parses_nothing_an_earlier_child_parsed(
    canary: Canary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child's verdicts serve the parent's next children (a validation asks the same texts
    each time), refusals included; the report is the same."""
    parsed: list[int] = []
    keep = shacl_guard._keep_child_verdicts
    monkeypatch.setattr(shacl_guard, "_CHILD_VERDICTS", type(shacl_guard._CHILD_VERDICTS)())
    monkeypatch.setattr(
        shacl_guard, "_keep_child_verdicts", lambda found: (parsed.append(len(found)), keep(found))
    )
    shapes = _sparql_shape("SELECT $this WHERE { $this ?p ?o FILTER (?p = rdfs:comment) }")
    analyse.cache_clear()  # a child inherits this process's own parses too
    first, second = (run_shacl(_small_data(), shapes) for _ in range(2))
    assert parsed[0] > 0 and parsed[1] == 0
    assert first.violations == second.violations
    monkeypatch.setattr(shacl_guard, "check_shapes", lambda shapes: None)
    for _ in range(2):  # a refusal stays a refusal
        with pytest.raises(RefusedQuery, match="assembled for validation"):
            run_shacl(_small_data(), _sparql_shape(_shacl_service(canary), engine="store"))
    assert parsed[3] == 0 and canary.seen() == []


def test_a_child_cannot_vouch_for_a_text_to_its_parent(
    canary: Canary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What children report is only handed to later children: a child that called a SERVICE
    text safe (here, planted) does not make the parent's own check pass it."""
    text = f"SELECT * WHERE {{ SERVICE <{canary.base}sparql> {{ ?s ?p ?o }} }}"
    for prefixes in ((), tuple(sorted(PREFIXES.items()))):
        monkeypatch.setitem(shacl_guard._CHILD_VERDICTS, (text, prefixes), Analysis())
    with pytest.raises(RefusedQuery, match="SERVICE"):
        check_query(text)
    assert canary.seen() == []


def test_shacl_child_is_jailed(canary: Canary, monkeypatch: pytest.MonkeyPatch) -> None:
    """Layer 3: with both checks removed, rdflib runs the SERVICE in the child, which has no
    network; without the jail too (the control) the canary is called, so this can fail."""
    monkeypatch.setattr(shacl_guard, "check_shapes", lambda shapes: None)
    monkeypatch.setattr(shacl_guard, "_guard_rdflib_sparql", lambda: None)
    shapes = _sparql_shape(_shacl_service(canary))
    if sys.platform.startswith("linux"):
        # rdflib's failed request may end as an error or as a report; no request is the point.
        with contextlib.suppress(AigovkgError):
            run_shacl(_small_data(), shapes)
        assert canary.seen() == []
    monkeypatch.setattr(shacl_guard.netjail, "drop_network", lambda: "")
    # The canary's made-up answer may not satisfy rdflib; the request is what counts.
    with contextlib.suppress(AigovkgError):
        run_shacl(_small_data(), shapes)
    assert canary.seen() != []


@ENGINES
def test_shacl_validation_has_a_time_limit(engine: str) -> None:
    data = Graph()
    for index in range(200):
        data.add((URIRef(f"urn:n:{index}"), RDF.type, URIRef(AIGOV + "Summit")))
    endless = "SELECT $this WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
    with pytest.raises(shacl_guard.ShaclTimeLimit, match="time limit"):
        run_shacl(data, _sparql_shape(endless, engine=engine), time_limit_s=3)


def _imports_graph(canary: Canary) -> Graph:
    graph = Graph()
    onto = URIRef("https://w3id.org/aigovkg/ontology")
    graph.add((onto, RDF.type, OWL.Ontology))
    graph.add((onto, OWL.imports, URIRef(canary.base + "evil.owl")))
    graph.add((URIRef(AIGOV + "Summit"), RDF.type, OWL.Class))
    graph.add((URIRef("https://w3id.org/aigovkg/id/summit/x"), RDF.type, URIRef(AIGOV + "Summit")))
    return graph


def test_owlready2_would_follow_imports(canary: Canary, tmp_path: Path) -> None:
    """The control for the reason test: owlready2 fetches an owl:imports target on load."""
    import owlready2

    path = tmp_path / "with-imports.nt"
    path.write_bytes(_imports_graph(canary).serialize(format="nt", encoding="utf-8"))
    with contextlib.suppress(Exception):  # the canary's answer is no ontology
        owlready2.World().get_ontology(path.as_uri()).load()
    assert canary.seen() != []


def test_reason_never_follows_imports(canary: Canary) -> None:
    if shutil.which("java") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("HermiT needs Java, and CI must have it")
        pytest.skip("HermiT needs Java")
    from aigovkg.reasoning import reason

    report = reason(_imports_graph(canary))
    assert report.consistent
    assert canary.seen() == []


def test_reasoner_input_has_no_imports(canary: Canary) -> None:
    """Without Java too: the graph owlready2 is given has lost its owl:imports, and only them."""
    from aigovkg.reasoning import without_imports

    graph = _imports_graph(canary)
    stripped = without_imports(graph)
    assert not list(stripped.triples((None, OWL.imports, None)))
    assert len(stripped) == len(graph) - 1
