"""The store the incremental validation keeps on disk (validation_store): every kind of change
to the sources, a damaged, missing or held store, and the next validation in a long-lived
process. In a module of its own so that xdist runs it beside the cache tests, not after them."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import aigovkg
from aigovkg.sources import locate
from aigovkg.validation_cache import ValidationCache

from .conftest import copy_tree
from .test_validation_cache import _both, _cached


def test_edits_deletions_and_new_files_equal_a_full_validation(tmp_path: Path) -> None:
    """The store kept between runs follows every kind of change: a file edited twice, a file
    deleted (what pointed at its subjects now dangles), a file added (with an untyped subject,
    an integrity check's violation)."""
    root = copy_tree(tmp_path / "checkout")
    cache = ValidationCache.for_tree(locate(root))
    _cached(root, cache)
    act = root / "data" / "instruments" / "kr-ai-basic-act.ttl"
    original = act.read_text(encoding="utf-8")
    for label in ("first", "second"):
        act.write_text(original.replace('"@en', f' ({label})"@en', 1), encoding="utf-8")
        _, changed, full = _both(root, cache)
        assert changed.mode == "incremental" and changed.violations == full.violations

    sources = root / "data" / "sources" / "international.ttl"
    sources.unlink()
    _, changed, full = _both(root, cache)
    assert changed.mode == "incremental"
    assert not changed.conforms and changed.violations == full.violations

    extra = root / "data" / "instruments" / "zz-new.ttl"
    extra.write_text(
        "<https://w3id.org/aigovkg/id/instrument/zz-new> "
        '<http://www.w3.org/2000/01/rdf-schema#label> "New"@en .\n',
        encoding="utf-8",
    )
    _, changed, full = _both(root, cache)
    assert changed.mode == "incremental" and changed.violations == full.violations
    assert any(
        v.shape == "untyped-subject" and v.focus.endswith("/zz-new") for v in changed.violations
    )


def test_a_change_reaches_the_checks_of_nodes_in_other_files(tmp_path: Path) -> None:
    """A source stops being an aigov:Source: claims in other files that cite it are checked
    again (claim-without-source reads `?this dcterms:source ?s . ?s a aigov:Source`: the
    changed statement is two steps from their ?this)."""
    root = copy_tree(tmp_path / "checkout")
    cache = ValidationCache.for_tree(locate(root))
    _cached(root, cache)
    sources = root / "data" / "sources" / "international.ttl"
    text = sources.read_text(encoding="utf-8")
    stated = "source:ansa-g7-ai-code-of-conduct a aigov:Source ;"
    assert stated in text
    sources.write_text(text.replace(stated, stated.replace("aigov:Source", "aigov:Mapping")))
    _, changed, full = _both(root, cache)
    assert changed.mode == "incremental"
    assert not changed.conforms and changed.violations == full.violations
    assert {Path(f).name for v in changed.violations for f in v.files} - {sources.name}


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path: Path) -> None:
    """Unchanged files are not read again when their stat stamp is the recorded one; an edit
    of the same length whose mtime is set back still changes the ctime, so it is read."""
    root = copy_tree(tmp_path / "checkout")
    cache = ValidationCache.for_tree(locate(root))
    time.sleep(2.1)  # older than the racy window: the first run records the stamps
    _cached(root, cache)
    act = root / "data" / "instruments" / "kr-ai-basic-act.ttl"
    before = act.stat()
    text = act.read_text(encoding="utf-8")
    edited = text.replace('"2026-01-22"^^xsd:date', '"2023-01-22"^^xsd:date')
    assert len(edited) == len(text) and edited != text
    act.write_text(edited, encoding="utf-8")
    os.utime(act, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = _cached(root, cache)
    assert report.mode == "incremental" and not report.conforms
    assert {v.focus for v in report.violations} >= {
        "https://w3id.org/aigovkg/id/instrument/kr-ai-basic-act"
    }


_MODE = (
    "from aigovkg import build; from aigovkg.sources import locate; "
    "from aigovkg.validation_cache import ValidationCache; t = locate(); "
    "r = build.validate_changes(t, ValidationCache.for_tree(t)); print(r.mode, r.conforms)"
)


def _mode_in_new_process(root: Path) -> str:
    """The report's mode and verdict from a new interpreter running this checkout's package."""
    env = {**os.environ, "PYTHONPATH": str(Path(aigovkg.__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", _MODE], cwd=root, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_damaged_or_missing_store_means_a_full_validation(tmp_path: Path) -> None:
    """Each in a new process, as `aigovkg validate` runs: the store's manifest removed, its
    files overwritten with garbage, the store removed: a full validation each time, no crash,
    and the next run is incremental again."""
    root = copy_tree(tmp_path / "checkout")
    tree = locate(root)
    cache = ValidationCache.for_tree(tree)
    store = cache.path.parent / "validation-store"
    assert _mode_in_new_process(root) == "full True"
    assert store.is_dir() and store.with_name("validation-store.json").is_file()
    act = root / "data" / "instruments" / "kr-ai-basic-act.ttl"
    original = act.read_text(encoding="utf-8")
    for damage, label in (
        (lambda: store.with_name("validation-store.json").unlink(), "manifest"),
        (lambda: [p.write_bytes(b"garbage") for p in store.iterdir() if p.is_file()], "files"),
        (lambda: shutil.rmtree(store), "store"),
    ):
        act.write_text(original.replace('"@en', f' ({label})"@en', 1), encoding="utf-8")
        damage()
        assert _mode_in_new_process(root) == "full True", label
    act.write_text(original, encoding="utf-8")
    assert _mode_in_new_process(root) == "incremental True"


def test_a_store_held_by_another_validation_means_a_full_validation(tmp_path: Path) -> None:
    """Two validations at once: the second does not wait for or touch the store the first
    holds; it validates in full without it."""
    from aigovkg.validation_store import SourceStore

    root = copy_tree(tmp_path / "checkout")
    cache = ValidationCache.for_tree(locate(root))
    _cached(root, cache)
    act = root / "data" / "instruments" / "kr-ai-basic-act.ttl"
    act.write_text(act.read_text(encoding="utf-8").replace('"@en', ' (held)"@en', 1))
    other = SourceStore(cache.path.parent / "validation-store")
    assert other.lock()
    try:
        report = _cached(root, cache)
    finally:
        other.unlock()
    assert report.mode == "full" and report.conforms
    assert _cached(root, cache).mode == "cached"  # the state the full run validated


def test_the_next_validation_in_this_process_is_incremental(tmp_path: Path) -> None:
    """A large process (a test worker, a server that rebuilds) collects reference cycles
    rarely, and the last validation's store handle can live in one: the next validation must
    still open the store and stay incremental. The collector is off here, as it is in effect
    between a large process's full collections."""
    root = copy_tree(tmp_path / "checkout")
    cache = ValidationCache.for_tree(locate(root))
    act = root / "data" / "instruments" / "kr-ai-basic-act.ttl"
    gc.disable()
    try:
        assert _cached(root, cache).mode == "full"
        act.write_text(act.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
        assert _cached(root, cache).mode in ("incremental", "cached")
        act.write_text(
            act.read_text(encoding="utf-8").replace(
                '"2026-01-22"^^xsd:date', '"2023-01-22"^^xsd:date'
            ),
            encoding="utf-8",
        )
        again = _cached(root, cache)
    finally:
        gc.enable()
    assert again.mode == "incremental" and not again.conforms
