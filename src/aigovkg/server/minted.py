"""Every IRI the project mints outside /id/ resolves: the dataset and its linksets (described
in void.ttl), the catalogue (catalog.ttl), and each named graph (/graph/...).

Like /id/ pages, each answers 200 with content negotiation on Accept: HTML for browsers (with
`Vary: Accept` and `Link: rel="alternate"` to the RDF forms), RDF otherwise; an IRI the build
did not mint answers 404. The descriptions come from the build's own files (pinned dist/), and
the graphs' content through the one query layer (queries/app/graph-*.rq).
"""

from __future__ import annotations

from typing import Any

import anyio
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import build as pipeline
from ..i18n import Translator
from ..names import prefixed
from ..namespaces import SITE, bind_prefixes
from ..queries import get_query
from ..store import SelectResult
from .linked_data import safe_href
from .negotiation import GRAPH, HTML, Format, NotAcceptable, choose
from .pages import language, not_acceptable

MAX_LISTED = 500


def _described(site: Any) -> Graph:
    """VoID and DCAT of this build, read once."""
    graph: Graph | None = getattr(site, "_described", None)
    if graph is None:
        graph = bind_prefixes(Graph())
        for name in (pipeline.VOID_FILE, pipeline.DCAT_FILE):
            path = site.dist / name
            if path.is_file():
                graph.parse(path, format="turtle")
        site._described = graph
    return graph


def _bounded(graph: Graph, subject: Node) -> Graph:
    """The subject's triples plus those of the blank nodes it reaches (its concise description)."""
    out = bind_prefixes(Graph())
    todo, seen = [subject], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in graph.triples((node, None, None)):
            out.add(triple)
            if isinstance(triple[2], BNode):
                todo.append(triple[2])
    return out


def rdf_response(graph: Graph, chosen: Format) -> Response:
    """An RDF form of a page: the same IRI's HTML and RDF differ by Accept."""
    body = graph.serialize(format=chosen.engine_name, encoding="utf-8")
    media = f"{chosen.media_type}; charset=utf-8"
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def _not_found(request: Request, iri: str) -> Response:
    t = Translator(language(request))
    return request.app.state.site.pages.render(
        "error.html", {"status": 404, "message": t("res.not_found", iri=iri)}, 404, request=request
    )


def _text(value: Node, graph: Graph) -> dict[str, str | None]:
    """How a value is shown: a literal as text, an IRI as a link, a blank node (a VoID class
    or property partition) as its own properties on one line."""
    if isinstance(value, Literal):
        return {"text": str(value), "href": None}
    if isinstance(value, BNode):
        parts = sorted(
            f"{prefixed(str(p))} {prefixed(str(o))}"
            for _, p, o in graph.triples((value, None, None))
        )
        return {"text": " · ".join(parts), "href": None}
    return {"text": prefixed(str(value)), "href": safe_href(str(value))}


async def described(request: Request) -> Response:
    """/dataset, /dataset/linkset/..., /catalog: their VoID/DCAT description."""
    site = request.app.state.site
    iri = SITE + request.url.path.lstrip("/")
    try:
        chosen = choose(
            (HTML, *GRAPH), request.headers.get("accept"), request.query_params.get("format")
        )
    except NotAcceptable as exc:
        return not_acceptable(request, str(exc), (HTML, *GRAPH))
    graph = _bounded(_described(site), URIRef(iri))
    if not len(graph):
        return _not_found(request, iri)
    if chosen is not HTML:
        return rdf_response(graph, chosen)
    facts: dict[str, list[dict[str, str | None]]] = {}
    for _, p, o in sorted(graph.triples((URIRef(iri), None, None))):
        facts.setdefault(prefixed(str(p)), []).append(_text(o, graph))
    for values in facts.values():
        values.sort(key=lambda v: v["text"] or "")
    graphs = [
        {"href": safe_href(g), "text": g[len(SITE) :] if g.startswith(SITE) else g}
        for g in (sorted(site.backend.graphs()) if iri == SITE + "dataset" else [])
    ]
    key = "dataset.title" if iri.startswith(SITE + "dataset") else "catalog.title"
    return site.pages.render(
        "described.html",
        {"iri": iri, "heading": key, "facts": facts, "graphs": graphs, "formats": GRAPH},
        request=request,
        rdf=GRAPH,
    )


async def named_graph(request: Request) -> Response:
    """/graph/...: one named graph of the dataset."""
    site = request.app.state.site
    iri = SITE + "graph/" + request.path_params["path"]
    try:
        chosen = choose(
            (HTML, *GRAPH), request.headers.get("accept"), request.query_params.get("format")
        )
    except NotAcceptable as exc:
        return not_acceptable(request, str(exc), (HTML, *GRAPH))
    if iri not in site.backend.graphs():
        return _not_found(request, iri)
    if chosen is not HTML:
        query = get_query(site.tree, "app", "graph-triples").text
        triples = await anyio.to_thread.run_sync(
            lambda: site.backend.run(query, {"graph": URIRef(iri)})
        )
        assert isinstance(triples, Graph)
        return rdf_response(bind_prefixes(triples), chosen)
    lang = language(request)
    query = get_query(site.tree, "app", "graph-subjects").text
    answer = await anyio.to_thread.run_sync(
        lambda: site.backend.run(query, {"graph": URIRef(iri), "lang": Literal(lang)})
    )
    assert isinstance(answer, SelectResult)
    rows = answer.as_dicts()
    subjects = [
        {
            "text": str(r["subjectLabel"])
            if r.get("subjectLabel")
            else prefixed(str(r["subject"])),
            "href": safe_href(str(r["subject"])),
            "triples": int(r["triples"]),
        }
        for r in rows[:MAX_LISTED]
    ]
    return site.pages.render(
        "graph.html",
        {
            "iri": iri,
            "triples": sum(int(r["triples"]) for r in rows),
            "subjects": subjects,
            "more": len(rows) > MAX_LISTED,
            "formats": GRAPH,
        },
        request=request,
        rdf=GRAPH,
    )


def minted_routes() -> list[Route]:
    return [
        Route("/dataset", described),
        Route("/dataset/{path:path}", described),
        Route("/catalog", described),
        Route("/graph/{path:path}", named_graph),
    ]
