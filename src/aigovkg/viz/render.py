"""From a VizGraph to one self-contained HTML page: pyvis holds nodes, edges and options, our own
template (viz/template.html) inlines vis-network, the CSS, the controls and the data.

pyvis's own templates load vis-network and Bootstrap from CDNs even in "local" mode, so only its
graph model is used here. Determinism: nodes and edges are added in sorted order, the layout is
seeded, the JSON has sorted keys, and nothing depends on the clock, so the same graph gives
byte-identical HTML.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import csp
from ..htmlenv import environment
from ..i18n import Translator
from .assets import VIS_NETWORK_VERSION, Assets
from .escape import escape_data, escape_text, script_json
from .model import Link, VizGraph

if TYPE_CHECKING:  # pyvis imports IPython and networkx: half a second, paid only to draw
    from pyvis.network import Network

LAYOUT_SEED = 20240521
# Colour-blind-friendly first (Okabe-Ito), then Tableau 20; a class keeps its colour in every view.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999",
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#31a354", "#756bb1",
    "#e6550d", "#636363", "#9c9ede", "#cedb9c",
]  # fmt: skip
KNOWN_CLASSES = [
    "AddresseeRole", "AdministrativeRegulation", "Authority", "Class", "Company", "Concept",
    "ConceptScheme", "Country", "DatatypeProperty", "Declaration", "Economy", "ExecutiveOrder",
    "Guideline", "InternationalOrganisation", "Law", "LifecycleEvent", "LifecycleEventType",
    "Membership", "ObjectProperty", "Obligation", "ObligationType", "Penalty", "PolicyPlan",
    "PracticeType", "Principle", "ProhibitedPractice", "Recommendation", "RiskTier", "Signature",
    "SignatureRole", "Source", "SourceKind", "Summit", "Treaty", "VoluntaryCommitment",
]  # fmt: skip
LANGUAGES = ["en", "ko", "zh", "fr"]
BIG = 150  # above this many nodes, skip vis-network's slow "improved" initial layout
HUGE = 1000  # above this many nodes, fewer stabilisation rounds and physics off once stable


def class_colour(cls: str) -> str:
    """A stable colour per class: known classes by their place in a fixed list, others hashed."""
    if cls in KNOWN_CLASSES:
        return PALETTE[KNOWN_CLASSES.index(cls) % len(PALETTE)]
    digest = hashlib.sha256(cls.encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def vis_options(node_count: int) -> dict[str, Any]:
    """vis-network options: seeded layout, bounded stabilisation, degree scaling."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": node_count <= BIG},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 90},
            # 150 rounds lay out today's graph as well as 400 in well under half the time.
            "stabilization": {
                "enabled": True,
                "iterations": 150 if node_count <= HUGE else 100,
                "updateInterval": 50,
            },
        },
        "nodes": {
            "shape": "dot",
            "size": 12,
            "scaling": {"min": 8, "max": 36},
            "font": {"size": 13, "face": "Noto Sans, Noto Sans CJK KR, sans-serif"},
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa5b1", "highlight": "#333333", "inherit": False},
            "font": {"size": 9, "align": "middle", "color": "#555555"},
            "smooth": False,
            "width": 1,
        },
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": node_count > BIG},
    }


def physics_after_stable(node_count: int) -> bool:
    """Whether physics keeps running once the layout is stable (off for huge graphs: it would
    keep a core busy and make the page sluggish)."""
    return node_count <= HUGE


def _link(link: Link) -> list[str | None]:
    return [link.text, link.node, link.href]


def to_pyvis(graph: VizGraph) -> Network:
    """The graph as a pyvis Network; every string is HTML-escaped before pyvis sees it."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="remote", heading=escape_text(graph.title))
    degree = graph.degree()
    for iri in sorted(graph.nodes):
        node = graph.nodes[iri]
        net.add_node(
            escape_text(iri),
            label=escape_text(node.label),
            color=class_colour(node.cls),
            value=degree[iri] + 1,
            cls=escape_text(node.cls),
            labels=escape_data(dict(sorted(node.labels.items()))),
            degree=degree[iri],
            jur=escape_data(sorted(node.jurisdictions)),
            sum=escape_data(sorted(node.summits)),
            status=escape_text(node.status) if node.status else None,
            inst=node.instrument,
        )
    for index, edge in enumerate(graph.edges):
        net.add_edge(
            escape_text(edge.source),
            escape_text(edge.target),
            id=f"e{index}",
            label=escape_text(edge.label),
            evidence=escape_text(edge.evidence) if edge.evidence else None,
        )
    return net


def page_data(graph: VizGraph, net: Network) -> dict[str, Any]:
    """Everything the controls need, already HTML-escaped, as one JSON-ready dictionary."""
    classes = sorted({n.cls for n in graph.nodes.values()})
    counts = {c: sum(1 for n in graph.nodes.values() if n.cls == c) for c in classes}
    languages = sorted(
        {lang for n in graph.nodes.values() for lang in n.labels if lang},
        key=lambda lang: (LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES), lang),
    )
    facet_iris = sorted(
        {j for n in graph.nodes.values() for j in n.jurisdictions}
        | {s for n in graph.nodes.values() for s in n.summits}
    )
    facet_labels = {
        iri: (graph.nodes[iri].label if iri in graph.nodes else iri.rsplit("/", 1)[-1])
        for iri in facet_iris
    }
    raw = {
        "title": graph.title,
        "view": graph.view,
        "classes": [[c, class_colour(c), counts[c]] for c in classes],
        "languages": languages or ["en"],
        "jurisdictions": sorted(
            (
                [j, facet_labels[j]]
                for j in {j for n in graph.nodes.values() for j in n.jurisdictions}
            ),
            key=lambda pair: (pair[1].casefold(), pair[0]),
        ),
        "summits": sorted(
            ([s, facet_labels[s]] for s in {s for n in graph.nodes.values() for s in n.summits}),
            key=lambda pair: (pair[1].casefold(), pair[0]),
        ),
        "statuses": sorted({n.status for n in graph.nodes.values() if n.status}),
        "details": {
            iri: {
                "facts": [[prop, *_link(value)] for prop, value in node.facts],
                "sources": [_link(s) for s in node.sources],
            }
            for iri, node in graph.nodes.items()
        },
        "evidence": {
            iri: [_link(s) for s in links] for iri, links in graph.evidence_sources.items()
        },
    }
    data = escape_data(raw)
    # pyvis's nodes and edges are escaped already; escaping them again would double-escape.
    data["nodes"] = net.nodes
    data["edges"] = net.edges
    data["options"] = vis_options(len(graph.nodes))
    data["physicsAfterStable"] = physics_after_stable(len(graph.nodes))
    return data


# The words the controls write from script (viz.js), looked up in the page's language.
SCRIPT_WORDS = ("hint", "sources", "sources_colon", "links", "facts", "hidden", "no_match")


def render_page(
    graph: VizGraph,
    assets: Assets,
    *,
    subtitle: str = "",
    note: str = "",
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> str:
    """One self-contained HTML page (no external URL is ever loaded: the CSP forbids it);
    `note` (what a view over its node budget left out) is shown under the title. The
    interface is in `lang` (the site's one message table); `labels` names classes and
    statuses in that language where the graph has their label (legend, filters, details)."""
    ui = Translator(lang)
    net = to_pyvis(graph)
    data = page_data(graph, net)
    words = {key: ui(f"vizui.{key}") for key in SCRIPT_WORDS}
    named = labels or {}
    data["ui"] = escape_data(words)
    data["classLabels"] = escape_data({c: named[c] for c, _, _ in data["classes"] if c in named})
    data["statusLabels"] = escape_data({s: named[s] for s in data["statuses"] if s in named})
    data_json = script_json(data)
    policy = csp.self_contained(assets.vis_js, assets.app_js)
    page = (
        environment()
        .from_string(assets.template)
        .render(
            title=title or graph.title,
            lang=lang,
            ui=ui,
            subtitle=subtitle,
            note=note,
            view=graph.view,
            node_count=len(graph.nodes),
            edge_count=len(graph.edges),
            vis_version=VIS_NETWORK_VERSION,
            csp=policy,
            css=Markup(assets.css),
            vis_js=Markup(assets.vis_js),
            app_js=Markup(assets.app_js),
            data_json=Markup(data_json),
        )
    )
    return page
