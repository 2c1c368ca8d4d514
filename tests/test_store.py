"""The one query layer's conversions: pyoxigraph terms to Python values and to rdflib terms.

`python_value` converts the common XSD types of pyoxigraph literals itself (the DataFrame path no
longer builds rdflib terms) and hands every other literal to rdflib; these tests hold the fast
path to rdflib's answer on every literal of the real graph and on literals built to be awkward.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from aigovkg.store import OxigraphBackend, SelectResult, python_value, to_rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"


def _via_rdflib(term: ox.Literal) -> object:
    """What the DataFrame held before: the rdflib term's toPython, lexical form if ill-typed."""
    converted = to_rdflib(term)
    assert isinstance(converted, Literal)
    if converted.language or converted.datatype is None:
        return str(converted)
    value = converted.toPython()
    return str(converted) if isinstance(value, Literal) else value


def _same(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    return a == b or (a != a and b != b)  # NaN (float or Decimal) equals no NaN, itself included


def test_every_literal_of_the_graph_converts_as_rdflib_converts_it(backend) -> None:
    literals = {q.object for q in backend.store if isinstance(q.object, ox.Literal)}
    datatypes = {lit.datatype.value for lit in literals if not lit.language}
    assert {XSD + "date", XSD + "decimal", XSD + "boolean", XSD + "integer"} <= datatypes
    differ = [lit for lit in literals if not _same(python_value(lit), _via_rdflib(lit))]
    assert differ == []


AWKWARD = [
    ("1", "boolean"),
    ("0", "boolean"),
    ("TRUE", "boolean"),
    ("yes", "boolean"),
    ("+5", "integer"),
    ("-0", "integer"),
    ("007", "int"),
    ("1_000", "integer"),
    (" 5", "integer"),
    ("five", "integer"),
    ("²", "integer"),
    ("1.50", "decimal"),
    (".5", "decimal"),
    ("1e3", "decimal"),
    ("NaN", "decimal"),
    ("1.0", "double"),
    ("INF", "double"),
    ("2024-02-30", "date"),
    ("2024-05-21Z", "date"),
    ("2024-05-21+09:00", "date"),
    ("20240521", "date"),
    ("12024-05-21", "date"),
    ("2024-05-21T10:00:00", "dateTime"),
    ("P10D", "dayTimeDuration"),
    ("2024", "gYear"),
    ("https://example.org/a b", "anyURI"),
    ("42", "nonNegativeInteger"),
    ("-3", "negativeInteger"),
]


@pytest.mark.parametrize(("text", "datatype"), AWKWARD, ids=lambda x: str(x))
def test_awkward_literals_convert_as_rdflib_converts_them(text: str, datatype: str) -> None:
    term = ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))
    assert _same(python_value(term), _via_rdflib(term))


def test_iris_blank_nodes_tagged_and_unbound() -> None:
    assert python_value(ox.NamedNode("https://w3id.org/aigovkg/id/x")) == (
        "https://w3id.org/aigovkg/id/x"
    )
    assert python_value(ox.BlankNode("b0")) == "b0"
    assert python_value(ox.Literal("서울", language="ko")) == "서울"
    assert python_value(None) is None
    assert python_value(URIRef("https://example.org/x")) == "https://example.org/x"


def test_select_result_keeps_engine_terms_until_rdflib_terms_are_asked_for(backend) -> None:
    answer = backend.run("SELECT ?e ?d WHERE { ?e aigov:date ?d } ORDER BY ?e LIMIT 3", max_rows=2)
    assert isinstance(answer, SelectResult) and answer.truncated
    assert len(answer.values()) == 2
    assert all(isinstance(row[0], URIRef) for row in answer.rows)
    same = SelectResult(answer.variables, answer.rows, answer.truncated)
    assert same == answer and same.values() == answer.values()
    with pytest.raises(TypeError):
        SelectResult(["x"])


def test_small_store_round_trip() -> None:
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode("https://example.org/s"),
            ox.NamedNode("https://example.org/p"),
            ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")),
            ox.NamedNode("urn:g"),
        )
    )
    answer = OxigraphBackend(store).run("SELECT ?o WHERE { ?s ?p ?o }")
    assert isinstance(answer, SelectResult)
    assert answer.values() == [[3]] and answer.rows == [(Literal(3),)]


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def test_a_store_on_disk_answers_then_moves_into_memory(tmp_path) -> None:
    """The server opens the build's store on disk to answer at once, then swaps to a copy in
    memory: the same answers before and after, and a query started before the swap finishes
    on the store it began on."""
    nquads = tmp_path / "g.nq"
    nquads.write_text(
        "".join(f'<urn:s{i}> <urn:p> "{i}"^^<{XSD_INTEGER}> <urn:g{i % 3}> .\n' for i in range(200))
    )
    OxigraphBackend.write_on_disk(tmp_path / "store", nquads)
    backend = OxigraphBackend.open(tmp_path / "store")
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    before = backend.run(query)
    running = backend.store.query("SELECT ?s WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    on_disk = backend.store
    backend.load_into_memory(nquads)
    assert backend.store is not on_disk
    assert backend.run(query) == before
    assert backend.graphs() == frozenset({"urn:g0", "urn:g1", "urn:g2"})
    assert len(list(running)) == 200
    assert backend.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].toPython() == 200


# Each distinct term is converted once per answer (store.memoized); a converted answer must be
# the one a cell-by-cell conversion gives, with equal terms shared and distinct ones kept apart.
REPEATS = """SELECT ?e ?p ?d ?x WHERE {
  ?e aigov:party ?p . OPTIONAL { ?e aigov:date ?d }
  VALUES ?x { "1"^^xsd:integer "1"^^xsd:token "a" "a"@en "a"@ko <https://example.org/a> }
}"""


def test_an_answer_converts_each_distinct_term_once_as_cell_by_cell(backend) -> None:
    answer = backend.run(REPEATS)
    assert isinstance(answer, SelectResult)
    native = list(answer.iter_terms())
    assert len(native) > 100 and any(row[2] is None for row in native)
    assert answer.rows == [tuple(to_rdflib(t) for t in row) for row in native]
    xs = {
        (type(x), str(x), getattr(x, "language", None), getattr(x, "datatype", None))
        for *_, x in answer.rows
    }
    assert len(xs) == 6  # "1" integer and token, "a" plain, @en and @ko, the IRI: kept apart
    dates = [row[2] for row in answer.rows if row[2] is not None]
    assert len({id(d) for d in dates}) == len(set(dates)) < len(dates)  # one object per term
    fresh = SelectResult(answer.variables, native=native)
    assert fresh.values() == [[python_value(t) for t in row] for row in native]
    streamed = SelectResult(answer.variables, native=native).iter_dicts()
    assert list(streamed) == answer.as_dicts()


def test_a_streaming_conversion_forgets_past_its_limit() -> None:
    from aigovkg.store import memoized

    calls: list[object] = []

    def convert(term: object) -> object:
        calls.append(term)
        return to_rdflib(term)

    once = memoized(convert, limit=2)
    terms = [ox.NamedNode(f"https://example.org/{n}") for n in "abcab"]
    assert [once(t) for t in terms] == [to_rdflib(t) for t in terms]
    assert len(calls) == 5  # a, b; then c empties the memo; a and b are converted again
    again = memoized(convert)
    calls.clear()
    assert [again(t) for t in terms] == [to_rdflib(t) for t in terms] and len(calls) == 3


def test_the_collector_is_paused_while_rows_are_built_and_left_as_found() -> None:
    import gc

    from aigovkg.store import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("a conversion that fails")
    assert gc.isenabled()
    gc.disable()  # its owner turned it off: a conversion must not turn it back on
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
