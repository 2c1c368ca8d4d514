"""Dependency audit for CI: known vulnerabilities in the installed packages, via pip-audit.

Uses PyPI's JSON API as the advisory source (`pip-audit -s pypi`): CI can reach PyPI, often not
OSV. Three outcomes, printed plainly:
  - a vulnerability not listed in .ci/audit-ignore.txt: exit 1;
  - the advisory data could not be reached (pip-audit failed, or PyPI answered for none of the
    packages, as a mirror that only serves the simple index does): "audit skipped" and why,
    exit 0 - CI never fails only because the advisory service is out of reach;
  - otherwise: exit 0, naming any packages that could not be looked up.
The ignore file lists one advisory id per line followed by its justification (required).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

IGNORE_FILE = Path(__file__).with_name("audit-ignore.txt")
NOT_FOUND = "not found on PyPI"


@dataclass
class Outcome:
    exit_code: int
    lines: list[str]


def read_ignores(text: str) -> dict[str, str]:
    """Advisory id -> justification; a line without a justification is an error."""
    ignores: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        vuln_id, _, why = line.partition(" ")
        if not why.strip():
            raise ValueError(f"{IGNORE_FILE.name}:{number}: {vuln_id} has no justification")
        ignores[vuln_id] = why.strip()
    return ignores


def evaluate(report: dict, ignores: dict[str, str]) -> Outcome:
    """The decision, from pip-audit's JSON report."""
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    unreachable = [d["name"] for d in deps if NOT_FOUND in d.get("skip_reason", "")]
    if not audited:
        return Outcome(
            0,
            [
                "dependency audit SKIPPED: no advisory data reachable "
                f"(PyPI's JSON API answered for none of {len(deps)} packages); "
                "nothing was checked for known vulnerabilities"
            ],
        )
    found, ignored = [], []
    for dep in audited:
        for vuln in dep.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            reason = next((ignores[i] for i in ids if i in ignores), None)
            text = f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in "
            text += f"{', '.join(vuln.get('fix_versions', [])) or 'no release yet'})"
            (ignored if reason else found).append(text + (f", ignored: {reason}" if reason else ""))
    lines = [f"dependency audit: {len(audited)} package(s) checked against PyPI advisories"]
    if unreachable:
        lines.append(f"  could not be looked up: {', '.join(sorted(unreachable))}")
    lines += [f"  ignored {line}" for line in ignored]
    lines += [f"  VULNERABLE {line}" for line in found]
    return Outcome(1 if found else 0, lines)


def main() -> int:
    try:
        ignores = read_ignores(IGNORE_FILE.read_text() if IGNORE_FILE.exists() else "")
    except ValueError as exc:
        print(f"dependency audit: {exc}")
        return 2
    if importlib.util.find_spec("pip_audit") is None:
        print("dependency audit SKIPPED: pip-audit is not installed (pip install -e '.[dev]')")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        command = [sys.executable, "-m", "pip_audit", "-s", "pypi", "--skip-editable"]
        command += ["--progress-spinner", "off", "-f", "json", "-o", str(out)]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            print("dependency audit SKIPPED: pip-audit did not finish in 10 minutes")
            return 0
        try:
            report = json.loads(out.read_text())
        except (OSError, ValueError):
            why = (run.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"dependency audit SKIPPED: advisory source unreachable ({why})")
            return 0
    outcome = evaluate(report, ignores)
    print("\n".join(outcome.lines))
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(main())
