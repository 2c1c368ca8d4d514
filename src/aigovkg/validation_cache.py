"""Incremental validation: re-check only what a change can affect, reuse the rest from a cache.

A full validation (build.validate) is three kinds of check, and each is cached by what it reads:

- text checks (Unicode NFC, literal length) read one file: cached per file, by its digest;
- pySHACL's core constraints read, for one focus node, the triples along the shapes' paths from
  it: cached per focus node and re-run for the nodes a change can reach (rule 4);
- the store's SPARQL constraints and SPARQL targets (shacl_sparql) and the `queries/checks`
  integrity queries may read anything the query names: each is cached whole and re-run, on the
  whole graph, when a changed file states something it reads (rule 5).

The cache (`dist.cache/validation.json`) keeps the last KEEP validated states of the inputs (the
digest of every file): validating a state seen before, a revert for instance, is a cache hit.
Otherwise the newest state is the base, and the files whose digest differs from it changed.
The rules that keep a stale cache from hiding a violation:

1. The cache is used only under the same key: package version, format, the bytes of every shape
   file and integrity-check query, the source of the validating modules, pySHACL's version, the
   source tree's root and the whole class hierarchy. Any difference is a full validation.
2. A changed file that holds schema (a file in ontology/, or any rdfs:subClassOf,
   rdfs:subPropertyOf or owl:equivalentClass statement, before or after the change) is a full
   validation: class membership (`sh:class`, `sh:targetClass`) reads it for every node.
3. So are shapes the analysis cannot bound (`Reach`): a SPARQL constraint or target left to
   pySHACL, SHACL-AF expressions, rules or JavaScript, custom constraint components, or a path
   of unbounded length (`sh:zeroOrMorePath`...) or a cycle of shapes.
4. Otherwise the shapes bound how far a focus node's core constraints read: `depth` steps along
   the predicates of their paths (`forward`; `inverse` ones against the arrow). A statement
   (s, p, o) of a changed file's old or new version can only be read from a node within
   `depth` steps of s (or of o, when p is walked against the arrow or is an
   `sh:targetObjectsOf` predicate). Those nodes are found by walking back from the seeds
   (subjects, and such objects, of the changed files' old and new versions: the old ones come
   from the cache), and together with every node whose SPARQL-target membership changed they
   are validated again, on the statements within `depth` + 1 steps of them plus the ontology:
   exactly what their constraints read. Every other node's results are the cached ones.
5. A whole-graph query is re-run when the keys of what it reads (`read_keys`, from its algebra:
   the predicates of its patterns and paths, and `type C` for a class it names, matched by any
   statement typing a node with C or a subclass of C) meet the keys of what a changed file
   states, before or after the change. A variable predicate, a negated path or a query the
   analysis cannot parse reads everything: re-run on every change. The store is built only
   when some query has to run.

Reused results name the files that describe their focus node now. The cache is written aside
and renamed: a killed run leaves the old cache or the new one.

tests/test_validation_cache.py checks that an incremental report equals a full one after a
change that introduces a violation, and after the revert (a cache hit).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.paths import Path as RdfPath
from rdflib.term import Node

if TYPE_CHECKING:
    from .shacl_sparql import Plan

from .loader import LoadedGraph
from .namespaces import SH, bind_prefixes
from .queries import QueryFile, list_queries
from .sources import SourceTree
from .store import OxigraphBackend, to_oxigraph
from .validation import ValidationReport, Violation, _short, run_shacl, text_violations
from .version import __version__

FORMAT = 1
KEEP = 3  # states kept: a revert to any of them is a cache hit
SPARQL_COMPONENT = "sh:SPARQLConstraintComponent"
_TYPE = str(RDF.type)
_SUBCLASS = str(RDFS.subClassOf)
_ANY_TYPE = "type *"
_SCHEMA_PREDICATES = frozenset(
    str(p) for p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass)
)
_NESTED = (SH.node, SH.property, SH.qualifiedValueShape, SH["not"])
_NESTED_LISTS = (SH["and"], SH["or"], SH.xone)
# Shape features whose reads the analysis does not bound: their presence means a full validation.
_UNBOUNDED = (
    SH.sparql,
    SH.target,
    SH.expression,
    SH.rule,
    SH.js,
    SH.zeroOrMorePath,
    SH.oneOrMorePath,
    SH.zeroOrOnePath,
)


@dataclass(frozen=True)
class Reach:
    """How far the core constraints read from a focus node (see the module docstring)."""

    depth: int
    forward: frozenset[str]
    inverse: frozenset[str]


def reach(core: Graph) -> Reach | None:
    """The reach of the shapes pySHACL evaluates (`shacl_sparql.plan(...).core`); None when it
    is not bounded."""
    if any(True for p in _UNBOUNDED for _ in core.subject_objects(p)):
        return None
    if any(True for _ in core.subjects(RDF.type, SH.ConstraintComponent)):
        return None
    forward: set[str] = set()
    inverse: set[str] = {str(p) for p in core.objects(None, SH.targetObjectsOf)}
    shapes = {
        *core.subjects(RDF.type, SH.NodeShape),
        *core.subjects(RDF.type, SH.PropertyShape),
        *core.subjects(SH.path, None),
        *core.subjects(SH.targetClass, None),
    }
    memo: dict[Node, int | None] = {}
    deepest = 0
    for shape in shapes:
        found = _depth(core, shape, memo, (), forward, inverse)
        if found is None:
            return None
        deepest = max(deepest, found)
    return Reach(deepest, frozenset(forward), frozenset(inverse))


def _depth(
    core: Graph,
    shape: Node,
    memo: dict[Node, int | None],
    stack: tuple[Node, ...],
    forward: set[str],
    inverse: set[str],
) -> int | None:
    if shape in stack:
        return None  # recursive shapes: unbounded
    if shape in memo:
        return memo[shape]
    own = 0
    path = core.value(shape, SH.path)
    if path is not None:
        walked = _path(core, path, forward, inverse)
        if walked is None:
            return None
        own = walked
    nested = [n for p in _NESTED for n in core.objects(shape, p)]
    for p in _NESTED_LISTS:
        for head in core.objects(shape, p):
            nested.extend(Collection(core, head))
    inner = 1  # the value nodes' own statements (their rdf:type for sh:class)
    for node in nested:
        found = _depth(core, node, memo, (*stack, shape), forward, inverse)
        if found is None:
            return None
        inner = max(inner, found)
    memo[shape] = own + inner
    return memo[shape]


def _path(core: Graph, path: Node, forward: set[str], inverse: set[str]) -> int | None:
    """The length of a SHACL path, recording its predicates; None when unbounded or unknown."""
    if isinstance(path, URIRef):
        forward.add(str(path))
        return 1
    if (path, RDF.first, None) in core:
        lengths = [_path(core, step, forward, inverse) for step in Collection(core, path)]
        return None if None in lengths else sum(lengths)  # type: ignore[arg-type]
    inner = core.value(path, SH.inversePath)
    if inner is not None:
        # Walked against the arrow: record on the other side (a conservative swap for paths).
        mirror_f: set[str] = set()
        mirror_i: set[str] = set()
        length = _path(core, inner, mirror_f, mirror_i)
        inverse.update(mirror_f)
        forward.update(mirror_i)
        return length
    alternatives = core.value(path, SH.alternativePath)
    if alternatives is not None:
        lengths = [_path(core, step, forward, inverse) for step in Collection(core, alternatives)]
        return None if None in lengths else max(lengths, default=0)  # type: ignore[type-var]
    return None


@dataclass
class ValidationCache:
    """The cache file of one source tree; `validate` reads it, validates, and rewrites it."""

    path: Path

    @classmethod
    def for_tree(cls, tree: SourceTree) -> ValidationCache:
        """Beside the build output (`dist.cache/`, git-ignored), so it survives rebuilds."""
        return cls(tree.dist.parent / f"{tree.dist.name}.cache" / "validation.json")

    def validate(
        self,
        tree: SourceTree,
        loaded: LoadedGraph,
        shapes: Graph,
        run_checks: Callable[..., None],
    ) -> ValidationReport:
        """The full validation's report (equal to build.validate without a cache).

        `run_checks(tree, loaded, backend, report, only, files_of)` is build._run_checks."""
        from .build import union_backend
        from .shacl_sparql import plan, target_nodes

        split = plan(shapes)
        bounds = reach(split.core)
        key = _key(tree)
        digests = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in loaded.files}
        state_id = hashlib.sha256(json.dumps(sorted(digests.items())).encode()).hexdigest()
        index = _Index(loaded)
        supers = index.superclasses()
        key = hashlib.sha256(f"{key} {json.dumps(sorted(supers.items()))}".encode()).hexdigest()
        old = self._read()
        usable = bounds is not None and old.get("key") == key
        pool: dict[str, dict] = old.get("pool", {}) if usable else {}
        states: list[dict] = old.get("states", []) if usable else []
        checks = {c.id: c for c in list_queries(tree, "checks")}
        reads: dict[str, dict[str, list[str] | None]] = (
            old["reads"] if usable else _reads(split, checks)
        )
        entries = {
            str(path): pool.get(_pooled(str(path), digests[str(path)]))
            or _file_entry(tree, path, loaded, digests[str(path)], bounds, supers)
            for path in loaded.files
        }
        same = next((s for s in states if s["id"] == state_id), None)
        if same is not None:  # these very inputs were validated before: a cache hit
            report = _report(same, entries, list(checks), SubjectFiles(loaded))
            report.mode, report.focus_checked = "cached", 0
            self._write(key, reads, pool, entries, [same, *(s for s in states if s is not same)])
            return report
        base = states[0] if states else None
        before = {n: pool[_pooled(n, d)] for n, d in (base or {}).get("files", {}).items()}
        changed = sorted(
            n
            for n in set(digests) | set(before)
            if digests.get(n) != before.get(n, {}).get("digest")
        )
        touched = [e for n in changed for e in (entries.get(n), before.get(n)) if e]
        backends: list[OxigraphBackend] = []

        def backend() -> OxigraphBackend:  # built only when a query has to run
            if not backends:
                backends.append(union_backend(loaded))
            return backends[0]

        files_of = SubjectFiles(loaded)
        if base is None or bounds is None or any(e["schema"] for e in touched):
            targets = target_nodes(split, backend())
            report = run_shacl(None, shapes, files_of, backend=backend(), targets=targets)
            found = ValidationReport()
            run_checks(tree, loaded, backend(), found, None, files_of)
            core = [v for v in report.violations if v.component != SPARQL_COMPONENT]
            state = _state(state_id, digests, core, report, found, targets)
            focus_checked = None
        else:
            delta = {k for e in touched for k in e["keys"]}

            def stale(reads_of: list[str] | None) -> bool:
                return reads_of is None or not delta.isdisjoint(reads_of)

            rerun = {s for s, r in reads["sparql"].items() if stale(r)}
            targets = {URIRef(s): [URIRef(n) for n in ns] for s, ns in base["targets"].items()}
            fresh_targets = {s for s, r in reads["targets"].items() if stale(r)}
            if fresh_targets:
                sub = dataclasses.replace(
                    split,
                    targets={s: q for s, q in split.targets.items() if str(s) in fresh_targets},
                )
                targets.update(target_nodes(sub, backend()))
            seeds = {s for e in touched for s in e["seeds"]}
            moved = {
                iri
                for shape, nodes in targets.items()
                for iri in {str(n) for n in nodes} ^ set(base["targets"].get(str(shape), []))
            }
            affected = _walk_back(index, seeds, bounds) | moved
            report = run_shacl(
                _neighbourhood(tree, loaded, index, affected, bounds),
                shapes,
                files_of,
                focus_nodes=[URIRef(iri) for iri in sorted(affected)],
                backend=backend() if rerun else None,
                sparql_everywhere=True,
                targets=targets,
                sparql_shapes={c.shape for c in split.constraints if _short(c.shape) in rerun},
            )
            found = ValidationReport()
            again = {i for i, r in reads["checks"].items() if stale(r)}
            if again:
                run_checks(tree, loaded, backend(), found, lambda c: c.id in again, files_of)
            fresh = [v for v in report.violations if v.component != SPARQL_COMPONENT]
            kept = [v for v in map(_violation, base["core"]) if v.focus not in affected]
            state = _state(state_id, digests, kept + fresh, report, found, targets)
            for kind, ran in (("sparql", rerun), ("checks", again)):
                for name, records in base[kind].items():
                    if name not in ran:
                        state[kind][name] = records
            focus_checked = len(affected)
        self._write(key, reads, pool, entries, [state, *states])
        report = _report(state, entries, list(checks), files_of)
        report.mode = "full" if focus_checked is None else "incremental"
        report.focus_checked = focus_checked
        return report

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("format") == FORMAT else {}

    def _write(
        self,
        key: str,
        reads: dict[str, dict[str, list[str] | None]],
        pool: dict[str, dict],
        entries: dict[str, dict],
        states: list[dict],
    ) -> None:
        """The newest KEEP states and the file entries they name; written aside and renamed,
        so a killed run leaves the old cache or the new one."""
        states = states[:KEEP]
        for name, entry in entries.items():
            pool[_pooled(name, entry["digest"])] = entry
        wanted = {_pooled(n, d) for state in states for n, d in state["files"].items()}
        data = {
            "format": FORMAT,
            "key": key,
            "reads": reads,
            "pool": {k: v for k, v in pool.items() if k in wanted},
            "states": states,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        partial.replace(self.path)


def _pooled(name: str, digest: str) -> str:
    return f"{digest} {name}"


def _key(tree: SourceTree) -> str:
    """Everything that decides a report besides the data (rule 1)."""
    import pyshacl

    digest = hashlib.sha256(f"{__version__} {FORMAT} {pyshacl.__version__} {tree.root}".encode())
    here = Path(__file__).parent
    sources = [
        here / n
        for n in ("validation.py", "shacl_sparql.py", "shacl_core.py", "validation_cache.py")
    ]
    checks = sorted((tree.queries_dir / "checks").glob("*.rq"))
    for path in [*tree.shape_files(), *checks, *sources]:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _file_entry(
    tree: SourceTree,
    path: Path,
    loaded: LoadedGraph,
    digest: str,
    bounds: Reach | None,
    supers: dict[str, list[str]],
) -> dict:
    """What the cache keeps of a file: digest, seeds (rule 4), the keys of what it states (the
    predicates, and `type C` for every class C of a subject and its superclasses; matched
    against what a whole-graph query reads), schema flag (rule 2), its text violations."""
    triples = loaded.triples[path]
    inverse = bounds.inverse if bounds is not None else frozenset()
    seeds = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    seeds |= {
        t.object.value
        for t in triples
        if t.predicate.value in inverse and isinstance(t.object, ox.NamedNode)
    }
    keys: set[str] = set()
    for t in triples:
        if t.predicate.value == _TYPE and isinstance(t.object, ox.NamedNode):
            keys.add(_ANY_TYPE)
            keys.update(f"type {c}" for c in (t.object.value, *supers.get(t.object.value, ())))
        else:
            keys.add(t.predicate.value)
    schema = path.resolve().is_relative_to(tree.ontology_dir.resolve()) or any(
        t.predicate.value in _SCHEMA_PREDICATES for t in triples
    )
    part = Graph()
    for triple in triples:
        part.store.add(loaded.terms.triple(triple), part, quoted=False)
    return {
        "digest": digest,
        "seeds": sorted(seeds),
        "keys": sorted(keys),
        "schema": schema,
        "text": [_record(v) for v in text_violations({path: part})],
    }


class _Index:
    """Every statement by subject and by (IRI) object: the walks of rule 4 without a store."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self.outgoing: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = {}
        self.incoming: dict[ox.NamedNode, list[ox.Triple]] = {}
        self.subclass: list[ox.Triple] = []
        for triple in loaded.union():
            self.outgoing.setdefault(triple.subject, []).append(triple)  # type: ignore[arg-type]
            if isinstance(triple.object, ox.NamedNode):
                self.incoming.setdefault(triple.object, []).append(triple)
            if triple.predicate.value in _SCHEMA_PREDICATES:
                self.subclass.append(triple)

    def superclasses(self) -> dict[str, list[str]]:
        """Class -> every class above it (rdfs:subClassOf, transitively)."""
        parents: dict[str, set[str]] = {}
        for t in self.subclass:
            subject, parent = t.subject, t.object
            if (
                t.predicate.value == _SUBCLASS
                and isinstance(parent, ox.NamedNode)
                and isinstance(subject, ox.NamedNode)
            ):
                parents.setdefault(subject.value, set()).add(parent.value)
        closure: dict[str, list[str]] = {}
        for start in parents:
            seen: set[str] = set()
            todo = list(parents[start])
            while todo:
                node = todo.pop()
                if node not in seen:
                    seen.add(node)
                    todo.extend(parents.get(node, ()))
            closure[start] = sorted(seen)
        return closure


class SubjectFiles(Mapping[Node, list[Path]]):
    """`LoadedGraph.subject_files` for the nodes asked about only (a report names the files of
    a few focus nodes; converting every subject to an rdflib term costs more)."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self._loaded = loaded
        self._index: dict[object, list[Path]] | None = None

    def _files(self) -> dict[object, list[Path]]:
        if self._index is None:
            self._index = {}
            for path, triples in self._loaded.triples.items():
                for subject in dict.fromkeys(t.subject for t in triples):
                    self._index.setdefault(subject, []).append(path)
        return self._index

    def __getitem__(self, node: Node) -> list[Path]:
        try:
            return self._files()[to_oxigraph(node)]
        except (KeyError, TypeError, ValueError):
            raise KeyError(node) from None

    def __iter__(self) -> Iterator[Node]:
        return (self._loaded.terms(s) for s in self._files())

    def __len__(self) -> int:
        return len(self._files())


def _walk_back(index: _Index, seeds: Iterable[str], bounds: Reach) -> set[str]:
    """Every node within `bounds.depth` path steps before a seed (rule 4)."""
    seen = set(seeds)
    frontier = set(seen)
    for _ in range(bounds.depth):
        found: set[str] = set()
        for iri in frontier:
            node = ox.NamedNode(iri)
            for t in index.incoming.get(node, ()):
                if t.predicate.value in bounds.forward and isinstance(t.subject, ox.NamedNode):
                    found.add(t.subject.value)
            for t in index.outgoing.get(node, ()):
                if t.predicate.value in bounds.inverse and isinstance(t.object, ox.NamedNode):
                    found.add(t.object.value)
        frontier = found - seen
        seen |= found
    return seen


def _neighbourhood(
    tree: SourceTree, loaded: LoadedGraph, index: _Index, focus: set[str], bounds: Reach
) -> Graph:
    """What the focus nodes' core constraints read: the statements within depth + 1 steps,
    the ontology files and every subclass statement (class membership)."""
    triples: set[ox.Triple] = set()
    seen = set(focus)
    frontier = set(focus)
    for _ in range(bounds.depth + 1):
        found: set[str] = set()
        for iri in frontier:
            node = ox.NamedNode(iri)
            for t in index.outgoing.get(node, ()):
                triples.add(t)
                if t.predicate.value in bounds.forward and isinstance(t.object, ox.NamedNode):
                    found.add(t.object.value)
            for t in index.incoming.get(node, ()):
                if t.predicate.value in bounds.inverse:
                    triples.add(t)
                    if isinstance(t.subject, ox.NamedNode):
                        found.add(t.subject.value)
        frontier = found - seen
        seen |= found
    ontology = tree.ontology_dir.resolve()
    for path, part in loaded.triples.items():
        if path.resolve().is_relative_to(ontology):
            triples.update(part)
    triples.update(index.subclass)
    graph = bind_prefixes(Graph())  # as LoadedGraph.graph: pySHACL's messages shorten IRIs by it
    for triple in triples:
        graph.store.add(loaded.terms.triple(triple), graph, quoted=False)
    return graph


def read_keys(query: str) -> list[str] | None:
    """What a SPARQL query can read, as keys comparable with a file's (`_file_entry`): the
    predicates of its triple patterns and paths, `type C` for `?x a C` and `?x a/rdfs:subClassOf*
    C`, `type *` for a variable class; None (anything) for a variable predicate, a negated path
    or a text this analysis cannot parse."""
    from rdflib.plugins.sparql import prepareQuery

    namespaces = dict(bind_prefixes(Graph()).namespaces())
    try:
        algebra = prepareQuery(query, initNs=namespaces).algebra
    except Exception:  # rdflib raises many types; unknown means "reads anything"
        return None
    keys: set[str] = set()
    return sorted(keys) if _algebra_keys(algebra, keys) else None


def _algebra_keys(node: object, keys: set[str]) -> bool:
    if isinstance(node, dict):
        for name, value in node.items():
            if name == "_vars":
                continue
            if name == "triples":
                if not isinstance(value, list | tuple):
                    return False
                for triple in value:
                    if not isinstance(triple, list | tuple) or len(triple) % 3:
                        return False
                    for i in range(0, len(triple), 3):
                        if not _pattern_keys(*triple[i : i + 3], keys):
                            return False
            elif not _algebra_keys(value, keys):
                return False
    elif isinstance(node, list | tuple):
        return all(_algebra_keys(item, keys) for item in node)
    return True


def _pattern_keys(_s: object, p: object, o: object, keys: set[str]) -> bool:
    if isinstance(p, URIRef):
        if p == RDF.type:
            keys.add(f"type {o}" if isinstance(o, URIRef) else _ANY_TYPE)
        else:
            keys.add(str(p))
        return True
    if (
        isinstance(p, SequencePath)
        and len(p.args) == 2
        and p.args[0] == RDF.type
        and isinstance(p.args[1], MulPath)
        and p.args[1].path == RDFS.subClassOf
        and isinstance(o, URIRef)
    ):
        keys.update((f"type {o}", _SUBCLASS))
        return True
    return isinstance(p, RdfPath) and _path_keys(p, keys)


def _path_keys(path: object, keys: set[str]) -> bool:
    if isinstance(path, URIRef):
        keys.add(_ANY_TYPE if path == RDF.type else str(path))
        return True
    if isinstance(path, SequencePath | AlternativePath):
        return all(_path_keys(step, keys) for step in path.args)
    if isinstance(path, MulPath):
        return _path_keys(path.path, keys)
    if isinstance(path, InvPath):
        return _path_keys(path.arg, keys)
    return False  # a negated property set reads every predicate but a few


def _reads(split: Plan, checks: Mapping[str, QueryFile]) -> dict[str, dict[str, list[str] | None]]:
    """What each whole-graph query reads: SPARQL constraints (by shape), targets, checks."""
    sparql: dict[str, list[str] | None] = {}
    for constraint in split.constraints:
        name = _short(constraint.shape) or ""
        found = read_keys(constraint.query)
        previous = sparql.get(name, [])
        sparql[name] = None if found is None or previous is None else sorted({*previous, *found})
    return {
        "sparql": sparql,
        "targets": {str(shape): read_keys(query) for shape, query in split.targets.items()},
        "checks": {name: read_keys(check.text) for name, check in checks.items()},
    }


def _state(
    state_id: str,
    digests: dict[str, str],
    core: list[Violation],
    shacl: ValidationReport,
    checks: ValidationReport,
    targets: Mapping[Node, list[Node]],
) -> dict:
    """One validated state of the inputs: results by kind, SPARQL ones by shape or check."""
    sparql: dict[str, list[dict]] = {}
    for v in shacl.violations:
        if v.component == SPARQL_COMPONENT:
            sparql.setdefault(v.shape or "", []).append(_record(v))
    found: dict[str, list[dict]] = {}
    for v in checks.violations:
        found.setdefault(v.shape or "", []).append(_record(v))
    return {
        "id": state_id,
        "files": digests,
        "core": [_record(v) for v in core],
        "sparql": sparql,
        "checks": found,
        "targets": {str(s): sorted(str(n) for n in ns) for s, ns in targets.items()},
    }


def _record(violation: Violation) -> dict:
    return dataclasses.asdict(violation)


def _violation(record: dict) -> Violation:
    return Violation(**{**record, "files": tuple(record["files"])})


def _report(
    state: dict, entries: dict[str, dict], check_order: list[str], files_of: SubjectFiles
) -> ValidationReport:
    """Cached and fresh violations in build.validate's order: SHACL (sorted as run_shacl sorts
    them), the text checks file by file, the integrity checks in their files' order. A reused
    result names the files that describe its focus node now (a changed file may have started
    or stopped describing it without changing the result)."""

    def current(record: dict) -> Violation:
        violation = _violation(record)
        files = tuple(str(p) for p in files_of.get(URIRef(violation.focus), []))
        return dataclasses.replace(violation, files=files) if files else violation

    records = [*state["core"], *(r for rs in state["sparql"].values() for r in rs)]
    violations = [current(r) for r in records]
    violations.sort(key=lambda v: (v.files, v.focus, v.component, v.path or "", v.value or ""))
    for entry in entries.values():
        violations.extend(_violation(r) for r in entry["text"])
    for name in check_order:
        violations.extend(current(r) for r in state["checks"].get(name, []))
    return ValidationReport(violations=violations)


__all__ = ["Reach", "SubjectFiles", "ValidationCache", "reach", "read_keys"]
