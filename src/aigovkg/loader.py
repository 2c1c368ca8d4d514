"""Parse the hand-edited Turtle files into one rdflib Graph, remembering which file said what.

rdflib is the right tool here: pyshacl needs a plain in-memory rdflib Graph (over an
oxrdflib-backed graph it reported hundreds of false violations). The per-subject file map lets a
SHACL violation name the file to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from .errors import TurtleSyntaxError
from .namespaces import bind_prefixes


def parse_turtle(path: Path) -> Graph:
    """One file as a Graph; a syntax error names the file and the 1-based line."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad input
        line, detail = _error_location(exc)
        raise TurtleSyntaxError(path, line, detail) from exc
    return graph


def _error_location(exc: Exception) -> tuple[int | None, str]:
    args = getattr(exc, "args", ())
    # rdflib's notation3 BadSyntax(uri, lines, argstr, i, why): `lines` counts newlines before
    # the error, so the 1-based line is lines + 1.
    if type(exc).__name__ == "BadSyntax" and len(args) >= 5:
        return int(args[1]) + 1, str(args[4])
    return None, str(exc) or type(exc).__name__


@dataclass
class LoadedGraph:
    """The union graph plus where each statement came from.

    `parts` keeps each file's own graph: the N-Quads dump publishes one named graph per source
    file, so a harvester can tell which file (and so which sources) a statement came from.
    """

    graph: Graph
    files: list[Path]
    subject_files: dict[Node, list[Path]] = field(default_factory=dict)
    parts: dict[Path, Graph] = field(default_factory=dict)

    def files_of(self, node: Node) -> list[Path]:
        """The files in which `node` appears as a subject (where to fix a violation about it)."""
        return self.subject_files.get(node, [])


def load_files(paths: Iterable[Path]) -> LoadedGraph:
    """Parse every file (all errors stop the load: nothing is half-loaded)."""
    union = bind_prefixes(Graph())
    loaded = LoadedGraph(graph=union, files=[])
    for path in paths:
        part = parse_turtle(path)
        loaded.files.append(path)
        loaded.parts[path] = part
        for triple in part:
            union.add(triple)
        for subject in set(part.subjects()):
            loaded.subject_files.setdefault(subject, []).append(path)
    return loaded
