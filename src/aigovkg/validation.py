"""SHACL validation of the graph, plus the integrity-check queries, as one report.

Runs at build and validate time only, never on the path of a query. pySHACL runs behind
shacl_guard: the shapes' SPARQL is checked first, and validation happens in a child process
without network access and with a time limit (`time_limit_s`). Each violation names the
focus node, the path, the constraint component that fired and the source file(s) in which the
focus node is described, so a person knows which file to open.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .namespaces import SH
from .queries import QueryFile
from .shacl_guard import TIME_LIMIT_S, run_guarded
from .shacl_guard import forks as shacl_guard_forks

_OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal

if TYPE_CHECKING:
    from .shacl_sparql import Plan
    from .store import OxigraphBackend

CHECK_COMPONENT = "aigov:IntegrityCheck"
NFC_COMPONENT = "aigov:NormalizedText"
LENGTH_COMPONENT = "aigov:LiteralLength"

# The longest literal in the data is about 1,250 characters (a scope note). Ten thousand is far
# above any label, definition or note a person writes, and far below what would make the pages,
# dumps or a SPARQL result unwieldy: a longer text is a document, to be linked, not embedded.
MAX_LITERAL_CHARS = 10_000


@dataclass(frozen=True)
class Violation:
    """One failed constraint."""

    focus: str
    path: str | None
    value: str | None
    message: str
    component: str
    shape: str | None
    severity: str
    files: tuple[str, ...] = ()


@dataclass
class ValidationReport:
    """All violations found; `conforms` is true when there are none of severity Violation."""

    violations: list[Violation] = field(default_factory=list)
    # How the report was made (validation_cache): "full", "incremental" or "cached", and how
    # many focus nodes pySHACL's core constraints checked (None: every target).
    mode: str = "full"
    focus_checked: int | None = None

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _short(node: Node | None) -> str | None:
    if node is None:
        return None
    text = str(node)
    for prefix, local in (
        (str(SH), "sh:"),
        ("https://w3id.org/aigovkg/shapes#", "aigovsh:"),
    ):
        if text.startswith(prefix):
            return local + text[len(prefix) :]
    return text


def run_shacl(
    data: Graph | None,
    shapes: Graph,
    files_of: Mapping[Node, list[Path]] | None = None,
    focus_nodes: list[Node] | None = None,
    time_limit_s: float = TIME_LIMIT_S,
    backend: OxigraphBackend | None = None,
    sparql_everywhere: bool = False,
    targets: dict[Node, list[Node]] | None = None,
    sparql_shapes: Collection[Node] | None = None,
    planned: Plan | None = None,
) -> ValidationReport:
    """Validate `data` (ontology + data, a plain in-memory rdflib Graph; None: read from
    `backend`, only around the focus nodes that may fail) against `shapes`;
    with `focus_nodes`, only those nodes (as pySHACL's focus mode: faster, for targeted checks).
    `backend`, when given, holds the same triples as `data` in the store, where the SPARQL
    constraints run (shacl_sparql); otherwise one is built from `data`. `sparql_everywhere`,
    `targets`, `sparql_shapes` and `planned` are shacl_sparql.validate's (incremental
    validation).

    pySHACL (behind shacl_sparql) is imported here: it takes longer to import than a query
    takes to run, and only validation needs it."""
    from .shacl_sparql import validate as shacl_validate

    results = run_guarded(
        shacl_validate,
        data,
        shapes,
        time_limit_s,
        backend=backend,
        inference="none",
        inplace=True,  # no inference, so nothing is written; skips pySHACL's copy of the data
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
        focus_nodes=focus_nodes,
        sparql_everywhere=sparql_everywhere,
        targets=targets,
        sparql_shapes=sparql_shapes,
        # pySHACL adds its system triples to the shapes it gets: a kept plan only in a child
        planned=planned if shacl_guard_forks() else None,
    )
    files_of = files_of or {}
    report = ValidationReport()
    for result in sorted(results.subjects(RDF.type, SH.ValidationResult), key=str):
        focus = results.value(result, SH.focusNode)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        severity = results.value(result, SH.resultSeverity)
        report.violations.append(
            Violation(
                focus=str(focus),
                path=_text(results.value(result, SH.resultPath)),
                value=_text(results.value(result, SH.value)),
                message=messages[0] if messages else "",
                component=_short(results.value(result, SH.sourceConstraintComponent)) or "",
                shape=_short(results.value(result, SH.sourceShape)),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                files=tuple(str(p) for p in files_of.get(focus, [])) if focus is not None else (),
            )
        )
    report.violations.sort(
        key=lambda v: (v.files, v.focus, v.component, v.path or "", v.value or "")
    )
    return report


def violations_from_check(
    check: QueryFile, rows: list[dict[str, Node]], files_of: Mapping[Node, list[Path]]
) -> list[Violation]:
    """The rows of a `*-violation.rq` query as violations (focus: ?this, else the first column)."""
    found: list[Violation] = []
    for row in rows:
        focus = row.get("this") or next(iter(row.values()), None)
        message = row.get("message")
        found.append(
            Violation(
                focus=str(focus),
                path=None,
                value=_text(row.get("value")),
                message=str(message) if isinstance(message, Literal) else check.question,
                component=CHECK_COMPONENT,
                shape=check.id,
                severity="Violation",
                files=tuple(str(p) for p in files_of.get(focus, []))
                if isinstance(focus, URIRef)
                else (),
            )
        )
    return found


def check_order(violation: Violation) -> tuple[str, str, str]:
    """The order of one integrity check's violations in a report."""
    return (violation.focus, violation.value or "", violation.message)


def text_violations(parts: Mapping[Path, Iterable[ox.Triple]]) -> list[Violation]:
    """Literals longer than MAX_LITERAL_CHARS, and literals or IRIs not in Unicode NFC.

    SHACL cannot test normalisation, so this is Python. Text that is not NFC looks identical
    to its NFC twin but compares, hashes and matches in SPARQL differently ("Café" typed two
    ways is two labels), so it is refused at the source. Each violation names the file, the
    subject (focus) and the predicate (path). `parts` maps each file to its statements as
    parsed (pyoxigraph terms, the text as the file wrote it: no rdflib copy is needed, which
    was most of the cost at a million statements); a file's violations come in the order of
    their statements' text, each statement once.
    """
    found: list[Violation] = []
    for path, statements in parts.items():
        keyed: list[tuple[tuple[str, str, str], Violation]] = []
        for subject, predicate, obj in dict.fromkeys(statements):
            for term in (subject, predicate, obj):
                if isinstance(term, ox.Literal | ox.NamedNode) and not unicodedata.is_normalized(
                    "NFC", term.value
                ):
                    kind = "literal" if isinstance(term, ox.Literal) else "IRI"
                    violation = _text_violation(
                        subject,
                        predicate,
                        term,
                        NFC_COMPONENT,
                        path,
                        f"{kind} not in Unicode NFC (normalise it: the same text typed "
                        "another way would not match)",
                    )
                    keyed.append(((subject.value, predicate.value, obj.value), violation))
            if isinstance(obj, ox.Literal) and len(obj.value) > MAX_LITERAL_CHARS:
                violation = _text_violation(
                    subject,
                    predicate,
                    obj,
                    LENGTH_COMPONENT,
                    path,
                    f"literal of {len(obj.value)} characters, more than {MAX_LITERAL_CHARS}",
                )
                keyed.append(((subject.value, predicate.value, obj.value), violation))
        keyed.sort(key=lambda pair: pair[0])  # stable: a statement's own order is kept
        found.extend(violation for _key, violation in keyed)
    return found


def _text_violation(
    subject: _OxTerm, predicate: _OxTerm, value: _OxTerm, component: str, path: Path, message: str
) -> Violation:
    text = value.value
    return Violation(
        focus=subject.value,
        path=predicate.value,
        value=text if len(text) <= 80 else text[:80] + "…",
        message=message,
        component=component,
        shape=None,
        severity="Violation",
        files=(str(path),),
    )
