"""Parse the hand-edited Turtle files into one rdflib Graph, remembering which file said what.

rdflib is the right tool here: pyshacl needs a plain in-memory rdflib Graph (over an
oxrdflib-backed graph it reported hundreds of false violations). The per-subject file map lets a
SHACL violation name the file to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.term import Node

from .errors import BlankNodeInData, CanonicalisationTooCostly, TurtleSyntaxError
from .namespaces import bind_prefixes
from .serialize import canonical
from .sources import is_data_file


def parse_turtle(path: Path) -> Graph:
    """One file as a Graph; a syntax error names the file and the 1-based line.

    A file in a source tree's data/ may not use blank nodes (BlankNodeInData, naming the line):
    instance data has IRIs, and refusing them there also keeps the costly blank-node
    canonicalisation to the ontology's few class expressions.
    """
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad input
        line, detail = _error_location(exc)
        raise TurtleSyntaxError(path, line, detail) from exc
    if is_data_file(path) and _has_blank_nodes(graph):
        line, token = blank_node_syntax(path.read_text(encoding="utf-8"))
        raise BlankNodeInData(path, line, f"`{token}`" if token else "an anonymous node")
    return graph


def _has_blank_nodes(graph: Graph) -> bool:
    return any(isinstance(term, BNode) for triple in graph for term in triple)


def blank_node_syntax(text: str) -> tuple[int | None, str | None]:
    """The 1-based line and token of the first blank node in Turtle text (`_:x`, `[`, or a
    list's `(`), skipping comments, IRIs and strings; (None, None) when there is none."""
    i, line, n = 0, 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        elif ch == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif ch == "<":
            end = text.find(">", i)
            i = n if end < 0 else end + 1
            continue
        elif ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                if text[i] == "\n":
                    line += 1
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        elif text.startswith("_:", i):
            end = i + 2
            while end < n and (text[end].isalnum() or text[end] in "_-."):
                end += 1
            return line, text[i:end].rstrip(".")
        elif ch in "[(":
            return line, ch
        i += 1
    return None, None


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
    """Parse every file (all errors stop the load: nothing is half-loaded).

    Each file's blank nodes are canonicalised once here, under serialize's work budget, so a
    pathological file stops validate and build in a second with its name, not in the dumps.
    """
    union = bind_prefixes(Graph())
    loaded = LoadedGraph(graph=union, files=[])
    for path in paths:
        part = parse_turtle(path)
        try:
            canonical(part)  # fail here, naming the file, rather than hang in the build
        except CanonicalisationTooCostly as exc:
            raise exc.in_file(path) from None
        loaded.files.append(path)
        loaded.parts[path] = part
        for triple in part:
            union.add(triple)
        for subject in set(part.subjects()):
            loaded.subject_files.setdefault(subject, []).append(path)
    return loaded
