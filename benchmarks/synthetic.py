"""A synthetic aigovkg source tree of about N triples, for measuring build, validate, query, serve.

Run: python benchmarks/synthetic.py --triples N --out DIR [--seed S] [--no-real-data] [--check]

Why synthetic and not renamed copies of today's data: copies repeat the same few shapes (one AI
Act, summits of 30 signatories), so a query whose cost grows with a summit's signatures or an
instrument's events never shows it. This tree has the real layout and the real vocabulary (the
concepts are read from `ontology/concepts.ttl`) with the proportions a large corpus would have:
instruments with life-cycle events, provisions, obligations, prohibitions, penalties, risk tiers,
authorities and their own sources, some of them amended by later acts that move their dates; and
summit series whose outcome documents carry thousands of signatures. One file per instrument and
per summit, as in `data/`.

The tree copies `ontology/`, `shapes/` and `queries/` from this checkout and, unless
`--no-real-data`, the real `data/` too (so the competency questions that name real instruments
still find them, and the synthetic summits continue the AI summit series after the real ones).
Everything it writes conforms to the shapes and passes `queries/checks` (`--check` runs the checks
over the result). Output depends only on N, the seed and the checkout: same inputs, same bytes.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from aigovkg.store import OxigraphBackend

CHECKOUT = Path(__file__).resolve().parents[1]
AIGOV = "https://w3id.org/aigovkg/ontology#"
ID = "https://w3id.org/aigovkg/id/"

PREFIXES = {
    "addressee": f"{ID}concept/addressee-role/",
    "aigov": AIGOV,
    "authority": f"{ID}authority/",
    "company": f"{ID}company/",
    "country": f"{ID}country/",
    "dcterms": "http://purl.org/dc/terms/",
    "event": f"{ID}event/",
    "eventtype": f"{ID}concept/lifecycle-event-type/",
    "instrument": f"{ID}instrument/",
    "obligation": f"{ID}obligation/",
    "obligationtype": f"{ID}concept/obligation-type/",
    "penalty": f"{ID}penalty/",
    "practicetype": f"{ID}concept/practice-type/",
    "prohibition": f"{ID}prohibition/",
    "provision": f"{ID}provision/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "scheme": f"{ID}scheme/",
    "signature": f"{ID}signature/",
    "sigrole": f"{ID}concept/signature-role/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "source": f"{ID}source/",
    "sourcekind": f"{ID}concept/source-kind/",
    "summit": f"{ID}summit/",
    "tier": f"{ID}tier/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# Instrument classes with how often they occur, whether they bind, and how they come about.
KINDS: list[tuple[str, float, bool]] = [
    ("Law", 0.34, True),
    ("AdministrativeRegulation", 0.10, True),
    ("ExecutiveOrder", 0.10, True),
    ("Treaty", 0.06, True),
    ("Guideline", 0.16, False),
    ("PolicyPlan", 0.08, False),
    ("Recommendation", 0.08, False),
    ("Declaration", 0.05, False),
    ("VoluntaryCommitment", 0.03, False),
]
CURRENCIES = ["EUR", "USD", "KRW", "JPY", "CNY", "GBP", "BRL", "INR", "VND", "KZT"]
REAL_SERIES_TAIL = "ai-impact-summit-2026"  # the last real summit of the AI summit series


def lit(text: str, lang: str | None = None) -> str:
    """A Turtle string literal (the generator's own text has no quotes or backslashes)."""
    return f'"{text}"@{lang}' if lang else f'"{text}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


@dataclass
class TurtleFile:
    """Subjects and their statements for one source file, counted as they are added."""

    path: Path
    subjects: dict[str, tuple[str, dict[str, list[str]]]] = field(default_factory=dict)
    triples: int = 0

    def add(self, subject: str, cls: str, **statements: Sequence[str] | str) -> None:
        """`subject a cls` plus each predicate (`aigov__date` spells aigov:date) and objects."""
        props: dict[str, list[str]] = {}
        for key, values in statements.items():
            objects = [values] if isinstance(values, str) else list(values)
            if objects:
                props[key.replace("__", ":")] = objects
        self.subjects[subject] = (cls, props)
        self.triples += 1 + sum(len(v) for v in props.values())

    def text(self) -> str:
        body: list[str] = []
        for subject in sorted(self.subjects):
            cls, props = self.subjects[subject]
            lines = [f"{subject} a {cls}"]
            for predicate in sorted(props):
                objects = sorted(props[predicate])
                lines.append(f"    {predicate} " + ",\n        ".join(objects))
            body.append(" ;\n".join(lines) + " .\n")
        used = sorted({m for m in re.findall(r"\b([a-z]+):", "\n".join(body)) if m in PREFIXES})
        head = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in used)
        return head + "\n" + "\n".join(body)


@dataclass(frozen=True)
class Vocabulary:
    """The concept IRIs of ontology/concepts.ttl, by class, as prefixed names."""

    obligation_types: list[str]
    addressees: list[str]
    practice_types: list[str]
    roles: list[str]

    @classmethod
    def read(cls, concepts: Path) -> Vocabulary:
        store = ox.Store()
        store.bulk_load(concepts.read_bytes(), format=ox.RdfFormat.TURTLE)

        def members(local: str, prefix: str) -> list[str]:
            found = sorted(
                q.subject.value
                for q in store.quads_for_pattern(
                    None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(AIGOV + local)
                )
            )
            return [f"{prefix}:{iri.removeprefix(PREFIXES[prefix])}" for iri in found]

        return cls(
            obligation_types=members("ObligationType", "obligationtype"),
            addressees=members("AddresseeRole", "addressee"),
            practice_types=members("PracticeType", "practicetype"),
            roles=[r for r in members("SignatureRole", "sigrole") if r != "sigrole:joined-later"],
        )


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class Generator:
    """Writes the synthetic data/ files; every choice comes from one seeded random source."""

    def __init__(self, out: Path, seed: int, vocabulary: Vocabulary, real: bool) -> None:
        self.out = out
        self.rng = random.Random(seed)
        self.vocab = vocabulary
        self.real = real
        self.files: list[TurtleFile] = []
        self.countries: list[str] = []
        self.companies: list[str] = []

    @property
    def triples(self) -> int:
        return sum(f.triples for f in self.files)

    def new_file(self, relative: str) -> TurtleFile:
        file = TurtleFile(self.out / "data" / relative)
        self.files.append(file)
        return file

    def day(self, start: date, lo: int, hi: int) -> date:
        return start + timedelta(days=self.rng.randint(lo, hi))

    # Parties ----------------------------------------------------------------------------

    def parties(self, target: int, real_codes: set[str], real_countries: list[str]) -> None:
        """Synthetic countries (two-letter codes no real party uses) and companies."""
        free = [
            a + b
            for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            if a + b not in real_codes
        ]
        countries = self.new_file("parties/synthetic-countries.ttl")
        for code in free[: max(20, min(len(free), target // 2000))]:
            iri = f"country:{code}"
            countries.add(
                iri,
                "aigov:Country",
                rdfs__label=lit(f"Synthetic country {code}", "en"),
                aigov__isoCode=lit(code),
            )
            self.countries.append(iri)
        companies = self.new_file("parties/synthetic-companies.ttl")
        for n in range(max(60, target // 300)):
            iri = f"company:syn-{n:05d}"
            companies.add(iri, "aigov:Company", rdfs__label=lit(f"Synthetic company {n}", "en"))
            self.companies.append(iri)
        self.countries.extend(real_countries)

    # Instruments ------------------------------------------------------------------------

    def sources(self, file: TurtleFile, slug: str, count: int) -> list[str]:
        found = []
        for n in range(count):
            iri = f"source:{slug}-{n}"
            kind = (
                "sourcekind:primary"
                if n == 0 or self.rng.random() < 0.3
                else "sourcekind:secondary"
            )
            file.add(
                iri,
                "aigov:Source",
                rdfs__label=lit(f"Source {n} on {slug}", "en"),
                dcterms__title=lit(f"Text {n} about {slug}"),
                dcterms__publisher=lit(f"Publisher {self.rng.randint(1, 400)}"),
                aigov__sourceKind=kind,
                aigov__url=typed(f"https://example.org/synthetic/{slug}/{n}", "anyURI"),
            )
            found.append(iri)
        return found

    def cite(self, sources: list[str]) -> list[str]:
        return self.rng.sample(sources, self.rng.randint(1, min(3, len(sources))))

    def instrument(
        self, number: int, amends: tuple[str, str, list[str], date] | None = None
    ) -> str:
        """One instrument file; with `amends` (instrument, its applies-from event, provisions,
        its entry into force), an amending law that moves that date."""
        rng = self.rng
        if amends:
            kind, binding = "Law", True
        else:
            kind, binding = rng.choices([(k, b) for k, _, b in KINDS], [w for _, w, _ in KINDS])[0]
        slug = f"syn-{kind.lower()}-{number:06d}"
        iri = f"instrument:{slug}"
        file = self.new_file(f"instruments/{slug}.ttl")
        big = kind in ("Law", "AdministrativeRegulation", "Treaty")
        sources = self.sources(file, slug, rng.randint(4, 9) if big else rng.randint(2, 4))
        where = rng.choice(self.countries)
        start = date(2012, 1, 1) + timedelta(days=rng.randint(0, 365 * 14))
        if amends:
            start = max(start, amends[3] + timedelta(days=30))
        props: dict[str, list[str] | str] = {
            "rdfs__label": [lit(f"Synthetic {kind} {number}", "en")]
            + ([lit(f"합성 문서 {number}", "ko")] if rng.random() < 0.3 else [])
            + ([lit(f"Texte synthétique {number}", "fr")] if rng.random() < 0.2 else []),
            "dcterms__source": self.cite(sources),
            "aigov__jurisdiction": where,
            "aigov__issuedBy": where,
            "aigov__legallyBinding": "true" if binding else "false",
            "aigov__identifier": lit(f"SYN {start.year}/{number}"),
            "aigov__officialTitle": lit(
                f"Synthetic {kind.lower()} number {number} on artificial intelligence", "en"
            ),
        }
        events: list[str] = []

        def event(name: str, etype: str, day: date, **extra: list[str] | str) -> str:
            e = f"event:{slug}-{name}"
            file.add(
                e,
                "aigov:LifecycleEvent",
                dcterms__source=self.cite(sources),
                aigov__date=typed(day.isoformat(), "date"),
                aigov__eventType=f"eventtype:{etype}",
                **extra,
            )
            events.append(e)
            return e

        provisions = []
        if big:
            for n in range(rng.randint(2, 5)):
                p = f"provision:{slug}-part-{n}"
                file.add(
                    p,
                    "aigov:Provision",
                    rdfs__label=lit(f"Part {n} of {slug}", "en"),
                    dcterms__source=self.cite(sources),
                    aigov__legalReference=lit(f"Chapter {n + 1}"),
                    aigov__provisionOf=iri,
                )
                provisions.append(p)
        in_force = None
        applies: list[tuple[str, list[str]]] = []
        if kind == "ExecutiveOrder":
            event("signed", "signed", start)
            event("published", "published", self.day(start, 2, 10))
            if rng.random() < 0.15:
                event("revoked", "revoked", self.day(start, 200, 1500))
        elif big:
            if rng.random() < 0.6:
                event("proposed", "proposed", self.day(start, -700, -100))
            passed = self.day(start, 0, 0)
            event("passed", "passed" if kind != "Treaty" else "adopted", passed)
            event("signed", "signed", self.day(passed, 5, 60))
            event("published", "published", self.day(passed, 61, 120))
            in_force = self.day(passed, 121, 400)
            event("entered-into-force", "entered-into-force", in_force)
            for n, p in enumerate(provisions):
                when = self.day(in_force, 0, 900)
                applies.append(
                    (event(f"applies-from-{n}", "applies-from", when, aigov__provision=p), [p])
                )
            if rng.random() < 0.05:
                event("revoked", "revoked", self.day(in_force, 1000, 2500))
        else:
            event("adopted", "adopted", start)
            if rng.random() < 0.5:
                event("published", "published", self.day(start, 1, 30))
        if amends:
            target, old_event, old_provisions, _ = amends
            props["aigov__amends"] = target
            moved = (
                f"event:{slug}-moves-{old_event.removeprefix('event:')}",
                f"event:{slug}-amends-{target.removeprefix('instrument:')}",
            )
            file.add(
                moved[0],
                "aigov:LifecycleEvent",
                dcterms__source=self.cite(sources),
                aigov__date=typed(self.day(start, 500, 900).isoformat(), "date"),
                aigov__eventType="eventtype:applies-from",
                aigov__enactedBy=iri,
                aigov__provision=old_provisions,
                aigov__supersedesEvent=old_event,
                aigov__legalReference=lit(f"Art. 1 of {slug}"),
            )
            file.add(
                moved[1],
                "aigov:LifecycleEvent",
                dcterms__source=self.cite(sources),
                aigov__date=typed(self.day(start, 130, 420).isoformat(), "date"),
                aigov__eventType="eventtype:amended",
                aigov__enactedBy=iri,
            )
            self.pending_events.setdefault(target, []).extend(moved)
        props["aigov__hasEvent"] = events
        if kind == "Treaty":
            self.signatures(file, slug, iri, props, sources, start, rng.randint(5, 40))
        if big:
            self.regime(file, slug, iri, props, sources, provisions, where, in_force or start)
        file.add(iri, f"aigov:{kind}", **props)
        self.last_applies = (iri, applies, in_force) if applies else None
        return iri

    pending_events: dict[str, list[str]]

    def regime(
        self,
        file: TurtleFile,
        slug: str,
        iri: str,
        props: dict,
        sources: list[str],
        provisions: list[str],
        where: str,
        in_force: date,
    ) -> None:
        """What a binding instrument says: tiers, obligations, prohibitions, penalties,
        authorities."""
        rng = self.rng
        tiers: list[str] = []
        if rng.random() < 0.5:
            scheme = f"scheme:{slug}-risk-tiers"
            file.add(
                scheme,
                "skos:ConceptScheme",
                rdfs__label=lit(f"Risk levels of {slug}", "en"),
                skos__definition=lit(f"The risk levels {slug} defines.", "en"),
            )
            for rank in range(1, rng.randint(3, 5)):
                t = f"tier:{slug}-level-{rank}"
                file.add(
                    t,
                    "aigov:RiskTier",
                    rdfs__label=lit(f"level {rank} of {slug}", "en"),
                    dcterms__source=self.cite(sources),
                    skos__inScheme=scheme,
                    skos__definition=lit(f"Systems of risk level {rank}.", "en"),
                    aigov__tierRank=typed(rank, "integer"),
                )
                tiers.append(t)
            props["aigov__definesRiskTier"] = tiers
            props["aigov__riskTierScheme"] = scheme
        imposes = []
        for n in range(rng.randint(3, 25)):
            o = f"obligation:{slug}-art-{n + 1}"
            extra: dict[str, list[str] | str] = {}
            if tiers and rng.random() < 0.7:
                extra["aigov__appliesToTier"] = rng.choice(tiers)
            if rng.random() < 0.3:
                extra["aigov__appliesFrom"] = typed(self.day(in_force, 0, 700).isoformat(), "date")
            if provisions:
                extra["aigov__provision"] = rng.choice(provisions)
            file.add(
                o,
                "aigov:Obligation",
                rdfs__label=lit(f"duty {n + 1} under {slug}", "en"),
                dcterms__source=self.cite(sources),
                aigov__addressee=rng.sample(self.vocab.addressees, rng.randint(1, 2)),
                aigov__legalReference=lit(f"Art. {n + 1}"),
                aigov__obligationType=rng.sample(self.vocab.obligation_types, rng.randint(1, 3)),
                **extra,
            )
            imposes.append(o)
        props["aigov__imposes"] = imposes
        prohibits = []
        for n in range(rng.randint(0, 8)):
            p = f"prohibition:{slug}-{n + 1}"
            extra = {"aigov__provision": rng.choice(provisions)} if provisions else {}
            file.add(
                p,
                "aigov:ProhibitedPractice",
                rdfs__label=lit(f"practice {n + 1} banned by {slug}", "en"),
                dcterms__source=self.cite(sources),
                aigov__appliesFrom=typed(self.day(in_force, 0, 400).isoformat(), "date"),
                aigov__legalReference=lit(f"Art. 5({n + 1})"),
                aigov__practiceType=rng.choice(self.vocab.practice_types),
                **extra,
            )
            prohibits.append(p)
        props["aigov__prohibits"] = prohibits
        penalties = []
        for n in range(rng.randint(0, 4)):
            p = f"penalty:{slug}-{n + 1}"
            file.add(
                p,
                "aigov:Penalty",
                rdfs__label=lit(f"fine {n + 1} under {slug}", "en"),
                dcterms__source=self.cite(sources),
                aigov__criminal=rng.choice(["true", "false"]),
                aigov__currency=lit(rng.choice(CURRENCIES)),
                aigov__legalReference=lit(f"Art. 99({n + 1})"),
                aigov__maxFineAmount=f"{rng.randint(1, 400) * 250000}.0",
                aigov__maxFineTurnoverPercent=f"{rng.randint(1, 7)}.0",
                aigov__penaltyFor=lit(f"Breach of duty {n + 1} of {slug}"),
            )
            penalties.append(p)
        props["aigov__penalty"] = penalties
        authorities = []
        for n in range(rng.randint(1, 2)):
            a = f"authority:{slug}-{n + 1}"
            file.add(
                a,
                "aigov:Authority",
                rdfs__label=lit(f"authority {n + 1} of {slug}", "en"),
                dcterms__source=self.cite(sources),
                aigov__authorityOf=where,
            )
            authorities.append(a)
        props["aigov__competentAuthority"] = authorities

    def signatures(
        self,
        file: TurtleFile,
        slug: str,
        iri: str,
        props: dict,
        sources: list[str],
        day: date,
        count: int,
    ) -> None:
        """`count` signatories from the party pool, each with its qualified signature."""
        pool = self.countries + self.companies
        parties = sorted(self.rng.sample(pool, min(count, len(pool))))
        qualified = []
        for party in parties:
            s = f"signature:{slug}-{party.replace(':', '-').lower()}"
            file.add(
                s,
                "aigov:Signature",
                dcterms__source=self.cite(sources),
                aigov__date=typed(self.day(day, 0, 30).isoformat(), "date"),
                aigov__party=party,
                aigov__role=self.rng.choice(self.vocab.roles),
            )
            qualified.append(s)
        props["aigov__signatory"] = parties
        props["aigov__qualifiedSignature"] = qualified
        props["aigov__signatoryListComplete"] = self.rng.choice(["true", "false"])

    # Summits ----------------------------------------------------------------------------

    def summit(self, number: int, previous: str | None, day: date, signatures: int) -> str:
        """A summit with two to four outcome documents signed by up to `signatures` parties."""
        rng = self.rng
        slug = f"syn-summit-{number:04d}"
        iri = f"summit:{slug}"
        file = self.new_file(f"summits/{slug}.ttl")
        sources = self.sources(file, slug, rng.randint(3, 6))
        hosts = rng.sample(self.countries, rng.randint(1, 2))
        outcomes = []
        for n in range(rng.randint(2, 4)):
            doc_slug = f"{slug}-outcome-{n + 1}"
            doc = f"instrument:{doc_slug}"
            e = f"event:{doc_slug}-adopted"
            file.add(
                e,
                "aigov:LifecycleEvent",
                dcterms__source=self.cite(sources),
                aigov__date=typed(day.isoformat(), "date"),
                aigov__eventType="eventtype:adopted",
            )
            props: dict = {
                "rdfs__label": lit(f"Outcome {n + 1} of synthetic summit {number}", "en"),
                "dcterms__source": self.cite(sources),
                "aigov__hasEvent": e,
                "aigov__issuedBy": hosts,
                "aigov__legallyBinding": "false",
            }
            self.signatures(
                file,
                doc_slug,
                doc,
                props,
                sources,
                day,
                rng.randint(max(1, signatures // 3), max(1, signatures)),
            )
            props["aigov__jurisdiction"] = props["aigov__signatory"]
            file.add(doc, rng.choice(["aigov:Declaration", "aigov:VoluntaryCommitment"]), **props)
            outcomes.append(doc)
        file.add(
            iri,
            "aigov:Summit",
            rdfs__label=lit(f"Synthetic summit {number}", "en"),
            dcterms__source=self.cite(sources),
            aigov__startDate=typed(day.isoformat(), "date"),
            aigov__endDate=typed(self.day(day, 0, 2).isoformat(), "date"),
            aigov__host=hosts,
            aigov__outcome=outcomes,
            aigov__participant=rng.sample(self.countries, min(5, len(self.countries))),
            aigov__location=lit(f"Synthetic city {number}"),
            aigov__precededBy=[previous] if previous else [],
        )
        return iri

    # The whole tree ---------------------------------------------------------------------

    def generate(self, target: int, real_codes: set[str], real_countries: list[str]) -> None:
        self.pending_events = {}
        self.last_applies = None
        self.parties(target, real_codes, real_countries)
        budget_summits = int(target * 0.35)
        per_document = max(20, target // 400)
        previous = f"summit:{REAL_SERIES_TAIL}" if self.real else None
        day = date(2027, 2, 1)
        summit_triples = 0
        number = 0
        while summit_triples < budget_summits:
            before = self.triples
            number += 1
            previous = self.summit(number, previous, day, per_document)
            day += timedelta(days=self.rng.randint(150, 400))
            summit_triples += self.triples - before
        number = 0
        while self.triples < target:
            number += 1
            self.instrument(number)
            if self.last_applies and self.rng.random() < 0.12:
                target_iri, applies, in_force = self.last_applies
                old_event, provisions = self.rng.choice(applies)
                # The amending act comes first in the list of files only by number; the
                # target's events list is completed when it is written (pending_events).
                number += 1
                self.instrument_amending(number, target_iri, old_event, provisions, in_force)

    def instrument_amending(
        self, number: int, target: str, old_event: str, provisions: list[str], in_force: date
    ) -> None:
        """An amending law whose moved date and `amended` event belong to `target`'s events."""
        self.instrument(number, (target, old_event, provisions, in_force))
        # The target was written before its amender: add the new events to its hasEvent list.
        moved = self.pending_events.pop(target, [])
        for file in self.files:
            if target in file.subjects:
                _cls, props = file.subjects[target]
                props["aigov:hasEvent"].extend(moved)
                file.triples += len(moved)
                break

    def write(self) -> None:
        for file in self.files:
            file.path.parent.mkdir(parents=True, exist_ok=True)
            file.path.write_text(file.text(), encoding="utf-8")


def real_party_codes(data: Path) -> tuple[set[str], list[str]]:
    """ISO codes any real party uses, and the real countries (as prefixed names)."""
    codes: set[str] = set()
    countries: list[str] = []
    for path in sorted(data.rglob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        codes.update(re.findall(r'aigov:isoCode "([A-Z]{2})', text))
        if path.name == "countries.ttl":
            countries.extend(
                f"country:{c}" for c in re.findall(r"^country:([A-Z]{2}) a ", text, re.M)
            )
    return codes, countries


def count_triples(paths: Iterable[Path]) -> int:
    total = 0
    for path in paths:
        total += sum(1 for _ in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE))
    return total


def make_tree(
    triples: int, out: Path, seed: int = 16, real_data: bool = True, source: Path = CHECKOUT
) -> int:
    """Write a source tree of about `triples` triples into `out` (emptied first); returns the
    number of triples in its ontology and data files."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for part in ("ontology", "shapes", "queries"):
        shutil.copytree(source / part, out / part)
    base = count_triples(sorted((out / "ontology").glob("*.ttl")))
    real_codes, real_countries = real_party_codes(source / "data")
    if real_data:
        shutil.copytree(source / "data", out / "data")
        base += count_triples(sorted((out / "data").rglob("*.ttl")))
    else:
        (out / "data").mkdir()
        real_countries = []
    generator = Generator(out, seed, Vocabulary.read(out / "ontology" / "concepts.ttl"), real_data)
    generator.generate(max(0, triples - base), real_codes, real_countries)
    generator.write()
    return base + generator.triples


def query_store(tree: Path) -> OxigraphBackend:
    """The tree as every surface queries it after a build (one named graph per source file, the
    build's version graph and the derived status graph), parsed by pyoxigraph and without SHACL,
    so that the 100x tree is reachable; the status intervals come from the one status rule."""
    from aigovkg.build import version_triples
    from aigovkg.namespaces import BUILD_GRAPH, GRAPH, STATUS_GRAPH
    from aigovkg.queries import get_query
    from aigovkg.sources import SourceTree
    from aigovkg.status import (
        application_graph,
        application_periods,
        events_from_rows,
        intervals,
        status_graph,
    )
    from aigovkg.store import OxigraphBackend, SelectResult, to_oxigraph

    source_tree = SourceTree(root=tree, dist=tree / "dist", is_checkout=True)
    store = OxigraphBackend.from_files(
        (p, str(GRAPH[source_tree.relative(p).removesuffix(".ttl")]))
        for p in source_tree.graph_files()
    ).store
    answer = OxigraphBackend(store).run(get_query(source_tree, "app", "status-events").text)
    assert isinstance(answer, SelectResult)
    events = events_from_rows(answer.as_dicts())
    derived = status_graph(intervals(events))
    for triple in application_graph(application_periods(events)):
        derived.add(triple)
    for graph, triples in ((STATUS_GRAPH, derived), (BUILD_GRAPH, version_triples())):
        name = ox.NamedNode(str(graph))
        store.extend(ox.Quad(*map(to_oxigraph, t), name) for t in triples)  # type: ignore[misc]
    return OxigraphBackend(store)


def run_checks(tree: Path) -> dict[str, int]:
    """Rows returned by each queries/checks/*-violation.rq over the tree (all 0 when it passes)."""
    from aigovkg.queries import list_queries
    from aigovkg.sources import SourceTree
    from aigovkg.store import SelectResult

    source_tree = SourceTree(root=tree, dist=tree / "dist", is_checkout=True)
    backend = query_store(tree)
    found = {}
    for check in list_queries(source_tree, "checks"):
        answer = backend.run(check.text)
        found[check.id] = len(answer.rows) if isinstance(answer, SelectResult) else 0
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many triples")
    parser.add_argument("--out", type=Path, required=True, help="directory to (re)create")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--no-real-data", action="store_true", help="synthetic data only")
    parser.add_argument("--check", action="store_true", help="run queries/checks afterwards")
    args = parser.parse_args(argv)
    total = make_tree(args.triples, args.out, args.seed, not args.no_real_data)
    print(f"{args.out}: {total} triples in ontology/ and data/")
    if args.check:
        found = run_checks(args.out)
        for check, rows in found.items():
            print(f"  check {check}: {rows} violation(s)")
        return 1 if any(found.values()) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
