"""SHACL core constraints screened on the store: which focus nodes can fail at all.

pySHACL checks every focus node against every property shape in Python, about 80 µs a pair:
at a million triples that is most of a validation, plus the rdflib copy of the whole graph it
reads (about 20 s). Here each core constraint the shapes use is asked once of pyoxigraph, over
all of a shape's targets (the same target pattern as the store's SPARQL constraints), as a
query whose answer is every focus node that may violate it:

- cardinality, sh:class (with rdfs:subClassOf*), sh:or of classes, sh:nodeKind, sh:in,
  sh:hasValue, sh:datatype xsd:string / rdf:langString, sh:uniqueLang and a qualified minimum
  count of language-tagged values are plain graph patterns, answered exactly or as a superset;
- value tests whose meaning is rdflib's (sh:datatype well-formedness, sh:pattern, lengths,
  ranges, sh:languageIn) take the distinct values along the path and judge each in Python the
  way pySHACL does (its own helpers, on the rdflib form of the value), then ask which focus
  nodes hold a failing value;
- a shape using anything else (sh:node, sh:not, sh:closed, an unknown path or target, ...)
  makes all its targets candidates: pySHACL decides them as before.

pySHACL then validates only the candidates (`shacl_sparql.validate`), on the statements around
them taken from the store (`neighbourhood`), and writes the report: the report is pySHACL's own
by construction, provided the candidates include every node that fails, which
tests/shapes/test_shacl_sparql.py checks against pySHACL alone on the data and every invalid
case. A graph that conforms needs no pySHACL run and no rdflib copy of the data at all.

Every query goes through `OxigraphBackend.run` (the safety check first); the statement lookups
of `neighbourhood` are index reads of the store, not queries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from .namespaces import SH, bind_prefixes
from .store import OxigraphBackend, SelectResult, to_oxigraph, to_rdflib

BATCH = 400  # terms per VALUES block (the safety check parses each query: about 90 µs a term)
_THIS = "?this"

# Parameters that say nothing about conformance (or are handled with the shape, as sh:path).
_INERT = frozenset(
    {
        RDF.type,
        RDFS.label,
        RDFS.comment,
        SH.path,
        SH.message,
        SH.name,
        SH.description,
        SH.severity,
        SH.deactivated,
        SH.order,
        SH.group,
        SH.defaultValue,
        SH.property,
        SH.sparql,
        SH.prefixes,
        SH.targetClass,
        SH.targetNode,
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
        SH.target,
    }
)
_QUALIFIED = frozenset(
    {SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedValueShapesDisjoint}
)


class _Unscreenable(Exception):
    """A construct this module does not screen: the shape's targets all become candidates."""


@dataclass(frozen=True)
class _Screen:
    """One screening query: `bad` rows (focus nodes holding a failing value) or `lacking`
    (focus nodes with no passing value: the target pattern MINUS this pattern)."""

    pattern: str
    lacking: bool = False


def candidates(
    shapes: Graph,
    core: Graph,
    backend: OxigraphBackend,
    target_pattern: Callable[[Graph, Node], str | None],
    prologue: Callable[[Graph, Iterable[Node]], str],
) -> dict[Node, set[Node]] | None:
    """For each targeted shape, every focus node that may fail one of its core constraints in
    `core` (the shapes pySHACL gets); None when some shape's targets cannot be enumerated here
    (pySHACL then checks them all). Per shape, because pySHACL's own focus-node option also
    filters the value nodes its nested shapes (sh:or, sh:qualifiedValueShape) are checked on,
    and then misses their violations: the candidates become each shape's sh:targetNode.

    `shapes` is the whole shapes graph (its SPARQL targets, which `core` no longer holds);
    `target_pattern` and `prologue` are shacl_sparql's (one target semantics for both).
    The screens are asked as few queries as possible (the values to judge in one, then one
    UNION of every screen per set of prefixes): each query costs the safety check's parse,
    about 40 ms, more than a screen takes to run."""
    if any(True for _ in core.subjects(RDF.type, SH.ConstraintComponent)):
        return None
    if any(
        _is_shape(shapes, s) for k in (RDFS.Class, OWL.Class) for s in shapes.subjects(RDF.type, k)
    ):
        return None  # implicit class targets: not rewritten as sh:targetNode here
    subclasses = _subclass_closure(backend)
    branches: dict[str, list[str]] = {}  # prologue -> UNION branches binding ?this
    asked: list[tuple[int, str, str, list[Callable[[Node], bool]]]] = []  # values to judge
    shape_screens: list[tuple[str, str, list[_Screen]]] = []  # (prologue, target, screens)
    for shape in sorted(_targeted_shapes(shapes), key=str):
        if _deactivated(core, shape):
            continue
        target = target_pattern(shapes, shape)
        if target is None:
            return None
        head = prologue(shapes, list(shapes.objects(shape, SH.target)))
        try:
            screens = list(_shape_screens(core, shape, subclasses))
        except _Unscreenable:
            branches.setdefault(head, []).append(f"{target} BIND ({_n3(shape)} AS ?aigovkgShape)")
            continue
        plain = [s for s in screens if isinstance(s, _Screen)]
        shape_screens.append((head, f"{target} BIND ({_n3(shape)} AS ?aigovkgShape)", plain))
        for screen in screens:
            if isinstance(screen, _Values):
                asked.append((len(shape_screens) - 1, target, screen.path, screen.tests))
    for number, path, bad in _judged(backend, [(shape_screens[a[0]][0], *a[1:]) for a in asked]):
        screens = shape_screens[asked[number][0]][2]
        for start in range(0, len(bad), BATCH):
            block = " ".join(_n3(v) for v in bad[start : start + BATCH])
            screens.append(_Screen(f"?this {path} ?v . VALUES ?v {{ {block} }}"))
    for head, target, screens in shape_screens:
        if screens:
            branches.setdefault(head, []).append(_grouped(target, screens))
    found: dict[Node, set[Node]] = {}
    for head, patterns in sorted(branches.items()):
        union = " UNION ".join(f"{{ {p} }}" for p in patterns)
        answer = backend.run(f"{head}SELECT DISTINCT ?aigovkgShape ?this WHERE {{ {union} }}")
        assert isinstance(answer, SelectResult)
        for shape, node in answer.rows:
            if shape is not None and node is not None:
                found.setdefault(shape, set()).add(node)
    return found


def _grouped(target: str, screens: list[_Screen]) -> str:
    """One shape's screens over its targets, the target pattern written once: a focus node is
    a candidate when it misses one of the `lacking` patterns or matches a `bad` one."""
    needed = [s for s in screens if s.lacking]
    parts = [f"{{ {s.pattern} BIND ({n} AS ?aigovkgHas) }}" for n, s in enumerate(needed, start=1)]
    parts += [f"{{ {s.pattern} BIND (1 AS ?aigovkgBad) }}" for s in screens if not s.lacking]
    union = " UNION ".join(parts)
    return (
        f"{{ SELECT ?aigovkgShape ?this WHERE {{ {target} OPTIONAL {{ {union} }} }} "
        "GROUP BY ?aigovkgShape ?this "
        f"HAVING (COUNT(DISTINCT ?aigovkgHas) < {len(needed)} || COUNT(?aigovkgBad) > 0) }}"
    )


@dataclass(frozen=True)
class _Values:
    """Value tests judged in Python on the distinct values along `path`."""

    path: str
    tests: list[Callable[[Node], bool]]


def _judged(
    backend: OxigraphBackend, asked: list[tuple[str, str, str, list[Callable[[Node], bool]]]]
) -> Iterator[tuple[int, str, list[Node]]]:
    """For each request (prologue, target, path, tests), the distinct values along its path
    that fail one of its tests, by request number (one query per set of prefixes, the number
    bound to ?aigovkgAsk)."""
    by_head: dict[str, list[int]] = {}
    for number, (head, _target, _path, _tests) in enumerate(asked):
        by_head.setdefault(head, []).append(number)
    bad: dict[int, list[Node]] = {n: [] for n in range(len(asked))}
    for head, numbers in sorted(by_head.items()):
        union = " UNION ".join(
            f"{{ {asked[n][1]} ?this {asked[n][2]} ?v . BIND ({n} AS ?aigovkgAsk) }}"
            for n in numbers
        )
        answer = backend.run(f"{head}SELECT DISTINCT ?aigovkgAsk ?v WHERE {{ {union} }}")
        assert isinstance(answer, SelectResult)
        for number, value in answer.rows:
            if number is None or value is None:
                continue
            tests = asked[int(number)][3]  # type: ignore[arg-type]
            if not all(test(_normal(value)) for test in tests):
                bad[int(number)].append(value)  # type: ignore[arg-type]
    for number, (_head, _target, path, _tests) in enumerate(asked):
        if bad[number]:
            yield number, path, sorted(bad[number], key=str)


def _subclass_closure(backend: OxigraphBackend) -> dict[Node, set[Node]]:
    """Each class with its rdfs:subClassOf* subclasses (itself included), from the store's
    index: what pySHACL's sh:class and sh:targetClass follow."""
    below: dict[Node, set[Node]] = {}
    predicate = ox.NamedNode(str(RDFS.subClassOf))
    for quad in backend.store.quads_for_pattern(None, predicate, None, None):
        sub, sup = to_rdflib(quad.subject), to_rdflib(quad.object)
        below.setdefault(sup, set()).add(sub)  # type: ignore[arg-type]
    closure: dict[Node, set[Node]] = {}
    for cls in below:
        seen: set[Node] = {cls}
        stack = [cls]
        while stack:
            for sub in below.get(stack.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    stack.append(sub)
        closure[cls] = seen
    return closure


def _targeted_shapes(shapes: Graph) -> set[Node]:
    return {s for p in _TARGETS for s in shapes.subjects(p, None)}


def focus_targets(core: Graph, data: Graph, focus: Iterable[Node]) -> dict[Node, set[Node]] | None:
    """For each shape of `core`, the nodes of `focus` it targets in `data` (sh:targetClass
    through rdfs:subClassOf*, sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf); None
    when a shape has a target of another kind. With `retargeted`, validating some focus nodes
    without pySHACL's focus-node option, which misses nested shapes' violations (see
    `candidates`)."""
    if any(True for _ in core.subject_objects(SH.target)) or any(
        _is_shape(core, s) for k in (RDFS.Class, OWL.Class) for s in core.subjects(RDF.type, k)
    ):
        return None
    nodes = set(focus)
    found: dict[Node, set[Node]] = {}
    closure: dict[Node, set[Node]] = {}

    def instances(cls: Node) -> set[Node]:
        if cls not in closure:
            classes = set(data.transitive_subjects(RDFS.subClassOf, cls)) | {cls}
            closure[cls] = {n for n in nodes for t in data.objects(n, RDF.type) if t in classes}
        return closure[cls]

    for shape in _targeted_shapes(core):
        mine = found.setdefault(shape, set())
        for cls in core.objects(shape, SH.targetClass):
            mine |= instances(cls)
        mine |= nodes & set(core.objects(shape, SH.targetNode))
        for predicate in core.objects(shape, SH.targetSubjectsOf):
            mine |= {n for n in nodes if (n, predicate, None) in data}
        for predicate in core.objects(shape, SH.targetObjectsOf):
            mine |= {n for n in nodes if (None, predicate, n) in data}
    return found


def retargeted(core: Graph, found: dict[Node, set[Node]]) -> Graph:
    """`core` with every target replaced by the shape's candidates as sh:targetNode."""
    shapes = Graph()
    for prefix, namespace in core.namespaces():
        shapes.bind(prefix, namespace)
    for triple in core:
        if triple[1] not in _TARGETS:
            shapes.add(triple)
    for shape, nodes in found.items():
        for node in nodes:
            shapes.add((shape, SH.targetNode, node))
    return shapes


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def _is_shape(shapes: Graph, node: Node) -> bool:
    return (node, RDF.type, SH.NodeShape) in shapes or (node, RDF.type, SH.PropertyShape) in shapes


def _inert(parameter: Node) -> bool:
    """A predicate that is no constraint parameter: pySHACL's core reads only SHACL's own
    (custom constraint components, which could read any, make `candidates` give up)."""
    return parameter in _INERT or not str(parameter).startswith(str(SH))


def _deactivated(shapes: Graph, node: Node) -> bool:
    return any(
        isinstance(v, Literal) and v.toPython() is True
        for v in shapes.objects(node, SH.deactivated)
    )


def _shape_screens(
    core: Graph, shape: Node, subclasses: dict[Node, set[Node]]
) -> Iterator[_Screen | _Values]:
    """The screens of a targeted shape: its own constraints (as a property shape when it has a
    path, else as a node shape) and those of its sh:property shapes."""
    if core.value(shape, SH.sparql) is not None:
        raise _Unscreenable  # a SPARQL constraint left to pySHACL (not rewritten for the store)
    path = core.value(shape, SH.path)
    if path is not None:
        yield from _property_screens(core, shape, path, subclasses)
        return
    if not all(_inert(p) for p in core.predicates(shape, None)):
        raise _Unscreenable  # node-level constraints (sh:class on the focus node, sh:closed...)
    for prop in sorted(core.objects(shape, SH.property), key=str):
        if _deactivated(core, prop):
            continue
        prop_path = core.value(prop, SH.path)
        if prop_path is None or core.value(prop, SH.sparql) is not None:
            raise _Unscreenable
        yield from _property_screens(core, prop, prop_path, subclasses)


def _property_screens(
    core: Graph, prop: Node, path_node: Node, subclasses: dict[Node, set[Node]]
) -> Iterator[_Screen | _Values]:
    path = sparql_path(core, path_node)
    step = f"?this {path} ?v ."
    values: list[Callable[[Node], bool]] = []  # value tests judged in Python
    for parameter in sorted(set(core.predicates(prop, None)), key=str):
        objects = list(core.objects(prop, parameter))
        if parameter == SH.property:
            raise _Unscreenable  # a property shape on the value nodes: left to pySHACL
        if _inert(parameter) or parameter in (SH.flags, SH.qualifiedMinCount):
            continue
        if parameter == SH.minCount:
            least = _integer(objects)
            if least > 1:
                raise _Unscreenable  # normalised literals may merge: count in pySHACL
            if least == 1:
                yield _Screen(step, lacking=True)
        elif parameter == SH.maxCount:
            if _integer(objects) != 1:
                raise _Unscreenable  # (n + 1 distinct values: left to pySHACL)
            # Two distinct stored terms: at least as many as pySHACL's values, a superset.
            yield _Screen(f"{step} ?this {path} ?w . FILTER (!sameTerm(?v, ?w))")
        elif parameter == SH["class"]:
            for cls in objects:
                yield _Screen(f"{step} {_not_instance([cls], subclasses)}")
        elif parameter == SH["or"]:
            classes = [_only_class(core, member) for o in objects for member in Collection(core, o)]
            yield _Screen(f"{step} {_not_instance(classes, subclasses)}")
        elif parameter == SH.nodeKind:
            yield _Screen(f"{step} FILTER (!({_node_kind(objects)}))")
        elif parameter == SH["in"]:
            members = [m for o in objects for m in Collection(core, o)]
            same = " || ".join(f"sameTerm(?v, {_n3(m)})" for m in members) or "false"
            yield _Screen(f"{step} FILTER (!({same}))")
        elif parameter == SH.hasValue:
            for wanted in objects:
                yield _Screen(f"?this {path} {_n3(wanted)} .", lacking=True)
        elif parameter == SH.datatype and len(objects) == 1 and objects[0] in _STRINGS:
            yield _Screen(f"{step} FILTER (!isLiteral(?v) || datatype(?v) != {_n3(objects[0])})")
        elif parameter == SH.uniqueLang:
            if any(isinstance(o, Literal) and o.toPython() is True for o in objects):
                yield _Screen(
                    f'{step} ?this {path} ?w . FILTER (!sameTerm(?v, ?w) && LANG(?v) != "" '
                    "&& LCASE(LANG(?v)) = LCASE(LANG(?w)))"
                )
        elif parameter == SH.qualifiedValueShape:
            yield _qualified(core, prop, objects, step)
        else:
            values.append(_value_test(core, prop, parameter, objects))
    if values:
        yield _Values(path, values)


_STRINGS = (XSD.string, RDF.langString)


def _value_test(
    core: Graph, prop: Node, parameter: Node, objects: list[Node]
) -> Callable[[Node], bool]:
    """pySHACL's verdict on one value node for a value-only constraint (True: it passes)."""
    from pyshacl.constraints.core.string_based_constraints import StringBasedConstraintBase
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent
    from pyshacl.rdfutil.compare import compare_literal

    as_text = StringBasedConstraintBase.value_node_to_string
    actual = DatatypeConstraintComponent._assert_actual_datatype
    if parameter == SH.datatype and len(objects) == 1:
        rule = objects[0]

        def datatype(v: Node) -> bool:  # DatatypeConstraintComponent.evaluate, branch by branch
            if not isinstance(v, Literal):
                return False
            if v.datatype == rule:
                if getattr(v, "ill_typed", None) is True:
                    return False
                return bool(actual(None, v, rule))  # type: ignore[arg-type]
            if rule == RDFS.Literal:
                return True
            if rule == RDFS.Datatype and v.datatype:
                return True
            if v.datatype is None and v.language is None and rule == XSD.string:
                return bool(actual(None, v, rule))  # type: ignore[arg-type]
            if rule == RDF.langString and v.language:
                return bool(actual(None, v, rule))  # type: ignore[arg-type]
            return False

        return datatype
    if parameter == SH.pattern and not any(True for _ in core.objects(prop, SH.flags)):
        patterns = [re.compile(str(o)) for o in objects]
        return lambda v: (
            not isinstance(v, BNode) and all(p.search(as_text(v)) is not None for p in patterns)
        )
    if parameter in (SH.minLength, SH.maxLength) and all(isinstance(o, Literal) for o in objects):
        limits = [int(o.toPython()) for o in objects]  # type: ignore[union-attr]
        if parameter == SH.minLength:
            return lambda v: not isinstance(v, BNode) and all(len(as_text(v)) >= n for n in limits)
        return lambda v: not isinstance(v, BNode) and all(len(as_text(v)) <= n for n in limits)
    ranges = {
        SH.minInclusive: lambda c: c >= 0,
        SH.minExclusive: lambda c: c > 0,
        SH.maxInclusive: lambda c: c <= 0,
        SH.maxExclusive: lambda c: c < 0,
    }
    if parameter in ranges and all(isinstance(o, Literal) for o in objects):
        holds = ranges[parameter]

        def in_range(v: Node) -> bool:
            if not isinstance(v, Literal):
                return False
            for bound in objects:
                assert isinstance(bound, Literal)
                if isinstance(bound.value, str) != isinstance(v.value, str):
                    return False
                try:
                    if not holds(compare_literal(v, bound)):
                        return False
                except (TypeError, NotImplementedError):
                    return False
            return True

        return in_range
    if parameter == SH.languageIn:
        return _language_in(core, objects)
    raise _Unscreenable


def _language_in(core: Graph, objects: list[Node]) -> Callable[[Node], bool]:
    """sh:languageIn as pySHACL reads it: the tag, or its first subtag, in the list."""
    wanted = {str(item).lower() for o in objects for item in Collection(core, o)}
    if "*" in wanted:
        return lambda v: isinstance(v, Literal) and bool(v.language)

    def language_in(v: Node) -> bool:
        if not isinstance(v, Literal) or not v.language:
            return False
        tag = str(v.language).lower()
        return tag in wanted or tag.split("-")[0] in wanted

    return language_in


def _qualified(core: Graph, prop: Node, objects: list[Node], step: str) -> _Screen:
    """sh:qualifiedMinCount 1 over a shape that is only sh:languageIn: focus nodes without a
    value in those languages (the tag or its first subtag, lower case, as pySHACL compares)."""
    least = [_integer([o]) for o in core.objects(prop, SH.qualifiedMinCount)]
    if len(objects) != 1 or least != [1] or core.value(prop, SH.qualifiedMaxCount) is not None:
        raise _Unscreenable
    inner = objects[0]
    if set(core.predicates(inner, None)) - {SH.languageIn, RDF.type} or core.value(
        prop, SH.qualifiedValueShapesDisjoint
    ):
        raise _Unscreenable
    wanted = sorted(
        {str(i).lower() for o in core.objects(inner, SH.languageIn) for i in Collection(core, o)}
    )
    if not wanted or "*" in wanted or "" in wanted:
        raise _Unscreenable
    listed = ", ".join(_n3(Literal(w)) for w in wanted)
    return _Screen(
        f"{step} FILTER (LCASE(LANG(?v)) IN ({listed}) "
        f'|| LCASE(STRBEFORE(LANG(?v), "-")) IN ({listed}))',
        lacking=True,
    )


def _only_class(core: Graph, member: Node) -> Node:
    """The class of an sh:or member that is nothing but `[ sh:class C ]`."""
    if set(core.predicates(member, None)) - {SH["class"], RDF.type}:
        raise _Unscreenable
    classes = list(core.objects(member, SH["class"]))
    if len(classes) != 1:
        raise _Unscreenable
    return classes[0]


def _not_instance(classes: list[Node], subclasses: dict[Node, set[Node]]) -> str:
    """A pattern keeping ?v when it is not a SHACL instance of any of `classes` (literals never
    are): an anti-join on the classes' instances (rdf:type/rdfs:subClassOf*, as pySHACL)."""
    if not all(isinstance(c, URIRef) for c in classes):
        raise _Unscreenable
    instance = " UNION ".join(
        f"{{ ?v a/{_n3(RDFS.subClassOf)}* {_n3(c)} }}" for c in sorted(classes, key=str)
    )
    return f"MINUS {{ {instance} }}"


def _node_kind(objects: list[Node]) -> str:
    kinds = {
        SH.IRI: "isIRI(?v)",
        SH.BlankNode: "isBlank(?v)",
        SH.Literal: "isLiteral(?v)",
        SH.BlankNodeOrIRI: "isIRI(?v) || isBlank(?v)",
        SH.BlankNodeOrLiteral: "isBlank(?v) || isLiteral(?v)",
        SH.IRIOrLiteral: "isIRI(?v) || isLiteral(?v)",
    }
    if len(objects) != 1 or objects[0] not in kinds:
        raise _Unscreenable
    return kinds[objects[0]]


def sparql_path(shapes: Graph, path: Node) -> str:
    """A SHACL path as a SPARQL property path (predicate, inverse, sequence, alternative)."""
    if isinstance(path, URIRef):
        return _n3(path)
    if (path, RDF.first, None) in shapes:
        steps = [sparql_path(shapes, step) for step in Collection(shapes, path)]
        if not steps:
            raise _Unscreenable
        return "(" + " / ".join(steps) + ")"
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^({sparql_path(shapes, inverse)})"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        options = [sparql_path(shapes, step) for step in Collection(shapes, alternatives)]
        if not options:
            raise _Unscreenable
        return "(" + " | ".join(options) + ")"
    raise _Unscreenable  # sh:zeroOrMorePath and friends: left to pySHACL


def _integer(objects: list[Node]) -> int:
    if len(objects) != 1 or not isinstance(objects[0], Literal):
        raise _Unscreenable
    value = objects[0].toPython()
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Unscreenable
    return value


def _n3(term: Node) -> str:
    """A term as SPARQL text (pyoxigraph writes the escapes)."""
    return str(to_oxigraph(term))


def _normal(term: Node) -> Node:
    """A stored term as the loader hands it to pySHACL (lexical forms as rdflib's parser gives)."""
    if isinstance(term, Literal) and term.datatype is not None:
        return Literal(str(term), datatype=term.datatype, normalize=True)
    return term


def _focus(answer: object, variable: str = "this") -> list[Node]:
    if not isinstance(answer, SelectResult) or variable not in answer.variables:
        return []
    index = answer.variables.index(variable)
    return [row[index] for row in answer.rows if row[index] is not None]


def neighbourhood(
    backend: OxigraphBackend,
    focus: Iterable[Node],
    depth: int,
    inverse: Iterable[str],
) -> Graph:
    """The statements pySHACL reads to validate `focus` (as rdflib terms, lexical forms as the
    loader gives them), taken from the store's indexes: every statement up to `depth` + 1 steps
    out from a focus node (forwards; backwards along the `inverse` predicates), plus every
    rdfs:subClassOf statement (class membership). The bound is validation_cache's `reach` of
    the shapes; prefixes as LoadedGraph.graph, since pySHACL's messages shorten IRIs by them."""
    store = backend.store
    graph = bind_prefixes(Graph())
    add = graph.store.add
    terms: dict[object, Node] = {}

    def rdflib_term(term: object) -> Node:
        found = terms.get(term)
        if found is None:
            found = terms[term] = to_rdflib(term, normalize=True)  # type: ignore[assignment]
        return found  # type: ignore[return-value]

    def keep(quad: ox.Quad) -> None:
        add(
            (rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)),
            graph,
            quoted=False,
        )

    backwards = [ox.NamedNode(p) for p in sorted(set(inverse))]
    seen: set[object] = set()
    frontier = {to_oxigraph(n) for n in focus}
    for _level in range(depth + 1):
        following: set[object] = set()
        for node in frontier:
            if isinstance(node, ox.Literal) or node in seen:
                continue
            seen.add(node)
            for quad in store.quads_for_pattern(node, None, None, None):
                keep(quad)
                following.add(quad.object)
            if isinstance(node, ox.NamedNode | ox.BlankNode):
                for predicate in backwards:
                    for quad in store.quads_for_pattern(None, predicate, node, None):
                        keep(quad)
                        following.add(quad.subject)
        frontier = following
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None, None):
        keep(quad)
    return graph


def whole_graph(backend: OxigraphBackend) -> Graph:
    """Every statement of the store as an rdflib graph (shapes the screening cannot bound)."""
    graph = bind_prefixes(Graph())
    add = graph.store.add
    terms: dict[object, Node] = {}
    for quad in backend.store.quads_for_pattern(None, None, None, None):
        triple = []
        for term in (quad.subject, quad.predicate, quad.object):
            found = terms.get(term)
            if found is None:
                found = terms[term] = to_rdflib(term, normalize=True)  # type: ignore[assignment]
            triple.append(found)
        add(tuple(triple), graph, quoted=False)
    return graph


__all__ = [
    "BATCH",
    "candidates",
    "focus_targets",
    "neighbourhood",
    "retargeted",
    "sparql_path",
    "whole_graph",
]
