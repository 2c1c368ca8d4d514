"""SHACL-SPARQL constraints evaluated set-at-a-time on the store, the rest by pySHACL.

pySHACL runs a SPARQL constraint once per focus node on rdflib's engine, re-parsing and
re-planning it each time: with thousands of focus nodes that is most of a validation's cost
(about 95% on the project's data, 22 s of 23 s) and it grows with the square of the data. The
same constraint asked once of pyoxigraph, with the shape's targets joined in as a sub-query that
binds `$this`, gives every violation in one pass, in time that grows with the data.

`validate` has pySHACL's calling convention and result vocabulary, so `validation.run_shacl` and
`shacl_guard` (the netjailed child process with its deadline) are unchanged around it:

- a node shape's `sh:sparql` SELECT constraints are taken out of the shapes pySHACL sees and
  answered by one query each (SHACL 1.0 section 5.3.1 pre-binding of `$this`, done as a join:
  the spec forbids the constructs where the two differ: MINUS, VALUES, sub-queries using $this);
- a `sh:SPARQLTarget` is evaluated once on the store and handed to pySHACL as `sh:targetNode`s,
  so the shape's core constraints still run there;
- what the rewrite cannot answer exactly stays with pySHACL: constraints of property shapes
  (`$PATH`), shapes that other shapes reference (`sh:node`, `sh:property`, ...; those are checked
  on value nodes, not targets), parametrised targets and custom constraint components.

Every query still goes through `OxigraphBackend.run`, i.e. through the safety check first.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from . import shacl_core
from .namespaces import SH
from .sparql_safety import this_values
from .sparql_text import body_start, projects_variable
from .store import OxigraphBackend, SelectResult

# Predicates through which a shape is used by another shape (then it is evaluated on value
# nodes, not on its targets, and its SPARQL stays with pySHACL).
_SHAPE_REFERENCES = (SH.node, SH.property, SH.qualifiedValueShape, SH["not"], RDF.first)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


@dataclass(frozen=True)
class SparqlConstraint:
    """One `sh:sparql` SELECT constraint of a node shape, rewritten to run over all targets."""

    shape: Node
    constraint: Node
    query: str
    messages: tuple[Literal, ...]
    severity: URIRef


@dataclass
class Plan:
    """The shapes split between pySHACL (`core`) and the store (`constraints`, `targets`)."""

    core: Graph
    constraints: list[SparqlConstraint]
    targets: dict[Node, str]  # shape -> query of its sh:SPARQLTarget (answers ?this)


def plan(shapes: Graph) -> Plan:
    """Split `shapes`; the input graph is not changed."""
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    for triple in shapes:
        core.add(triple)
    constraints: list[SparqlConstraint] = []
    targets: dict[Node, str] = {}
    for shape in sorted(set(shapes.subjects(SH.sparql, None)), key=str):
        if not _is_free_node_shape(shapes, shape) or _deactivated(shapes, shape):
            continue
        target = _target_pattern(shapes, shape)
        if target is None:
            continue
        for node in sorted(shapes.objects(shape, SH.sparql), key=str):
            select = shapes.value(node, SH.select)
            if select is None or _deactivated(shapes, node):
                continue
            constraints.append(
                SparqlConstraint(
                    shape=shape,
                    constraint=node,
                    query=_prologue(shapes, [node, *shapes.objects(shape, SH.target)])
                    + _joined(str(select), target),
                    messages=tuple(
                        m
                        for m in (
                            *shapes.objects(node, SH.message),
                            *shapes.objects(shape, SH.message),
                        )
                        if isinstance(m, Literal)
                    ),
                    severity=_severity(shapes, shape),
                )
            )
            core.remove((shape, SH.sparql, node))
    for shape, target in sorted(shapes.subject_objects(SH.target), key=str):
        select = shapes.value(target, SH.select)
        if (
            select is not None
            and (target, RDF.type, SH.SPARQLTarget) in shapes
            and not any(True for _ in shapes.objects(target, SH.parameter))
        ):
            targets[shape] = _prologue(shapes, [target]) + str(select)
            core.remove((shape, SH.target, target))
    return Plan(core, constraints, targets)


def validate(
    data_graph: Graph | None,
    *,
    shacl_graph: Graph,
    backend: OxigraphBackend | None = None,
    focus_nodes: Sequence[Node] | None = None,
    sparql_everywhere: bool = False,
    targets: dict[Node, list[Node]] | None = None,
    sparql_shapes: Collection[Node] | None = None,
    planned: Plan | None = None,
    **options: object,
) -> tuple[bool, Graph, str]:
    """pyshacl.validate's contract (conforms, results graph, text) with the SPARQL part on the
    store; `backend` holds the same triples as `data_graph` (built from it when absent).
    Without `focus_nodes`, pySHACL validates only the focus nodes that the store's screening
    (shacl_core.candidates) finds may fail; with `data_graph` None it reads them and their
    surroundings from the store (shacl_core.neighbourhood), so the whole graph is never
    copied into rdflib unless a shape cannot be screened.

    `sparql_everywhere` runs the store's SPARQL constraints over every target even when
    `focus_nodes` limits pySHACL (incremental validation: `data_graph` is then only the part of
    the graph the focus nodes' core constraints read, while a SPARQL constraint may read any
    of it); `targets`, the SPARQL targets' nodes already computed (`target_nodes`);
    `sparql_shapes`, the shapes whose SPARQL constraints run (None: all; the others' inputs
    did not change); `planned`, `plan(shacl_graph)` made before (a caller that validates
    the same shapes again keeps it; the target statements added to its core are taken out
    again, but pySHACL may add its system triples to it: keep a plan only for a forked
    child, as run_shacl does)."""
    split = plan(shacl_graph) if planned is None else planned
    added: list[tuple[Node, Node, Node]] = []
    try:
        return _validate(
            split,
            added,
            data_graph,
            shacl_graph,
            backend,
            focus_nodes,
            sparql_everywhere,
            targets,
            sparql_shapes,
            options,
        )
    finally:
        for triple in added:  # a kept plan's core as it was
            split.core.remove(triple)


def _validate(
    split: Plan,
    added: list[tuple[Node, Node, Node]],
    data_graph: Graph | None,
    shacl_graph: Graph,
    backend: OxigraphBackend | None,
    focus_nodes: Sequence[Node] | None,
    sparql_everywhere: bool,
    targets: dict[Node, list[Node]] | None,
    sparql_shapes: Collection[Node] | None,
    options: dict[str, object],
) -> tuple[bool, Graph, str]:
    """`validate` on its plan; the targetNode statements it adds to `split.core` are listed in
    `added` (for the caller to take out again)."""
    if backend is None:
        if data_graph is None:
            raise ValueError("validate needs the data as a graph, a store, or both")
        backend = OxigraphBackend.from_graph(data_graph)
    focus = list(focus_nodes) if focus_nodes is not None else None
    wanted = set(focus) if focus is not None else None
    for shape, nodes in (targets if targets is not None else target_nodes(split, backend)).items():
        for node in nodes:
            if (wanted is None or node in wanted) and (
                triple := (shape, SH.targetNode, node)
            ) not in split.core:
                split.core.add(triple)
                added.append(triple)
    pyshacl_shapes, checked = split.core, focus
    if checked is None:  # the whole graph: pySHACL gets only the nodes that may fail (shacl_core)
        found = shacl_core.candidates(shacl_graph, split.core, backend, _target_pattern, _prologue)
        if found is not None:
            pyshacl_shapes = shacl_core.retargeted(split.core, found)
            checked = sorted({n for nodes in found.values() for n in nodes}, key=str)
    if checked is not None and not checked:  # nothing for pySHACL (pySHACL reads [] as "all")
        conforms, results, text = True, Graph(), ""
    else:
        data = data_graph if data_graph is not None else _pyshacl_data(split.core, backend, checked)
        option = focus
        if focus is not None:  # some nodes: as each shape's targets, not pySHACL's focus option
            aimed = shacl_core.focus_targets(split.core, data, focus)
            if aimed is not None:
                pyshacl_shapes, option = shacl_core.retargeted(split.core, aimed), None
        conforms, results, text = pyshacl_validate(
            data, shacl_graph=pyshacl_shapes, focus_nodes=option, **options
        )
    if not isinstance(results, Graph):
        return conforms, results, text
    failed = False
    for constraint in split.constraints:
        if sparql_shapes is not None and constraint.shape not in sparql_shapes:
            continue
        restrict = focus is not None and not sparql_everywhere
        query = _restricted(constraint.query, focus or []) if restrict else constraint.query
        answer = backend.run(query)
        assert isinstance(answer, SelectResult)
        for row in _distinct_rows(answer):
            failed = failed or constraint.severity == SH.Violation
            _add_result(results, constraint, row)
    return conforms and not failed, results, text


def _pyshacl_data(core: Graph, backend: OxigraphBackend, focus: list[Node] | None) -> Graph:
    """What pySHACL reads to validate `focus` (None: every target), from the store: the
    statements within reach of the shapes (validation_cache.reach), else all of them."""
    from .validation_cache import reach

    bounds = reach(core) if focus is not None else None
    if bounds is None:
        return shacl_core.whole_graph(backend)
    return shacl_core.neighbourhood(backend, focus or [], bounds.depth, bounds.inverse)


def target_nodes(split: Plan, backend: OxigraphBackend) -> dict[Node, list[Node]]:
    """Each SPARQL-targeted shape's focus nodes, evaluated once on the store."""
    return {shape: _this_values(backend.run(query)) for shape, query in split.targets.items()}


def _add_result(results: Graph, constraint: SparqlConstraint, row: dict[str, Node]) -> None:
    """One sh:ValidationResult, as pySHACL words it for a node shape's SPARQL constraint."""
    focus = row["this"]
    value = focus if "failure" in row else row.get("value", focus)
    node = BNode()
    results.add((node, RDF.type, SH.ValidationResult))
    results.add((node, SH.focusNode, focus))
    results.add((node, SH.value, value))
    results.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    results.add((node, SH.sourceShape, constraint.shape))
    results.add((node, SH.sourceConstraint, constraint.constraint))
    results.add((node, SH.resultSeverity, constraint.severity))
    if "path" in row and "failure" not in row:
        results.add((node, SH.resultPath, row["path"]))
    bound = {**row, "value": value}
    for message in constraint.messages:
        results.add((node, SH.resultMessage, Literal(_fill(str(message), bound))))


def _fill(message: str, bound: dict[str, Node]) -> str:
    """`{?var}` / `{$var}` in a message replaced by the row's value (SHACL 1.0 section 5.3.2)."""
    for name, term in bound.items():
        message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, t=term: str(t), message)
    return message


def _distinct_rows(answer: SelectResult) -> list[dict[str, Node]]:
    """pySHACL reports a repeated (this, path, value, other variables) once; so do we."""
    seen: set[tuple[tuple[str, Node], ...]] = set()
    rows: list[dict[str, Node]] = []
    for row in answer.as_dicts():
        key = tuple(sorted(row.items(), key=lambda item: item[0]))
        if "this" in row and key not in seen:
            seen.add(key)
            rows.append(row)
    return rows


def _this_values(answer: object) -> list[Node]:
    if not isinstance(answer, SelectResult) or "this" not in answer.variables:
        return []
    index = answer.variables.index("this")
    return [row[index] for row in answer.rows if row[index] is not None]


def _is_free_node_shape(shapes: Graph, shape: Node) -> bool:
    """A node shape (no sh:path) that no other shape uses."""
    if shapes.value(shape, SH.path) is not None:
        return False
    return not any(
        predicate in _SHAPE_REFERENCES or predicate in (SH["and"], SH["or"], SH.xone)
        for _subject, predicate in shapes.subject_predicates(shape)
    )


def _deactivated(shapes: Graph, node: Node) -> bool:
    return any(
        isinstance(v, Literal) and v.toPython() is True
        for v in shapes.objects(node, SH.deactivated)
    )


def _severity(shapes: Graph, shape: Node) -> URIRef:
    severity = shapes.value(shape, SH.severity)
    return severity if isinstance(severity, URIRef) else SH.Violation


def _target_pattern(shapes: Graph, shape: Node) -> str | None:
    """A group pattern binding ?this to every focus node of `shape`; None when a target is of
    a kind the rewrite does not know (the shape then stays with pySHACL)."""
    parts: list[str] = []
    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        classes.append(shape)
    parts += [f"?this a/<{RDFS.subClassOf}>* {c.n3()} ." for c in sorted(classes, key=str)]
    parts += [f"VALUES ?this {{ {n.n3()} }}" for n in sorted(shapes.objects(shape, SH.targetNode))]
    parts += [
        f"?this {p.n3()} ?aigovkgObject ."
        for p in sorted(shapes.objects(shape, SH.targetSubjectsOf))
    ]
    parts += [
        f"?aigovkgSubject {p.n3()} ?this ."
        for p in sorted(shapes.objects(shape, SH.targetObjectsOf))
    ]
    for target in shapes.objects(shape, SH.target):
        select = shapes.value(target, SH.select)
        if select is None or any(True for _ in shapes.objects(target, SH.parameter)):
            return None
        parts.append(f"{{ {_without_prologue(str(select))} }}")
    if not parts or any(
        isinstance(t, BNode) for p in _TARGETS[:4] for t in shapes.objects(shape, p)
    ):
        return None
    union = " UNION ".join(f"{{ {part} }}" for part in parts)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def _without_prologue(select: str) -> str:
    if re.match(r"\s*(PREFIX|BASE)\b", select, re.IGNORECASE):
        raise ValueError("a SPARQL target declares its prefixes with sh:prefixes, not PREFIX")
    return select


def _joined(select: str, target: str) -> str:
    """`select` with the target sub-query as the first element of its WHERE group, and ?this
    projected (SHACL pre-binds $this; as a join, the group's filters see it bound)."""
    start = body_start(select)
    if not projects_variable(select, "this"):
        select = re.sub(
            r"^(\s*SELECT(\s+(DISTINCT|REDUCED))?)", r"\1 ?this", select, count=1, flags=re.I
        )
        start = body_start(select)
    return f"{select[:start]} {target} {select[start:]}"


def _restricted(query: str, focus: Iterable[Node]) -> str:
    """The query limited to some focus nodes (validation of one file's subjects)."""
    # this_values vouches for the text with the query's verdict when every IRI is plain, and
    # builds the same text (then parsed as any other) when one is not
    return this_values(query, [str(node) for node in focus if isinstance(node, URIRef)])


def _prologue(shapes: Graph, nodes: Iterable[Node]) -> str:
    """PREFIX declarations from the sh:prefixes of `nodes` (their sh:declare entries)."""
    lines: list[str] = []
    owners = {owner for node in nodes for owner in shapes.objects(node, SH.prefixes)}
    for owner in sorted(owners, key=str):
        for declaration in shapes.objects(owner, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines))) + "\n"


__all__ = ["Plan", "SparqlConstraint", "plan", "target_nodes", "validate"]
