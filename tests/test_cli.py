"""Every installed command runs for real: --help, and one real call each, on a copy of the tree."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from rdflib.namespace import RDF

from aigovkg.namespaces import AIGOV

from .conftest import run_cli

COMMANDS = ["build", "validate", "query", "info", "fmt", "reason", "publish"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command: str, tmp_path: Path) -> None:
    result = run_cli(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "Usage" in result.stdout


def test_python_dash_m_reports_version(tmp_path: Path) -> None:
    import subprocess

    from aigovkg import __version__

    result = subprocess.run(
        [sys.executable, "-m", "aigovkg", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0
    assert result.stdout.strip() == __version__


def test_build_writes_dumps(tree_copy: Path) -> None:
    result = run_cli("build", cwd=tree_copy)
    assert result.returncode == 0, result.stderr
    for name in ("aigovkg.ttl", "aigovkg.nt", "aigovkg.jsonld", "SHA256SUMS"):
        assert (tree_copy / "dist" / name).stat().st_size > 0


def test_validate_conforms(tree_copy: Path) -> None:
    result = run_cli("validate", cwd=tree_copy)
    assert result.returncode == 0, result.stderr
    assert "conforms" in result.stdout


def test_validate_one_file_reports_only_that_file(tree_copy: Path) -> None:
    target = tree_copy / "data" / "instruments" / "kr-ai-basic-act.ttl"
    target.write_text(
        target.read_text().replace('"2026-01-22"^^xsd:date', '"2023-01-22"^^xsd:date')
    )
    result = run_cli("validate", str(target), cwd=tree_copy)
    assert result.returncode == 1
    assert "kr-ai-basic-act.ttl" in result.stderr
    assert "entry into force" in result.stderr
    other = run_cli(
        "validate", str(tree_copy / "data" / "parties" / "countries.ttl"), cwd=tree_copy
    )
    assert other.returncode == 0


def test_query_csv_answers_a_competency_question(tree_copy: Path) -> None:
    result = run_cli("query", "--cq", "CQ02", "--format", "csv", cwd=tree_copy)
    assert result.returncode == 0, result.stderr
    parties = {r["party"] for r in csv.DictReader(io.StringIO(result.stdout))}
    # Both declarations' lists are complete: Korea signed both; China signed only Bletchley.
    assert "https://w3id.org/aigovkg/id/country/KR" in parties
    assert "https://w3id.org/aigovkg/id/organisation/eu" in parties
    assert "https://w3id.org/aigovkg/id/country/CN" not in parties


def test_query_text_json_uses_predeclared_prefixes(tree_copy: Path) -> None:
    result = run_cli(
        "query", "ASK { instrument:eu-ai-act a aigov:Law }", "--format", "json", cwd=tree_copy
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["boolean"] is True


def test_query_from_file(tree_copy: Path, loaded) -> None:
    query = tree_copy / "q.rq"
    query.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a aigov:Summit }")
    result = run_cli("query", "-f", str(query), "--format", "tsv", cwd=tree_copy)
    assert result.returncode == 0, result.stderr
    summits = set(loaded.graph.subjects(RDF.type, AIGOV.Summit))
    assert result.stdout.splitlines() == ["?n", str(len(summits))]  # W3C TSV, as /sparql


def test_malformed_query_exits_2_with_parser_message(tree_copy: Path) -> None:
    result = run_cli("query", "SELECT ?x WHERE { ?x a }", cwd=tree_copy)
    assert result.returncode == 2
    assert "malformed SPARQL" in result.stderr
    assert "Traceback" not in result.stderr


def test_update_is_refused(tree_copy: Path) -> None:
    result = run_cli("query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", cwd=tree_copy)
    assert result.returncode == 2


def test_unknown_cq_lists_known_ids(tree_copy: Path) -> None:
    result = run_cli("query", "--cq", "CQ99", cwd=tree_copy)
    assert result.returncode == 2
    assert "CQ01" in result.stderr


def test_info_lists_counts_instruments_summits(tree_copy: Path) -> None:
    wide = {**os.environ, "COLUMNS": "300"}
    result = run_cli("info", cwd=tree_copy, env=wide)
    assert result.returncode == 0, result.stderr
    for expected in (
        "aigov:Country",
        "EU AI Act",
        "AI Seoul Summit 2024",
        "The Bletchley Declaration",
    ):
        assert expected in result.stdout


def test_fmt_check_detects_and_fmt_fixes(tree_copy: Path) -> None:
    target = tree_copy / "data" / "parties" / "organisations.ttl"
    original = target.read_text()
    target.write_text(original.replace(" ;\n", " ;\n\n", 1))
    check = run_cli("fmt", "--check", cwd=tree_copy)
    assert check.returncode == 1
    assert "organisations.ttl" in check.stdout
    assert run_cli("fmt", cwd=tree_copy).returncode == 0
    assert target.read_text() == original


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_reason_reports_inferred_classes(tree_copy: Path) -> None:
    """The command's surface; HermiT over the whole graph is tested in test_reasoning.py, so
    this checkout keeps two instruments (a binding act and a declaration) and no summit to
    reason faster (a summit's leaders' declaration adds the axiom with nominals that costs
    HermiT most of its time)."""
    for path in (tree_copy / "data" / "instruments").glob("*.ttl"):
        if path.stem not in ("kr-ai-basic-act", "oecd-ai-principles"):
            path.unlink()
    for path in (tree_copy / "data" / "summits").glob("*.ttl"):
        path.unlink()
    result = run_cli("reason", cwd=tree_copy)
    assert result.returncode == 0, result.stderr
    assert "consistent" in result.stdout
    assert "BindingInstrument" in result.stdout


def test_commands_work_outside_a_checkout(tmp_path: Path) -> None:
    """Outside a checkout the package's own copy of the sources is used; dist/ goes to the cwd."""
    result = run_cli("query", "ASK { instrument:kr-ai-basic-act a aigov:Law }", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "true"
    assert (tmp_path / "dist" / "aigovkg.nt").exists()
