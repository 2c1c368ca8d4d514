"""The Korean interface is complete on every page: no English interface text is left.

Two checks that fail on a page with an untranslated word, wherever it comes from:
- the templates (the site's and the graph views') hold no English text outside `t()` calls;
- every page, rendered in English and in Korean by the real server, is compared text node by
  text node (and the title, aria-label, placeholder and alt attributes): a node with Latin
  words that reads the same in both languages must be data (a literal, IRI or prefixed name
  of the built graph, or a list of those), never a word the pages or the analysis wrote.
Text the page marks as another language (`lang="en"` on a data label, pyLODE's generated body)
and code (`<code>`, scripts) are not interface text and are skipped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from aigovkg import build as pipeline
from aigovkg import i18n
from aigovkg.names import prefixed
from aigovkg.namespaces import SITE

from .conftest import Server

SERVER = Path(i18n.__file__).parent / "server"
VIZ_TEMPLATE = SERVER.parents[2] / "viz" / "template.html"
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
SKIPPED = {"script", "style", "code"}
VOID = {"meta", "link", "br", "input", "img", "hr", "source", "option"}
# Names that are the same in every language: the project, standards, formats, languages.
NAMES = {"aigovkg", "SPARQL", "SPARQL 1.1", "English", "SHA-256", "VoID", "DCAT", "CC BY 4.0"}
FORMATS = {"html", "turtle", "nt", "jsonld", "rdfxml"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
QUALIFIED = re.compile(r"^(.+) \((.+)\)$")
PROPERTY_VALUE = re.compile(r"^([a-z]+:\w+) (.+)$")
URL = re.compile(r"^https?://\S+$")
AMOUNT = re.compile(r"^[A-Z]{3} [\d,.]+$")
DOWNLOADABLE = (*pipeline.DUMPS, pipeline.VOID_FILE, pipeline.DCAT_FILE, pipeline.CHECKSUMS)
EDGES = " \t\n·:;,.()[]⇐→←\u2014\u2013-\u201c\u201d\"'"

PAGES = [
    "/",
    "/query",
    "/compare",
    "/compare?instrument=eu-ai-act&instrument=kr-ai-basic-act",
    "/compare?instrument=eu-ai-act&instrument=no-such-act",
    "/summits",
    "/viz/",
    "/viz/full.html",
    "/viz/summits.html",
    "/viz/nothing.html",
    "/download",
    "/download/nothing",
    "/search",
    "/search?q=seoul",
    "/search?q=zzqqxx",
    "/dataset",
    "/catalog",
    "/graph/derived/status",
    "/ontology",
    "/ontology/nothing",
    "/id/instrument/eu-ai-act",
    "/id/instrument/kr-ai-basic-act",
    "/id/country/KR",
    "/id/summit/ai-seoul-summit-2024",
    "/id/source/msit-ai-basic-act-passed",
    "/id/nothing/here",
    "/id/instrument/eu-ai-act?format=nope",
    "/no/such/page",
]


class TextNodes(HTMLParser):
    """The visible text of a page as a list of nodes, outside code and other-language parts."""

    def __init__(self, page_lang: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.nodes: list[str] = []

    def skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html" and self.page_lang is None:
            self.page_lang = values.get("lang")
        lang = values.get("lang")
        foreign = tag != "html" and lang is not None and lang != self.page_lang
        skipped = tag in SKIPPED or foreign
        if not (self.skipping() or skipped):
            self.nodes += [str(values[a]) for a in ATTRIBUTES if values.get(a)]
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.skipping():
            self.nodes.append(text)


def text_nodes(html: str) -> list[str]:
    parser = TextNodes()
    parser.feed(html)
    return parser.nodes


def latin(text: str) -> bool:
    return bool(LATIN_WORD.search(text))


@pytest.fixture(scope="module")
def data_strings(built: Path) -> set[str]:
    """Every literal, IRI, prefixed name and slug of the built graph."""
    strings: set[str] = set()
    files = [
        (pipeline.DUMP_NQUADS, pyoxigraph.RdfFormat.N_QUADS),
        (pipeline.VOID_FILE, pyoxigraph.RdfFormat.TURTLE),
        (pipeline.DCAT_FILE, pyoxigraph.RdfFormat.TURTLE),
    ]
    for name, syntax in files:
        for quad in pyoxigraph.parse((built / name).read_bytes(), format=syntax):
            for term in (quad.subject, quad.predicate, quad.object):
                if isinstance(term, pyoxigraph.Literal):
                    strings.add(" ".join(term.value.split()))
                elif isinstance(term, pyoxigraph.NamedNode):
                    local = re.split(r"[/#]", term.value.rstrip("/#"))[-1]
                    strings |= {term.value, prefixed(term.value), local}
                    strings.add(term.value.removeprefix(SITE))  # graph/..., as /dataset lists
    strings |= {meta.format_label for meta in pipeline.DUMPS.values()}
    strings |= {Path(name).name for name in DOWNLOADABLE}
    return strings


def is_data(text: str, data: set[str]) -> bool:
    """A node that is a data string, or a list of them ("a · b", "a, b", "1. a", "⇐ a")."""
    key = (text, id(data))
    if key not in KNOWN:
        KNOWN[key] = _is_data(text, data)
    return KNOWN[key]


KNOWN: dict[tuple[str, int], bool] = {}


def _is_data(text: str, data: set[str]) -> bool:
    if text.strip() in data:
        return True
    original = text.strip()
    text = re.sub(r"^\d+\.\s+", "", text.strip(EDGES))
    if not latin(text) or text in data or text in NAMES or text in FORMATS:
        return True
    if text.startswith("@") or LANGUAGE_TAG.match(text) or AMOUNT.match(text):
        return True  # a language tag beside a label; an amount in its currency
    if URL.match(original):
        return True  # an IRI (the test server also holds the W3C suite's graphs)
    pair = QUALIFIED.match(original) or PROPERTY_VALUE.match(text)
    if pair and is_data(pair[1], data) and is_data(pair[2], data):
        return True  # "KRW 30,000,000 (Art. 43(1))", "foaf:name aigovkg contributors"
    for separator in (" · ", ", ", ": "):
        if separator in text:
            return segmented(text.split(separator), separator, data)
    return False


def segmented(parts: list[str], separator: str, data: set[str]) -> bool:
    """Whether the parts, rejoined in runs ("Hong Kong, China" holds the separator), are
    each data."""
    ends = {0}
    for end in range(1, len(parts) + 1):
        runs = (parts[start:end] for start in ends if 0 < end - start < len(parts))
        if any(is_data(separator.join(run), data) for run in runs):
            ends.add(end)
    return len(parts) in ends


def test_templates_hold_no_english_outside_t() -> None:
    """Every interface word of a template goes through the message table."""
    templates = [*sorted(SERVER.glob("templates/*.html")), VIZ_TEMPLATE]
    assert len(templates) > 10
    found = {}
    for path in templates:
        text = JINJA.sub(" ", path.read_text(encoding="utf-8"))
        english = [
            n
            for n in text_nodes(text)
            if latin(n) and n.strip(EDGES) not in NAMES and not is_name_list(n)
        ]
        if english:
            found[path.name] = english
    assert found == {}


def is_name_list(text: str) -> bool:
    parts = [p.strip(EDGES) for p in re.split(r"[·,]", text)]
    return all(not latin(p) or p in NAMES or p.endswith(".ttl") for p in parts)


def test_the_node_walk_can_fail() -> None:
    """The check finds an English word the page wrote, and lets data and names through."""
    data = {"EU AI Act", "instrument:eu-ai-act"}
    assert not is_data("in force since 2024-08-01", data)
    assert not is_data("EU AI Act: close match", data)
    assert is_data("EU AI Act · aigovkg", data) and is_data("1. EU AI Act", data)
    nodes = text_nodes('<p title="Find">x <code>SELECT</code><span lang="en">Art</span></p>')
    assert nodes == ["Find", "x"]


@pytest.mark.parametrize("path", PAGES)
def test_no_english_interface_text_in_korean(
    server: Server, http: httpx.Client, data_strings: set[str], path: str
) -> None:
    pages = {}
    for lang in ("en", "ko"):
        headers = {"Accept": "text/html", "Accept-Language": lang}
        response = http.get(server.url(path), headers=headers)
        assert response.status_code in (200, 400, 404, 406), (path, response.status_code)
        assert response.headers["content-type"].startswith("text/html"), path
        pages[lang] = response.text
    assert re.search(r'<html lang="ko"', pages["ko"]), path
    assert "⟦" not in pages["ko"] and "⟦" not in pages["en"]
    english = set(text_nodes(pages["en"]))
    left = sorted(
        {n for n in text_nodes(pages["ko"]) if n in english and not is_data(n, data_strings)}
    )
    assert left == [], path


def test_ontology_page_headings_in_korean(server: Server, http: httpx.Client) -> None:
    """pyLODE writes its headings in English; the Korean page has them in Korean (marked
    lang="ko" inside the English body), while the definitions stay as the ontology states them."""
    html = {"Accept": "text/html"}
    pages = {
        lang: http.get(server.url("/ontology"), headers=html, params={"lang": lang}).text
        for lang in ("en", "ko")
    }
    for english, korean in (("Sub Class Of", "상위 클래스"), ("Classes", "클래스")):
        assert f">{english}<" in pages["en"] and f">{english}<" not in pages["ko"]
        assert f'<span lang="ko">{korean}</span>' in pages["ko"]
    assert "An international agreement binding on the states" in pages["ko"]
