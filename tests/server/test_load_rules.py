"""The pure rules behind the load handling: which queries skip the pool, how deep a query
nests, and how the back-off for worker-killing queries grows and is forgiven."""

from __future__ import annotations

import pytest

from aigovkg.server.cheap import MAX_INLINE_ROWS, trivial_form
from aigovkg.server.depth import nesting_depth
from aigovkg.server.ratelimit import RateLimiter


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("ASK {}", "ASK"),
        ("ask where { ?s ?p ?o }", "ASK"),
        ("SELECT ?s WHERE { ?s rdfs:label ?l } LIMIT 10", "SELECT"),
        ("PREFIX x: <urn:x#> SELECT DISTINCT * { ?s a x:T . } OFFSET 5 LIMIT 100", "SELECT"),
        ('SELECT * { ?s ?p "k"@en } LIMIT 1', "SELECT"),
        ("SELECT * { ?s ?p ?o }", None),  # no LIMIT
        (f"SELECT * {{ ?s ?p ?o }} LIMIT {MAX_INLINE_ROWS + 1}", None),
        ("SELECT * { ?s ?p ?o . ?o ?q ?r } LIMIT 1", None),  # a join
        ("SELECT * { ?s ?p ?o FILTER REGEX(?o, 'a') } LIMIT 1", None),
        ("SELECT * { ?s <urn:p>+ ?o } LIMIT 1", None),  # a path
        ("SELECT * { ?s ?p ?o } ORDER BY ?o LIMIT 1", None),
        ("SELECT (COUNT(*) AS ?n) { ?s ?p ?o } LIMIT 1", None),
        ("SELECT * FROM <urn:g> { ?s ?p ?o } LIMIT 1", None),
        ("SELECT * { SERVICE <http://127.0.0.1/> { ?s ?p ?o } } LIMIT 1", None),
        ("ASK { { ?s ?p ?o } }", None),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", None),
        ("SELECT * { ?s ?p ?o } LIMIT 1 # a comment", None),
    ],
)
def test_only_one_pattern_queries_skip_the_pool(query: str, form: str | None) -> None:
    assert trivial_form(query) == form


@pytest.mark.parametrize(
    ("query", "depth"),
    [
        ("ASK {}", 1),
        ("SELECT * { { ?s ?p ?o } UNION { ?s ?p (1) } }", 3),
        ('SELECT * { ?s ?p "{{{{((((" } # {{{{', 1),  # brackets in strings and comments
        ("SELECT * { ?s ?p <urn:x> }", 1),
        ("ASK " + "{" * 2500 + "}" * 2500, 2500),
    ],
)
def test_nesting_depth_counts_brackets_outside_strings(query: str, depth: int) -> None:
    assert nesting_depth(query) == depth


def test_back_off_doubles_and_is_forgiven() -> None:
    limiter = RateLimiter(rate=100.0, burst=100, max_penalty_s=8.0, forgive_s=60.0)
    assert limiter.penalize("a", now=0.0) == 1.0
    assert limiter.check("a", now=0.5) == pytest.approx(0.5)
    assert limiter.check("b", now=0.5) == 0.0  # other clients are not affected
    assert limiter.check("a", now=1.0) == 0.0
    waits = [limiter.penalize("a", now=t) for t in (2.0, 3.0, 4.0, 5.0)]
    assert waits == [2.0, 4.0, 8.0, 8.0]  # doubling, up to the cap
    assert limiter.penalize("a", now=100.0) == 1.0  # a quiet minute forgives


def test_back_off_is_off_when_limiting_is_off() -> None:
    limiter = RateLimiter(rate=0, burst=1)
    assert limiter.penalize("a", now=0.0) == 0.0
    assert limiter.check("a", now=0.0) == 0.0
