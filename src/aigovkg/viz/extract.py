"""From the built graph to the nodes and edges of each view, through queries/app/viz/*.rq.

Everything is read with a few whole-graph queries (resources, facts, sources, dates, status) and
one edge query per view; the rest (classes, facets, the ego graph, `--as-of`) is plain Python
over those rows, so a view costs one extra query and the code stays independent of the store.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD
from rdflib.term import Node as RdfNode

from ..errors import AigovkgError
from ..names import prefixed
from ..namespaces import AIGOV, ID
from ..store import SelectResult
from .model import Edge, Link, Node, VizGraph, slug

if TYPE_CHECKING:
    from ..api import KnowledgeGraph

VIEWS: tuple[str, ...] = ("full", "summits", "regimes", "ontology")
TITLES = {
    "full": "The whole graph",
    "summits": "Summit participation: parties and documents",
    "regimes": "Regimes: instruments, risk tiers, obligation types and crosswalks",
    "ontology": "The ontology: classes and properties",
}
QUERY_DIR = "app/viz"
AIGOV_NS = str(AIGOV._NS)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_NS = "http://www.w3.org/2002/07/owl#"
ISO_CODE = str(AIGOV.isoCode)
JURISDICTION = str(AIGOV.jurisdiction)
PARTY = str(AIGOV.party)
ROLE = str(AIGOV.role)
# Classes that are abstract or inferred: a node is coloured by a more specific asserted class.
GENERIC_CLASSES = {
    "Instrument",
    "Party",
    "BindingInstrument",
    "RiskBasedInstrument",
    "SignatoryOfAllSummitDeclarations",
}
# OWL property characteristics: a functional object property is coloured as an ObjectProperty.
OWL_CHARACTERISTICS = {
    "FunctionalProperty",
    "InverseFunctionalProperty",
    "TransitiveProperty",
    "SymmetricProperty",
    "AsymmetricProperty",
    "ReflexiveProperty",
    "IrreflexiveProperty",
    "NamedIndividual",
}
PARTY_CLASSES = {"Country", "Economy", "InternationalOrganisation", "Company"}
# Qualified nodes whose own neighbours an ego graph also shows (a signature's document and role).
CLAIM_CLASSES = {
    "Signature",
    "Membership",
    "LifecycleEvent",
    "Obligation",
    "ProhibitedPractice",
    "Penalty",
}
# Properties that make their object part of an instrument (it shares the instrument's facets).
PART_PROPERTIES = {
    str(AIGOV[name])
    for name in (
        "imposes",
        "prohibits",
        "definesRiskTier",
        "penalty",
        "hasEvent",
        "qualifiedSignature",
        "principle",
    )
}
# vis-network lays out a few thousand nodes in seconds and ten thousand in minutes: a view with
# more nodes draws the most connected ones and says on the page what it left out. Today's full
# view (about 1,900 nodes) fits whole; a graph ten times larger is cut to this many.
NODE_BUDGET = 2500
LABEL_RANK = [str(RDFS.label), str(SKOS.prefLabel), str(DCTERMS.title)]
SUMMIT_LINKS = {str(AIGOV[name]) for name in ("outcome", "host", "participant")}


class Text(NamedTuple):
    """A literal as the views show it: its lexical form and language tag."""

    text: str
    language: str | None = None


# An object as the views keep it: an IRI (str), a literal (Text) or a blank node (None). Plain
# values, not rdflib terms: the facts are one row per statement of the graph, and making an
# rdflib term of each (every IRI validated, every literal parsed) took most of the views' time
# at a million statements, for the few thousand nodes a page draws.
Value = str | Text | None


def plain(term: object) -> Value:
    """A term of either engine (pyoxigraph's or rdflib's) as a plain value."""
    if isinstance(term, ox.NamedNode | URIRef):
        return term.value if isinstance(term, ox.NamedNode) else str(term)
    if isinstance(term, ox.Literal):
        return Text(term.value, term.language)
    if isinstance(term, Literal):
        return Text(str(term), term.language)
    if isinstance(term, ox.BlankNode | BNode):
        return None
    raise TypeError(f"unsupported term {term!r}")


def _text(term: object) -> str:
    """An IRI's or a literal's string (pyoxigraph's str() of an IRI has angle brackets)."""
    return term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else str(term)


class UnknownEntity(AigovkgError):
    """`--focus NAME` names nothing (or several things) in the graph."""


class UnknownView(AigovkgError):
    """A view name that does not exist."""


@dataclass
class GraphFacts:
    """What the whole-graph queries returned, indexed by subject IRI."""

    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    facts: dict[str, list[tuple[str, Value, str | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    sources: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))
    dates: dict[str, str] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    instruments: set[str] = field(default_factory=set)
    # Each node's jurisdictions and summits (the page's filters), computed once for every view.
    _facets: tuple[dict[str, set[str]], dict[str, set[str]]] | None = None

    def cls(self, iri: str) -> str:
        """The class a node is coloured by: its most specific asserted type's local name."""
        names = sorted(slug(t) for t in self.types.get(iri, ()) if t.startswith(AIGOV_NS))
        specific = [n for n in names if n not in GENERIC_CLASSES]
        if specific:
            return specific[0]
        if names:
            return names[0]
        others = sorted(slug(t) for t in self.types.get(iri, ()))
        kinds = [o for o in others if o not in OWL_CHARACTERISTICS] or others
        return kinds[0] if kinds else "Resource"


def _select(kg: KnowledgeGraph, name: str, **bindings: RdfNode) -> list[dict[str, RdfNode]]:
    return kg.rows(QUERY_DIR, name, bindings or None)


def _term_rows(kg: KnowledgeGraph, name: str) -> Iterator[dict[str, object]]:
    """A whole-graph query's rows one at a time, each term as the engine gave it (read with
    `_text`, `plain` or its `language`; unbound variables left out): no rdflib term is made."""
    answer = kg.named(QUERY_DIR, name)
    assert isinstance(answer, SelectResult)
    variables = answer.variables
    for row in answer.iter_terms():
        yield {var: term for var, term in zip(variables, row, strict=True) if term is not None}


def _plain_rows(kg: KnowledgeGraph, name: str) -> Iterator[dict[str, Value]]:
    """A whole-graph query's rows one at a time, as plain values (see `Value`)."""
    for row in _term_rows(kg, name):
        yield {var: plain(term) for var, term in row.items()}


def web_link(value: str) -> str | None:
    """Only http(s) URLs become links: a data string can never be a javascript: URL."""
    return value if value.startswith(("http://", "https://")) else None


def read_facts(kg: KnowledgeGraph, as_of: dt.date | None = None) -> GraphFacts:
    """Run the whole-graph queries once; every view is built from the result."""
    facts = GraphFacts()
    for row in _plain_rows(kg, "resources"):
        facts.types[str(row["node"])].add(str(row["type"]))
    # One label per language, chosen by property rank and then text, never by row order.
    ranked: dict[tuple[str, str], tuple[int, str]] = {}
    # The English or untagged rdfs:labels of each node: the names a fact's object is shown by.
    object_labels: dict[str, set[str]] = defaultdict(set)
    for row in _term_rows(kg, "labels"):
        label = row["label"]
        key = (_text(row["node"]), getattr(label, "language", None) or "")
        rank = (LABEL_RANK.index(_text(row["property"])), _text(label))
        if key not in ranked or rank < ranked[key]:
            ranked[key] = rank
        if rank[0] == 0 and key[1] in ("en", ""):
            object_labels[key[0]].add(rank[1])
    for (iri, language), (_rank, text) in sorted(ranked.items()):
        facts.labels[iri][language] = text
    # A row per triple of the graph: read one at a time as plain values, each property name
    # stored once; an object named by several labels gives a fact per label (as the details
    # panel always listed them), one without any a fact without a label.
    answer = kg.named(QUERY_DIR, "facts")
    assert isinstance(answer, SelectResult)
    s_at, p_at, o_at = (answer.variables.index(v) for v in ("s", "p", "o"))
    unlabelled: tuple[None] = (None,)
    for row in answer.iter_terms():
        obj = plain(row[o_at])
        statement = facts.facts[_text(row[s_at])]
        prop = sys.intern(_text(row[p_at]))
        names = object_labels.get(obj, unlabelled) if isinstance(obj, str) else unlabelled
        for olabel in sorted(names) if len(names) > 1 else names:
            statement.append((prop, obj, olabel))
    del answer
    for row in _term_rows(kg, "sources"):
        source = _text(row["source"])
        title = row.get("title")
        url = row.get("url")
        if title is not None:
            text = _text(title)
        else:
            text = facts.labels[source].get("en", prefixed(source))
        link = Link(text=text, node=source, href=web_link(_text(url)) if url is not None else None)
        facts.sources[_text(row["s"])].append(link)
    for row in _term_rows(kg, "dates"):
        iri, date = _text(row["node"]), _text(row["date"])
        if iri not in facts.dates or date < facts.dates[iri]:
            facts.dates[iri] = date
    facts.instruments = {str(r["node"]) for r in _select(kg, "regimes-nodes")}
    facts.status = statuses(kg, as_of)
    for iri in facts.sources:
        facts.sources[iri] = sorted(
            set(facts.sources[iri]), key=lambda s: (s.text, s.href or "", s.node or "")
        )
    return facts


def statuses(kg: KnowledgeGraph, as_of: dt.date | None = None) -> dict[str, str]:
    """Each instrument's status as the views filter it: the one status rule (CQ08 over the
    build's status intervals); without a date, the status at the end of the record, so the
    same graph always gives the same page."""
    day = as_of or dt.date(9999, 12, 31)
    rows = kg.rows("cq", "CQ08", {"asOf": Literal(day.isoformat(), datatype=XSD.date)})
    return {str(row["instrument"]): str(row["status"]) for row in rows}


def _value(obj: Value, olabel: str | None, facts: GraphFacts) -> Link:
    if isinstance(obj, str):
        text = olabel or facts.labels.get(obj, {}).get("en") or prefixed(obj)
        return Link(text=text, node=obj, href=web_link(obj))
    if isinstance(obj, Text):
        text = obj.text
        if obj.language:
            text = f"{text} @{obj.language}"
        return Link(text=text)
    # A blank node (an anonymous class expression) has no name of its own, and its label in the
    # store is drawn afresh on each load: shown as Turtle writes it, so a page is the same bytes
    # for the same graph.
    return Link(text="[ ]")


def _property_label(iri: str, facts: GraphFacts) -> str:
    return facts.labels.get(iri, {}).get("en") or prefixed(iri)


def make_node(iri: str, facts: GraphFacts) -> Node:
    """A node with its class, labels, facts (sorted) and sources."""
    return complete_node(bare_node(iri, facts), facts)


def bare_node(iri: str, facts: GraphFacts) -> Node:
    """A node with its class and labels only: what choosing the nodes of a page needs (its
    neighbourhood, its budget). The rest is filled in for the nodes drawn (`complete_node`)."""
    return Node(id=iri, cls=facts.cls(iri), labels=dict(facts.labels.get(iri, {})))


def complete_node(node: Node, facts: GraphFacts) -> Node:
    """The node's facts (sorted), sources, status and whether it is an instrument."""
    iri = node.id
    rows = sorted(
        (
            (_property_label(p, facts), _value(o, olabel, facts))
            for p, o, olabel in facts.facts.get(iri, ())
            if p != RDF_TYPE or not (isinstance(o, str) and o.startswith(OWL_NS))
        ),
        key=lambda row: (row[0], row[1].text, row[1].node or "", row[1].href or ""),
    )
    node.facts = list(dict.fromkeys(rows))
    node.sources = list(facts.sources.get(iri, ()))
    node.status = facts.status.get(iri)
    node.instrument = iri in facts.instruments
    return node


def _objects(facts: GraphFacts, iri: str, prop: str) -> list[str]:
    return [o for p, o, _ in facts.facts.get(iri, ()) if p == prop and isinstance(o, str)]


def add_facets(graph: VizGraph, facts: GraphFacts) -> None:
    """Jurisdictions and summits of every node of `graph`, for the page's filters."""
    jurisdictions, summits = facet_index(facts)
    for iri, node in graph.nodes.items():
        node.jurisdictions = set(jurisdictions.get(iri, ()))
        node.summits = set(summits.get(iri, ()))


def facet_index(facts: GraphFacts) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Jurisdictions and summits of every node of the graph: one pass over the facts, kept for
    every view (it reads every statement: 8 s per view at a million)."""
    if facts._facets is not None:
        return facts._facets
    jurisdictions: dict[str, set[str]] = defaultdict(set)
    summits: dict[str, set[str]] = defaultdict(set)
    for iri, types in facts.types.items():
        classes = {slug(t) for t in types if t.startswith(AIGOV_NS)}
        if classes & PARTY_CLASSES:
            jurisdictions[iri].add(iri)
        jurisdictions[iri].update(_objects(facts, iri, JURISDICTION))
        if "Summit" in classes:
            summits[iri].add(iri)
            jurisdictions[iri].update(_objects(facts, iri, str(AIGOV.host)))
            for prop in SUMMIT_LINKS:
                for obj in _objects(facts, iri, prop):
                    summits[obj].add(iri)
    # A summit's documents pass it on to their signatories; an instrument passes its facets on
    # to its parts (obligations, tiers, events, signatures), and a signature to its party.
    for iri in list(facts.facts):
        for prop, obj, _ in facts.facts[iri]:
            if not isinstance(obj, str):
                continue
            target = obj
            if prop in PART_PROPERTIES or prop == str(AIGOV.signatory):
                summits[target].update(summits.get(iri, ()))
            if prop in PART_PROPERTIES:
                jurisdictions[target].update(jurisdictions.get(iri, ()))
    for iri in list(facts.facts):
        for party in _objects(facts, iri, PARTY):
            summits[party].update(summits.get(iri, ()))
    facts._facets = (dict(jurisdictions), dict(summits))
    return facts._facets


def _edge_rows(kg: KnowledgeGraph, view: str) -> Iterator[dict[str, Value]]:
    return _plain_rows(kg, f"{view}-edges")


def build_view(
    kg: KnowledgeGraph,
    view: str,
    facts: GraphFacts,
    as_of: dt.date | None = None,
) -> VizGraph:
    """The nodes and edges of one view (dated things after `as_of` left out)."""
    return complete(view_outline(kg, view, facts, as_of), facts)


def complete(graph: VizGraph, facts: GraphFacts) -> VizGraph:
    """Fill in every node's details and facets (see `view_outline`)."""
    for node in graph.nodes.values():
        complete_node(node, facts)
    add_facets(graph, facts)
    return graph


def view_outline(
    kg: KnowledgeGraph,
    view: str,
    facts: GraphFacts,
    as_of: dt.date | None = None,
) -> VizGraph:
    """The nodes (class and labels only) and edges of one view: enough to pick a page's nodes
    (`ego`, `within_budget`) before `complete` fills in the details of those drawn. At a
    million statements the full view has a hundred thousand nodes and a page draws 2,500:
    completing every node first took most of the build's time."""
    if view not in VIEWS:
        raise UnknownView(f"no view '{view}' (known: {', '.join(VIEWS)})")
    graph = VizGraph(view=view, title=TITLES[view])
    iris: set[str] = set()
    if view == "full":
        iris.update(i for i in facts.types if i.startswith(str(ID)))
    elif view == "regimes":
        iris.update(facts.instruments)
    elif view == "ontology":
        iris.update(str(r["node"]) for r in _select(kg, "ontology-nodes"))
    elif view == "summits":
        iris.update(i for i, t in facts.types.items() if str(AIGOV.Summit) in t)
    edges: set[Edge] = set()
    for row in _edge_rows(kg, view):
        source, target = str(row["s"]), str(row["o"])
        role = row.get("role")
        evidence = row.get("evidence")
        if role is not None:
            label = facts.labels.get(str(role), {}).get("en") or slug(str(role))
        else:
            label = _property_label(str(row["p"]), facts)
        edges.add(Edge(source, target, label, str(evidence) if evidence is not None else None))
        iris.update((source, target))
    cutoff = as_of.isoformat() if as_of else None

    def exists(iri: str | None) -> bool:
        return iri is None or cutoff is None or facts.dates.get(iri, "") <= cutoff

    for iri in sorted(iris):
        if exists(iri):
            graph.nodes[iri] = bare_node(iri, facts)
    graph.edges = sorted(
        (
            e
            for e in edges
            if e.source in graph.nodes and e.target in graph.nodes and exists(e.evidence)
        ),
        key=edge_key,
    )
    for edge in graph.edges:
        if edge.evidence is not None:
            graph.evidence_sources[edge.evidence] = list(facts.sources.get(edge.evidence, ()))
    return graph


def edge_key(edge: Edge) -> tuple[str, str, str, str]:
    """Edges in a total order (evidence may be None), so pages come out byte-identical."""
    return (edge.source, edge.target, edge.label, edge.evidence or "")


def ego(graph: VizGraph, center: str) -> VizGraph:
    """The neighbourhood of one node: its neighbours, and the neighbours of claim nodes among them
    (so a signature next to a country brings its document along)."""
    if center not in graph.nodes:
        raise UnknownEntity(
            f"--focus: {prefixed(center)} is not in the {graph.view} view (try --view full)"
        )
    adjacent: dict[str, set[str]] = defaultdict(set)
    for edge in graph.edges:
        adjacent[edge.source].add(edge.target)
        adjacent[edge.target].add(edge.source)
    keep = {center} | adjacent[center]
    for iri in sorted(adjacent[center]):
        if graph.nodes[iri].cls in CLAIM_CLASSES:
            keep |= adjacent[iri]
    center_node = graph.nodes[center]
    result = VizGraph(
        view=graph.view,
        title=f"{graph.title}, around {center_node.label}",
        nodes={iri: node for iri, node in graph.nodes.items() if iri in keep},
        edges=[e for e in graph.edges if e.source in keep and e.target in keep],
    )
    result.evidence_sources = {
        e.evidence: graph.evidence_sources[e.evidence]
        for e in result.edges
        if e.evidence is not None and e.evidence in graph.evidence_sources
    }
    return result


def within_budget(graph: VizGraph, budget: int = NODE_BUDGET) -> VizGraph:
    """The graph itself when it has at most `budget` nodes; else its `budget` most connected
    nodes (ties by IRI, so the same graph keeps the same nodes), the edges between them, and
    per class the number of nodes left out (`omitted`), which the page shows in a note."""
    if len(graph.nodes) <= budget:
        return graph
    degree = graph.degree()
    keep = set(sorted(graph.nodes, key=lambda iri: (-degree[iri], iri))[:budget])
    omitted = Counter(node.cls for iri, node in graph.nodes.items() if iri not in keep)
    result = VizGraph(
        view=graph.view,
        title=graph.title,
        nodes={iri: node for iri, node in graph.nodes.items() if iri in keep},
        edges=[e for e in graph.edges if e.source in keep and e.target in keep],
        omitted=dict(sorted(omitted.items(), key=lambda item: (-item[1], item[0]))),
        total_nodes=len(graph.nodes),
        total_edges=len(graph.edges),
    )
    result.evidence_sources = {
        e.evidence: graph.evidence_sources[e.evidence]
        for e in result.edges
        if e.evidence is not None and e.evidence in graph.evidence_sources
    }
    return result


BUDGET_NOTE = (
    "Showing the {shown} most connected of {total} nodes ({edges} of {total_edges} edges). "
    "Not drawn: {left_out}. Use --focus NAME for one entity's neighbourhood, or a narrower view."
)


def budget_note(graph: VizGraph, wording: str = BUDGET_NOTE) -> str:
    """What a page drawn within its budget left out, in words ("" when nothing was);
    `wording` is the sentence in the page's language (the same placeholders)."""
    if not graph.omitted:
        return ""
    left_out = ", ".join(f"{count:,} {cls}" for cls, count in graph.omitted.items())
    return wording.format(
        shown=f"{len(graph.nodes):,}",
        total=f"{graph.total_nodes:,}",
        edges=f"{len(graph.edges):,}",
        total_edges=f"{graph.total_edges:,}",
        left_out=left_out,
    )
