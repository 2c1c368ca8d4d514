"""What researchers read on the real server: profile pages, the minted IRIs, search,
/compare, /download, and the whole interface in English and Korean."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef

from aigovkg import build as pipeline
from aigovkg.namespaces import SITE

from .conftest import Server

EU_AI_ACT = "/id/instrument/eu-ai-act"
HTML_ACCEPT = {"Accept": "text/html"}


def get(http: httpx.Client, server: Server, path: str, lang: str = "en", **kw) -> httpx.Response:
    headers = {"Accept": "text/html", "Accept-Language": lang, **kw.pop("headers", {})}
    return http.get(server.url(path), headers=headers, **kw)


def text_of(response: httpx.Response) -> str:
    """The page's visible text (tags dropped, entities decoded)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def section(page: str, anchor: str) -> str:
    """The HTML from the heading with id=`anchor` to the next h2."""
    start = page.index(f'id="{anchor}"')
    end = page.find("<h2", start + 1)
    return page[start : end if end > 0 else None]


def test_instrument_profile_timeline_as_enacted_and_as_amended(
    server: Server, http: httpx.Client
) -> None:
    page = get(http, server, EU_AI_ACT)
    assert page.status_code == 200
    lifecycle = section(page.text, "lifecycle")
    assert lifecycle.count('class="band') >= 3
    assert "partially applicable" in lifecycle and "in force" in lifecycle
    # the intervals after the Digital Omnibus counts are marked as amended, naming the act
    assert 'class="amended"' in lifecycle and "as enacted" in lifecycle
    assert 'href="/id/instrument/eu-digital-omnibus-ai"' in lifecycle
    application = section(page.text, "application")
    assert ("2026-08-02" in application and "eu-digital-omnibus" in application.lower()) or (
        "Omnibus" in application
    )


def test_events_have_labels_and_dates_not_bare_iris(server: Server, http: httpx.Client) -> None:
    page = get(http, server, "/id/instrument/kr-ai-basic-act")
    visible = text_of(page)
    assert "https://w3id.org/aigovkg/id/event/" not in visible
    events = text_of(httpx.Response(200, text=section(page.text, "events")))
    assert "entered into force" in events and "2026-01-22" in events
    assert "Addenda, Art. 1" in events
    # each event lists its sources as links
    assert section(page.text, "events").count('class="source" href="/id/source/') >= 5
    # the generic facts table names events by date and type too
    assert "2026-01-22 · entered into force" in visible


def test_obligations_grouped_by_tier_and_addressee_with_sources(
    server: Server, http: httpx.Client
) -> None:
    page = get(http, server, EU_AI_ACT)
    obligations = section(page.text, "obligations")
    groups = re.findall(r'<h3 class="group">(.*?)</h3>', obligations)
    assert len(groups) >= 3
    assert any("high risk" in html.unescape(g).lower() for g in groups)
    assert any("provider" in html.unescape(g).lower() for g in groups)
    # every obligation carries at least one source link
    items = re.findall(r"<li>(.*?)</li>", obligations, flags=re.S)
    assert items and all('class="source" href="/id/source/' in item for item in items)
    assert "Art. 5(1)(a)" in section(page.text, "prohibitions")
    penalties = text_of(httpx.Response(200, text=section(page.text, "penalties")))
    assert "EUR 35,000,000" in penalties and "7%" in penalties
    assert 'href="/id/authority/' in section(page.text, "authorities")


def test_signatories_of_a_declaration(server: Server, http: httpx.Client) -> None:
    page = get(http, server, "/id/instrument/paris-statement-inclusive-sustainable-ai")
    if page.status_code == 404:  # the slug as the summit file names it
        page = get(http, server, "/id/instrument/" + _outcome_of(http, server))
    signatories = section(page.text, "signatories")
    assert "declined to sign" in signatories
    assert 'href="/id/country/GB"' in signatories and 'href="/id/country/FR"' in signatories


def _outcome_of(http: httpx.Client, server: Server) -> str:
    summit = get(http, server, "/id/summit/ai-action-summit-2025").text
    return re.findall(r'href="/id/instrument/([^"]+)"', section(summit, "outcome"))[0]


def test_party_page(server: Server, http: httpx.Client) -> None:
    page = get(http, server, "/id/country/KR")
    assert page.status_code == 200
    for anchor in ("signed", "hosted", "member", "issued"):
        assert f'id="{anchor}"' in page.text, anchor
    assert 'href="/id/summit/ai-seoul-summit-2024"' in section(page.text, "hosted")
    assert 'href="/id/instrument/seoul-declaration"' in section(page.text, "signed")
    assert 'href="/id/instrument/kr-ai-basic-act"' in section(page.text, "issued")
    gb = get(http, server, "/id/country/GB")
    assert 'id="declined"' in gb.text


def test_summit_page(server: Server, http: httpx.Client) -> None:
    page = get(http, server, "/id/summit/ai-seoul-summit-2024", lang="ko")
    assert 'href="/id/country/KR"' in section(page.text, "host")
    assert 'href="/id/instrument/seoul-declaration"' in section(page.text, "outcome")
    assert "AI 서울 정상회의" in page.text  # the Korean label in the Korean interface
    assert "<h1>AI 서울 정상회의</h1>" in page.text


def test_html_varies_on_accept_and_links_its_rdf_forms(server: Server, http: httpx.Client) -> None:
    for path in (EU_AI_ACT, "/dataset", "/catalog", "/graph/derived/status", "/ontology"):
        page = http.get(server.url(path), headers={**HTML_ACCEPT, "Origin": "http://x.example"})
        assert page.status_code == 200, path
        vary = {v.strip().lower() for v in page.headers["vary"].split(",")}
        assert {"accept", "origin"} <= vary, path
        links = re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"', page.headers["link"])
        assert {media for _, media in links} >= {"text/turtle", "application/ld+json"}, path
        for target, media in links:
            rdf = http.get(server.url(target))
            assert rdf.status_code == 200 and rdf.headers["content-type"].startswith(media)
            fmt = {"application/rdf+xml": "xml", "application/ld+json": "json-ld"}.get(media)
            assert len(Graph().parse(data=rdf.content, format=fmt or media)) > 0, target


def minted_iris(built: Path) -> set[str]:
    """Every IRI outside /id/ that the build mints in its dumps, VoID and DCAT."""
    found: set[str] = set()
    dataset = Dataset()
    dataset.parse(built / pipeline.DUMP_NQUADS, format="nquads")
    for s, _, o, g in dataset.quads():
        found.update(str(t) for t in (s, o, g) if isinstance(t, URIRef))
    for name in (pipeline.VOID_FILE, pipeline.DCAT_FILE):
        for triple in Graph().parse(built / name):
            found.update(str(t) for t in triple if isinstance(t, URIRef))
    return {
        iri
        for iri in found
        if iri.startswith(SITE) and "#" not in iri and not iri.startswith(SITE + "id/")
    }


def test_every_minted_iri_resolves(server: Server, http: httpx.Client, built: Path) -> None:
    iris = minted_iris(built)
    graphs = {i for i in iris if i.startswith(SITE + "graph/")}
    assert len(graphs) >= 50 and SITE + "dataset" in iris and SITE + "catalog" in iris
    assert any(i.startswith(SITE + "ontology/") for i in iris)  # the versioned ontology IRI
    failures = []
    for iri in sorted(iris):
        path = "/" + iri[len(SITE) :]
        # /sparql answers RDF (its service description); HTML there is the protocol's business
        for accept in ("text/turtle",) if path == "/sparql" else ("text/html", "text/turtle"):
            response = http.get(server.url(path), headers={"Accept": accept})
            if response.status_code != 200:
                failures.append((path, accept, response.status_code))
    assert failures == []
    assert http.get(server.url("/graph/data/no-such-file")).status_code == 404
    assert http.get(server.url("/ontology/0.0.0-not-this")).status_code == 404
    assert http.get(server.url("/dataset/linkset/nothing")).status_code == 404


def test_named_graph_page_and_triples(server: Server, http: httpx.Client, built: Path) -> None:
    page = get(http, server, "/graph/data/instruments/kr-ai-basic-act", lang="ko")
    assert 'href="/id/instrument/kr-ai-basic-act"' in page.text and "AI 기본법" in page.text
    turtle = http.get(
        server.url("/graph/data/instruments/kr-ai-basic-act"), headers={"Accept": "text/turtle"}
    )
    served = Graph().parse(data=turtle.content, format="turtle")
    dataset = Dataset()
    dataset.parse(built / pipeline.DUMP_NQUADS, format="nquads")
    expected = dataset.graph(URIRef(SITE + "graph/data/instruments/kr-ai-basic-act"))
    assert len(served) == len(expected) > 100


def test_search_over_labels_in_every_language(server: Server, http: httpx.Client) -> None:
    for query, href in (
        ("AI 기본법", "/id/instrument/kr-ai-basic-act"),
        ("기본법", "/id/instrument/kr-ai-basic-act"),
        ("生成式人工智能", "/id/instrument/cn-generative-ai-interim-measures"),
        ("EO 14110", "/id/instrument/us-eo-14110"),
        ("bletchley", "/id/instrument/bletchley-declaration"),
    ):
        page = get(http, server, "/search?q=" + quote(query))
        assert page.status_code == 200, query
        assert f'href="{href}"' in page.text, query
    korean = get(http, server, "/search?q=Korea%20AI%20Basic%20Act", lang="ko")
    assert ">AI 기본법</a>" in korean.text  # the label in the reader's language
    miss = get(http, server, "/search?q=" + quote("<script>alert(1)</script>"))
    assert "<script>alert(1)" not in miss.text and "&lt;script&gt;" in miss.text
    assert 'action="/search"' in get(http, server, "/").text  # the box is on every page


def test_compare_cells_are_lists_with_source_links(server: Server, http: httpx.Client) -> None:
    page = get(
        http,
        server,
        "/compare",
        params=[("instrument", "cn-generative-ai-interim-measures"), ("instrument", "eu-ai-act")],
    )
    assert page.status_code == 200
    row = re.search(r"<tr><th scope=\"row\">issued by</th>(.*?)</tr>", page.text, flags=re.S)
    assert row is not None
    china = re.findall(r"<td>(.*?)</td>", row.group(1), flags=re.S)[0]
    issuers = re.findall(r"<li>(.*?)</li>", china, flags=re.S)
    assert len(issuers) >= 2 and any("Cyberspace Administration" in i for i in issuers)
    assert "[source:" not in page.text
    assert page.text.count('class="source" href="/id/source/') > 20
    footnotes = re.findall(r'<li value="(\d+)"><a href="(/id/source/[^"]+)"', page.text)
    assert footnotes and http.get(server.url(footnotes[0][1])).status_code == 200


def test_download_page(server: Server, http: httpx.Client, built: Path) -> None:
    page = get(http, server, "/download")
    footer = re.search(r"<footer>(.*?)</footer>", page.text, flags=re.S)
    assert footer is not None and "{" not in footer.group(1) and "0.1" in footer.group(1)
    rows = re.findall(r"<tr><td><a href=\"/download/([^\"]+)\">.*?</tr>", page.text, flags=re.S)
    assert pipeline.CHECKSUMS not in rows  # not a data file, has no hash of its own
    sums = http.get(server.url(f"/download/{pipeline.CHECKSUMS}"))
    assert sums.status_code == 200 and f'href="/download/{pipeline.CHECKSUMS}"' in page.text
    for line in sums.text.splitlines():
        digest, _, name = line.partition("  ")
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == digest
        if name in rows:
            assert digest in page.text
    for row in re.findall(r"<tr><td>.*?</tr>", page.text, flags=re.S):
        assert re.search(r'<code class="sum">[0-9a-f]{64}</code>', row), row


PAGES = [
    "/",
    "/query",
    "/compare",
    "/compare?instrument=eu-ai-act&instrument=kr-ai-basic-act",
    "/compare?instrument=eu-ai-act&instrument=no-such-act",
    "/summits",
    "/viz/",
    "/viz/nothing.html",
    "/download",
    "/download/nothing",
    "/search",
    "/search?q=seoul",
    "/search?q=zzqqxx",
    "/dataset",
    "/dataset/linkset/wikidata",
    "/catalog",
    "/graph/derived/status",
    "/graph/data/summits/ai-seoul-summit-2024",
    "/ontology/nothing",
    "/id/instrument/eu-ai-act",
    "/id/instrument/kr-ai-basic-act",
    "/id/instrument/seoul-declaration",
    "/id/country/KR",
    "/id/organisation/g7",
    "/id/company/amazon",
    "/id/summit/ai-seoul-summit-2024",
    "/id/source/msit-ai-basic-act-passed",
    "/id/nothing/here",
]
ENGLISH_ONLY = ("Download", "Compare regimes", "Search", "Life cycle", "Sources", "Not found")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_complete_in_korean(server: Server, http: httpx.Client, path: str) -> None:
    page = http.get(server.url(path), headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert page.status_code in (200, 400, 404), path
    assert page.headers["content-language"] == "ko"
    assert '<html lang="ko">' in page.text
    assert "⟦" not in page.text, re.findall("⟦[^⟧]*⟧", page.text)
    # interface words: the Korean ones are there, the English ones are not
    assert "내려받기" in page.text and "검색" in page.text
    visible = text_of(page)
    assert not [w for w in ENGLISH_ONLY if re.search(rf"(?<![\w/]){w}(?![\w/])", visible)]
    english = http.get(server.url(path), headers={"Accept-Language": "en"})
    assert "⟦" not in english.text and '<html lang="en">' in english.text


def test_language_switch_sticks(server: Server, http: httpx.Client) -> None:
    with httpx.Client(base_url=server.base) as client:
        first = client.get("/?lang=ko", headers={"Accept-Language": "en"})
        assert '<html lang="ko">' in first.text and first.cookies.get("lang") == "ko"
        again = client.get("/summits", headers={"Accept-Language": "en"})
        assert '<html lang="ko">' in again.text
        assert 'href="/summits?lang=en"' in again.text  # the visible switch back
        back = client.get("/?lang=en")
        assert '<html lang="en">' in back.text
    assert "Accept-Language" in first.headers["vary"]


def test_labels_in_the_chosen_language(server: Server, http: httpx.Client) -> None:
    home = get(http, server, "/", lang="ko")
    assert ">AI 기본법</a>" in home.text and ">AI 서울 정상회의</a>" in home.text
    assert ">Korea AI Basic Act</a>" in get(http, server, "/", lang="en").text
    compare = get(
        http,
        server,
        "/compare",
        lang="ko",
        params=[("instrument", "eu-ai-act"), ("instrument", "kr-ai-basic-act")],
    )
    assert '<a href="/id/instrument/kr-ai-basic-act">AI 기본법</a>' in compare.text
