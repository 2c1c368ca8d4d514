"""Run pySHACL on a checkout's shapes without letting them reach the network or run forever.

SHACL-SPARQL constraints, targets and functions (`sh:select`, `sh:ask`, `sh:construct`) are
SPARQL that rdflib's engine runs, and rdflib fetches SERVICE endpoints, FROM / FROM NAMED
documents and LOAD targets. Shapes come with the checkout, so a hostile or careless one must not
make `aigovkg validate` call out. Three layers, from the clearest error to the last resort:

1. `check_shapes` parses every SPARQL text in the shapes graph with the safety parser
   (sparql_safety) before pySHACL starts, and checks the pieces pySHACL pastes around them
   (sh:prefix names, sh:namespace IRIs, every IRI a `$PATH` may be built from), so a refusal
   names the shape and the property holding the query.
2. pySHACL then runs in a forked child process in which every SPARQL text rdflib is handed, as
   pySHACL finally assembled it, goes through the same check first (the child patches rdflib's
   SPARQL processor; the child is thrown away afterwards, so the patch never touches the caller).
3. That child first drops into an empty network namespace (netjail) where it can; where it cannot
   (no namespaces for this user), layers 1 and 2 still hold.

The child also gives validation a time limit: a SPARQL constraint that never ends (a cartesian
product, a catastrophic regular expression in C code that no in-process timer can interrupt) is
killed at the deadline and reported as ShaclTimeLimit. Fork is cheap here (nothing is re-imported
and the data graph is shared copy-on-write) and yields a single-threaded child, which the network
namespace needs. Where fork does not exist (Windows), pySHACL runs in-process after layer 1,
without the deadline.

Each child hands back, with its results, the verdicts of the texts its safety check parsed; the
parent keeps them (`_CHILD_VERDICTS`, bounded) only to give its next children, which would ask
the same generated texts (about 2 s of parsing per validation of the project's data, most of
a validation). The parent's own checks never read them: a child can only vouch for a text to
another jailed child.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from multiprocessing.connection import Connection
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from . import netjail
from .errors import AigovkgError
from .namespaces import SH
from .sparql_safety import (
    IRI_TEXT,
    Analysis,
    RefusedQuery,
    check_query,
    enter_sandbox,
    sandbox_parsed,
)

TIME_LIMIT_S = 600.0
CHILD_VERDICTS = 256  # texts whose verdicts are kept for the next children (oldest dropped)
_CHILD_VERDICTS: OrderedDict[str, Analysis] = OrderedDict()  # verdict_key -> verdict
SPARQL_PROPERTIES = (SH.select, SH.ask, SH.construct, SH.update)
_PREFIX_NAME = re.compile(r"(?:[A-Za-z\u00c0-\U000effff](?:[\w.\-]*[\w\-])?)?")


class ShaclTimeLimit(AigovkgError):
    """SHACL validation passed its time limit and was stopped."""


class ShaclFailed(AigovkgError):
    """pySHACL raised an error while validating (in the child process); carries its message."""


class _RefusedInChild(BaseException):
    """Raised in the child for a refused text: a BaseException, because pySHACL turns ordinary
    exceptions from a constraint into a ValidationFailure and carries on."""


def check_shapes(shapes: Graph) -> None:
    """Raise RefusedQuery when the shapes graph holds SPARQL that must not run, or pieces that
    would change a query once pySHACL pastes them in; the message names the shape."""
    for prop in SPARQL_PROPERTIES:
        for node, text in sorted(shapes.subject_objects(prop), key=str):
            name = shapes.namespace_manager.normalizeUri(prop)
            try:
                check_query(str(text), None, prefixes={})
            except RefusedQuery as exc:
                raise RefusedQuery(f"{name} of {_describe(shapes, node)}: {exc.detail}") from None
    for node, prefix in shapes.subject_objects(SH.prefix):
        if not _PREFIX_NAME.fullmatch(str(prefix)):
            raise RefusedQuery(f"sh:prefix {str(prefix)!r} of {node} is not a SPARQL prefix name")
    for node, namespace in shapes.subject_objects(SH.namespace):
        if not IRI_TEXT.fullmatch(str(namespace)):
            raise RefusedQuery(f"sh:namespace {str(namespace)!r} of {node} is not an IRI")
    for term in _terms(shapes):
        if isinstance(term, URIRef) and not IRI_TEXT.fullmatch(str(term)):
            raise RefusedQuery(f"the shapes graph holds an invalid IRI {str(term)!r}")


def _terms(graph: Graph) -> Iterator[Node]:
    for triple in graph:
        yield from triple


def _describe(shapes: Graph, node: Node) -> str:
    """The shape that owns a SPARQL node (`shape sh:sparql node`), else the node itself."""
    owner = shapes.value(predicate=SH.sparql, object=node) or shapes.value(
        predicate=SH.target, object=node
    )
    return f"shape {owner} (constraint {node})" if owner is not None else str(node)


def run_guarded(
    validate: Callable[..., tuple[Any, Any, Any]],
    data: Graph,
    shapes: Graph,
    time_limit_s: float = TIME_LIMIT_S,
    **options: Any,
) -> Graph:
    """`validate(data, shacl_graph=shapes, **options)` (pyshacl.validate) behind the three layers
    above; returns pySHACL's results graph."""
    check_shapes(shapes)
    if not forks():
        _conforms, results, _text = validate(data, shacl_graph=shapes, **options)
        return results
    context = mp.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(child, validate, data, shapes, options), daemon=True
    )
    # What the child inherits is never collected there. A suite run saw the child die (SIGSEGV)
    # in a collection during its safety parse, in a worker that had held on-disk stores (whose
    # database threads do not exist in a forked child); not reproduced alone, so this is
    # defence, not a proven fix. A server keeps what it froze at start (app.py) frozen.
    already_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        process.start()
    finally:
        if not already_frozen:
            gc.unfreeze()
    child.close()
    try:
        if not parent.poll(time_limit_s):
            raise ShaclTimeLimit(
                f"SHACL validation stopped after its {time_limit_s:g} s time limit "
                "(a SPARQL constraint in the shapes may never end)"
            )
        try:
            kind, payload, parsed = parent.recv()
        except (EOFError, OSError):
            raise ShaclFailed(
                f"the SHACL validation process died (exit code {process.exitcode})"
            ) from None
    finally:
        with contextlib.suppress(Exception):
            process.kill()
            process.join(5)
        parent.close()
    _keep_child_verdicts(parsed)
    if kind == "refused":
        raise RefusedQuery(f"a SPARQL query assembled for validation was refused: {payload}")
    if kind == "error":
        raise ShaclFailed(f"SHACL validation failed: {payload}")
    results = Graph()
    for triple in payload:
        results.add(triple)
    return results


def forks() -> bool:
    """Whether pySHACL runs in a forked child here (else in this process, after layer 1): what
    it writes into the graphs it is given (its system triples into the shapes) then stays
    there."""
    return "fork" in mp.get_all_start_methods()


def _child(
    conn: Connection,
    validate: Callable[..., tuple[Any, Any, Any]],
    data: Graph,
    shapes: Graph,
    options: dict[str, Any],
) -> None:
    """The forked child: jail, guard rdflib's SPARQL entry point, validate, send the triples."""
    with contextlib.suppress(netjail.JailError):
        netjail.drop_network()
    enter_sandbox(_CHILD_VERDICTS)
    _guard_rdflib_sparql()
    try:
        _conforms, results, text = validate(data, shacl_graph=shapes, **options)
        # pySHACL reports some failures (its own SERVICE refusal among them) as a result object
        # that is not a graph, with the reason in the text.
        reply: tuple[str, object] = (
            ("ok", list(results)) if isinstance(results, Graph) else ("error", str(text))
        )
    except _RefusedInChild as exc:
        reply = ("refused", str(exc))
    except RefusedQuery as exc:  # a constraint the store answers, refused by the store's check
        reply = ("refused", exc.detail)
    except Exception as exc:
        reply = ("error", f"{type(exc).__name__}: {exc}")
    conn.send((*reply, sandbox_parsed()))
    conn.close()


def _keep_child_verdicts(parsed: list[tuple[str, Analysis]]) -> None:
    """Keep what a child parsed for the next children (see the module docstring)."""
    for key, verdict in parsed:
        _CHILD_VERDICTS[key] = verdict
        _CHILD_VERDICTS.move_to_end(key)
    while len(_CHILD_VERDICTS) > CHILD_VERDICTS:
        _CHILD_VERDICTS.popitem(last=False)


def child_verdicts() -> dict[str, Analysis]:
    """The verdicts kept for the next children (the validation cache writes them to disk)."""
    return dict(_CHILD_VERDICTS)


def remember_child_verdicts(verdicts: Mapping[str, Analysis]) -> None:
    """Verdicts earlier processes' children found (the validation cache's file), for this
    process's children; never for the checks this process makes itself."""
    _keep_child_verdicts([(k, v) for k, v in verdicts.items() if k not in _CHILD_VERDICTS])


def _guard_rdflib_sparql() -> None:
    """In the throwaway child only: every query text rdflib is asked to run is checked first,
    and rdflib is told never to load FROM graphs."""
    import rdflib.plugins.sparql as rdflib_sparql
    from rdflib.plugins.sparql import processor

    rdflib_sparql.SPARQL_LOAD_GRAPHS = False
    original = processor.SPARQLProcessor.query

    def query(self: Any, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            try:
                check_query(query_object, None, prefixes={})
            except RefusedQuery as exc:
                raise _RefusedInChild(exc.detail) from None
        return original(self, query_object, *args, **kwargs)

    def update(self: Any, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        raise _RefusedInChild("SPARQL Update is refused during validation")

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    processor.SPARQLUpdateProcessor.update = update  # type: ignore[method-assign]
