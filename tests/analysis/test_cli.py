"""The analysis commands: --help, one real call each, and errors (unknown names with the
closest matches, bad dates) reported plainly with exit code 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aigovkg.analysis import participation
from aigovkg.cli import app

from ..conftest import run_cli

COMMANDS = ["compare", "status", "timeline", "party", "summits", "network", "plot"]


@pytest.fixture
def invoke(built: Path, monkeypatch: pytest.MonkeyPatch):
    """Run a command in-process in the built copy of the tree (no rebuild)."""
    monkeypatch.chdir(built.parent)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


@pytest.mark.parametrize("command", COMMANDS)
def test_help(invoke, command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_compare_markdown(invoke) -> None:
    result = invoke("compare", "eu-ai-act", "AI 기본법", "--as-of", "2026-01-22", "--format", "md")
    assert result.exit_code == 0, result.output
    assert "| dimension | EU AI Act | Korea AI Basic Act |" in result.output
    assert "in force since 2026-01-22" in result.output


def test_compare_json_has_sources(invoke) -> None:
    result = invoke("compare", "EO 14110", "eu-ai-act", "--as-of", "2024-05-31", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    status = [r for r in rows if r["dimension"] == "status"]
    assert {r["instrument_label"]: r["value"].split(" since")[0] for r in status} == {
        "Executive Order 14110 on Safe, Secure, and Trustworthy AI": "in force",
        "EU AI Act": "adopted",
    }
    assert all(r["sources"] for r in status)


def test_compare_with_sources_and_conversion(invoke) -> None:
    result = invoke(
        "compare", "eu-ai-act", "kr-ai-basic-act", "--sources",
        "--convert", "KRW:EUR:0.0005:2026-01-22", "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "[source:" in result.output
    assert "0.0005 EUR/KRW on 2026-01-22" in result.output


def test_status_csv(invoke) -> None:
    result = invoke("status", "--as-of", "2024-05-31", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {r["instrument"]: r["status"] for r in csv.DictReader(io.StringIO(result.output))}
    assert rows["https://w3id.org/aigovkg/id/instrument/kr-ai-basic-act"] == "proposed"
    assert rows["https://w3id.org/aigovkg/id/instrument/us-eo-14110"] == "in force"


def test_timeline_jurisdiction(invoke) -> None:
    result = invoke("timeline", "--jurisdiction", "KR", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "entered-into-force" in result.output and "Korea AI Basic Act" in result.output


def test_party(invoke, kg) -> None:
    result = invoke("party", "KR", "--format", "json")
    assert result.exit_code == 0, result.output
    profile = json.loads(result.output)
    assert profile["party"] == "https://w3id.org/aigovkg/id/country/KR"
    statuses = {s["status"] for s in profile["signatures"]}
    assert "signed" in statuses and statuses <= set(participation.statuses(kg))


def test_summits(invoke) -> None:
    matrix = invoke("summits", "--format", "csv")
    assert matrix.exit_code == 0 and "Bletchley Declaration" in matrix.output
    both = invoke("summits", "--signed-all", "--format", "csv")
    assert both.exit_code == 0 and "Japan" in both.output
    diff = invoke("summits", "--signed", "Bletchley", "--not-signed", "Seoul Declaration")
    assert diff.exit_code == 0 and "China" in diff.output


def test_network(invoke, tmp_path: Path) -> None:
    assert invoke("network", "--metric", "centrality", "--format", "csv").exit_code == 0
    assert invoke("network", "--metric", "obligations").exit_code == 0
    pair = invoke("network", "--metric", "similarity", "--doc", "Bletchley", "--doc", "Seoul Decl")
    assert pair.exit_code == 0, pair.output
    assert "Bletchley Declaration" in pair.output and "Seoul Ministerial" not in pair.output
    result = invoke("network", "--export", "gexf", "--out", str(tmp_path / "n.gexf"))
    assert result.exit_code == 0 and (tmp_path / "n.gexf").is_file()


def test_plot(invoke, tmp_path: Path) -> None:
    result = invoke("plot", "similarity", "--as-of", "2026-01-22", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "similarity.png").is_file() and (tmp_path / "similarity.svg").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "eu-ai-act", "EU AI Akt"], "closest matches: EU AI Act (eu-ai-act)"),
        (["party", "Koreaa"], "closest matches"),
        (["status", "--as-of", "2024-13-01"], "bad date '2024-13-01'"),
        (["compare", "eu-ai-act", "kr-ai-basic-act", "--as-of", "May 2024"], "bad date"),
        (["compare", "eu-ai-act"], "two or more instruments, got 1"),
        (["timeline", "--jurisdiction", "Atlantis"], "unknown party 'Atlantis'"),
        (["summits", "--signed", "Bletchley"], "together"),
        (["plot", "pie"], "unknown plot"),
        (["network", "--metric", "obligations", "--doc", "Bletchley"], "no obligations recorded"),
        (["network", "--export", "dot"], "unknown export format"),
        (["status", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_errors_exit_2(invoke, args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_installed_command_exit_code(built: Path) -> None:
    """The real executable, as a user runs it: message on stderr, exit code 2."""
    result = run_cli("compare", "eu-ai-act", "EU AI Akt", cwd=built.parent)
    assert result.returncode == 2
    assert "unknown instrument 'EU AI Akt'" in result.stderr
    ok = run_cli("status", "--as-of", "2026-01-22", "--format", "csv", cwd=built.parent)
    assert ok.returncode == 0 and "in force" in ok.stdout
