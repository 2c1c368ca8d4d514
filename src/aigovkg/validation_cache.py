"""Incremental validation: re-check only what a change can affect, reuse the rest from a cache.

A full validation (build.validate) is three kinds of check, and each is cached by what it reads:

- text checks (Unicode NFC, literal length) read one file: cached per file, by its digest;
- pySHACL's core constraints read, for one focus node, the triples along the shapes' paths from
  it: cached per focus node and re-run for the nodes a change can reach (below);
- the store's SPARQL constraints and SPARQL targets (shacl_sparql) and the `queries/checks`
  integrity queries may read anything: re-run in full, on the store, whenever any input file
  changed (each is one linear query), and taken from the cache only when none did.

The rule that keeps a stale cache from hiding a violation:

1. The cache is used only under the same key: package version, format, the bytes of every shape
   file and integrity-check query, the source of the validating modules and pySHACL's version,
   and the source tree's root. Any difference is a full validation.
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
   exactly what their constraints read. Every other node's results are the cached ones (their
   inputs did not change, so neither did the files that describe them).

tests/test_validation_cache.py checks that an incremental report equals a full one after a
change that introduces a violation, and after the revert (a cache hit).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .loader import LoadedGraph
from .namespaces import SH, bind_prefixes
from .sources import SourceTree
from .store import OxigraphBackend
from .validation import ValidationReport, Violation, run_shacl, text_violations
from .version import __version__

FORMAT = 1
KEEP = 3  # states kept: a revert to any of them is a cache hit
SPARQL_COMPONENT = "sh:SPARQLConstraintComponent"
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
        backend: OxigraphBackend,
        shapes: Graph,
        checks: Callable[[ValidationReport], None],
    ) -> ValidationReport:
        """The full validation's report (equal to build.validate without a cache)."""
        from .shacl_sparql import plan, target_nodes

        split = plan(shapes)
        bounds = reach(split.core)
        key = _key(tree)
        digests = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in loaded.files}
        state_id = hashlib.sha256(json.dumps(sorted(digests.items())).encode()).hexdigest()
        old = self._read()
        usable = bounds is not None and old.get("key") == key
        pool: dict[str, dict] = old.get("pool", {}) if usable else {}
        states: list[dict] = old.get("states", []) if usable else []
        entries = {
            str(path): pool.get(_pooled(str(path), digests[str(path)]))
            or _file_entry(tree, path, loaded, digests[str(path)], bounds)
            for path in loaded.files
        }
        same = next((s for s in states if s["id"] == state_id), None)
        if same is not None:  # these very inputs were validated before: a cache hit
            report = _report(same["core"] + same["sparql"], entries, same["checks"])
            report.mode, report.focus_checked = "cached", 0
            self._write(key, pool, entries, [same, *(s for s in states if s is not same)])
            return report
        base = states[0] if states else None
        before = {n: pool[_pooled(n, d)] for n, d in (base or {}).get("files", {}).items()}
        changed = sorted(
            n
            for n in set(digests) | set(before)
            if digests.get(n) != before.get(n, {}).get("digest")
        )
        schema = any(e["schema"] for n in changed for e in (entries.get(n), before.get(n)) if e)
        targets = target_nodes(split, backend)
        if base is None or schema or bounds is None:
            report = run_shacl(
                loaded.graph, shapes, loaded.subject_files, backend=backend, targets=targets
            )
            core = [v for v in report.violations if v.component != SPARQL_COMPONENT]
            sparql = [v for v in report.violations if v.component == SPARQL_COMPONENT]
            focus_checked = None
        else:
            seeds = {
                s for n in changed for e in (entries.get(n), before.get(n)) if e for s in e["seeds"]
            }
            moved = {
                iri
                for shape, nodes in targets.items()
                for iri in {str(n) for n in nodes} ^ set(base["targets"].get(str(shape), []))
            }
            affected = _walk_back(backend.store, seeds, bounds) | moved
            graph = _neighbourhood(tree, loaded, backend.store, affected, bounds)
            report = run_shacl(
                graph,
                shapes,
                loaded.subject_files,
                focus_nodes=[URIRef(iri) for iri in sorted(affected)],
                backend=backend,
                sparql_everywhere=True,
                targets=targets,
            )
            fresh = [v for v in report.violations if v.component != SPARQL_COMPONENT]
            sparql = [v for v in report.violations if v.component == SPARQL_COMPONENT]
            kept = [v for v in map(_violation, base["core"]) if v.focus not in affected]
            core = kept + fresh
            focus_checked = len(affected)
        found = ValidationReport()
        checks(found)
        state = {
            "id": state_id,
            "files": digests,
            "core": [_record(v) for v in core],
            "sparql": [_record(v) for v in sparql],
            "checks": [_record(v) for v in found.violations],
            "targets": {str(s): sorted(str(n) for n in ns) for s, ns in targets.items()},
        }
        self._write(key, pool, entries, [state, *states])
        report = _report(state["core"] + state["sparql"], entries, state["checks"])
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
        self, key: str, pool: dict[str, dict], entries: dict[str, dict], states: list[dict]
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
    sources = [here / n for n in ("validation.py", "shacl_sparql.py", "validation_cache.py")]
    checks = sorted((tree.queries_dir / "checks").glob("*.rq"))
    for path in [*tree.shape_files(), *checks, *sources]:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _file_entry(
    tree: SourceTree, path: Path, loaded: LoadedGraph, digest: str, bounds: Reach | None
) -> dict:
    """What the cache keeps of a file: digest, seeds, schema flag, its text violations."""
    triples = loaded.triples[path]
    inverse = bounds.inverse if bounds is not None else frozenset()
    seeds = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    seeds |= {
        t.object.value
        for t in triples
        if t.predicate.value in inverse and isinstance(t.object, ox.NamedNode)
    }
    schema = path.resolve().is_relative_to(tree.ontology_dir.resolve()) or any(
        t.predicate.value in _SCHEMA_PREDICATES for t in triples
    )
    return {
        "digest": digest,
        "seeds": sorted(seeds),
        "schema": schema,
        "text": [_record(v) for v in text_violations({path: loaded.parts[path]})]
        if "parts" in loaded.__dict__
        else [_record(v) for v in text_violations({path: _part(loaded, path)})],
    }


def _part(loaded: LoadedGraph, path: Path) -> Graph:
    graph = Graph()
    for triple in loaded.triples[path]:
        graph.store.add(loaded.terms.triple(triple), graph, quoted=False)
    return graph


def _walk_back(store: ox.Store, seeds: Iterable[str], bounds: Reach) -> set[str]:
    """Every node within `bounds.depth` path steps before a seed (rule 4)."""
    seen = set(seeds)
    frontier = set(seen)
    for _ in range(bounds.depth):
        found: set[str] = set()
        for iri in frontier:
            node = ox.NamedNode(iri)
            for quad in store.quads_for_pattern(None, None, node):
                if quad.predicate.value in bounds.forward and isinstance(
                    quad.subject, ox.NamedNode
                ):
                    found.add(quad.subject.value)
            if bounds.inverse:
                for quad in store.quads_for_pattern(node, None, None):
                    if quad.predicate.value in bounds.inverse and isinstance(
                        quad.object, ox.NamedNode
                    ):
                        found.add(quad.object.value)
        frontier = found - seen
        seen |= found
    return seen


def _neighbourhood(
    tree: SourceTree, loaded: LoadedGraph, store: ox.Store, focus: set[str], bounds: Reach
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
            for quad in store.quads_for_pattern(node, None, None):
                triples.add(quad.triple)
                if quad.predicate.value in bounds.forward and isinstance(quad.object, ox.NamedNode):
                    found.add(quad.object.value)
            if bounds.inverse:
                for quad in store.quads_for_pattern(None, None, node):
                    if quad.predicate.value in bounds.inverse:
                        triples.add(quad.triple)
                        if isinstance(quad.subject, ox.NamedNode):
                            found.add(quad.subject.value)
        frontier = found - seen
        seen |= found
    ontology = tree.ontology_dir.resolve()
    for path, part in loaded.triples.items():
        if path.resolve().is_relative_to(ontology):
            triples.update(part)
    for predicate in _SCHEMA_PREDICATES:
        triples.update(
            q.triple for q in store.quads_for_pattern(None, ox.NamedNode(predicate), None)
        )
    graph = bind_prefixes(Graph())  # as LoadedGraph.graph: pySHACL's messages shorten IRIs by it
    for triple in triples:
        graph.store.add(loaded.terms.triple(triple), graph, quoted=False)
    return graph


def _record(violation: Violation) -> dict:
    return dataclasses.asdict(violation)


def _violation(record: dict) -> Violation:
    return Violation(**{**record, "files": tuple(record["files"])})


def _report(shacl: list[dict], entries: dict[str, dict], checks: list[dict]) -> ValidationReport:
    """Cached and fresh violations in build.validate's order: SHACL (sorted as run_shacl sorts
    them), the text checks file by file, the integrity checks."""
    violations = [_violation(r) for r in shacl]
    violations.sort(key=lambda v: (v.files, v.focus, v.component, v.path or "", v.value or ""))
    for entry in entries.values():
        violations.extend(_violation(r) for r in entry["text"])
    violations.extend(_violation(r) for r in checks)
    return ValidationReport(violations=violations)


__all__ = ["Reach", "ValidationCache", "reach"]
