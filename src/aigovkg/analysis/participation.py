"""Who signed what: the party x document participation matrix of summit outcomes and other
documents with signatories.

Absence means different things, and the matrix keeps them apart:
- a role from the signature node ("signed", "endorsed", "joined-later", ...): the party is on it
  (the roles are the aigov:SignatureRole concepts of ontology/concepts.ttl, read from the graph;
  a signature without a role counts as "signed");
- "declined": a source reports that the party attended and refused (aigov:declinedToSign);
- "did not sign": the party is not on a list the graph holds in full (signatoryListComplete true);
- "not in incomplete list": the party is not on a list the graph holds only in part, so nothing
  can be concluded (signatoryListComplete false or unknown).
"""

from __future__ import annotations

import pandas as pd

from .data import Queryable, read, slug

DECLINED = "declined"
DID_NOT_SIGN = "did not sign"
NOT_LISTED = "not in incomplete list"
ABSENT = [DECLINED, DID_NOT_SIGN, NOT_LISTED]


def signature_roles(kg: Queryable) -> frozenset[str]:
    """The notations of the signature roles the ontology defines: a party with any of them is
    on the document."""
    return frozenset(read(kg, "signature-roles")["notation"])


def statuses(kg: Queryable) -> list[str]:
    """Every value a cell of the matrix can hold: the roles, then the three kinds of absence."""
    return sorted(signature_roles(kg)) + ABSENT


def records(kg: Queryable) -> pd.DataFrame:
    """One row per (document, party, status) with date and sources; documents ordered by date.
    `onDocument` says whether the status is a signature role (the party is on the document)."""
    frame = read(kg, "participation")
    frame["onDocument"] = frame["status"].isin(signature_roles(kg))
    parties = read(kg, "parties").drop_duplicates("party").set_index("party")
    frame["partyLabel"] = [
        parties["label"].get(party, slug(party)) if isinstance(party, str) else None
        for party in frame["party"]
    ]
    frame["listComplete"] = frame["listComplete"].map(lambda v: v is True)
    return frame.sort_values(["documentDate", "document", "partyLabel"], na_position="last")


def documents(kg: Queryable) -> pd.DataFrame:
    """The documents with signatories, in date order, with summit and list completeness."""
    frame = records(kg)
    cols = ["document", "documentLabel", "summit", "summitLabel", "documentDate", "listComplete"]
    return frame[cols].drop_duplicates("document").reset_index(drop=True)


def status_of(frame: pd.DataFrame, document: str, complete: bool) -> dict[str, str]:
    """party IRI -> status on one document (only the parties the document names)."""
    rows = frame[(frame["document"] == document) & frame["party"].notna()]
    found: dict[str, str] = {}
    on: dict[str, bool] = {}
    for row in rows.itertuples(index=False):
        # A role wins over "declined" if sources disagree; both rows stay in `records`.
        if row.party not in found or (row.onDocument and not on[row.party]):
            found[row.party] = str(row.status)
            on[row.party] = bool(row.onDocument)
    return found


def matrix(
    kg: Queryable, document_iris: list[str] | None = None, summits_only: bool = True
) -> pd.DataFrame:
    """Parties (rows, by label) x documents (columns, by label, in date order), cells a status.

    Columns are the given documents, else the outcome documents of summits (`summits_only`),
    else every document with signatories (OECD recommendation, conventions...). Rows are the
    parties named by at least one of the columns.
    """
    frame = records(kg)
    docs = documents(kg)
    if document_iris:
        docs = docs.set_index("document").loc[document_iris].reset_index()
    elif summits_only:
        docs = docs[docs["summit"].notna()]
    party_rows = frame[frame["document"].isin(docs["document"]) & frame["party"].notna()]
    party_labels = dict(zip(party_rows["party"], party_rows["partyLabel"], strict=True))
    ordered = sorted(party_labels, key=lambda p: str(party_labels[p]))
    table = pd.DataFrame(index=[party_labels[p] for p in ordered])
    for doc in docs.itertuples(index=False):
        found = status_of(frame, doc.document, doc.listComplete)
        absent = DID_NOT_SIGN if doc.listComplete else NOT_LISTED
        table[doc.documentLabel] = [found.get(p, absent) for p in ordered]
    table.index.name = "party"
    return table


def signed_all(kg: Queryable, document_iris: list[str] | None = None) -> pd.DataFrame:
    """Parties on every one of the documents (default: the summits' leaders' declarations, each
    stated as aigov:leadersDeclaration in its summit's data file), with the caveat of lists the
    graph holds only in part."""
    if not document_iris:
        document_iris = list(read(kg, "summit-declarations")["document"])
    frame, roles = records(kg), signature_roles(kg)
    sets = [{p for p, s in status_of(frame, d, True).items() if s in roles} for d in document_iris]
    common = set.intersection(*sets) if sets else set()
    labels = dict(zip(frame["party"], frame["partyLabel"], strict=False))
    rows = [{"party": p, "label": labels.get(p, p)} for p in common]
    return pd.DataFrame(rows, columns=["party", "label"]).sort_values("label", ignore_index=True)


def signed_not(kg: Queryable, signed: str, not_signed: str) -> pd.DataFrame:
    """Parties on document `signed` and not on `not_signed`, with their status on the latter:
    "did not sign", "declined", or "not in incomplete list" (which proves nothing)."""
    frame, roles = records(kg), signature_roles(kg)
    docs = documents(kg).set_index("document")
    on_first = {p for p, s in status_of(frame, signed, True).items() if s in roles}
    second = status_of(frame, not_signed, True)
    complete = bool(docs.loc[not_signed, "listComplete"]) if not_signed in docs.index else False
    labels = dict(zip(frame["party"], frame["partyLabel"], strict=False))
    rows = []
    for party in on_first:
        state = second.get(party, DID_NOT_SIGN if complete else NOT_LISTED)
        if state not in roles:
            rows.append({"party": party, "label": labels.get(party, party), "status": state})
    return pd.DataFrame(rows, columns=["party", "label", "status"]).sort_values(
        "label", ignore_index=True
    )


def party_signatures(kg: Queryable, party: str) -> pd.DataFrame:
    """What one party signed, declined, or is not known to have signed, document by document."""
    frame = records(kg)
    rows = []
    for doc in documents(kg).itertuples(index=False):
        found = status_of(frame, doc.document, doc.listComplete)
        state = found.get(party, DID_NOT_SIGN if doc.listComplete else NOT_LISTED)
        own = frame[(frame["document"] == doc.document) & (frame["party"] == party)]
        rows.append(
            {
                "document": doc.documentLabel,
                "summit": doc.summitLabel,
                "date": own["date"].dropna().iloc[0] if own["date"].notna().any() else None,
                "status": state,
                "sources": " ".join(sorted(set(" ".join(own["sources"].fillna("")).split()))),
            }
        )
    return pd.DataFrame(rows, columns=["document", "summit", "date", "status", "sources"])


def party_profile(kg: Queryable, party: str) -> dict[str, pd.DataFrame]:
    """One party's profile: memberships, the instruments it issued or that apply to it, and
    what it signed, declined or is not known to have signed, with dates and sources."""
    members = read(kg, "memberships")
    members = (
        members[members["party"] == party]
        .drop(columns="party")
        .sort_values(["organisationLabel", "organisation", "startDate"], na_position="first")
    )
    facts = read(kg, "instrument-facts")
    facts = facts[facts["dimension"].isin(["issued by", "jurisdiction"]) & (facts["item"] == party)]
    names = kg.frame("app", "names").drop_duplicates("node").set_index("node")["label"]
    instruments = (
        facts.assign(
            label=facts["instrument"].map(names),
            relation=facts["dimension"].map({"issued by": "issuer", "jurisdiction": "applies to"}),
        )
        .groupby(["instrument", "label"], as_index=False)["relation"]
        .agg(lambda r: ", ".join(sorted(set(r))))
        .sort_values("label", ignore_index=True)
    )
    return {
        "memberships": members.reset_index(drop=True),
        "instruments": instruments[["label", "relation", "instrument"]],
        "signatures": party_signatures(kg, party),
    }
