"""The validated sources kept on disk between validations, one named graph per source file.

Re-validating one changed file must not parse, index and load the thousands of files that did
not change (about 5 s, 2 s and 4 s at a million triples). This store (pyoxigraph on disk, beside
the validation cache) holds the statements the last validation saw, one named graph per file,
and is brought up to date by replacing the graphs of the files that changed; what a changed file
now states differently (`Change`) is all an incremental validation needs to know.

Which files changed is told without reading them: the manifest keeps, per file, the digest of
the bytes the store holds and the file's stat stamp (size, inode, mtime, ctime). A file whose
stamp is unchanged is not read; any write changes its ctime, which no user call can set back
(git's index relies on the same). A stamp taken within RACY_NS of the recording is not trusted
(a second write in the same clock tick would keep it), as git treats "racily clean" entries.

A stale store is never used: the manifest is removed before the store is changed and written
after it is flushed, so a killed update leaves no manifest; a store without a manifest, with
another key, or that does not open (corrupt, locked by another run) is not used (`open`
returns None) and the caller validates in full and rebuilds it.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

ADDED_GRAPH = "urn:aigovkg:validation:added"  # what the build adds (version statements)
RACY_NS = 2_000_000_000
# id() and directory inode of the last handle opened per directory (no reference to it)
_HANDLES: dict[Path, tuple[int, int]] = {}
_OPEN: dict[Path, tuple[int, ox.Store]] = {}  # the stores this process holds (see `open`)
FORMAT = 1


def graph_of(path: Path) -> ox.NamedNode:
    """The named graph holding one file's statements."""
    if not path.is_absolute():  # depends on the working directory: not kept
        return ox.NamedNode(path.absolute().as_uri())
    found = _GRAPHS.get(path)
    if found is None:  # Path.as_uri is about 30 µs: every file's graph is named on every run
        if len(_GRAPHS) >= 100_000:
            _GRAPHS.clear()
        found = _GRAPHS[path] = ox.NamedNode(path.as_uri())
    return found


_GRAPHS: dict[Path, ox.NamedNode] = {}


def stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Change:
    """What the changed files state differently: statements added and removed (per file, so
    a statement still stated by another file counts too: a superset of the union's change)."""

    added: set[ox.Triple] = field(default_factory=set)
    removed: set[ox.Triple] = field(default_factory=set)
    files: list[str] = field(default_factory=list)  # the files that changed, by name
    blank: bool = False  # a changed file has blank nodes: its statements cannot be matched

    @property
    def triples(self) -> set[ox.Triple]:
        return self.added | self.removed


class SourceStore:
    """The store directory and its manifest (`<directory>.json`)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.manifest_path = directory.with_name(directory.name + ".json")

    def lock(self) -> bool:
        """Hold the store for this process (until it exits or `unlock`); False when another
        validation holds it: then this one validates without it."""
        import fcntl

        self.directory.parent.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.directory.with_name(self.directory.name + ".lock"), "w")  # noqa: SIM115
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            return False
        return True

    def unlock(self) -> None:
        """Close the store (no handle outlives a validation: another process may open it
        next) and let other validations in."""
        _OPEN.pop(self.directory, None)
        with contextlib.suppress(AttributeError, OSError):
            self._lock.close()

    def manifest(self, key: str) -> dict | None:
        """The manifest when it belongs to `key` and the store it describes is complete."""
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None
        return data if isinstance(data.get("files"), dict) else None

    @staticmethod
    def digests(
        files: Iterable[Path], manifest: dict | None
    ) -> tuple[dict[str, str], dict[str, list[int]]]:
        """Every file's digest (the manifest's when the file's stamp is the recorded one) and
        its stamp, taken before it is read (a write during the read changes it again)."""
        known = manifest["files"] if manifest else {}
        digests: dict[str, str] = {}
        stamps: dict[str, list[int]] = {}
        for path in files:
            name = str(path)
            record = known.get(name)
            stamps[name] = stamp(path)
            if record and record[1] is not None and record[1] == stamps[name]:
                digests[name] = record[0]
            else:
                digests[name] = digest(path)
        return digests, stamps

    def open(self) -> ox.Store | None:
        """The store for writing, or None when it cannot be opened (missing, corrupt, locked).

        Kept open until `unlock` (a database opens once per process: a second open of the
        same directory fails while the first handle lives), unless the directory was replaced
        since."""
        try:
            inode = self.directory.stat().st_ino
        except OSError:
            _OPEN.pop(self.directory, None)
            return None
        known = _OPEN.get(self.directory)
        if known is not None and known[0] == inode:
            return known[1]
        _OPEN.pop(self.directory, None)
        try:
            store = _open_store(self.directory, reclaim=True)
        except (OSError, ValueError, RuntimeError):
            return None
        _OPEN[self.directory] = (inode, store)
        return store

    def invalidate(self) -> None:
        """From now until `commit`, the store is not to be trusted."""
        with contextlib.suppress(FileNotFoundError):
            self.manifest_path.unlink()

    def rebuild(
        self, triples: dict[Path, list[ox.Triple]], added: Iterable[ox.Triple]
    ) -> ox.Store | None:
        """A new store of these files' statements (None when the directory cannot be used)."""
        self.invalidate()
        _OPEN.pop(self.directory, None)  # the last handle: the database closes
        shutil.rmtree(self.directory, ignore_errors=True)
        try:
            self.directory.parent.mkdir(parents=True, exist_ok=True)
            store = _open_store(self.directory)
            # One bulk load: each call writes its own sorted files (0.1 s per file at 100k).
            store.bulk_extend(
                itertools.chain(
                    (q for path, part in triples.items() for q in _quads(part, graph_of(path))),
                    _quads(added, ox.NamedNode(ADDED_GRAPH)),
                )
            )
            store.flush()
            _OPEN[self.directory] = (self.directory.stat().st_ino, store)
        except (OSError, ValueError, RuntimeError):
            return None
        return store

    def update(
        self, store: ox.Store, new: dict[Path, list[ox.Triple] | None], added: Iterable[ox.Triple]
    ) -> Change:
        """Replace the graphs of the changed files (None: the file is gone); the difference."""
        change = Change()
        if new:
            self.invalidate()
        for path, triples in new.items():
            graph = graph_of(path)
            old = {q.triple for q in store.quads_for_pattern(None, None, None, graph)}
            now = set(triples or ())
            change.files.append(str(path))
            change.added |= now - old
            change.removed |= old - now
            change.blank = change.blank or any(_blank(t) for t in old | now)
            store.remove_graph(graph) if triples is None else store.clear_graph(graph)
            if triples is not None:
                store.extend(_quads(now, graph))
        build = ox.NamedNode(ADDED_GRAPH)
        wanted = set(added)
        if {q.triple for q in store.quads_for_pattern(None, None, None, build)} != wanted:
            self.invalidate()
            store.clear_graph(build)
            store.extend(_quads(wanted, build))
        return change

    def commit(
        self,
        store: ox.Store,
        key: str,
        state: str,
        digests: dict[str, str],
        stamps: dict[str, list[int]],
    ) -> None:
        """Flush the store, then record what it holds: each file's digest and, unless it was
        written within RACY_NS of now, its stamp."""
        store.flush()
        now = time.time_ns()
        records = {
            name: [digests[name], stamps[name] if now - max(stamps[name][2:]) > RACY_NS else None]
            for name in digests
        }
        data = {"format": FORMAT, "key": key, "state": state, "files": records}
        partial = self.manifest_path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        partial.replace(self.manifest_path)


def _open_store(directory: Path, reclaim: bool = False) -> ox.Store:
    """The database in `directory`, opened even when this process's previous handle is not
    freed yet. `unlock` drops the handle, but it can stay alive: in a reference cycle (an
    exception's traceback reaching the frames of the validation that held it, as rdflib's
    parser leaves), freed only when the cyclic collector runs, which in a large process can be
    much later, or held longer still (seen in a test worker after a collection). RocksDB
    refuses a second open in the same process ("lock hold by current process"), which made
    the next validation a full one. A refusal is answered by one collection and one more try;
    then, with `reclaim`, by taking back the handle this process still holds (found by the
    identity recorded when it was opened), so the next validation stays incremental."""
    try:
        store = ox.Store(str(directory))
    except OSError:
        gc.collect()
        try:
            store = ox.Store(str(directory))
        except OSError:
            held = _still_held(directory) if reclaim else None
            if held is None:
                raise
            store = held
    _HANDLES[directory] = (id(store), directory.stat().st_ino)
    return store


def _still_held(directory: Path) -> ox.Store | None:
    """The live handle this process opened last on `directory`, if it is still alive, the
    directory is the one it opened (not replaced since: the handle would read deleted files)
    and no other directory's handle has taken its identity since."""
    record = _HANDLES.get(directory)
    if record is None or record[1] != directory.stat().st_ino:
        return None
    wanted = record[0]
    if [known for known, _inode in _HANDLES.values()].count(wanted) != 1:
        return None
    return next((o for o in gc.get_objects() if id(o) == wanted and isinstance(o, ox.Store)), None)


def _quads(triples: Iterable[ox.Triple], graph: ox.NamedNode) -> Iterator[ox.Quad]:
    return (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)


def _blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


__all__ = ["ADDED_GRAPH", "Change", "SourceStore", "graph_of"]
