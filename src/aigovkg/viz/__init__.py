"""Interactive, offline, self-contained HTML views of the graph (`aigovkg viz`).

`write_views` is the one entry point the command line, the build and the web server call:
give it the built graph (a KnowledgeGraph, a query backend or an rdflib Graph) and a directory.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ..sources import SourceTree, locate
from ..store import OxigraphBackend, SparqlBackend
from .assets import load_assets
from .extract import (
    VIEWS,
    GraphFacts,
    UnknownEntity,
    UnknownView,
    build_view,
    ego,
    read_facts,
    resolve,
)
from .model import VizGraph, local_name
from .render import render_page

__all__ = [
    "VIEWS",
    "UnknownEntity",
    "UnknownView",
    "ViewRequest",
    "page_name",
    "render_view",
    "write_views",
]


@dataclass(frozen=True)
class ViewRequest:
    """One page to write: a view, optionally around one entity, optionally as of a date."""

    view: str = "full"
    focus: str | None = None


def _backend(source: object) -> tuple[SparqlBackend, SourceTree | None]:
    if isinstance(source, Graph):
        return OxigraphBackend.from_graph(source), None
    backend = getattr(source, "backend", None)
    if backend is not None:  # a KnowledgeGraph
        return backend, getattr(source, "tree", None)
    return source, None  # type: ignore[return-value]


def page_name(request: ViewRequest, as_of: dt.date | None, focus_iri: str | None = None) -> str:
    """`summits.html`, `full-focus-KR.html`, `summits-as-of-2024-05-31.html`..."""
    name = request.view
    if focus_iri is not None:
        name += "-focus-" + re.sub(r"[^A-Za-z0-9_.-]+", "-", local_name(focus_iri))
    if as_of is not None:
        name += f"-as-of-{as_of.isoformat()}"
    return name + ".html"


def render_view(
    backend: SparqlBackend,
    tree: SourceTree,
    request: ViewRequest,
    facts: GraphFacts,
    as_of: dt.date | None = None,
) -> tuple[VizGraph, str, str | None]:
    """The graph and page of one request, and the IRI it is focused on (if any)."""
    graph = build_view(backend, tree, request.view, facts, as_of)
    focus_iri = None
    if request.focus is not None:
        focus_iri = resolve(request.focus, facts)
        graph = ego(graph, focus_iri)
    subtitle = f"as of {as_of.isoformat()}" if as_of else ""
    return graph, render_page(graph, load_assets(tree), subtitle=subtitle), focus_iri


def write_views(
    graph_or_kg: object,
    out_dir: Path,
    *,
    requests: list[ViewRequest] | None = None,
    as_of: dt.date | None = None,
    tree: SourceTree | None = None,
    output: Path | None = None,
) -> list[Path]:
    """Write one HTML page per request (default: every view) and return their paths.

    `output` names the file of a single request (`aigovkg viz -o FILE`). Raises UnknownView or
    UnknownEntity (both AigovkgError, exit code 2) before writing anything.
    """
    backend, own_tree = _backend(graph_or_kg)
    tree = tree or own_tree or locate()
    requests = requests or [ViewRequest(view) for view in VIEWS]
    if output is not None and len(requests) != 1:
        raise UnknownView("-o FILE needs exactly one view")
    facts = read_facts(backend, tree, as_of)
    pages: list[tuple[Path, str]] = []
    for request in requests:
        _graph, html, focus_iri = render_view(backend, tree, request, facts, as_of)
        path = output if output is not None else out_dir / page_name(request, as_of, focus_iri)
        pages.append((path, html))
    written = []
    for path, html in pages:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written
