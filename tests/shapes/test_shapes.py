"""Shapes in valid/invalid pairs: the real data passes each constraint; one targeted change makes
exactly that constraint fire on the expected focus node (asserted by component, not message)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from aigovkg.namespaces import (
    AIGOV,
    EVENT,
    ID,
    INSTRUMENT,
    MAPPING,
    OBLIGATION,
    ONTOLOGY_IRI,
    PROVISION,
    SIGNATURE,
    SUMMIT,
    TIER,
)
from aigovkg.validation import run_shacl

COUNTRY_KR = URIRef("https://w3id.org/aigovkg/id/country/KR")


def _remove_source(g: Graph) -> None:
    g.remove((SIGNATURE["seoul-declaration-kr"], DCTERMS.source, None))


def _force_before_passage(g: Graph) -> None:
    g.set(
        (
            EVENT["kr-ai-basic-act-entered-into-force"],
            AIGOV.date,
            Literal("2024-01-01", datatype=XSD.date),
        )
    )


def _revoke_before_force(g: Graph) -> None:
    event = URIRef(str(EVENT) + "eu-ai-act-revoked-test")
    g.add((INSTRUMENT["eu-ai-act"], AIGOV.hasEvent, event))
    g.add((event, URIRef(str(RDFS) + "label"), Literal("test", lang="en")))
    g.add(
        (
            event,
            AIGOV.eventType,
            URIRef("https://w3id.org/aigovkg/id/concept/lifecycle-event-type/revoked"),
        )
    )
    g.add((event, AIGOV.date, Literal("2024-07-01", datatype=XSD.date)))
    g.add(
        (
            event,
            DCTERMS.source,
            URIRef("https://w3id.org/aigovkg/id/source/legalviz-ai-act-art-113"),
        )
    )
    g.add((event, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), AIGOV.LifecycleEvent))


def _signatory_without_signature(g: Graph) -> None:
    g.add(
        (
            INSTRUMENT["seoul-declaration"],
            AIGOV.signatory,
            URIRef("https://w3id.org/aigovkg/id/country/CN"),
        )
    )


def _signature_without_signatory(g: Graph) -> None:
    g.remove(
        (
            INSTRUMENT["seoul-ministerial-statement"],
            AIGOV.signatory,
            URIRef("https://w3id.org/aigovkg/id/country/NZ"),
        )
    )


def _signatory_not_a_party(g: Graph) -> None:
    g.add((INSTRUMENT["bletchley-declaration"], AIGOV.signatory, SUMMIT["ai-seoul-summit-2024"]))


def _tier_outside_scheme(g: Graph) -> None:
    g.remove((TIER["kr-ai-basic-act-high-impact-ai"], SKOS.inScheme, None))
    g.add(
        (
            TIER["kr-ai-basic-act-high-impact-ai"],
            SKOS.inScheme,
            URIRef("https://w3id.org/aigovkg/id/scheme/eu-ai-act-risk-tiers"),
        )
    )


def _second_label_same_language(g: Graph) -> None:
    g.add((COUNTRY_KR, RDFS.label, Literal("South Korea", lang="en")))


def _undeclared_term(g: Graph) -> None:
    g.add((INSTRUMENT["eu-ai-act"], URIRef(str(AIGOV._NS) + "legalyBinding"), Literal(True)))


def _malformed_date(g: Graph) -> None:
    g.set((EVENT["eu-ai-act-published"], AIGOV.date, Literal("2024-13-45", datatype=XSD.date)))


def _undefined_ontology_term(g: Graph) -> None:
    g.remove((AIGOV.Treaty, SKOS.definition, None))


def _summit_ends_before_start(g: Graph) -> None:
    g.set((SUMMIT["ai-seoul-summit-2024"], AIGOV.endDate, Literal("2024-05-20", datatype=XSD.date)))


def _leaders_declaration_of_another_summit(g: Graph) -> None:
    g.add(
        (
            SUMMIT["ai-seoul-summit-2024"],
            AIGOV.leadersDeclaration,
            INSTRUMENT["bletchley-declaration"],
        )
    )


MAPPING_HIGH_RISK = MAPPING["eu-high-risk-kr-high-impact"]


def _mapping_without_justification(g: Graph) -> None:
    g.remove((MAPPING_HIGH_RISK, AIGOV.justification, None))


def _mapping_with_non_skos_predicate(g: Graph) -> None:
    g.set((MAPPING_HIGH_RISK, AIGOV.mappingPredicate, SKOS.broader))


def _skos_match_without_record(g: Graph) -> None:
    g.add(
        (
            TIER["eu-ai-act-unacceptable-risk"],
            SKOS.relatedMatch,
            TIER["kr-ai-basic-act-high-impact-ai"],
        )
    )


def _mapping_record_without_skos_triple(g: Graph) -> None:
    g.remove((TIER["eu-ai-act-high-risk"], SKOS.closeMatch, None))


def _mapping_to_unknown_concept(g: Graph) -> None:
    unknown = TIER["kr-ai-basic-act-no-such-tier"]
    g.set((MAPPING_HIGH_RISK, AIGOV.mappingObject, unknown))
    g.add((TIER["eu-ai-act-high-risk"], SKOS.closeMatch, unknown))


def _mapping_inside_one_regime(g: Graph) -> None:
    mapping = MAPPING["eu-art-50-2-kr-art-31-2"]
    g.set((mapping, AIGOV.mappingObject, OBLIGATION["eu-ai-act-art-50-1-transparency"]))
    g.add(
        (
            OBLIGATION["eu-ai-act-art-50-2-content-marking"],
            SKOS.closeMatch,
            OBLIGATION["eu-ai-act-art-50-1-transparency"],
        )
    )


def _non_positive_compute_threshold(g: Graph) -> None:
    g.set(
        (
            OBLIGATION["eu-ai-act-art-55-gpai-systemic-risk-obligations"],
            AIGOV.computeThresholdOperations,
            Literal("0", datatype=XSD.decimal),
        )
    )


ANNEX_III = PROVISION["eu-ai-act-high-risk-annex-iii"]
AS_AMENDED_ANNEX_III = EVENT["eu-ai-act-applies-from-2027-12-02-high-risk-annex-iii"]


def _provision_without_instrument(g: Graph) -> None:
    g.remove((ANNEX_III, AIGOV.provisionOf, None))


def _provision_without_source(g: Graph) -> None:
    g.remove((ANNEX_III, DCTERMS.source, None))


def _supersedes_other_provision(g: Graph) -> None:
    g.set((AS_AMENDED_ANNEX_III, AIGOV.supersedesEvent, EVENT["eu-ai-act-applies-from-2026-08-02"]))


def _supersedes_non_application_event(g: Graph) -> None:
    g.set((AS_AMENDED_ANNEX_III, AIGOV.supersedesEvent, EVENT["eu-ai-act-published"]))


def _enacted_by_non_amending_instrument(g: Graph) -> None:
    g.set((AS_AMENDED_ANNEX_III, AIGOV.enactedBy, INSTRUMENT["kr-ai-basic-act"]))


MAPPING_WIKIDATA_KR = MAPPING["wikidata-country-kr"]
WD = "http://www.wikidata.org/entity/"


def _identity_link_outside_wikidata_and_eli(g: Graph) -> None:
    other = URIRef("http://example.org/country/KR")
    g.set((MAPPING_WIKIDATA_KR, AIGOV.mappingObject, other))
    g.add((COUNTRY_KR, SKOS.exactMatch, other))


def _identity_link_from_a_source(g: Graph) -> None:
    owid = URIRef("https://w3id.org/aigovkg/id/source/owid-countries-regions")
    g.set((MAPPING_WIKIDATA_KR, AIGOV.mappingSubject, owid))
    g.add((owid, SKOS.exactMatch, URIRef(WD + "Q884")))


def _two_wikidata_items(g: Graph) -> None:
    record = MAPPING["wikidata-country-kr-second-test"]
    g.add((COUNTRY_KR, SKOS.exactMatch, URIRef(WD + "Q423")))
    g.add((record, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), AIGOV.Mapping))
    g.add((record, AIGOV.mappingSubject, COUNTRY_KR))
    g.add((record, AIGOV.mappingPredicate, SKOS.exactMatch))
    g.add((record, AIGOV.mappingObject, URIRef(WD + "Q423")))


PENALTY_IT = URIRef(str(ID) + "penalty/it-law-132-2025-art-26-market-manipulation")
SEOUL_STATEMENT = INSTRUMENT["seoul-ministerial-statement"]
SOURCE_KBS = URIRef(str(ID) + "source/kbs-seoul-ministers-session")


def _turnover_over_100(g: Graph) -> None:
    g.set((PENALTY_IT, AIGOV.maxFineTurnoverPercent, Literal("150", datatype=XSD.decimal)))


def _fine_amount_as_string(g: Graph) -> None:
    # A number written as a plain string: a literal, of the wrong datatype.
    g.set((PENALTY_IT, AIGOV.maxFineAmount, Literal("6000000")))


def _two_currencies(g: Graph) -> None:
    g.add((PENALTY_IT, AIGOV.currency, Literal("USD")))


def _issued_by_a_source(g: Graph) -> None:
    g.add((SEOUL_STATEMENT, AIGOV.issuedBy, SOURCE_KBS))


def _legally_binding_as_iri(g: Graph) -> None:
    # An IRI where a boolean literal belongs: sh:datatype fails on a non-literal.
    g.set((SEOUL_STATEMENT, AIGOV.legallyBinding, URIRef("https://example.org/false")))


def _official_title_as_plain_string(g: Graph) -> None:
    g.add((SEOUL_STATEMENT, AIGOV.officialTitle, Literal("Seoul Ministerial Statement")))


def _legal_reference_language_tagged(g: Graph) -> None:
    g.add((ANNEX_III, AIGOV.legalReference, Literal("Annex III", lang="en")))


def _ill_typed_signature_date(g: Graph) -> None:
    g.set(
        (
            SIGNATURE["seoul-declaration-kr"],
            AIGOV.date,
            Literal("2025-13-01", datatype=XSD.date),
        )
    )


def _no_english_label(g: Graph) -> None:
    g.remove((SEOUL_STATEMENT, RDFS.label, None))
    g.add((SEOUL_STATEMENT, RDFS.label, Literal("서울 장관 성명", lang="ko")))


MAPPING_ASEAN = MAPPING["asean-accountability-integrity-oecd-accountability"]
MAPPING_ASEAN_FAIRNESS = MAPPING[
    "asean-fairness-equity-oecd-rule-of-law-human-rights-democratic-values"
]


def _mapping_subject_literal(g: Graph) -> None:
    g.set((MAPPING_ASEAN, AIGOV.mappingSubject, Literal("eu-ai-act-high-risk")))


def _identity_link_with_close_match(g: Graph) -> None:
    g.set((MAPPING_WIKIDATA_KR, AIGOV.mappingPredicate, SKOS.closeMatch))


def _short_justification(g: Graph) -> None:
    g.remove((MAPPING_ASEAN_FAIRNESS, AIGOV.justification, None))
    g.add((MAPPING_ASEAN_FAIRNESS, AIGOV.justification, Literal("Too short.", lang="en")))


def _signatory_with_two_types(g: Graph) -> None:
    # A node typed both as a party and as something else still counts as a party (valid), but
    # a second country typed only as a source does not.
    g.add((COUNTRY_KR, URIRef(str(RDF) + "type"), AIGOV.Source))
    g.add((INSTRUMENT["bletchley-declaration"], AIGOV.signatory, SOURCE_KBS))


CASES: list[tuple[str, Callable[[Graph], None], str, str]] = [
    (
        "claim without source",
        _remove_source,
        str(SIGNATURE["seoul-declaration-kr"]),
        "sh:MinCountConstraintComponent",
    ),
    (
        "entry into force before passage",
        _force_before_passage,
        str(INSTRUMENT["kr-ai-basic-act"]),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "revocation before entry into force",
        _revoke_before_force,
        str(INSTRUMENT["eu-ai-act"]),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "signatory without qualified signature",
        _signatory_without_signature,
        str(INSTRUMENT["seoul-declaration"]),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "qualified signature whose party is not a signatory",
        _signature_without_signatory,
        str(INSTRUMENT["seoul-ministerial-statement"]),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "signatory that is not a party",
        _signatory_not_a_party,
        str(INSTRUMENT["bletchley-declaration"]),
        "sh:ClassConstraintComponent",
    ),
    (
        "risk tier outside its instrument's scheme",
        _tier_outside_scheme,
        str(INSTRUMENT["kr-ai-basic-act"]),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "two English labels",
        _second_label_same_language,
        str(COUNTRY_KR),
        "sh:UniqueLangConstraintComponent",
    ),
    (
        "undeclared aigov term",
        _undeclared_term,
        str(INSTRUMENT["eu-ai-act"]),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "malformed date",
        _malformed_date,
        str(EVENT["eu-ai-act-published"]),
        "sh:DatatypeConstraintComponent",
    ),
    (
        "ontology term without definition",
        _undefined_ontology_term,
        str(AIGOV.Treaty),
        "sh:MinCountConstraintComponent",
    ),
    (
        "summit ends before it starts",
        _summit_ends_before_start,
        str(SUMMIT["ai-seoul-summit-2024"]),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "leaders' declaration that is not the summit's outcome",
        _leaders_declaration_of_another_summit,
        str(SUMMIT["ai-seoul-summit-2024"]),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "mapping without justification",
        _mapping_without_justification,
        str(MAPPING_HIGH_RISK),
        "sh:MinCountConstraintComponent",
    ),
    (
        "mapping predicate outside SKOS matches",
        _mapping_with_non_skos_predicate,
        str(MAPPING_HIGH_RISK),
        "sh:InConstraintComponent",
    ),
    (
        "SKOS match without a mapping record",
        _skos_match_without_record,
        str(TIER["eu-ai-act-unacceptable-risk"]),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "mapping record without its SKOS triple",
        _mapping_record_without_skos_triple,
        str(MAPPING_HIGH_RISK),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "mapping to a concept no instrument defines",
        _mapping_to_unknown_concept,
        str(MAPPING_HIGH_RISK),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "mapping inside one regime",
        _mapping_inside_one_regime,
        str(MAPPING["eu-art-50-2-kr-art-31-2"]),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "compute threshold not positive",
        _non_positive_compute_threshold,
        str(OBLIGATION["eu-ai-act-art-55-gpai-systemic-risk-obligations"]),
        "sh:MinExclusiveConstraintComponent",
    ),
    (
        "provision without its instrument",
        _provision_without_instrument,
        str(ANNEX_III),
        "sh:MinCountConstraintComponent",
    ),
    (
        "provision without source",
        _provision_without_source,
        str(ANNEX_III),
        "sh:MinCountConstraintComponent",
    ),
    (
        "as-amended date supersedes another provision's date",
        _supersedes_other_provision,
        str(AS_AMENDED_ANNEX_III),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "as-amended date supersedes an event that is not applies-from",
        _supersedes_non_application_event,
        str(AS_AMENDED_ANNEX_III),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "date enacted by an instrument that does not amend",
        _enacted_by_non_amending_instrument,
        str(AS_AMENDED_ANNEX_III),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "identity link to an IRI that is neither Wikidata nor ELI",
        _identity_link_outside_wikidata_and_eli,
        str(MAPPING_WIKIDATA_KR),
        "sh:PatternConstraintComponent",
    ),
    (
        "identity link from something that is not a party, instrument or summit",
        _identity_link_from_a_source,
        str(MAPPING_WIKIDATA_KR),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "node matching two Wikidata items",
        _two_wikidata_items,
        str(COUNTRY_KR),
        "sh:SPARQLConstraintComponent",
    ),
    (
        "turnover percentage over 100",
        _turnover_over_100,
        str(PENALTY_IT),
        "sh:MaxInclusiveConstraintComponent",
    ),
    (
        "fine amount as a plain string",
        _fine_amount_as_string,
        str(PENALTY_IT),
        "sh:DatatypeConstraintComponent",
    ),
    (
        "two currencies",
        _two_currencies,
        str(PENALTY_IT),
        "sh:MaxCountConstraintComponent",
    ),
    (
        "issued by something that is neither a party nor an authority",
        _issued_by_a_source,
        str(SEOUL_STATEMENT),
        "sh:OrConstraintComponent",
    ),
    (
        "legally binding given as an IRI",
        _legally_binding_as_iri,
        str(SEOUL_STATEMENT),
        "sh:DatatypeConstraintComponent",
    ),
    (
        "official title without a language tag",
        _official_title_as_plain_string,
        str(SEOUL_STATEMENT),
        "sh:DatatypeConstraintComponent",
    ),
    (
        "legal reference with a language tag",
        _legal_reference_language_tagged,
        str(ANNEX_III),
        "sh:DatatypeConstraintComponent",
    ),
    (
        "signature date with month 13",
        _ill_typed_signature_date,
        str(SIGNATURE["seoul-declaration-kr"]),
        "sh:DatatypeConstraintComponent",
    ),
    (
        "no English label",
        _no_english_label,
        str(SEOUL_STATEMENT),
        "sh:QualifiedMinCountConstraintComponent",
    ),
    (
        "mapping subject given as a literal",
        _mapping_subject_literal,
        str(MAPPING_ASEAN),
        "sh:NodeKindConstraintComponent",
    ),
    (
        "identity link with skos:closeMatch",
        _identity_link_with_close_match,
        str(MAPPING_WIKIDATA_KR),
        "sh:HasValueConstraintComponent",
    ),
    (
        "justification shorter than 40 characters",
        _short_justification,
        str(MAPPING_ASEAN_FAIRNESS),
        "sh:MinLengthConstraintComponent",
    ),
    (
        "signatory that is only a source, beside a party with two types",
        _signatory_with_two_types,
        str(INSTRUMENT["bletchley-declaration"]),
        "sh:ClassConstraintComponent",
    ),
]


EACH_CASE = pytest.mark.parametrize(
    ("name", "mutate", "focus", "component"), CASES, ids=[c[0] for c in CASES]
)


@pytest.fixture(scope="module")
def baseline(loaded, shapes):
    return run_shacl(loaded.graph, shapes)


@EACH_CASE
def test_valid_case_passes(name, mutate, focus, component, baseline) -> None:
    assert [v for v in baseline.violations if v.focus == focus] == []


@EACH_CASE
def test_invalid_case_fires(name, mutate, focus, component, graph, shapes) -> None:
    mutate(graph)
    # Only the expected focus node is validated: a whole-graph run per case is slow, and the
    # valid case above checks the real data in full.
    report = run_shacl(graph, shapes, focus_nodes=[URIRef(focus)])
    assert not report.conforms
    fired = {(v.focus, v.component) for v in report.violations}
    assert (focus, component) in fired, sorted(fired)


def test_ontology_iri_is_stable() -> None:
    assert str(ONTOLOGY_IRI) == "https://w3id.org/aigovkg/ontology"
