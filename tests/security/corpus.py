"""A generated corpus of SPARQL texts that try to make an engine call a canary URL.

Every text names the canary (an HTTP server on 127.0.0.1 that records requests) through SERVICE,
FROM / FROM NAMED or LOAD, dressed up the ways the grammar allows: codepoint escapes (in
keywords, IRIs and strings), escaped local names, comments and odd whitespace between tokens,
mixed case, SILENT, a variable endpoint, prefixed names, relative IRIs under BASE, and inside
every kind of group (sub-select, EXISTS, NOT EXISTS, OPTIONAL, MINUS, UNION, GRAPH, VALUES,
nested groups, CONSTRUCT and DESCRIBE). `reaches` marks the texts that pyoxigraph, run without
any guard on a store holding one triple in its default graph and one in a named graph, sends to
the canary: they show that the corpus is dangerous, so a guard that lets one through fails.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hostile:
    name: str
    text: str
    kind: str  # service | from | update
    reaches: bool = False  # pyoxigraph unguarded calls the canary


def _escape_all(text: str) -> str:
    return "".join(f"\\u{ord(c):04X}" for c in text)


def _service_patterns(canary: str) -> list[tuple[str, str, str, bool]]:
    """(name, prologue, pattern, reaches): ways of writing one SERVICE call to the canary."""
    host = canary.removeprefix("http://").rstrip("/")
    body = "{ ?x ?y ?z }"
    return [
        ("plain", "", f"SERVICE <{canary}sparql> {body}", True),
        ("lower-case", "", f"service <{canary}sparql> {body}", True),
        ("mixed-case", "", f"SeRvIcE <{canary}sparql> {body}", True),
        ("silent", "", f"SERVICE SILENT <{canary}sparql> {body}", True),
        ("comments", "", f"SERVICE#x\n<{canary}sparql>#y\n{body}", True),
        ("whitespace", "", f"SERVICE\t\r\n <{canary}sparql>{{?x ?y ?z}}", True),
        ("escaped-keyword", "", f"\\u0053ERVICE <{canary}sparql> {body}", False),
        ("escaped-keyword-all", "", f"{_escape_all('SERVICE')} <{canary}sparql> {body}", False),
        ("escaped-iri-scheme", "", f"SERVICE <\\u0068ttp://{host}/sparql> {body}", True),
        ("escaped-iri-path", "", f"SERVICE <{canary}\\u0073\\u0070arql> {body}", True),
        (
            "escaped-iri-host",
            "",
            f"SERVICE <http://{_escape_all('127')}.0.0.1:{host.split(':')[1]}/> {body}",
            True,
        ),
        ("prefixed", f"PREFIX c: <{canary}> ", f"SERVICE c:sparql {body}", True),
        ("escaped-local", f"PREFIX c: <{canary}> ", f"SERVICE c:sp\\-arql {body}", True),
        ("base-relative", f"BASE <{canary}> ", f"SERVICE <sparql> {body}", True),
        ("variable", "", f"VALUES ?svc {{ <{canary}sparql> }} SERVICE ?svc {body}", False),
        (
            "issue-12-escaped-hash",
            "PREFIX ex: <http://ex/> ",
            f"OPTIONAL {{ ?s ex:p\\# ?o }} SERVICE <{canary}sparql> {body}",
            True,
        ),
        (
            "comment-ended-by-cr",
            "",
            f"?s ?p ?o # a comment that rdflib reads to the newline\r SERVICE <{canary}sparql> "
            f"{body}\n",
            True,
        ),
        (
            "escaped-quote-in-string",
            "",
            f"?s ?p ?o FILTER(?o != 'a\\u0027) SERVICE <{canary}sparql> {body} "
            "FILTER(?o != \\u0027')",
            False,
        ),
    ]


# (name, prologue-free query with {p} where the SERVICE pattern goes)
_PLACES = [
    ("top", "SELECT * WHERE {{ {p} }}"),
    ("after-triple", "SELECT * WHERE {{ ?s ?p ?o . {p} }}"),
    ("optional", "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {p} }} }}"),
    ("sub-select", "SELECT * WHERE {{ {{ SELECT * WHERE {{ {p} }} }} }}"),
    ("exists", "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ {p} }} }}"),
    ("not-exists", "SELECT * WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {p} }} }}"),
    ("minus", "SELECT * WHERE {{ ?s ?p ?o MINUS {{ {p} }} }}"),
    ("union", "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ {p} }} }}"),
    ("graph", "SELECT * WHERE {{ GRAPH ?g {{ {p} }} }}"),
    ("values", "SELECT * WHERE {{ VALUES ?v {{ 1 2 }} {p} }}"),
    ("nested", "SELECT * WHERE {{ {{ {{ {{ {p} }} }} }} }}"),
    ("ask", "ASK {{ {p} }}"),
    ("construct", "CONSTRUCT {{ ?x ?y ?z }} WHERE {{ {p} }}"),
    ("describe", "DESCRIBE ?x WHERE {{ {p} }}"),
]


def service_corpus(canary: str) -> list[Hostile]:
    found = []
    for pattern_name, prologue, pattern, reaches in _service_patterns(canary):
        for place, template in _PLACES:
            if place == "describe" and "VALUES" in pattern:
                continue
            text = prologue + template.format(p=pattern)
            found.append(
                Hostile(
                    f"service/{pattern_name}/{place}",
                    text,
                    "service",
                    reaches,
                )
            )
    return found


def dataset_corpus(canary: str) -> list[Hostile]:
    where = "WHERE { ?s ?p ?o }"
    escaped = canary.replace("h", "\\u0068", 1)
    texts = {
        "from": f"SELECT * FROM <{canary}data.ttl> {where}",
        "from-named": f"SELECT * FROM NAMED <{canary}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "from-lower": f"select * from <{canary}data.ttl> {where}",
        "from-comment": f"SELECT * FROM#x\n<{canary}data.ttl> {where}",
        "from-prefixed": f"PREFIX c: <{canary}> SELECT * FROM c:data {where}",
        "from-escaped-local": f"PREFIX c: <{canary}> SELECT * FROM c:da\\.ta {where}",
        "from-base": f"BASE <{canary}> SELECT * FROM <data.ttl> {where}",
        "from-escaped-iri": f"SELECT * FROM <{escaped}data.ttl> {where}",
        "from-file": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "from-in-ask": f"ASK FROM <{canary}data.ttl> {{ ?s ?p ?o }}",
        "from-in-construct": f"CONSTRUCT {{ ?s ?p ?o }} FROM <{canary}x> {where}",
        "from-named-twice": f"SELECT * FROM NAMED <urn:x> FROM NAMED <{canary}x> {where}",
    }
    return [Hostile(f"dataset/{name}", text, "from") for name, text in texts.items()]


def update_corpus(canary: str) -> list[Hostile]:
    texts = {
        "load": f"LOAD <{canary}data.ttl>",
        "load-silent-into": f"LOAD SILENT <{canary}data.ttl> INTO GRAPH <urn:g>",
        "load-lower": f"load <{canary}data.ttl>",
        "load-escaped": f"\\u004COAD <{canary}data.ttl>",
        "load-prefixed": f"PREFIX c: <{canary}> LOAD c:data",
        "load-after-insert": f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ; LOAD <{canary}x>",
        "insert-where-service": (
            f"INSERT {{ ?x ?y ?z }} WHERE {{ SERVICE <{canary}sparql> {{ ?x ?y ?z }} }}"
        ),
        "delete-where-service": (
            f"DELETE {{ ?x ?y ?z }} WHERE {{ SERVICE <{canary}sparql> {{ ?x ?y ?z }} }}"
        ),
        "clear": "CLEAR ALL",
        "drop": "DROP ALL",
    }
    return [Hostile(f"update/{name}", text, "update") for name, text in texts.items()]


def corpus(canary: str) -> list[Hostile]:
    """The whole corpus for a canary base URL such as http://127.0.0.1:PORT/."""
    return service_corpus(canary) + dataset_corpus(canary) + update_corpus(canary)


# Texts that look alarming to a lexer but are harmless: the parser must let them through.
BENIGN = [
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { ?a ?b ?c }" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { ?a ?b ?c }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:from ?o }",
    'SELECT ?service ?from WHERE { ?service ?from "LOAD FROM SERVICE" }',
    "SELECT * WHERE { ?s ?p '''multi\nline SERVICE <http://127.0.0.1:9/> {}''' }",
    'SELECT * WHERE { ?s ?p "caf\\u00E9" }',
    "SELECT ?s WHERE { ?s a aigov:Instrument }",
]
