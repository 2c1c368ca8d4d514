"""The CI dependency audit's decisions: fail on a finding, skip plainly without advisory data."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from .conftest import REPO

spec = importlib.util.spec_from_file_location("ci_audit", REPO / ".ci" / "audit.py")
assert spec and spec.loader
audit = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = audit  # dataclasses look their module up while the file runs
spec.loader.exec_module(audit)

VULN = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fix_versions": ["2.0"]}


def report(*deps: dict) -> dict:
    return {"dependencies": [{"name": "aigovkg", "skip_reason": "editable"}, *deps]}


def test_no_advisory_data_is_a_plain_skip() -> None:
    skipped = {"name": "rdflib", "skip_reason": "Dependency not found on PyPI and could not be"}
    outcome = audit.evaluate(report(skipped), {})
    assert outcome.exit_code == 0
    assert "SKIPPED" in outcome.lines[0]


def test_a_vulnerability_fails() -> None:
    outcome = audit.evaluate(report({"name": "x", "version": "1.0", "vulns": [VULN]}), {})
    assert outcome.exit_code == 1
    assert any("VULNERABLE x 1.0: PYSEC-2099-1" in line for line in outcome.lines)


def test_a_justified_ignore_passes_by_alias() -> None:
    ignores = audit.read_ignores("# comment\nCVE-2099-1 only in the unused CLI of x\n")
    outcome = audit.evaluate(report({"name": "x", "version": "1.0", "vulns": [VULN]}), ignores)
    assert outcome.exit_code == 0
    assert any("only in the unused CLI of x" in line for line in outcome.lines)


def test_clean_packages_pass() -> None:
    outcome = audit.evaluate(report({"name": "x", "version": "1.0", "vulns": []}), {})
    assert outcome.exit_code == 0
    assert "1 package(s) checked" in outcome.lines[0]


def test_an_ignore_without_justification_is_refused() -> None:
    with pytest.raises(ValueError, match="no justification"):
        audit.read_ignores("PYSEC-2099-1\n")
