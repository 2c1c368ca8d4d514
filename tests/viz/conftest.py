"""Fixtures of the visualisation tests: the real graph's views, a hostile graph, and a headless
Chromium driven by Playwright (skipped only when chromium is missing outside CI)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from aigovkg.namespaces import (
    AIGOV,
    COUNTRY,
    INSTRUMENT,
    SIGNATURE,
    SIGNATURE_ROLE,
    SOURCE,
    SUMMIT,
)
from aigovkg.sources import SourceTree
from aigovkg.store import OxigraphBackend
from aigovkg.viz import ViewRequest, write_views
from aigovkg.viz.extract import GraphFacts, read_facts

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_DOC = "</script><script>alert(2)</script>"
HOSTILE_TITLE = "<script>alert(3)</script>"
HOSTILE_ROLE = '" onmouseover="alert(5)" x="'
HOSTILE_KO = "\u2028<b>굵게</b>\u2029"


@pytest.fixture(scope="session")
def facts(kg: OxigraphBackend, tree: SourceTree) -> GraphFacts:
    return read_facts(kg)


@pytest.fixture(scope="session")
def pages(
    kg: OxigraphBackend, tree: SourceTree, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Every view of the real graph, plus the ego graphs of KR and eu-ai-act, written once."""
    out = tmp_path_factory.mktemp("viz")
    requests = [ViewRequest(v) for v in ("full", "summits", "regimes", "ontology")]
    requests += [ViewRequest("full", "KR"), ViewRequest("full", "eu-ai-act")]
    paths = write_views(kg, out, requests=requests, tree=tree)
    return {p.stem: p for p in paths}


def hostile_graph() -> Graph:
    """A tiny summit whose every string tries to become markup or script."""
    g = Graph()
    summit, doc, party = SUMMIT["evil-summit"], INSTRUMENT["evil-doc"], COUNTRY["XX"]
    sig, source, role = SIGNATURE["evil-doc-xx"], SOURCE["evil"], SIGNATURE_ROLE["signed"]
    g.add((summit, RDF.type, AIGOV.Summit))
    g.add((summit, RDFS.label, Literal("Evil summit " + HOSTILE, lang="en")))
    g.add((summit, AIGOV.startDate, Literal("2024-01-01", datatype=XSD.date)))
    g.add((summit, AIGOV.outcome, doc))
    g.add((summit, AIGOV.host, party))
    g.add((doc, RDF.type, AIGOV.Declaration))
    g.add((doc, RDFS.label, Literal(HOSTILE_DOC, lang="en")))
    g.add((doc, AIGOV.qualifiedSignature, sig))
    g.add((doc, AIGOV.signatory, party))
    g.add((doc, DCTERMS.source, source))
    g.add((sig, RDF.type, AIGOV.Signature))
    g.add((sig, AIGOV.party, party))
    g.add((sig, AIGOV.role, role))
    g.add((sig, DCTERMS.source, source))
    g.add((party, RDF.type, AIGOV.Country))
    g.add((party, RDFS.label, Literal(HOSTILE, lang="en")))
    g.add((party, RDFS.label, Literal(HOSTILE_KO, lang="ko")))
    g.add((source, RDF.type, AIGOV.Source))
    g.add((source, DCTERMS.title, Literal(HOSTILE_TITLE)))
    g.add((source, AIGOV.url, Literal("javascript:alert(4)")))
    g.add((role, RDFS.label, Literal(HOSTILE_ROLE, lang="en")))
    return g


@pytest.fixture(scope="session")
def hostile_pages(tree: SourceTree, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("viz-hostile")
    requests = [ViewRequest("summits"), ViewRequest("full", "XX")]
    paths = write_views(hostile_graph(), out, requests=requests, tree=tree)
    return {p.stem: p for p in paths}


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots are kept: $AIGOVKG_TEST_ARTEFACTS, else the pytest temporary directory."""
    configured = os.environ.get("AIGOVKG_TEST_ARTEFACTS")
    path = Path(configured) if configured else tmp_path_factory.mktemp("artefacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian chromium; a missing browser skips locally and fails under CI=true.

    One per test module, not per session: Playwright's sync API keeps an event loop running in
    the main thread while it is open, so a session-wide browser broke every later test that
    runs asyncio itself (and a second module's browser in the same process)."""
    under_ci = os.environ.get("CI", "").lower() == "true"
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if under_ci:
            pytest.fail(f"{CHROMIUM} is missing under CI (.ci/run installs it)")
        pytest.skip(f"{CHROMIUM} is not installed")
    if under_ci:
        import playwright.sync_api as playwright_api  # a missing dev extra fails under CI
    else:
        playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
