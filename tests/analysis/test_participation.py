"""The participation matrix and the questions it answers, against sets computed from the
parsed sources; "declined", "did not sign" and "not in incomplete list" stay distinct."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Graph, URIRef

from aigovkg.analysis import participation as p
from aigovkg.api import KnowledgeGraph
from aigovkg.namespaces import AIGOV

BLETCHLEY = URIRef("https://w3id.org/aigovkg/id/instrument/bletchley-declaration")
SEOUL = URIRef("https://w3id.org/aigovkg/id/instrument/seoul-declaration")


def signatories(rdf: Graph, document: URIRef) -> set[str]:
    return {str(x) for x in rdf.objects(document, AIGOV.signatory)}


def test_matrix_agrees_with_the_sources(kg: KnowledgeGraph, rdf: Graph) -> None:
    frame = p.records(kg)
    roles = p.signature_roles(kg)
    assert "signed" in roles and p.DECLINED not in roles
    for doc in p.documents(kg).itertuples(index=False):
        found = p.status_of(frame, doc.document, doc.listComplete)
        positive = {party for party, s in found.items() if s in roles}
        assert positive == signatories(rdf, URIRef(doc.document)), doc.document
        complete = rdf.value(URIRef(doc.document), AIGOV.signatoryListComplete)
        assert doc.listComplete == bool(complete and complete.toPython())


def test_absence_depends_on_list_completeness(kg: KnowledgeGraph) -> None:
    table = kg.participation(summits_only=False)
    docs = p.documents(kg).set_index("documentLabel")
    for label, column in table.items():
        expected_absent = p.DID_NOT_SIGN if docs.loc[label, "listComplete"] else p.NOT_LISTED
        other = p.NOT_LISTED if expected_absent == p.DID_NOT_SIGN else p.DID_NOT_SIGN
        assert other not in set(column), label


def _declarations(rdf: Graph) -> list[URIRef]:
    """The summits' leaders' declarations as the data states them, read by rdflib."""
    return list(rdf.objects(None, AIGOV.leadersDeclaration))


def test_signed_every_declaration(kg: KnowledgeGraph, rdf: Graph) -> None:
    declarations = _declarations(rdf)
    assert set(declarations) >= {BLETCHLEY, SEOUL}
    expected = set.intersection(*(signatories(rdf, d) for d in declarations))
    assert set(kg.signed_all()["party"]) == expected


def test_signed_bletchley_not_seoul(kg: KnowledgeGraph, rdf: Graph) -> None:
    answer = kg.signed_not("bletchley-declaration", "seoul-declaration")
    expected = signatories(rdf, BLETCHLEY) - signatories(rdf, SEOUL)
    assert set(answer["party"]) == expected
    assert set(answer["status"]) <= {p.DID_NOT_SIGN, p.DECLINED, p.NOT_LISTED}


EXAMPLE = """
instrument:example-declaration a aigov:Declaration ;
    rdfs:label "Example declaration (test only)"@en ;
    aigov:legallyBinding false ;
    aigov:signatory country:FR ;
    aigov:qualifiedSignature signature:example-declaration-fr ;
    aigov:declinedToSign country:GB ;
    aigov:signatoryListComplete false .
signature:example-declaration-fr a aigov:Signature ;
    aigov:party country:FR ; aigov:role sigrole:signed .
country:FR aigov:memberOf organisation:eu ;
    aigov:qualifiedMembership membership:example-fr-eu .
membership:example-fr-eu a aigov:Membership ;
    aigov:party country:FR ; aigov:organisation organisation:eu ;
    aigov:startDate "2001-01-01"^^xsd:date ; dcterms:source source:example .
summit:example-summit a aigov:Summit ;
    rdfs:label "Example summit (test only)"@en ;
    aigov:startDate "2099-01-01"^^xsd:date ;
    aigov:outcome instrument:example-declaration .
"""


def test_declined_is_distinct_from_absent(extend: Callable[[str], KnowledgeGraph]) -> None:
    kg = extend(EXAMPLE)
    column = kg.participation()["Example declaration (test only)"]
    assert column["France"] == "signed"
    assert column["United Kingdom"] == p.DECLINED
    assert column["United States"] == p.NOT_LISTED
    answer = kg.signed_not("bletchley-declaration", "example-declaration").set_index("label")
    assert answer.loc["United Kingdom", "status"] == p.DECLINED
    assert answer.loc["United States", "status"] == p.NOT_LISTED
    members = kg.party("FR")["memberships"]
    example = members[members["sources"].str.contains("/source/example", regex=False)]
    assert list(example["organisationLabel"]) == ["European Union"]


def test_summits_only(kg: KnowledgeGraph) -> None:
    docs = p.documents(kg)
    summit_docs = set(docs.loc[docs["summit"].notna(), "documentLabel"])
    assert set(kg.participation().columns) == summit_docs
    assert set(kg.participation(summits_only=False).columns) == set(docs["documentLabel"])


def test_party_profile(kg: KnowledgeGraph, rdf: Graph) -> None:
    profile = kg.party("Republic of Korea")
    assert set(profile) == {"memberships", "instruments", "signatures"}
    korea = "https://w3id.org/aigovkg/id/country/KR"
    signatures = profile["signatures"].set_index("document")
    for doc in p.documents(kg).itertuples(index=False):
        if korea in signatories(rdf, URIRef(doc.document)):
            expected = {"signed", "endorsed", "joined-later", "adhered", "acceded", "ratified"}
        else:
            expected = {p.DID_NOT_SIGN if doc.listComplete else p.NOT_LISTED, p.DECLINED}
        assert signatures.loc[doc.documentLabel, "status"] in expected, doc.document
    assert "Korea AI Basic Act" in set(profile["instruments"]["label"])
