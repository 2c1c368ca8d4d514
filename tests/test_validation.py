"""Text checks that SHACL cannot express: Unicode NFC and a bound on literal length.

Valid/invalid pairs; an invalid case asserts the file, focus node, path and component.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from aigovkg import build as pipeline
from aigovkg import validation, validation_cache
from aigovkg.loader import load_files
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
    violations = text_violations(load_files([path]).triples)
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
    assert text_violations(loaded.triples) == []


def test_validate_reports_text_violations_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks are part of `validate` (and so of `build`); SHACL is stubbed out for speed."""
    root = copy_tree(tmp_path / "checkout")
    path = root / "data" / "parties" / "countries.ttl"
    text = path.read_text(encoding="utf-8")
    assert "Republic of Korea" in text
    path.write_text(text.replace("Republic of Korea", "Republic of Korea" + "\u0301", 1))
    long_text = "Japan" + "n" * MAX_LITERAL_CHARS
    assert '"Japan"@en' in text
    path.write_text(
        text.replace("Republic of Korea", "Republic of Korea" + "\u0301", 1).replace(
            '"Japan"@en', f'"{long_text}"@en', 1
        )
    )
    # build imports run_shacl from validation when it validates; the cache imported it at start
    for module in (validation, validation_cache):
        monkeypatch.setattr(module, "run_shacl", lambda *args, **kwargs: ValidationReport())
    tree = locate(root)
    loaded, report = pipeline.validate(tree)
    assert not report.conforms
    assert sorted((v.component, v.files) for v in report.violations) == [
        (LENGTH_COMPONENT, (str(path),)),
        (NFC_COMPONENT, (str(path),)),
    ]
    # the validation cache keeps each file's text violations (from its statements, not a graph)
    _, cached = pipeline.validate(
        tree, loaded, cache=validation_cache.ValidationCache.for_tree(tree)
    )
    assert cached.violations == report.violations


def test_validating_one_file_equals_the_full_report_filtered_to_it(tmp_path: Path) -> None:
    """`validate PATH` checks only the nodes PATH describes; the answer must be exactly the
    full validation's violations about PATH (a cross-file constraint included: the entry into
    force moved before passage is compared with an event in the same file, the signature's
    signatory is described in another file)."""
    root = copy_tree(tmp_path / "checkout")
    act = root / "data" / "instruments" / "kr-ai-basic-act.ttl"
    act.write_text(
        act.read_text(encoding="utf-8").replace('"2026-01-22"^^xsd:date', '"2023-01-22"^^xsd:date'),
        encoding="utf-8",
    )
    countries = root / "data" / "parties" / "countries.ttl"
    text = countries.read_text(encoding="utf-8")
    countries.write_text(text.replace("Republic of Korea", "Republic of Korea\u0301", 1))
    tree = locate(root)
    loaded, full = pipeline.validate(tree)
    assert {Path(f).name for v in full.violations for f in v.files} >= {
        "kr-ai-basic-act.ttl",
        "countries.ttl",
    }
    for path in (act, countries, root / "data" / "summits" / "ai-seoul-summit-2024.ttl"):
        _, one = pipeline.validate(tree, loaded, only_files=[path])
        expected = [v for v in full.violations if str(path.resolve()) in v.files]
        assert one.violations == expected, path.name
