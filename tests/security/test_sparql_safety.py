"""The safety parser on its own: the generated corpus is refused, harmless look-alikes are not,
and the corpus is real (pyoxigraph without the guard does call the canary)."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from aigovkg.sparql_safety import RefusedQuery, analyse, check_query

from .conftest import Canary
from .corpus import BENIGN, corpus


def test_corpus_is_large_and_refused_with_a_reason(canary: Canary) -> None:
    items = corpus(canary.base)
    assert len(items) >= 100
    assert len({h.text for h in items}) == len(items)
    for hostile in items:
        with pytest.raises(RefusedQuery) as refused:
            check_query(hostile.text, {"urn:x"})
        message = str(refused.value)
        assert any(
            word in message
            for word in ("SERVICE", "FROM", "Update", "escape", "does not parse", "refused")
        ), (hostile.name, message)


def test_each_kind_is_refused_for_its_own_reason(canary: Canary) -> None:
    reasons = {
        "service/plain/exists": "SERVICE is not allowed",
        "service/issue-12-escaped-hash/top": "does not parse",
        "service/comment-ended-by-cr/top": "SERVICE is not allowed",
        "service/escaped-keyword/top": "SERVICE is not allowed",
        "service/escaped-quote-in-string/top": "escape",
        "dataset/from-prefixed": "is not one of this store's graphs",
        "update/load-escaped": "SPARQL Update",
    }
    by_name = {h.name: h for h in corpus(canary.base)}
    for name, reason in reasons.items():
        with pytest.raises(RefusedQuery, match=reason):
            check_query(by_name[name].text, {"urn:x"})


@pytest.mark.parametrize("text", BENIGN)
def test_harmless_look_alikes_pass(text: str) -> None:
    check_query(text)


def test_corpus_reaches_the_canary_without_the_guard(canary: Canary) -> None:
    """Run the SERVICE texts marked `reaches` on a bare pyoxigraph store: each must call the
    canary, or the corpus would prove nothing."""
    store = ox.Store()
    s, p, o = ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:o")
    store.add(ox.Quad(s, p, o))
    store.add(ox.Quad(s, p, o, ox.NamedNode("urn:g")))
    reaching = [h for h in corpus(canary.base) if h.reaches]
    assert len(reaching) >= 100
    missed = []
    for hostile in reaching:
        before = len(canary.seen())
        try:
            answer = store.query(hostile.text)
            if not isinstance(answer, ox.QueryBoolean):
                list(answer)
        except (OSError, SyntaxError, ValueError, RuntimeError):
            pass  # the canary's answer need not make sense; the request is what counts
        if len(canary.seen()) == before:
            missed.append(hostile.name)
    assert missed == []


def test_from_resolves_prefixes_base_and_escapes() -> None:
    check_query(r"PREFIX g: <urn:> SELECT * FROM g:x\.y {}", {"urn:x.y"})
    check_query("BASE <http://b.example/> SELECT * FROM NAMED <g> {}", {"http://b.example/g"})
    check_query("SELECT * FROM aigov:g {}", {"https://w3id.org/aigovkg/ontology#g"})
    with pytest.raises(RefusedQuery, match="no graphs to name"):
        check_query("SELECT * FROM <urn:x> {}", None)


def test_unparsable_and_ambiguous_texts_are_refused_with_where() -> None:
    with pytest.raises(RefusedQuery, match="line 1, column"):
        check_query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(RefusedQuery, match="ambiguous"):
        check_query(r'SELECT * WHERE { ?s ?p "\u00410042" }')
    with pytest.raises(RefusedQuery, match="ambiguous"):
        check_query(r'SELECT * WHERE { ?s ?p "\U0041" }')
    with pytest.raises(RefusedQuery, match="not a Unicode character"):
        check_query(r'SELECT * WHERE { ?s ?p "\uD800" }')


def test_deep_nesting_is_refused_not_crashed() -> None:
    deep = "SELECT * WHERE { " + "{ " * 1200 + "}" * 1200 + " }"
    with pytest.raises(RefusedQuery, match="nested too deeply"):
        check_query(deep)
    many = "SELECT * WHERE { ?s ?p ?o " + ". ?s ?p ?o " * 300 + "}"
    check_query(many)  # 300 patterns in one group recurse past Python's default limit


def test_hot_query_is_parsed_once() -> None:
    text = "SELECT ?cached WHERE { ?cached ?p ?o } LIMIT 7"
    analyse.cache_clear()
    check_query(text)
    started = time.perf_counter()
    for _ in range(200):
        check_query(text)
    assert analyse.cache_info().hits >= 200
    assert analyse.cache_info().misses == 1
    assert time.perf_counter() - started < 1.0


def _no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any real parse fail loudly from now on (texts checked earlier stay cached)."""
    from aigovkg import sparql_safety

    def refuse(*_args: object) -> sparql_safety.Analysis:
        raise AssertionError("the safety parser ran")

    monkeypatch.setattr(sparql_safety, "_parse_and_analyse", refuse)


def test_values_joined_by_this_values_take_the_query_verdict_without_a_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aigovkg.sparql_safety import this_values

    query = "SELECT ?this WHERE { ?this a <urn:test:T> . FILTER (?this != <urn:test:x>) }"
    check_query(query)  # the one real parse
    _no_parse(monkeypatch)
    text = this_values(query, ["urn:test:a", "https://w3id.org/aigovkg/id/country/KR"])
    assert text.startswith("SELECT ?this WHERE { VALUES ?this { <urn:test:a> <https://w3id")
    check_query(text)  # accepted, from the query's verdict
    store = ox.Store()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.add(ox.Quad(ox.NamedNode("urn:test:a"), rdf_type, ox.NamedNode("urn:test:T")))
    rows = list(store.query(text, use_default_graph_as_union=True))
    assert [r["this"] for r in rows] == [ox.NamedNode("urn:test:a")]


def test_this_values_keeps_a_refusal_and_parses_what_it_cannot_vouch_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aigovkg.sparql_safety import this_values

    refused = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?this ?p ?o } }"
    with pytest.raises(RefusedQuery):
        check_query(refused)
    with pytest.raises(RefusedQuery):  # the derived text keeps the refusal
        check_query(this_values(refused, ["urn:test:a"]))
    query = "SELECT * WHERE { ?this ?p ?o }"
    check_query(query)
    _no_parse(monkeypatch)
    # A value that is not a plain IRI (here one that would close the IRI and open a SERVICE)
    # is not vouched for: its text goes to the parser like any other.
    forged = this_values(query, ["urn:x> } SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #"])
    with pytest.raises(AssertionError, match="the safety parser ran"):
        check_query(forged)
    # Nor does a text that merely looks like a derived one get the verdict.
    lookalike = "SELECT * WHERE {  VALUES ?this { <urn:test:zz> } ?this ?p ?o . }"
    with pytest.raises(AssertionError, match="the safety parser ran"):
        check_query(lookalike)
