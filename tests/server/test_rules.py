"""The endpoint's rules on their own: tokens, query forms, Accept parsing, protocol decoding."""

from __future__ import annotations

import pytest

from aigovkg.server.guard import RefusedQuery, check_query, query_form
from aigovkg.server.negotiation import (
    GRAPH,
    TABULAR,
    ConflictingFormats,
    NotAcceptable,
    choose,
    parse_accept,
)
from aigovkg.server.protocol import ProtocolError, decode_request
from aigovkg.server.ratelimit import RateLimiter


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX a: <http://a/> BASE <http://b/> select * {}", "SELECT"),
        ("# comment\nASK {}", "ASK"),
        ("PREFIX : <x> INSERT DATA {}", "INSERT"),
        ("", None),
    ],
)
def test_query_form(text: str, form: str | None) -> None:
    assert query_form(text) == form


def test_from_must_name_a_store_graph() -> None:
    check_query("SELECT * FROM <urn:g> {}", {"urn:g"})
    check_query("PREFIX g: <urn:> SELECT * FROM g:x {}", {"urn:x"})  # resolved on the parse
    with pytest.raises(RefusedQuery, match="not one of this store"):
        check_query("PREFIX g: <urn:> SELECT * FROM g:y {}", {"urn:x"})
    with pytest.raises(RefusedQuery, match="not one of this store"):
        check_query("SELECT * FROM NAMED <urn:other> {}", {"urn:g"})


def test_accept_q_values_and_specificity() -> None:
    assert parse_accept("text/*;q=0.5, text/csv")[0] == ("text/csv", 1.0)
    assert choose(TABULAR, "text/csv;q=0.2, */*;q=0.1").alias == "csv"
    assert choose(TABULAR, "application/sparql-results+xml, */*;q=0.9").alias == "xml"
    assert choose(GRAPH, None).alias == "turtle"
    with pytest.raises(NotAcceptable):
        choose(TABULAR, "text/turtle")
    with pytest.raises(NotAcceptable):
        choose(TABULAR, "text/csv;q=0")
    # Generic JSON/XML mean the SPARQL results for a table, JSON-LD/RDF/XML for a graph.
    assert choose(TABULAR, "application/json").alias == "json"
    assert choose(TABULAR, "application/xml").alias == "xml"
    assert choose(GRAPH, "application/json").alias == "jsonld"
    assert choose(GRAPH, "application/xml").alias == "rdfxml"
    assert choose(GRAPH, "text/n3").alias == "turtle"
    # ...but only when named: a wildcard is no request for a generic type (text/* is not XML).
    assert choose(TABULAR, "text/*;q=0.8, */*;q=0.1").alias == "csv"
    assert choose(GRAPH, "application/*").alias == "nt"


def test_format_names() -> None:
    """Repeated `format` values must agree; other query forms' names defer to Accept."""
    assert choose(TABULAR, None, ["tsv", "text/tab-separated-values"]).alias == "tsv"
    assert choose(GRAPH, None, ["json-ld", "application/ld+json,application/x-json+ld"]).alias == (
        "jsonld"
    )
    assert choose(GRAPH, None, ["rdf+xml", "application/rdf+xml"]).alias == "rdfxml"
    assert choose(TABULAR, "text/csv", ["turtle", ""]).alias == "csv"
    assert choose(GRAPH, None, ["csv"]).alias == "turtle"
    with pytest.raises(ConflictingFormats):
        choose(TABULAR, None, ["csv", "json"])
    with pytest.raises(NotAcceptable, match="'png'"):
        choose(TABULAR, None, ["png"])
    request = decode_request(
        "GET", [("query", "ASK {}"), ("format", "a"), ("format", "b")], None, b""
    )
    assert request.format_names == ("a", "b")


def test_protocol_decoding() -> None:
    request = decode_request(
        "POST",
        [("default-graph-uri", "urn:a")],
        "application/x-www-form-urlencoded",
        b"query=ASK%20%7B%7D&named-graph-uri=urn%3Ab",
    )
    assert request.query == "ASK {}"
    assert request.default_graphs == ("urn:a",) and request.named_graphs == ("urn:b",)
    with pytest.raises(ProtocolError) as two:
        decode_request("GET", [("query", "ASK {}"), ("query", "ASK {}")], None, b"")
    assert two.value.status == 400
    with pytest.raises(ProtocolError) as latin:
        decode_request("POST", [], "application/sparql-query", "ASK { 'é' }".encode("latin-1"))
    assert latin.value.status == 400
    with pytest.raises(ProtocolError) as update:
        decode_request("POST", [], "application/sparql-update", b"CLEAR ALL")
    assert update.value.status == 403


def test_rate_limiter_refills() -> None:
    limiter = RateLimiter(rate=2.0, burst=2)
    assert limiter.check("a", now=0.0) == 0 and limiter.check("a", now=0.0) == 0
    assert limiter.check("a", now=0.0) == pytest.approx(0.5)
    assert limiter.check("b", now=0.0) == 0  # clients are independent
    assert limiter.check("a", now=0.6) == 0
