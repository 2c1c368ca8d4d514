"""validation_anchor: which ?this values a changed statement can reach through a query's
patterns, what a restricted query reads, and what the analysis refuses to bound."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from aigovkg import build
from aigovkg.queries import list_queries
from aigovkg.shacl_sparql import plan
from aigovkg.sources import locate
from aigovkg.store import OxigraphBackend, SelectResult
from aigovkg.validation_anchor import Anchor, anchor, with_values

EX = "https://example.org/"
A, B, C, S, T = (ox.NamedNode(EX + n) for n in ("a", "b", "c", "s", "t"))
P, Q = ox.NamedNode(EX + "p"), ox.NamedNode(EX + "q")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DATA = [ox.Triple(A, P, B), ox.Triple(C, P, B), ox.Triple(B, Q, S), ox.Triple(T, Q, S)]


def _lookup(triples: list[ox.Triple]):
    def lookup(s: object, p: object, o: object):
        return [
            t
            for t in triples
            if s in (None, t.subject) and p in (None, t.predicate) and o in (None, t.object)
        ]

    return lookup


def test_a_statement_two_steps_away_reaches_the_nodes_that_point_at_it() -> None:
    found = anchor(f"SELECT ?this WHERE {{ ?this <{P.value}> ?x . ?x <{Q.value}> ?y }}")
    assert found is not None
    # (b q s) is read by the rows of every ?this with `?this p b`: a and c, not t.
    assert found.affected([ox.Triple(B, Q, S)], _lookup(DATA)) == {A, C}
    # A statement no pattern matches reaches nothing.
    assert found.affected([ox.Triple(A, TYPE, B)], _lookup(DATA)) == set()


def test_what_cannot_be_bounded_is_not() -> None:
    # ?x bound only in an OPTIONAL: where it does not match, `?x q ?y` matches any statement.
    leaky = anchor(
        f"SELECT ?this WHERE {{ ?this a ?k OPTIONAL {{ ?this <{P.value}> ?x }} ?x <{Q.value}> ?y }}"
    )
    assert leaky is None or leaky.affected([ox.Triple(T, Q, S)], _lookup(DATA)) is None
    # Not anchored at all: no ?this, a LIMIT, a sub-select that drops ?this.
    assert anchor("SELECT ?x WHERE { ?x ?p ?o }") is None
    assert anchor("SELECT ?this WHERE { ?this ?p ?o } LIMIT 1") is None
    assert anchor("SELECT ?this WHERE { ?this ?p ?o { SELECT ?o WHERE { ?o ?q ?r } } }") is None
    # A pattern tied to nothing: any change it matches re-runs the whole query.
    loose = anchor(
        f"SELECT ?this WHERE {{ ?this <{P.value}> ?x FILTER EXISTS {{ ?u <{Q.value}> ?v }} }}"
    )
    assert loose is not None and loose.affected([ox.Triple(T, Q, S)], _lookup(DATA)) is None


def test_a_restricted_query_answers_on_its_support_as_on_the_whole_graph() -> None:
    text = (
        f"SELECT ?this ?y WHERE {{ ?this <{P.value}> ?x . "
        f"FILTER NOT EXISTS {{ ?x <{Q.value}> ?y }} OPTIONAL {{ ?x <{Q.value}> ?y }} }}"
    )
    found = anchor(text)
    assert found is not None
    support = found.support([A], _lookup(DATA))
    assert support is not None and ox.Triple(T, Q, S) not in support
    restricted = with_values(text, [A])
    whole = OxigraphBackend.from_triples({EX + "g": DATA}).run(restricted)
    small = OxigraphBackend.from_triples({EX + "g": support}).run(restricted)
    assert isinstance(whole, SelectResult) and isinstance(small, SelectResult)
    assert whole.rows == small.rows


def test_every_package_query_is_anchored_and_keeps_its_anchor_in_json() -> None:
    """The shapes' SPARQL constraints and targets and the integrity checks are all anchored
    (so an edit re-runs them for a few ?this values), and the JSON form the cache keeps gives
    the same anchor back."""
    tree = locate(Path(__file__).resolve().parents[1])
    split = plan(build.load_shapes(tree))
    texts = [
        *(c.query for c in split.constraints),
        *split.targets.values(),
        *(c.text for c in list_queries(tree, "checks")),
    ]
    for text in texts:
        found = anchor(text)
        assert found is not None, text
        data = json.loads(json.dumps(found.to_json()))
        assert Anchor.from_json(data).to_json() == data
