"""Incremental validation (validation_cache): after a change only the focus nodes it can reach
are checked again, the report equals a full validation without the cache, and a revert is a
cache hit. The number of focus nodes checked is the report's `focus_checked`."""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path

import pytest

from aigovkg import build as pipeline
from aigovkg import shacl_guard
from aigovkg.sources import locate
from aigovkg.sparql_safety import analyse
from aigovkg.validation_cache import CHILD_VERDICTS_FILE, ValidationCache

from .conftest import copy_tree


def _both(root: Path, cache: ValidationCache):
    """The cached validation's report and a full validation's, of the same parse."""
    tree = locate(root)
    loaded = pipeline.assemble(tree)
    _, incremental = pipeline.validate(tree, loaded, cache=cache)
    _, full = pipeline.validate(tree, loaded)
    return loaded, incremental, full


def _cached(root: Path, cache: ValidationCache):
    """The cached validation's report alone (where no full report is compared with it)."""
    tree = locate(root)
    return pipeline.validate(tree, pipeline.assemble(tree), cache=cache)[1]


def test_a_changed_file_is_revalidated_alone_and_a_revert_is_a_cache_hit(tmp_path: Path) -> None:
    root = copy_tree(tmp_path / "checkout")
    cache = ValidationCache.for_tree(locate(root))
    first = _cached(root, cache)
    assert first.conforms and first.mode == "full" and cache.path.is_file()

    act = root / "data" / "instruments" / "kr-ai-basic-act.ttl"
    original = act.read_text(encoding="utf-8")
    act.write_text(  # entry into force moved before passage (a SPARQL constraint)
        original.replace('"2026-01-22"^^xsd:date', '"2023-01-22"^^xsd:date'), encoding="utf-8"
    )
    loaded, changed, full = _both(root, cache)
    assert changed.mode == "incremental"
    assert not changed.conforms
    assert changed.violations == full.violations
    assert {Path(f).name for v in changed.violations for f in v.files} == {act.name}
    # Only what the changed statement can reach: the act and what points at it, not the
    # file's other subjects (33 of them) nor the graph.
    assert changed.focus_checked is not None
    assert 1 <= changed.focus_checked < len(loaded.subject_files) / 10

    act.write_text(original, encoding="utf-8")
    reverted = _cached(root, cache)
    assert reverted.conforms and reverted.violations == []
    assert (reverted.mode, reverted.focus_checked) == ("cached", 0)


def test_a_change_in_one_file_finds_the_violations_it_causes_in_others(tmp_path: Path) -> None:
    """Korea stops being a country: every signature, membership and instrument that names it
    (in files that did not change) now fails its sh:class / sh:or constraint."""
    root = copy_tree(tmp_path / "checkout")
    cache = ValidationCache.for_tree(locate(root))
    _cached(root, cache)
    countries = root / "data" / "parties" / "countries.ttl"
    text = countries.read_text(encoding="utf-8")
    assert "country:KR a aigov:Country ;" in text
    countries.write_text(
        text.replace("country:KR a aigov:Country ;", "country:KR a aigov:Mapping ;")
    )
    _, changed, full = _both(root, cache)
    assert changed.mode == "incremental"
    assert changed.violations == full.violations
    files = {Path(f).name for v in changed.violations for f in v.files}
    assert "ai-seoul-summit-2024.ttl" in files and "kr-ai-basic-act.ttl" in files


def test_a_stale_key_means_a_full_validation(tmp_path: Path) -> None:
    """Changed shapes invalidate everything: the cache is not consulted."""
    root = copy_tree(tmp_path / "checkout")
    cache = ValidationCache.for_tree(locate(root))
    _cached(root, cache)
    shapes = root / "shapes" / "labels.shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _, again, full = _both(root, cache)
    assert again.mode == "full" and again.violations == full.violations


def test_shapes_changed_under_a_process_that_validated_are_read_again(tmp_path: Path) -> None:
    """The tree's shapes are parsed and split once per process (validation_cache._shapes_of):
    a shape file edited between two validations of the same process is what both the full
    validation it causes and the incremental one after it check against."""
    root = copy_tree(tmp_path / "checkout")
    cache = ValidationCache.for_tree(locate(root))
    assert _cached(root, cache).conforms
    shapes = root / "shapes" / "party.shapes.ttl"
    text = shapes.read_text(encoding="utf-8")
    assert text.count('sh:pattern "^[A-Z]{2}$"') == 1
    shapes.write_text(text.replace('sh:pattern "^[A-Z]{2}$"', 'sh:pattern "^[A-Z]{3}$"'))
    _, again, full = _both(root, cache)
    assert again.mode == "full" and not again.conforms
    assert again.violations == full.violations
    act = root / "data" / "instruments" / "kr-ai-basic-act.ttl"
    act.write_text(act.read_text(encoding="utf-8").replace('"@en', ' (edited)"@en', 1))
    _, changed, full = _both(root, cache)
    assert changed.mode == "incremental" and not changed.conforms
    assert changed.violations == full.violations


def test_what_a_query_reads() -> None:
    """The keys a whole-graph query is re-run for; anything unbounded is None."""
    from aigovkg.validation_cache import read_keys

    typed = read_keys(
        "SELECT ?this WHERE { ?this a/rdfs:subClassOf* aigov:Instrument ; rdfs:label ?l }"
    )
    assert typed == [
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2000/01/rdf-schema#subClassOf",
        "type https://w3id.org/aigovkg/ontology#Instrument",
    ]
    assert read_keys("SELECT ?x WHERE { ?x a ?kind }") == ["type *"]
    assert read_keys("SELECT ?x WHERE { ?x ?p ?o }") is None
    assert read_keys("SELECT ?x WHERE { ?x !rdfs:label ?o }") is None
    assert read_keys("SELECT ?x WHERE { ?x rdfs:label ?o FILTER NOT EXISTS { ?x ?p ?x } }") is None


def test_the_next_process_children_reuse_the_safety_verdicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a validation's children parsed is kept beside the cache; a later process (its
    in-memory verdicts emptied here) validating in full parses none of it again, and gives the
    same report. A file written under other safety rules is not used."""
    root = copy_tree(tmp_path / "checkout")
    cache = ValidationCache.for_tree(locate(root))
    parsed: list[int] = []
    keep = shacl_guard._keep_child_verdicts
    monkeypatch.setattr(
        shacl_guard, "_keep_child_verdicts", lambda found: (parsed.append(len(found)), keep(found))
    )

    def full_in_a_new_process() -> tuple[object, int]:
        monkeypatch.setattr(shacl_guard, "_CHILD_VERDICTS", OrderedDict())
        analyse.cache_clear()  # a child inherits this process's own parses too
        cache.path.unlink(missing_ok=True)  # no cached state: a full validation
        report = _cached(root, cache)
        assert report.mode == "full"
        return report.violations, parsed[-1]

    first, parsed_first = full_in_a_new_process()
    book = cache.path.with_name(CHILD_VERDICTS_FILE)
    assert parsed_first > 0 and book.is_file()
    second, parsed_second = full_in_a_new_process()
    assert parsed_second == 0 and second == first
    record = json.loads(book.read_text(encoding="utf-8"))
    book.write_text(json.dumps({**record, "policy": "other rules"}), encoding="utf-8")
    third, parsed_third = full_in_a_new_process()
    assert parsed_third == parsed_first and third == first
