"""Every namespace aigovkg uses, in one place.

The project's own vocabulary is a closed `DefinedNamespace`: a misspelt term raises
`AttributeError` instead of silently minting a new IRI that no shape or query knows.
A test keeps this list and `ontology/aigovkg.ttl` equal in both directions.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
)

ONTOLOGY_IRI = URIRef("https://w3id.org/aigovkg/ontology")
ID = Namespace("https://w3id.org/aigovkg/id/")
SH_AIGOV = Namespace("https://w3id.org/aigovkg/shapes#")
# Named graphs of the N-Quads dump and the endpoint: one per source file.
GRAPH = Namespace("https://w3id.org/aigovkg/graph/")
BUILD_GRAPH = GRAPH["build"]
STATUS_GRAPH = GRAPH["derived/status"]
# The published dataset and where its public services live (VoID, DCAT, service description).
SITE = "https://w3id.org/aigovkg/"
DATASET_IRI = URIRef(SITE + "dataset")
SH = Namespace("http://www.w3.org/ns/shacl#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SCHEMA = Namespace("https://schema.org/")
# Targets of the identity links (skos:exactMatch, see the ontology header): Wikidata entities and
# European Legislation Identifiers of EU acts.
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
ELI_RESOURCE = Namespace("http://data.europa.eu/eli/")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
# W3C RDF Data Cube and the SDMX-RDF component vocabularies (statistics in data/statistics/).
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")


class AIGOV(DefinedNamespace):
    """Terms of `https://w3id.org/aigovkg/ontology#` (closed: unknown names raise)."""

    _NS = Namespace("https://w3id.org/aigovkg/ontology#")
    _fail = True

    AddresseeRole: URIRef
    ApplicationPeriod: URIRef
    AdministrativeRegulation: URIRef
    Authority: URIRef
    BindingInstrument: URIRef
    Company: URIRef
    Country: URIRef
    Declaration: URIRef
    Economy: URIRef
    ExecutiveOrder: URIRef
    Guideline: URIRef
    Instrument: URIRef
    InternationalOrganisation: URIRef
    Law: URIRef
    LifecycleEvent: URIRef
    LifecycleEventType: URIRef
    Mapping: URIRef
    Membership: URIRef
    Obligation: URIRef
    ObligationType: URIRef
    Party: URIRef
    Penalty: URIRef
    PolicyPlan: URIRef
    PracticeType: URIRef
    Principle: URIRef
    ProhibitedPractice: URIRef
    Provision: URIRef
    Recommendation: URIRef
    RiskBasedInstrument: URIRef
    RiskTier: URIRef
    SignatoryOfAllSummitDeclarations: URIRef
    Signature: URIRef
    SignatureRole: URIRef
    InstrumentStatus: URIRef
    StatusInterval: URIRef
    Source: URIRef
    SourceKind: URIRef
    Subdivision: URIRef
    Summit: URIRef
    Treaty: URIRef
    VoluntaryCommitment: URIRef

    addressee: URIRef
    amendedBy: URIRef
    amends: URIRef
    appliesFrom: URIRef
    appliesToTier: URIRef
    asAmended: URIRef
    authorityOf: URIRef
    competentAuthority: URIRef
    computeThresholdOperations: URIRef
    criminal: URIRef
    currency: URIRef
    date: URIRef
    declinedToSign: URIRef
    definesRiskTier: URIRef
    enactedBy: URIRef
    endDate: URIRef
    eventType: URIRef
    hasEvent: URIRef
    host: URIRef
    identifier: URIRef
    imposes: URIRef
    inForceOnAdoption: URIRef
    indicator: URIRef
    isoCode: URIRef
    issuedBy: URIRef
    jurisdiction: URIRef
    justification: URIRef
    leadersDeclaration: URIRef
    legalReference: URIRef
    legallyBinding: URIRef
    location: URIRef
    mappingObject: URIRef
    mappingPredicate: URIRef
    mappingSubject: URIRef
    maxFineAmount: URIRef
    maxFineTurnoverPercent: URIRef
    memberOf: URIRef
    obligationType: URIRef
    officialTitle: URIRef
    organisation: URIRef
    outcome: URIRef
    participant: URIRef
    partner: URIRef
    party: URIRef
    penalty: URIRef
    penaltyFor: URIRef
    practiceType: URIRef
    precededBy: URIRef
    principle: URIRef
    prohibits: URIRef
    provision: URIRef
    provisionOf: URIRef
    qualifiedMembership: URIRef
    qualifiedSignature: URIRef
    referencePeriod: URIRef
    reporter: URIRef
    revokes: URIRef
    riskTierScheme: URIRef
    role: URIRef
    scopeNote: URIRef
    setsStatus: URIRef
    signatory: URIRef
    signatoryListComplete: URIRef
    signed: URIRef
    sourceKind: URIRef
    startDate: URIRef
    status: URIRef
    statusOf: URIRef
    statusRank: URIRef
    subdivisionOf: URIRef
    supersedes: URIRef
    supersedesEvent: URIRef
    tierRank: URIRef
    tradeFlow: URIRef
    tradeValue: URIRef
    url: URIRef
    validFrom: URIRef
    validUntil: URIRef


# Instance namespaces, one per kind of thing (https://w3id.org/aigovkg/id/<kind>/<slug>).
COUNTRY = Namespace(ID + "country/")
SUBDIVISION = Namespace(ID + "subdivision/")
ECONOMY = Namespace(ID + "economy/")
ORGANISATION = Namespace(ID + "organisation/")
COMPANY = Namespace(ID + "company/")
AUTHORITY = Namespace(ID + "authority/")
INSTRUMENT = Namespace(ID + "instrument/")
SUMMIT = Namespace(ID + "summit/")
EVENT = Namespace(ID + "event/")
SIGNATURE = Namespace(ID + "signature/")
MEMBERSHIP = Namespace(ID + "membership/")
MAPPING = Namespace(ID + "mapping/")
OBLIGATION = Namespace(ID + "obligation/")
PROHIBITION = Namespace(ID + "prohibition/")
PENALTY = Namespace(ID + "penalty/")
# Parts of an instrument whose application date can differ from the rest (aigov:Provision).
PROVISION = Namespace(ID + "provision/")
TIER = Namespace(ID + "tier/")
SCHEME = Namespace(ID + "scheme/")
PRINCIPLE = Namespace(ID + "principle/")
SOURCE = Namespace(ID + "source/")
# Statistics as RDF Data Cube: datasets, their structure definitions and observations.
DATASET = Namespace(ID + "dataset/")
DSD = Namespace(ID + "dsd/")
OBSERVATION = Namespace(ID + "observation/")

# The shared concept schemes (ontology/concepts.ttl).
CONCEPT = Namespace(ID + "concept/")
EVENT_TYPE = Namespace(CONCEPT + "lifecycle-event-type/")
OBLIGATION_TYPE = Namespace(CONCEPT + "obligation-type/")
ADDRESSEE_ROLE = Namespace(CONCEPT + "addressee-role/")
SIGNATURE_ROLE = Namespace(CONCEPT + "signature-role/")
SOURCE_KIND = Namespace(CONCEPT + "source-kind/")
PRACTICE_TYPE = Namespace(CONCEPT + "practice-type/")
INSTRUMENT_STATUS = Namespace(CONCEPT + "instrument-status/")
STATUS_INTERVAL = Namespace(ID + "status-interval/")
APPLICATION_PERIOD = Namespace(ID + "application-period/")
# Code lists of the statistics (qb:codeList of the coded dimensions and the unit attribute).
TRADE_FLOW = Namespace(CONCEPT + "trade-flow/")
INDICATOR = Namespace(CONCEPT + "indicator/")
PERIOD = Namespace(CONCEPT + "reference-period/")
UNIT = Namespace(CONCEPT + "unit/")
AREA = Namespace(CONCEPT + "area/")

PREFIXES: dict[str, str] = {
    "aigov": str(AIGOV._NS),
    "aigovsh": str(SH_AIGOV),
    "country": str(COUNTRY),
    "subdivision": str(SUBDIVISION),
    "economy": str(ECONOMY),
    "organisation": str(ORGANISATION),
    "company": str(COMPANY),
    "authority": str(AUTHORITY),
    "instrument": str(INSTRUMENT),
    "summit": str(SUMMIT),
    "event": str(EVENT),
    "signature": str(SIGNATURE),
    "membership": str(MEMBERSHIP),
    "mapping": str(MAPPING),
    "obligation": str(OBLIGATION),
    "prohibition": str(PROHIBITION),
    "penalty": str(PENALTY),
    "provision": str(PROVISION),
    "tier": str(TIER),
    "scheme": str(SCHEME),
    "principle": str(PRINCIPLE),
    "source": str(SOURCE),
    "eventtype": str(EVENT_TYPE),
    "obligationtype": str(OBLIGATION_TYPE),
    "addressee": str(ADDRESSEE_ROLE),
    "sigrole": str(SIGNATURE_ROLE),
    "sourcekind": str(SOURCE_KIND),
    "practicetype": str(PRACTICE_TYPE),
    "status": str(INSTRUMENT_STATUS),
    "dataset": str(DATASET),
    "dsd": str(DSD),
    "observation": str(OBSERVATION),
    "flow": str(TRADE_FLOW),
    "indicator": str(INDICATOR),
    "period": str(PERIOD),
    "unit": str(UNIT),
    "area": str(AREA),
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "eli": str(ELI),
    "foaf": str(FOAF),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "qb": str(QB),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
    "sdmx-dimension": str(SDMX_DIMENSION),
    "sdmx-measure": str(SDMX_MEASURE),
    "sh": str(SH),
    "skos": str(SKOS),
    "spdx": "http://spdx.org/rdf/terms#",
    "time": str(TIME),
    "void": str(VOID),
    "wd": str(WIKIDATA),
    "xsd": str(XSD),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes (replacing rdflib's defaults) so every output reads the same."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def sparql_prologue() -> str:
    """PREFIX declarations for every project prefix, for queries typed on the command line."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
