"""Interactive, offline, self-contained HTML views of the graph (`aigovkg viz`).

`write_views` is the one entry point the command line, the build and the web server call:
give it the built graph (a KnowledgeGraph, a query backend or an rdflib Graph) and a directory.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from ..i18n import Translator
from ..namespaces import AIGOV, INSTRUMENT_STATUS
from ..resolve import resolve
from ..sources import SourceTree, locate
from .assets import load_assets
from .extract import (
    NODE_BUDGET,
    TITLES,
    VIEWS,
    GraphFacts,
    UnknownEntity,
    UnknownView,
    budget_note,
    complete,
    ego,
    read_facts,
    view_outline,
    within_budget,
)
from .model import VizGraph, slug
from .render import render_page

if TYPE_CHECKING:
    from ..api import KnowledgeGraph

__all__ = [
    "VIEWS",
    "UnknownEntity",
    "UnknownView",
    "ViewRequest",
    "page_name",
    "render_view",
    "view_requests",
    "write_views",
]


@dataclass(frozen=True)
class ViewRequest:
    """One page to write: a view, optionally around one entity, optionally as of a date."""

    view: str = "full"
    focus: str | None = None


def view_requests(
    view: str | None = None, focus: str | None = None, output: Path | None = None
) -> list[ViewRequest]:
    """The pages `aigovkg viz` writes: every view by default, else the one view (default "full")
    around `focus` or into `output`. Raises UnknownView for a view that does not exist."""
    if view is not None and view not in VIEWS:
        raise UnknownView(f"--view {view!r}: expected one of {', '.join(VIEWS)}")
    if view is None and focus is None and output is None:
        return [ViewRequest(v) for v in VIEWS]
    return [ViewRequest(view or "full", focus)]


def _knowledge_graph(source: KnowledgeGraph | Graph, tree: SourceTree | None) -> KnowledgeGraph:
    """The views ask the one query layer; an rdflib Graph (the build's, before any dump exists)
    is put behind the same backend first."""
    from ..api import KnowledgeGraph

    if isinstance(source, Graph):
        return KnowledgeGraph.from_graph(source, tree or locate())
    return source


def page_name(request: ViewRequest, as_of: dt.date | None, focus_iri: str | None = None) -> str:
    """`summits.html`, `full-focus-KR.html`, `summits-as-of-2024-05-31.html`..."""
    name = request.view
    if focus_iri is not None:
        name += "-focus-" + re.sub(r"[^A-Za-z0-9_.-]+", "-", slug(focus_iri))
    if as_of is not None:
        name += f"-as-of-{as_of.isoformat()}"
    return name + ".html"


def render_view(
    kg: KnowledgeGraph,
    request: ViewRequest,
    facts: GraphFacts,
    as_of: dt.date | None = None,
    budget: int = NODE_BUDGET,
    lang: str = "en",
) -> tuple[VizGraph, str, str | None]:
    """The graph and page of one request, and the IRI it is focused on (if any); beyond
    `budget` nodes the page draws the most connected ones and says what it left out."""
    graph = view_outline(kg, request.view, facts, as_of)
    focus_iri = None
    if request.focus is not None:
        focus_iri = resolve(kg, request.focus)
        graph = ego(graph, focus_iri)
    # Details only for the nodes drawn: the budget is applied to the outline.
    graph = complete(within_budget(graph, budget), facts)
    return graph, page_in(kg, graph, as_of, lang, facts), focus_iri


def page_in(
    kg: KnowledgeGraph, graph: VizGraph, as_of: dt.date | None, lang: str, facts: GraphFacts
) -> str:
    """One view's page with its interface in `lang` (the same graph, the same layout).

    Class and status names in `lang` come from the labels the views read once (`facts`), not
    from the name resolver: building that index of every name of every node took 12 s and
    450 MB at 150k triples, for the few dozen names a page shows."""
    t = Translator(lang)
    subtitle = t("vizui.as_of", date=as_of.isoformat()) if as_of else ""
    note = budget_note(graph, t("vizui.budget"))
    labels: dict[str, str] = {}
    if lang != "en":  # the page data carries the English names already
        for cls in {n.cls for n in graph.nodes.values()}:
            found = facts.labels.get(str(AIGOV) + cls, {}).get(lang)
            if found:
                labels[cls] = found
        for status in {n.status for n in graph.nodes.values() if n.status}:
            iri = str(INSTRUMENT_STATUS[status.replace(" ", "-")])
            found = facts.labels.get(iri, {}).get(lang)
            if found:
                labels[status] = found
    title = graph.title
    english = TITLES.get(graph.view, "")
    if english and title == english:  # the views' titles are the message table's
        title = t(f"vizui.title.{graph.view}")
    elif english and title.startswith(english + ", around "):
        node = title.removeprefix(english + ", around ")
        title = t("vizui.around", title=t(f"vizui.title.{graph.view}"), node=node)
    assets = load_assets(kg.tree)
    return render_page(
        graph, assets, subtitle=subtitle, note=note, lang=lang, labels=labels, title=title
    )


def write_views(
    graph_or_kg: KnowledgeGraph | Graph,
    out_dir: Path,
    *,
    requests: list[ViewRequest] | None = None,
    as_of: dt.date | None = None,
    tree: SourceTree | None = None,
    output: Path | None = None,
    budget: int = NODE_BUDGET,
    languages: tuple[str, ...] = ("en",),
) -> list[Path]:
    """Write one HTML page per request (default: every view) and return their paths.

    `output` names the file of a single request (`aigovkg viz -o FILE`). Each language after
    the first gets the same pages with the interface in it under `out_dir/<lang>/` (the build
    writes English and Korean; the server serves the reader's). Raises UnknownView or
    UnknownEntity (both AigovkgError, exit code 2) before writing anything.
    """
    kg = _knowledge_graph(graph_or_kg, tree)
    requests = requests or [ViewRequest(view) for view in VIEWS]
    if output is not None and len(requests) != 1:
        raise UnknownView("-o FILE needs exactly one view")
    facts = read_facts(kg, as_of)
    pages: list[tuple[Path, str]] = []
    for request in requests:
        graph, html, focus_iri = render_view(kg, request, facts, as_of, budget, languages[0])
        name = page_name(request, as_of, focus_iri)
        path = output if output is not None else out_dir / name
        pages.append((path, html))
        for lang in languages[1:] if output is None else ():
            pages.append((out_dir / lang / name, page_in(kg, graph, as_of, lang, facts)))
    written = []
    for path, html in pages:
        path.parent.mkdir(parents=True, exist_ok=True)
        # whole or not at all: a server may be serving this page while `aigovkg viz` rewrites it
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(html, encoding="utf-8")
        os.replace(temporary, path)
        written.append(path)
    return written
