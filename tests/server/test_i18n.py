"""The interface's languages and the one HTML environment, without a server."""

from __future__ import annotations

import builtins
import re
from pathlib import Path

import pytest

from aigovkg import csp, htmlenv, i18n
from aigovkg.namespaces import PREFIXES
from aigovkg.queries import list_queries
from aigovkg.server.pages import Pages
from aigovkg.sparql_text import with_declared_prefixes
from aigovkg.viz import render

SERVER = Path(i18n.__file__).parent / "server"
# t("key") in templates and page code (dynamic keys such as t("kind." ~ kind) are walked by
# the server test that renders every page in both languages)
KEY_IN_TEMPLATE = re.compile(r"""\bt\(\s*["']([\w.\- ]*\w)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*SERVER.glob("templates/*.html"), *SERVER.glob("*.py")]:
        keys |= set(KEY_IN_TEMPLATE.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_literal_key_is_in_the_table_in_both_languages() -> None:
    keys = used_keys()
    assert len(keys) > 60  # the scan finds the keys (a broken pattern would find none)
    missing = sorted(k for k in keys if k not in i18n.MESSAGES)
    assert missing == []
    for key, (english, korean) in i18n.MESSAGES.items():
        assert english.strip() and korean.strip(), key
        # same placeholders in both languages, so .format never fails in one of them
        assert set(re.findall(r"{(\w+)}", english)) == set(re.findall(r"{(\w+)}", korean)), key


def test_korean_text_is_korean() -> None:
    hangul = re.compile(r"[\uac00-\ud7a3]")
    untranslated = [k for k, (_, ko) in i18n.MESSAGES.items() if not hangul.search(ko)]
    assert untranslated == []


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        (None, None, None, "en"),
        (None, None, "ko-KR,ko;q=0.9,en-US;q=0.8", "ko"),
        (None, None, "en-US,en;q=0.9,ko;q=0.5", "en"),
        (None, None, "fr-FR, ko;q=0.4", "ko"),
        (None, None, "fr-FR", "en"),
        (None, None, "ko;q=0, en;q=0.1", "en"),
        (None, "ko", "en", "ko"),
        ("en", "ko", "ko", "en"),
        ("xx", "ko", None, "ko"),
    ],
)
def test_language_choice(
    query: str | None, cookie: str | None, header: str | None, expected: str
) -> None:
    assert i18n.language_of(query, cookie, header) == expected


def test_missing_key_is_visible() -> None:
    t = i18n.Translator("ko")
    assert t("nav.query") == "질의"
    assert t("no.such.key") == "⟦no.such.key⟧"
    assert t("compare.too_many", n=6).startswith("한 번에 최대 6")


def test_switch_links_keep_the_query() -> None:
    links = i18n.switch_links("/compare", [("instrument", "a&b"), ("lang", "en")])
    assert links["ko"] == "/compare?instrument=a%26b&lang=ko"


def test_templates_are_read_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reinstall that moves the template files after start-up does not break a page."""
    pages = Pages()
    real_open = builtins.open

    def gone(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "templates" in str(file):
            raise FileNotFoundError(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", gone)
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: (_ for _ in ()).throw(OSError))
    for name in ("home.html", "error.html", "resource.html", "table.html", "search.html"):
        assert pages.env.get_template(name) is not None


def test_one_environment_and_one_policy_for_pages_and_views() -> None:
    assert Pages().env is htmlenv.environment()
    assert render.environment is htmlenv.environment
    assert render.csp is csp
    policy = csp.self_contained("a()", "b()")
    assert csp.script_hash("a()") in policy and "connect-src 'none'" in policy


def test_examples_declare_the_prefixes_they_use(tree) -> None:
    """The query editor parses queries without the endpoint's predeclared prefixes; every
    example must parse on its own once its prefixes are declared in the text."""
    from rdflib.plugins.sparql import prepareQuery

    examples = list_queries(tree, "cq")
    assert examples
    for example in examples:
        prepared = with_declared_prefixes(example.text, PREFIXES)
        assert prepared == example.text, example.id  # every file declares what it uses
        prepareQuery(prepared)
    text = with_declared_prefixes("# c\nSELECT * { ?s aigov:x country:KR }", PREFIXES)
    assert text.splitlines()[0] == "# c"
    assert "PREFIX aigov: <https://w3id.org/aigovkg/ontology#>" in text


HOSTILE = "<img src=x onerror=alert(1)>"


def test_profile_escapes_every_data_string(tree) -> None:
    """Hostile labels on an instrument, its event type, obligation, tier, addressee and
    source reach the profile page as inert text, and a javascript: URL never becomes a link."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

    from aigovkg.namespaces import (
        ADDRESSEE_ROLE,
        AIGOV,
        EVENT,
        EVENT_TYPE,
        OBLIGATION,
        SOURCE,
        TIER,
        bind_prefixes,
    )
    from aigovkg.queries import get_query
    from aigovkg.server.linked_data import PageQueries, describe
    from aigovkg.server.profile import PROFILE_QUERIES, ProfileQueries, build_profile
    from aigovkg.store import OxigraphBackend

    graph = bind_prefixes(Graph())
    thing = URIRef("https://w3id.org/aigovkg/id/instrument/hostile")
    event, kind, duty = EVENT["hostile"], EVENT_TYPE["hostile"], OBLIGATION["hostile"]
    tier, who, source = TIER["hostile"], ADDRESSEE_ROLE["hostile"], SOURCE["hostile"]
    graph.add((thing, RDF.type, AIGOV.Law))
    graph.add((thing, RDFS.label, Literal(HOSTILE, lang="ko")))
    graph.add((thing, AIGOV.hasEvent, event))
    graph.add((event, AIGOV.date, Literal("2024-01-01", datatype=XSD.date)))
    graph.add((event, AIGOV.eventType, kind))
    graph.add((event, AIGOV.legalReference, Literal("<b>Art. 1</b>")))
    graph.add((event, DCTERMS.source, source))
    graph.add((kind, RDFS.label, Literal("<script>alert(2)</script>", lang="en")))
    graph.add((thing, AIGOV.imposes, duty))
    graph.add((duty, RDFS.label, Literal("<iframe src=x>", lang="en")))
    graph.add((duty, AIGOV.appliesToTier, tier))
    graph.add((duty, AIGOV.addressee, who))
    graph.add((duty, DCTERMS.source, source))
    graph.add((tier, RDFS.label, Literal("<svg onload=alert(3)>", lang="en")))
    graph.add((who, RDFS.label, Literal('" onmouseover="alert(4)', lang="en")))
    graph.add((source, DCTERMS.title, Literal("<script>alert(5)</script>")))
    graph.add((source, AIGOV.url, Literal("javascript:alert(6)")))
    backend = OxigraphBackend.from_graph(graph)
    queries = ProfileQueries({n: get_query(tree, "app/profile", n) for n in PROFILE_QUERIES})
    page_queries = PageQueries(
        *(get_query(tree, "app", f"resource-{name}") for name in ("facts", "incoming", "sources"))
    )
    view = describe(backend, str(thing), page_queries, "ko")
    profile = build_profile(backend, queries, str(thing), "instrument", "ko")
    assert view is not None and profile.events and profile.obligations
    context = {"view": view, "formats": [], "profile": profile}
    page = Pages().render("resource.html", context).body.decode()
    for raw in ("<img src=x", "<script>alert", "<iframe", "<svg", '" onmouseover', "<b>Art"):
        assert raw not in page, raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;svg onload=alert(3)&gt;" in page and "&lt;b&gt;Art. 1&lt;/b&gt;" in page
    assert "javascript:" not in page
