"""The visualisation's own small graph model: what a page draws, independent of RDF and pyvis.

Strings here are raw data; escaping happens once, in `escape.py`, on the way to pyvis and the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..names import slug


@dataclass(frozen=True)
class Link:
    """A value shown in the details panel: text, optionally a node to jump to or a web link."""

    text: str
    node: str | None = None
    href: str | None = None


@dataclass
class Node:
    """One drawn resource."""

    id: str
    cls: str
    labels: dict[str, str] = field(default_factory=dict)  # language -> label ("" = no language)
    facts: list[tuple[str, Link]] = field(default_factory=list)  # (property label, value)
    sources: list[Link] = field(default_factory=list)
    jurisdictions: set[str] = field(default_factory=set)
    summits: set[str] = field(default_factory=set)
    status: str | None = None
    instrument: bool = False

    @property
    def label(self) -> str:
        """The English label, else an untagged one, else any, else the IRI's last segment."""
        for language in ("en", ""):
            if language in self.labels:
                return self.labels[language]
        if self.labels:
            return self.labels[sorted(self.labels)[0]]
        return slug(self.id)


@dataclass(frozen=True)
class Edge:
    """One drawn link; `evidence` is the qualified node (a signature...) whose sources say why."""

    source: str
    target: str
    label: str
    evidence: str | None = None


@dataclass
class VizGraph:
    """Nodes and edges of one view, plus the page's title."""

    view: str
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    evidence_sources: dict[str, list[Link]] = field(default_factory=dict)
    # Set when the view had more nodes than its budget: what was left out, for the page's note.
    omitted: dict[str, int] = field(default_factory=dict)  # class -> nodes not drawn
    total_nodes: int = 0
    total_edges: int = 0

    def degree(self) -> dict[str, int]:
        counts = dict.fromkeys(self.nodes, 0)
        for edge in self.edges:
            counts[edge.source] += 1
            counts[edge.target] += 1
        return counts
