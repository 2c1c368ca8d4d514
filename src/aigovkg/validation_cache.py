"""Incremental validation: re-check only what a change can affect, reuse the rest from a cache.

A full validation (build.validate) is three kinds of check, and each is cached by what it reads:

- text checks (Unicode NFC, literal length) read one file: cached per file, by its digest;
- pySHACL's core constraints read, for one focus node, the triples along the shapes' paths from
  it: cached per focus node and re-run for the nodes a change can reach (rule 4);
- the store's SPARQL constraints and SPARQL targets (shacl_sparql) and the `queries/checks`
  integrity queries may read anything the query names: cached per query and re-run when the
  change states something they read (rule 5), for the ?this values it can reach (rule 6).

The sources the last validation saw are kept on disk (validation_store: a pyoxigraph store, one
named graph per file, beside the cache), so a run after an edit reads only the files whose stat
stamp changed, parses only those whose digest changed, and learns what they now state
differently (the change: statements added and removed) by comparing with their graphs. The
walks, the neighbourhoods pySHACL checks and the files a violation names are looked up in that
store; nothing indexes, loads or parses every statement.

The cache (`dist.cache/validation.json`) keeps the last KEEP validated states of the inputs (the
digest of every file): validating a state seen before, a revert for instance, is a cache hit.
Otherwise the state the store holds is the base. The rules that keep a stale cache from hiding
a violation:

1. The cache is used only under the same key: package version, format, the bytes of every shape
   file and integrity-check query, the source of the validating modules, pySHACL's version and
   the source tree's root. Any difference is a full validation. So is a store that is missing,
   damaged, held by another run, or whose manifest does not name a cached state
   (validation_store says how a stale store is never used).
2. A change that touches schema (a file in ontology/, or any rdfs:subClassOf,
   rdfs:subPropertyOf or owl:equivalentClass statement added or removed) or blank nodes is a
   full validation: class membership (`sh:class`, `sh:targetClass`) reads schema for every node.
3. So are shapes the analysis cannot bound (`Reach`): a SPARQL constraint or target left to
   pySHACL, SHACL-AF expressions, rules or JavaScript, custom constraint components, or a path
   of unbounded length (`sh:zeroOrMorePath`...) or a cycle of shapes.
4. Otherwise the shapes bound how far a focus node's core constraints read: `depth` steps along
   the predicates of their paths (`forward`; `inverse` ones against the arrow). A changed
   statement (s, p, o) can only be read from a node within `depth` steps of s (or of o, when p
   is walked against the arrow or is an `sh:targetObjectsOf` predicate). Those nodes are found
   by walking back from the seeds (subjects, and such objects, of the changed statements), and
   together with every node whose SPARQL-target membership changed they are validated again,
   on the statements within `depth` + 1 steps of them plus the ontology: exactly what their
   constraints read. Every other node's results are the cached ones.
5. A whole-graph query is stale when the keys of what it reads (`read_keys`, from its algebra:
   the predicates of its patterns and paths, and `type C` for a class it names, matched by any
   statement typing a node with C or a subclass of C) meet the keys of the changed statements.
   A variable predicate, a negated path or a query the analysis cannot parse reads everything.
6. A stale query anchored at ?this (validation_anchor) is re-run only for the ?this values the
   changed statements can reach along its patterns, on a small store of the statements those
   values' solutions can read (the restricted query answers there as on the whole graph); its
   rows for other ?this values are kept. Any other stale query is re-run on the whole graph.

Reused results name the files that describe their focus node now. The cache is written aside
and renamed: a killed run leaves the old cache or the new one.

Beside it, `validation-verdicts.json` keeps what the SHACL children's safety check decided for
the texts they ran (shacl_guard), for the next process's children: a validation of the
project's data asks the same generated texts each time, and parsing them was about 2 s of it.
Only children read them (a verdict book written under other safety rules is ignored).

tests/test_validation_cache.py checks that an incremental report equals a full one after edits
(a file edited twice, deleted, added; a change whose violations lie in other files, through a
chain of patterns), and that a revert is a cache hit and a damaged store a full validation.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Collection as Sized
from contextlib import contextmanager
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

from . import shacl_guard, verdict_book
from .loader import LoadedGraph, RdflibTerms, load_files
from .namespaces import SH, bind_prefixes
from .queries import QueryFile, list_queries
from .sources import SourceTree
from .store import OxigraphBackend, to_oxigraph, to_rdflib
from .validation import ValidationReport, Violation, _short, run_shacl, text_violations
from .validation import check_order as order_of_check
from .validation_anchor import Anchor, algebra_of, anchor, is_type_closure, with_values
from .validation_store import Change, SourceStore, graph_of
from .version import __version__

FORMAT = 1
CHILD_VERDICTS_FILE = "validation-verdicts.json"
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
        shapes: Graph | None,
        run_checks: Callable[..., None],
        *,
        loaded: LoadedGraph | None = None,
        files: Sequence[Path] = (),
        load: Callable[[], LoadedGraph] | None = None,
    ) -> ValidationReport:
        """The full validation's report (equal to build.validate without a cache).

        Either `loaded` (every file parsed) or `files` and `load` (which parses them all, as
        build.assemble): then only the files that changed since the store's state are parsed,
        unless the validation has to be a full one. `run_checks(tree, loaded, backend,
        report, only, files_of, texts)` is build._run_checks. `shapes` None: the tree's shape
        files, parsed and split once per process for the same bytes (`_shapes_of`)."""
        parsed: list[LoadedGraph] = [loaded] if loaded is not None else []

        def everything() -> LoadedGraph:  # parsed only when a full validation needs it
            if not parsed:
                assert load is not None
                parsed.append(load())
            return parsed[0]

        paths = list(loaded.files if loaded is not None else files)
        known_shapes = _shapes_of(tree) if shapes is None else _Shapes.of("", shapes)
        shapes, split, bounds = known_shapes.graph, known_shapes.split, known_shapes.bounds
        key = _key(tree)
        sources = SourceStore(self.path.parent / "validation-store")
        locked = sources.lock()
        verdicts = self.path.with_name(CHILD_VERDICTS_FILE)
        shacl_guard.remember_child_verdicts(
            {k: v for k, v in verdict_book.read_verdicts(verdicts).items() if v is not None}
        )
        known = shacl_guard.child_verdicts().keys()
        try:
            return self._validate(
                tree,
                known_shapes,
                run_checks,
                split,
                bounds,
                key,
                sources if locked and bounds is not None else None,
                paths,
                parsed,
                everything,
            )
        finally:
            sources.unlock()
            if shacl_guard.child_verdicts().keys() != known:
                verdict_book.write_verdicts(verdicts, shacl_guard.child_verdicts())

    def _validate(
        self,
        tree: SourceTree,
        known_shapes: _Shapes,
        run_checks: Callable[..., None],
        split: Plan,
        bounds: Reach | None,
        key: str,
        sources: SourceStore | None,
        paths: list[Path],
        parsed: list[LoadedGraph],
        everything: Callable[[], LoadedGraph],
    ) -> ValidationReport:
        """`validate` with the store held (`sources`; None: another validation holds it)."""
        from .build import union_backend, version_triples
        from .shacl_sparql import target_nodes

        shapes = known_shapes.graph
        loaded = parsed[0] if parsed else None
        manifest = sources.manifest(key) if sources is not None else None
        digests, stamps = SourceStore.digests(paths, manifest)
        state_id = hashlib.sha256(json.dumps(sorted(digests.items())).encode()).hexdigest()
        old = self._read()
        usable = bounds is not None and old.get("key") == key
        pool: dict[str, dict] = old.get("pool", {}) if usable else {}
        states: list[dict] = old.get("states", []) if usable else []
        checks = {c.id: c for c in list_queries(tree, "checks")}
        reads: dict[str, dict[str, list[str] | None]] = (
            old["reads"] if usable else _reads(split, checks)
        )
        added = (
            list(loaded.added)
            if loaded is not None
            else [ox.Triple(*map(to_oxigraph, t)) for t in version_triples()]  # type: ignore[misc]
        )
        base = (
            next((s for s in states if s["id"] == manifest.get("state")), None)
            if manifest
            else None
        )
        store = sources.open() if base is not None and sources is not None else None
        change: Change | None = None
        if store is not None and manifest is not None:
            known = manifest["files"]
            names = {str(p): p for p in paths}
            gone = sorted(n for n in known if n not in names)
            fresh = [p for p in paths if known.get(str(p), [None])[0] != digests[str(p)]]
            new_triples: dict[Path, list[ox.Triple] | None] = {Path(n): None for n in gone}
            if fresh:
                new_triples.update(
                    {p: loaded.triples[p] for p in fresh}
                    if loaded is not None
                    else load_files(fresh).triples
                )
            assert sources is not None
            change = sources.update(store, new_triples, added)
        elif sources is not None:
            whole = everything()
            store = sources.rebuild(whole.triples, whole.added)
        entries = {
            str(path): pool.get(_pooled(str(path), digests[str(path)]))
            or _file_entry(tree, path, _triples_of(path, parsed, store), digests[str(path)])
            for path in paths
        }
        files_of: Mapping[Node, list[Path]] = (
            StoreFiles(store, paths) if store is not None else SubjectFiles(everything())
        )
        same = next((s for s in states if s["id"] == state_id), None)
        focus_checked: int | None = 0
        if same is not None:  # these very inputs were validated before: a cache hit
            state, mode = same, "cached"
            states = [same, *(s for s in states if s is not same)]
        elif (
            change is None
            or base is None
            or bounds is None
            or change.blank
            or any(entries.get(n, {}).get("schema") for n in change.files)
            or any(t.predicate.value in _SCHEMA_PREDICATES for t in change.triples)
            or any(_in(tree.ontology_dir, n) for n in change.files)
        ):
            whole = everything()
            backend = union_backend(whole)
            targets = target_nodes(split, backend)
            report = run_shacl(None, shapes, files_of, backend=backend, targets=targets)
            found = ValidationReport()
            run_checks(tree, whole, backend, found, None, files_of)
            core = [v for v in report.violations if v.component != SPARQL_COMPONENT]
            state = _state(state_id, digests, core, report, found, targets)
            mode, focus_checked = "full", None
            states = [state, *states]
        else:
            assert store is not None and bounds is not None
            state, focus_checked = self._incremental(
                tree, known_shapes, bounds, reads, base, change, store, files_of, run_checks
            )
            state = {**state, "id": state_id, "files": digests}
            mode = "incremental"
            states = [state, *states]
        self._write(key, reads, pool, entries, states)
        if store is not None and sources is not None:
            sources.commit(store, key, state_id, digests, stamps)
        report = _report(state, entries, list(checks), files_of)
        report.mode, report.focus_checked = mode, focus_checked
        return report

    def _incremental(
        self,
        tree: SourceTree,
        known_shapes: _Shapes,
        bounds: Reach,
        reads: dict[str, dict[str, list[str] | None]],
        base: dict,
        change: Change,
        store: ox.Store,
        files_of: Mapping[Node, list[Path]],
        run_checks: Callable[..., None],
    ) -> tuple[dict, int]:
        """Re-check what `change` can reach (rules 4 and 5) on the store; the new state."""
        from .shacl_sparql import target_nodes

        split = known_shapes.split
        index = StoreIndex(store, change.removed)
        delta = _keys(change.triples, index.superclasses())
        backend = OxigraphBackend(store)

        def stale(reads_of: list[str] | None) -> bool:
            return reads_of is None or not delta.isdisjoint(reads_of)

        known: dict[str, dict | None] = reads.get("anchors", {})  # type: ignore[assignment]

        def anchor_of(query: str) -> Anchor | None:
            """The query's anchor, as the full run that filled the cache found it."""
            digest = _digest(query)
            if digest in known:
                found = known[digest]
                return None if found is None else Anchor.from_json(found)
            return anchor(query)

        def near(query: str) -> set[object] | None:
            """The ?this values whose rows the change may alter; None: any."""
            anchored = anchor_of(query)
            return None if anchored is None else anchored.affected(change.triples, index.lookup)

        schema = index.schema()

        def lookup(s: object, p: object, o: object) -> Iterator[ox.Triple]:
            for quad in store.quads_for_pattern(s, p, o, None):  # type: ignore[arg-type]
                yield quad.triple

        def around(runs: Iterable[tuple[str, Iterable[object]]]) -> OxigraphBackend:
            """A store of what these queries read about these ?this values (and the schema),
            where the queries restricted to them answer as on the whole graph, without
            evaluating their unrestricted parts (a target sub-query, say) on every statement;
            the whole store when that cannot be bounded."""
            triples = set(schema)
            for query, focus in runs:
                anchored = anchor_of(query)
                found = anchored.support(focus, lookup) if anchored is not None else None
                if found is None:
                    return backend
                triples |= found
            return OxigraphBackend.from_triples({"urn:aigovkg:validation:near": triples})

        targets = {URIRef(s): [URIRef(n) for n in ns] for s, ns in base["targets"].items()}
        for shape, query in split.targets.items():
            if not stale(reads["targets"].get(str(shape))):
                continue
            these = near(query)
            if these is not None and not these:
                continue
            text = query if these is None else with_values(query, these)
            sub = dataclasses.replace(split, targets={shape: text})
            on = backend if these is None else around([(query, these)])
            nodes = target_nodes(sub, on)[shape]
            if these is not None:
                keep = [n for n in targets.get(shape, []) if to_oxigraph(n) not in these]
                nodes = sorted({*keep, *nodes}, key=str)
            targets[shape] = nodes
        seeds = {t.subject.value for t in change.triples if isinstance(t.subject, ox.NamedNode)}
        seeds |= {
            t.object.value
            for t in change.triples
            if t.predicate.value in bounds.inverse and isinstance(t.object, ox.NamedNode)
        }
        moved = {
            iri
            for shape, nodes in targets.items()
            for iri in {str(n) for n in nodes} ^ set(base["targets"].get(str(shape), []))
        }
        affected = _walk_back(index, seeds, bounds) | moved
        stale_shapes = {s for s, r in reads["sparql"].items() if stale(r)}
        rerun_shapes: set[Node] = set()  # those whose rows the change can alter
        around_sparql: set[object] | None = set()
        for constraint in split.constraints:
            if _short(constraint.shape) not in stale_shapes:
                continue
            found_near = near(constraint.query)
            if found_near is None or found_near:
                rerun_shapes.add(constraint.shape)
            if around_sparql is not None:
                around_sparql = None if found_near is None else around_sparql | found_near
        rerun = {_short(s) for s in rerun_shapes}
        sparql_backend = backend
        if around_sparql is not None and all(isinstance(n, ox.NamedNode) for n in around_sparql):
            affected |= {n.value for n in around_sparql}  # type: ignore[attr-defined]
            everywhere = False
            if rerun:
                focus = [ox.NamedNode(iri) for iri in sorted(affected)]
                sparql_backend = around(
                    (c.query, focus) for c in split.constraints if c.shape in rerun_shapes
                )
        else:
            everywhere = True
        trimmed, planned = known_shapes.without_sparql(rerun_shapes)
        with _neighbourhood(tree, index, affected, bounds) as data:
            report = run_shacl(
                data,
                trimmed,
                files_of,
                focus_nodes=[URIRef(iri) for iri in sorted(affected)],
                backend=sparql_backend if rerun else None,
                sparql_everywhere=everywhere,
                targets=targets,
                sparql_shapes=rerun_shapes,
                planned=planned,
            )
        found = ValidationReport()
        texts: dict[str, str] = {}
        again: dict[str, set[object] | None] = {}
        runs: list[tuple[str, Iterable[object]]] = []
        for name, check in {c.id: c for c in list_queries(tree, "checks")}.items():
            if stale(reads["checks"].get(name)):
                these = near(check.text)
                if these is None or these:
                    again[name] = these
                    if these is not None:
                        texts[name] = with_values(check.text, these)
                        runs.append((check.text, these))
        whole = {n for n, these in again.items() if these is None}
        if whole:
            run_checks(tree, None, backend, found, lambda c: c.id in whole, files_of)
        if texts:
            run_checks(tree, None, around(runs), found, lambda c: c.id in texts, files_of, texts)
        fresh = [v for v in report.violations if v.component != SPARQL_COMPONENT]
        kept = [v for v in map(_violation, base["core"]) if v.focus not in affected]
        state = _state("", {}, kept + fresh, report, found, targets)
        for name, records in base["sparql"].items():
            if name not in rerun:
                state["sparql"][name] = records
            elif not everywhere:
                state["sparql"][name] = [r for r in records if r["focus"] not in affected] + state[
                    "sparql"
                ].get(name, [])
        for name, records in base["checks"].items():
            if name not in again:
                state["checks"][name] = records
            elif again[name] is not None:
                around_names = {n.value for n in again[name] or ()}  # type: ignore[attr-defined]
                state["checks"][name] = [
                    r for r in records if r["focus"] not in around_names
                ] + state["checks"].get(name, [])
        for kind in ("sparql", "checks"):
            state[kind] = {k: v for k, v in state[kind].items() if v}
        return state, len(affected)

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


@dataclass(frozen=True)
class _Shapes:
    """A shapes graph with what validation derives from it: its split (shacl_sparql.plan), its
    reach, and the trimmed graphs handed to pySHACL (`without_sparql`). Read, never changed:
    pySHACL gets them in a forked child."""

    digest: str
    graph: Graph
    split: Plan
    bounds: Reach | None
    trimmed: dict[frozenset[Node], tuple[Graph, Plan]] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, digest: str, graph: Graph) -> _Shapes:
        from .shacl_sparql import plan

        split = plan(graph)
        return cls(digest, graph, split, reach(split.core))

    def without_sparql(self, keep: Sized[Node]) -> tuple[Graph, Plan | None]:
        """`_without_sparql(graph, keep)` and, when kept, its plan (pySHACL's child then
        does not split it again)."""
        if not self.digest:  # a caller's graph: not kept
            return _without_sparql(self.graph, keep), None
        from .shacl_sparql import plan

        wanted = frozenset(keep)
        if wanted not in self.trimmed:
            if len(self.trimmed) >= 8:
                self.trimmed.clear()
            trimmed = _without_sparql(self.graph, wanted)
            self.trimmed[wanted] = (trimmed, plan(trimmed))
        return self.trimmed[wanted]


_SHAPES: list[_Shapes] = []  # the shapes this process parsed last (one entry)


def _shapes_of(tree: SourceTree) -> _Shapes:
    """The tree's shapes, parsed and split again only when a shape file's name or bytes changed
    (about 60 ms of every incremental validation in a process that validates again: the
    rebuild behind `serve`, the benchmarks). Keyed by the bytes, as rule 1's key is, so a
    kept graph is the graph a new parse would give."""
    from .build import load_shapes

    digest = hashlib.sha256()
    for path in tree.shape_files():
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    found = digest.hexdigest()
    if not _SHAPES or _SHAPES[0].digest != found:
        _SHAPES[:] = [_Shapes.of(found, load_shapes(tree))]
    return _SHAPES[0]


def _pooled(name: str, digest: str) -> str:
    return f"{digest} {name}"


def _key(tree: SourceTree) -> str:
    """Everything that decides a report besides the data (rule 1)."""
    import pyshacl

    digest = hashlib.sha256(f"{__version__} {FORMAT} {pyshacl.__version__} {tree.root}".encode())
    here = Path(__file__).parent
    sources = [
        here / f"{name}.py"
        for name in (
            "validation",
            "shacl_sparql",
            "shacl_core",
            "validation_cache",
            "validation_anchor",
            "validation_store",
        )
    ]
    checks = sorted((tree.queries_dir / "checks").glob("*.rq"))
    for path in [*tree.shape_files(), *checks, *sources]:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _file_entry(tree: SourceTree, path: Path, triples: Iterable[ox.Triple], digest: str) -> dict:
    """What the cache keeps of a file: digest, schema flag (rule 2), its text violations."""
    triples = list(triples)
    schema = _in(tree.ontology_dir, str(path)) or any(
        t.predicate.value in _SCHEMA_PREDICATES for t in triples
    )
    return {
        "digest": digest,
        "schema": schema,
        "text": [_record(v) for v in text_violations({path: triples})],
    }


def _in(directory: Path, name: str) -> bool:
    return Path(name).resolve().is_relative_to(directory.resolve())


def _triples_of(path: Path, parsed: list[LoadedGraph], store: ox.Store | None) -> list[ox.Triple]:
    """One file's statements for its cache entry: parsed already, in the store (brought up to
    date before entries are made), or parsed now."""
    if parsed and path in parsed[0].triples:
        return parsed[0].triples[path]
    if store is not None:
        return [q.triple for q in store.quads_for_pattern(None, None, None, graph_of(path))]
    return load_files([path]).triples[path]


def _keys(triples: Iterable[ox.Triple], supers: Mapping[str, list[str]]) -> set[str]:
    """The keys of what statements state, as `read_keys` gives what a query reads: their
    predicates, and `type C` for every class C of a subject and its superclasses."""
    keys: set[str] = set()
    for t in triples:
        if t.predicate.value == _TYPE and isinstance(t.object, ox.NamedNode):
            keys.add(_ANY_TYPE)
            keys.update(f"type {c}" for c in (t.object.value, *supers.get(t.object.value, ())))
        else:
            keys.add(t.predicate.value)
    return keys


class StoreIndex:
    """Statements by subject and by object, from the store (the current version) plus the
    statements a change removed (`near`: the old version too): the walks of rule 4 and of
    validation_anchor without indexing every statement."""

    def __init__(self, store: ox.Store, removed: Iterable[ox.Triple] = ()) -> None:
        self.store = store
        self.removed = list(removed)

    def outgoing(self, node: ox.NamedNode | ox.BlankNode) -> Iterator[ox.Triple]:
        for quad in self.store.quads_for_pattern(node, None, None, None):
            yield quad.triple

    def incoming(
        self, node: object, predicates: Sequence[ox.NamedNode] | None = None
    ) -> Iterator[ox.Triple]:
        for predicate in [None] if predicates is None else predicates:
            for quad in self.store.quads_for_pattern(None, predicate, node, None):  # type: ignore[arg-type]
                yield quad.triple

    def lookup(self, s: object, p: object, o: object) -> Iterator[ox.Triple]:
        """The statements matching a pattern (None: any) in the current version or the old one
        (the statements the change removed)."""
        for quad in self.store.quads_for_pattern(s, p, o, None):  # type: ignore[arg-type]
            yield quad.triple
        for t in self.removed:
            if s in (None, t.subject) and p in (None, t.predicate) and o in (None, t.object):
                yield t

    def schema(self) -> list[ox.Triple]:
        """Every subclass, subproperty and equivalent-class statement (class membership)."""
        return [
            q.triple
            for p in sorted(_SCHEMA_PREDICATES)
            for q in self.store.quads_for_pattern(None, ox.NamedNode(p), None, None)
        ]

    def superclasses(self) -> dict[str, list[str]]:
        """Class -> every class above it (rdfs:subClassOf, transitively)."""
        parents: dict[str, set[str]] = {}
        for t in self.schema():
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


class StoreFiles(Mapping[Node, list[Path]]):
    """`LoadedGraph.subject_files` answered by the store: the files (named graphs) in which a
    node is a subject, in the order of `paths`."""

    def __init__(self, store: ox.Store, paths: Sequence[Path]) -> None:
        self._store = store
        self._paths = {graph_of(p): (i, p) for i, p in enumerate(paths)}

    def __getitem__(self, node: Node) -> list[Path]:
        try:
            term = to_oxigraph(node)
        except TypeError:
            raise KeyError(node) from None
        if isinstance(term, ox.Literal):
            raise KeyError(node)
        graphs = {q.graph_name for q in self._store.quads_for_pattern(term, None, None, None)}
        found = sorted(self._paths[g] for g in graphs if g in self._paths)  # type: ignore[index]
        if not found:
            raise KeyError(node)
        return [p for _, p in found]

    def __iter__(self) -> Iterator[Node]:
        seen: set[object] = set()
        for quad in self._store.quads_for_pattern(None, None, None, None):
            if quad.graph_name in self._paths and quad.subject not in seen:
                seen.add(quad.subject)
                yield to_rdflib(quad.subject)  # type: ignore[misc]

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:  # not empty, without counting every subject
        return True


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


def _walk_back(index: StoreIndex, seeds: Iterable[str], bounds: Reach) -> set[str]:
    """Every node within `bounds.depth` path steps before a seed (rule 4)."""
    seen = set(seeds)
    frontier = set(seen)
    for _ in range(bounds.depth):
        found: set[str] = set()
        for iri in frontier:
            node = ox.NamedNode(iri)
            for t in index.incoming(node):
                if t.predicate.value in bounds.forward and isinstance(t.subject, ox.NamedNode):
                    found.add(t.subject.value)
            for t in index.outgoing(node):
                if t.predicate.value in bounds.inverse and isinstance(t.object, ox.NamedNode):
                    found.add(t.object.value)
        frontier = found - seen
        seen |= found
    return seen


def _without_sparql(shapes: Graph, keep: Sized[Node]) -> Graph:
    """The shapes without the SPARQL constraints and targets of the shapes not in `keep`: they
    do not run (their results are reused, their targets' nodes given), so the safety check
    before pySHACL need not parse them (30 queries, half a second in a new process)."""
    trimmed = Graph()
    for prefix, namespace in shapes.namespaces():
        trimmed.bind(prefix, namespace)
    dropped: set[Node] = set()
    for predicate in (SH.sparql, SH.target):
        for shape, node in shapes.subject_objects(predicate):
            if shape not in keep and shapes.value(node, SH.select) is not None:
                dropped.add(node)
    for triple in shapes:
        if triple[0] not in dropped and triple[2] not in dropped:
            trimmed.add(triple)
    return trimmed


@contextmanager
def _neighbourhood(
    tree: SourceTree, index: StoreIndex, focus: set[str], bounds: Reach
) -> Iterator[Graph]:
    """What the focus nodes' core constraints read: the statements within depth + 1 steps,
    the ontology files and every subclass statement (class membership), as an rdflib graph
    for pySHACL, valid inside the `with` block.

    The ontology and schema part (at 100k, 1,461 of the 1,526 statements a label edit hands
    pySHACL) is converted once per process for the same statements (`_BASE`, compared as a
    set: a file parsed again gets new blank node labels, so its digest alone would not do);
    the walk's own statements are added to it for the block and removed after. pySHACL reads
    it in a forked child (and never writes: no inference), so it sees exactly the union."""
    walked: set[ox.Triple] = set()
    seen = set(focus)
    frontier = set(focus)
    inverse = [ox.NamedNode(p) for p in sorted(bounds.inverse)]
    for _ in range(bounds.depth + 1):
        found: set[str] = set()
        for iri in frontier:
            node = ox.NamedNode(iri)
            for t in index.outgoing(node):
                walked.add(t)
                if t.predicate.value in bounds.forward and isinstance(t.object, ox.NamedNode):
                    found.add(t.object.value)
            for t in index.incoming(node, inverse):  # not every statement naming a country
                walked.add(t)
                if isinstance(t.subject, ox.NamedNode):
                    found.add(t.subject.value)
        frontier = found - seen
        seen |= found
    base: set[ox.Triple] = set(index.schema())
    for path in tree.ontology_files():
        name = graph_of(path)
        base.update(q.triple for q in index.store.quads_for_pattern(None, None, None, name))
    kept = frozenset(base)
    if not _BASE or _BASE[0][0] != kept:
        graph = bind_prefixes(Graph())  # as LoadedGraph.graph: messages shorten IRIs by it
        terms = RdflibTerms()
        for triple in kept:
            graph.store.add(terms.triple(triple), graph, quoted=False)
        _BASE[:] = [(kept, graph)]
    graph = _BASE[0][1]
    _BASE.clear()  # held by this block alone until it hands it back unchanged
    terms = RdflibTerms()
    extra = [t for t in map(terms.triple, walked - kept) if t not in graph]
    for triple in extra:
        graph.store.add(triple, graph, quoted=False)
    try:
        yield graph
    finally:
        for triple in extra:
            graph.store.remove(triple, graph)
        _BASE[:] = [(kept, graph)]


# The ontology and schema statements of the last neighbourhood, as pySHACL's rdflib graph.
_BASE: list[tuple[frozenset[ox.Triple], Graph]] = []


def read_keys(query: str) -> list[str] | None:
    """What a SPARQL query can read, as keys comparable with a file's (`_file_entry`): the
    predicates of its triple patterns and paths, `type C` for `?x a C` and `?x a/rdfs:subClassOf*
    C`, `type *` for a variable class; None (anything) for a variable predicate, a negated path
    or a text this analysis cannot parse."""
    algebra = algebra_of(query)
    if algebra is None:  # unknown means "reads anything"
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
    if is_type_closure(p) and isinstance(o, URIRef):
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
    texts = [
        *(c.query for c in split.constraints),
        *split.targets.values(),
        *(c.text for c in checks.values()),
    ]
    return {
        "sparql": sparql,
        "targets": {str(shape): read_keys(query) for shape, query in split.targets.items()},
        "checks": {name: read_keys(check.text) for name, check in checks.items()},
        "anchors": {_digest(t): _anchor_json(t) for t in texts},  # type: ignore[dict-item]
    }


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _anchor_json(text: str) -> dict | None:
    found = anchor(text)
    return None if found is None else found.to_json()


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
        found = sorted(map(_violation, state["checks"].get(name, [])), key=order_of_check)
        violations.extend(current(dataclasses.asdict(v)) for v in found)
    return ValidationReport(violations=violations)


__all__ = ["Reach", "SubjectFiles", "ValidationCache", "reach", "read_keys"]
