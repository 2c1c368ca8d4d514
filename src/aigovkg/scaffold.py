"""`aigovkg new instrument|summit SLUG`: a new data file that validates as written, with a header
that shows where each further fact and its source go.

Adding a national AI law is then one data file plus the regenerated expected answers of the
competency questions (`aigovkg expectations`): the register of sources, the status intervals and
every page are derived from the data. The facts the file starts with (label, type, jurisdiction,
the source they rest on) are given on the command line, never invented by the template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from .errors import AigovkgError
from .namespaces import AIGOV, INSTRUMENT, SOURCE, SOURCE_KIND, SUMMIT, bind_prefixes
from .serialize import to_turtle
from .sources import SourceTree

if TYPE_CHECKING:
    from .api import KnowledgeGraph

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

INSTRUMENT_GUIDE = """\
# {slug}: written by `aigovkg new instrument`; edit, then `aigovkg validate`, `aigovkg fmt` and
# `aigovkg expectations` (review the diff of the competency questions' answers).
# Every claim node carries dcterms:source pointing at an aigov:Source defined in this file (title,
# publisher, aigov:url, aigov:sourceKind primary only for the issuer's own text that you read).
# Where each fact goes (see data/instruments/kr-ai-basic-act.ttl for a complete example):
#   life cycle:  instrument:{slug} aigov:hasEvent event:{slug}-passed .
#                event:{slug}-passed a aigov:LifecycleEvent ; aigov:date "YYYY-MM-DD"^^xsd:date ;
#                    aigov:eventType eventtype:passed ; dcterms:source source:... .
#                (event types: ontology/concepts.ttl; which status each sets: ontology/status.ttl)
#   legal force: instrument:{slug} aigov:legallyBinding true ; aigov:officialTitle "..."@xx .
#   authority:   instrument:{slug} aigov:competentAuthority authority:... (an aigov:Authority
#                with rdfs:label, aigov:authorityOf and dcterms:source).
#   risk tiers:  aigov:definesRiskTier tier:... ; aigov:riskTierScheme scheme:... .
#   obligations: aigov:imposes obligation:... (aigov:Obligation with aigov:obligationType,
#                aigov:addressee, aigov:legalReference "Art. N", dcterms:source).
#   prohibitions and penalties: aigov:prohibits prohibition:... ; aigov:penalty penalty:... .
"""

SUMMIT_GUIDE = """\
# {slug}: written by `aigovkg new summit`; edit, then `aigovkg validate`, `aigovkg fmt` and
# `aigovkg expectations` (review the diff of the competency questions' answers).
# Where each fact goes (see data/summits/ai-seoul-summit-2024.ttl for a complete example):
#   outcome:     summit:{slug} aigov:outcome instrument:... (an aigov:Declaration with its own
#                adopted event and dcterms:source; aigov:signatoryListComplete true only when the
#                whole published list is recorded).
#   signatures:  instrument:... aigov:qualifiedSignature signature:... (aigov:Signature with
#                aigov:party, aigov:role sigrole:signed|endorsed|joined-later, aigov:date where a
#                source gives the day, dcterms:source) and the aigov:signatory shortcut.
#   host:        summit:{slug} aigov:host country:XX ; aigov:participant ... .
"""


@dataclass(frozen=True)
class SourceFacts:
    """The source the new file's first facts rest on, as the contributor read it."""

    url: str
    title: str
    publisher: str
    primary: bool = False


def instrument_class(kg: KnowledgeGraph, name: str) -> URIRef:
    """The ontology's instrument class called `name` (Law, Guideline...), read from the graph
    so that a class added to the ontology is accepted without a code change."""
    kinds = {
        row["name"]: row["class"] for row in kg.frame("app", "instrument-types").to_dict("records")
    }
    if name not in kinds:
        raise AigovkgError(f"--type {name!r}: expected one of {', '.join(sorted(kinds))}")
    return URIRef(kinds[name])


def party(kg: KnowledgeGraph, name: str) -> URIRef:
    """The party a contributor names (KR, Japan, EU), by the one name resolver."""
    return URIRef(kg.resolve(name, "party"))


def _check_slug(slug: str) -> None:
    if not SLUG.fullmatch(slug):
        raise AigovkgError(
            f"bad slug '{slug}': lower-case letters, digits and single hyphens (kr-ai-basic-act)"
        )


def _target(tree: SourceTree, area: str, slug: str) -> Path:
    path = tree.data_dir / area / f"{slug}.ttl"
    if path.exists():
        raise AigovkgError(f"{tree.relative(path)} exists already")
    return path


def _source(graph: Graph, node: URIRef, facts: SourceFacts) -> None:
    if not facts.url.startswith(("http://", "https://")):
        raise AigovkgError(f"--source-url '{facts.url}': expected an http(s) URL")
    graph.add((node, RDF.type, AIGOV.Source))
    graph.add((node, DCTERMS.title, Literal(facts.title)))
    graph.add((node, RDFS.label, Literal(facts.title, lang="en")))
    graph.add((node, DCTERMS.publisher, Literal(facts.publisher)))
    graph.add((node, AIGOV.url, Literal(facts.url, datatype=XSD.anyURI)))
    kind = SOURCE_KIND["primary" if facts.primary else "secondary"]
    graph.add((node, AIGOV.sourceKind, kind))


def _write(path: Path, guide: str, graph: Graph) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(guide + "\n" + to_turtle(graph), encoding="utf-8")
    return path


def new_instrument(
    tree: SourceTree,
    slug: str,
    *,
    label: str,
    kind: URIRef,
    jurisdiction: URIRef,
    binding: bool,
    source: SourceFacts,
) -> Path:
    """data/instruments/<slug>.ttl with the instrument, its jurisdiction and issuer, and the
    source these rest on."""
    _check_slug(slug)
    path = _target(tree, "instruments", slug)
    graph = bind_prefixes(Graph())
    node, cited = INSTRUMENT[slug], SOURCE[f"{slug}-source"]
    graph.add((node, RDF.type, kind))
    graph.add((node, RDFS.label, Literal(label, lang="en")))
    graph.add((node, AIGOV.jurisdiction, jurisdiction))
    graph.add((node, AIGOV.issuedBy, jurisdiction))
    graph.add((node, AIGOV.legallyBinding, Literal(binding)))
    graph.add((node, DCTERMS.source, cited))
    _source(graph, cited, source)
    return _write(path, INSTRUMENT_GUIDE.format(slug=slug), graph)


def new_summit(
    tree: SourceTree,
    slug: str,
    *,
    label: str,
    start: str,
    location: str,
    host: URIRef,
    source: SourceFacts,
) -> Path:
    """data/summits/<slug>.ttl with the summit, its date, place and host, and their source."""
    _check_slug(slug)
    path = _target(tree, "summits", slug)
    graph = bind_prefixes(Graph())
    node, cited = SUMMIT[slug], SOURCE[f"{slug}-source"]
    graph.add((node, RDF.type, AIGOV.Summit))
    graph.add((node, RDFS.label, Literal(label, lang="en")))
    graph.add((node, AIGOV.startDate, Literal(start, datatype=XSD.date)))
    graph.add((node, AIGOV.location, Literal(location)))
    graph.add((node, AIGOV.host, host))
    graph.add((node, DCTERMS.source, cited))
    _source(graph, cited, source)
    return _write(path, SUMMIT_GUIDE.format(slug=slug), graph)
