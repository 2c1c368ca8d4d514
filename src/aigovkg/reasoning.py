"""OWL reasoning with owlready2's HermiT, on demand only (`aigovkg reason`).

HermiT took ~5 s at 10k triples but minutes at 100k, so it never runs inside `build` or a request.
It rejects xsd:date literals, hence ignore_unsupported_datatypes. Java must be on the machine.
owlready2 downloads every owl:imports target when it loads an ontology, so the graph handed to
it has its owl:imports statements removed first: reasoning covers exactly the checkout's own
ontology and data, and never fetches anything.

Defined classes whose definition enumerates data (aigov:SignatoryOfAllSummitDeclarations: one
value restriction per summit's aigov:leadersDeclaration) are not hand-maintained in ontology/: their
axioms are generated here from the data (`generated_axioms`), so adding a declaration is one
triple in its data file.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF

from .errors import ReasonerUnavailable
from .namespaces import AIGOV


@dataclass
class ReasoningReport:
    """Consistency and the aigov: classes the reasoner added to named individuals."""

    consistent: bool
    seconds: float
    inferred: dict[str, list[str]] = field(default_factory=dict)
    detail: str = ""


def reason(graph: Graph) -> ReasoningReport:
    """Run HermiT over `graph` (ontology + data) and report what it inferred."""
    if shutil.which("java") is None:
        raise ReasonerUnavailable(
            "HermiT needs Java: install a JRE (e.g. apt-get install default-jre-headless)"
        )
    import owlready2  # imported here: it is slow to import and only this command needs it

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "aigovkg.nt"
        closed = without_imports(graph) + generated_axioms(graph)
        path.write_bytes(_sorted_ntriples(closed))
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        # Data individuals are not declared owl:NamedIndividual, so world.individuals() misses
        # them: look each typed instance up by IRI instead.
        individuals = [world[iri] for iri in _instance_iris(graph)]
        individuals = [ind for ind in individuals if ind is not None]
        before = {ind.iri: _ancestors(ind) for ind in individuals}
        try:
            with onto:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
                )
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ReasoningReport(False, time.perf_counter() - start, detail=str(exc))
        except (OSError, owlready2.OwlReadyJavaError) as exc:
            raise ReasonerUnavailable(f"HermiT failed to run: {exc}") from exc
        inferred: dict[str, list[str]] = {}
        for ind in individuals:
            added = _ancestors(ind) - before[ind.iri]
            if added:
                inferred[ind.iri] = sorted(added)
    return ReasoningReport(True, time.perf_counter() - start, dict(sorted(inferred.items())))


def _sorted_ntriples(graph: Graph) -> bytes:
    """`graph` as N-Triples in a fixed line order. HermiT's running time depends on the order
    it reads the axioms in (through owlready2's store): with rdflib's set order, which follows
    the hash seed, the project's graph took 9 to 32 s of CPU from run to run. Measured on it:
    lines in ascending order 31 s every time, descending (blank-node axioms first) 8 s every
    time. The order is a measured choice, not a guarantee: re-measure if `aigovkg reason`
    slows down after a change to the ontology."""
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted((line for line in lines if line.strip()), reverse=True))


def without_imports(graph: Graph) -> Graph:
    """A copy of `graph` without owl:imports, which owlready2 would follow over the network."""
    copy = Graph()
    copy += (triple for triple in graph if triple[1] != OWL.imports)
    return copy


def generated_axioms(graph: Graph) -> Graph:
    """OWL axioms that enumerate data, built from `graph`: aigov:SignatoryOfAllSummitDeclarations
    is equivalent to aigov:Party intersected with `aigov:signed value D` for every summit's
    aigov:leadersDeclaration D (none: no axiom, since the bare intersection would make every
    party a member)."""
    axioms = Graph()
    declarations = sorted(set(graph.objects(None, AIGOV.leadersDeclaration)))
    if not declarations:
        return axioms
    members: list[URIRef | BNode] = [AIGOV.Party]
    for declaration in declarations:
        restriction = BNode()
        axioms.add((restriction, RDF.type, OWL.Restriction))
        axioms.add((restriction, OWL.onProperty, AIGOV.signed))
        axioms.add((restriction, OWL.hasValue, declaration))
        members.append(restriction)
    intersection, listed = BNode(), BNode()
    axioms.add((intersection, RDF.type, OWL.Class))
    axioms.add((intersection, OWL.intersectionOf, listed))
    Collection(axioms, listed, members)
    axioms.add((AIGOV.SignatoryOfAllSummitDeclarations, OWL.equivalentClass, intersection))
    return axioms


def _instance_iris(graph: Graph) -> list[str]:
    """IRIs of the data's instances: subjects typed with an aigov: class."""
    prefix = str(AIGOV._NS)
    return sorted(
        {
            str(s)
            for s, o in graph.subject_objects(RDF.type)
            if isinstance(s, URIRef) and str(o).startswith(prefix)
        }
    )


def _ancestors(individual: object) -> set[str]:
    """Every aigov: class an individual belongs to, through its asserted or inferred types."""
    prefix = str(AIGOV._NS)
    found: set[str] = set()
    for cls in getattr(individual, "is_a", []):
        for ancestor in getattr(cls, "ancestors", lambda: set())():
            iri = getattr(ancestor, "iri", "")
            if iri.startswith(prefix):
                found.add(iri)
    return found
