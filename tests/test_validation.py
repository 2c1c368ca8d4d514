"""Text checks that SHACL cannot express: Unicode NFC and a bound on literal length.

Valid/invalid pairs; an invalid case asserts the file, focus node, path and component.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from aigovkg import build as pipeline
from aigovkg.loader import parse_turtle
from aigovkg.sources import locate
from aigovkg.validation import (
    LENGTH_COMPONENT,
    MAX_LITERAL_CHARS,
    NFC_COMPONENT,
    ValidationReport,
    text_violations,
)

from .conftest import copy_tree

SUBJECT = "https://w3id.org/aigovkg/id/instrument/x"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DECOMPOSED = unicodedata.normalize("NFD", "Café")  # 'e' + combining acute accent


def turtle(label: str, subject: str = SUBJECT) -> str:
    return f'<{subject}> <{LABEL}> "{label}"@en .\n'


CASES = {
    "nfc-literal": (turtle("Café"), None),
    "nfd-literal": (turtle(DECOMPOSED), NFC_COMPONENT),
    "nfc-iri": (turtle("x", SUBJECT + "-café"), None),
    "nfd-iri": (turtle("x", SUBJECT + "-" + DECOMPOSED), NFC_COMPONENT),
    "longest-allowed": (turtle("a" * MAX_LITERAL_CHARS), None),
    "one-too-long": (turtle("a" * (MAX_LITERAL_CHARS + 1)), LENGTH_COMPONENT),
}


@pytest.mark.parametrize("case", CASES)
def test_text_checks(tmp_path: Path, case: str) -> None:
    text, component = CASES[case]
    path = tmp_path / f"{case}.ttl"
    path.write_text(text, encoding="utf-8")
    violations = text_violations({path: parse_turtle(path)})
    if component is None:
        assert violations == []
        return
    assert [v.component for v in violations] == [component]
    (found,) = violations
    assert found.files == (str(path),)
    assert found.focus.startswith(SUBJECT)
    assert found.path == LABEL
    assert found.severity == "Violation"


def test_the_real_sources_pass_the_text_checks(loaded) -> None:
    assert text_violations(loaded.parts) == []


def test_validate_reports_text_violations_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks are part of `validate` (and so of `build`); SHACL is stubbed out for speed."""
    root = copy_tree(tmp_path / "checkout")
    path = root / "data" / "parties" / "countries.ttl"
    text = path.read_text(encoding="utf-8")
    assert "Republic of Korea" in text
    path.write_text(text.replace("Republic of Korea", "Republic of Korea" + "\u0301", 1))
    monkeypatch.setattr(pipeline, "run_shacl", lambda *args: ValidationReport())
    _, report = pipeline.validate(locate(root))
    assert not report.conforms
    assert [(v.component, v.files) for v in report.violations] == [(NFC_COMPONENT, (str(path),))]
