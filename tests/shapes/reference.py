"""pySHACL's own report on the invalid graph, the oracle test_shacl_sparql compares with.

pySHACL evaluating every constraint per focus node is the slowest thing the suite does (about
20 s of CPU). Its report depends only on its inputs, so it is kept in
`expected/pyshacl-reference.json` under a key that digests exactly those inputs: every triple
of the data graph and of the shapes graph (blank nodes written as their descriptions), the
options, and the versions of pySHACL and rdflib. When the key matches, the stored report is
pySHACL's answer for these very inputs; when anything changed (data, shapes, a case, a
library), pySHACL runs again and the file is rewritten for the next run (commit it with the
change). This caches the oracle, not the code under test: nothing the split validator does
can change what is stored.

Results are compared as text: a blank node of the shapes graph (a SPARQL constraint, a
property path) is written as its description (its statements, recursively), which is the same
in every process, where blank node labels are not.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from aigovkg.namespaces import SH

STORED = Path(__file__).parent / "expected" / "pyshacl-reference.json"
Result = tuple[str, ...]
FIELDS = (
    SH.focusNode,
    SH.resultPath,
    SH.value,
    SH.sourceConstraintComponent,
    SH.sourceShape,
    SH.sourceConstraint,
    SH.resultSeverity,
)


def describe(node: Node | None, *graphs: Graph, seen: frozenset[Node] = frozenset()) -> str:
    """`node` as text that is the same in every process: a blank node as its statements in the
    first graph that has any, recursively (a cycle is cut as "[...]")."""
    if node is None:
        return "-"
    if not isinstance(node, BNode):
        return node.n3()
    if node in seen:
        return "[...]"
    for graph in graphs:
        statements = sorted(
            f"{p.n3()} {describe(o, *graphs, seen=seen | {node})}"
            for p, o in graph.predicate_objects(node)
        )
        if statements:
            return "[ " + " ; ".join(statements) + " ]"
    return "[ ]"


def results(report: Graph, shapes: Graph) -> set[Result]:
    """Each sh:ValidationResult as comparable text (its own blank node left out)."""
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        fields = tuple(describe(report.value(result, f), shapes, report) for f in FIELDS)
        messages = json.dumps(sorted(str(m) for m in report.objects(result, SH.resultMessage)))
        found.add((*fields, messages))
    return found


def inputs_key(data: Graph, shapes: Graph, options: Mapping[str, object]) -> str:
    """The digest of everything pySHACL's report depends on."""
    digest = hashlib.sha256()
    for package in ("pyshacl", "rdflib"):
        digest.update(f"{package} {version(package)}\n".encode())
    digest.update(json.dumps(dict(options), sort_keys=True).encode())
    for graph in (data, shapes):
        lines = sorted(f"{describe(s, graph)} {p.n3()} {describe(o, graph)}" for s, p, o in graph)
        digest.update(b"\ngraph\n" + "\n".join(lines).encode())
    return digest.hexdigest()


def pyshacl_reference(data: Graph, shapes: Graph, options: Mapping[str, object]) -> set[Result]:
    """pySHACL's report on `data`: stored when its inputs are unchanged, else computed (and
    stored for the next run)."""
    key = inputs_key(data, shapes, options)
    try:
        stored = json.loads(STORED.read_text(encoding="utf-8"))
        if stored["key"] == key:
            return {tuple(result) for result in stored["results"]}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    _conforms, report, _text = pyshacl_validate(data, shacl_graph=shapes, **options)
    found = results(report, shapes)
    warnings.warn(
        f"pySHACL's reference report was recomputed (its inputs changed); {STORED} now holds "
        "the new one: commit it with the change",
        stacklevel=2,
    )
    STORED.parent.mkdir(exist_ok=True)
    temporary = STORED.with_name(f".{STORED.name}.{os.getpid()}.tmp")
    temporary.write_text(
        json.dumps({"key": key, "results": sorted(found)}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    os.replace(temporary, STORED)
    return found
