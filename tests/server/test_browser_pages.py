"""The site's pages in real headless Chromium (Debian's, via Playwright): profile pages,
the language switch, the query editor's examples, search and /compare. No request leaves
the server's origin, no console error; screenshots and page load times are kept as artefacts
(load times are measured and written, never asserted: speed targets live in benchmarks/)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.viz.conftest import artefacts, browser  # noqa: F401  (shared fixtures)

from .conftest import Server

LOAD_TIMES: dict[str, float] = {}
TIMED = [
    "/",
    "/id/instrument/eu-ai-act",
    "/id/instrument/kr-ai-basic-act",
    "/id/country/KR",
    "/id/summit/ai-seoul-summit-2024",
    "/compare?instrument=eu-ai-act&instrument=kr-ai-basic-act",
    "/summits",
    "/search?q=seoul",
    "/query",
    "/download",
    "/dataset",
    "/graph/derived/status",
    "/ontology",
    "/viz/regimes.html",
]


@dataclass
class Tab:
    """A page and what it did."""

    page: Any
    origin: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Any:
        return self.page.goto(self.origin + path, wait_until="load")

    def load_ms(self) -> float:
        timing = self.page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n.loadEventEnd - n.startTime; }"
        )
        return float(timing)


@pytest.fixture
def tab(browser: Any, server: Server) -> Iterator[Tab]:  # noqa: F811
    context = browser.new_context(
        viewport={"width": 1300, "height": 900}, locale="en-GB", java_script_enabled=True
    )
    page = context.new_page()
    opened = Tab(page, server.base)

    def route(route: Any) -> None:
        if route.request.url.startswith(server.base):
            route.continue_()
        else:
            opened.foreign.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    yield opened
    context.close()
    assert opened.foreign == [], opened.foreign
    assert opened.errors == [], opened.errors


def test_profile_page_timeline(tab: Tab, artefacts: Path) -> None:  # noqa: F811
    tab.goto("/id/instrument/eu-ai-act")
    bands = tab.page.locator(".timeline .band")
    assert bands.count() >= 3
    boxes = [bands.nth(i).bounding_box() for i in range(bands.count())]
    assert all(b is not None and b["width"] > 0 for b in boxes)
    lefts = [b["x"] for b in boxes if b]
    assert lefts == sorted(lefts)  # drawn in time order, left to right
    assert tab.page.locator(".timeline .amended").count() >= 1
    assert tab.page.locator("#obligations ~ h3.group").count() >= 3
    tab.page.screenshot(path=str(artefacts / "profile-eu-ai-act.png"), full_page=True)
    tab.goto("/id/country/KR")
    assert tab.page.locator("#hosted").is_visible()
    tab.page.screenshot(path=str(artefacts / "profile-KR.png"))
    assert (artefacts / "profile-eu-ai-act.png").stat().st_size > 10_000


def test_language_switch(tab: Tab, artefacts: Path) -> None:  # noqa: F811
    tab.goto("/id/instrument/kr-ai-basic-act")
    assert tab.page.locator("html").get_attribute("lang") == "en"
    assert tab.page.locator("h1").inner_text() == "Korea AI Basic Act"
    tab.page.get_by_role("link", name="한국어").click()
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("html").get_attribute("lang") == "ko"
    assert tab.page.locator("h1").inner_text() == "AI 기본법"  # the graph's Korean label
    assert tab.page.get_by_role("link", name="내려받기").is_visible()
    tab.page.screenshot(path=str(artefacts / "profile-kr-ai-basic-act-ko.png"), full_page=True)
    tab.page.get_by_role("link", name="비교").click()  # the choice sticks (cookie)
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("html").get_attribute("lang") == "ko"
    assert tab.page.locator("h1").inner_text() == "규범 비교"
    tab.page.get_by_role("link", name="English").click()
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("h1").inner_text() == "Compare regimes"


def error_marks(tab: Tab) -> int:
    """The editor's error marks, after asking YASQE to check the text now (it checks on change;
    asking again makes the count independent of when that ran)."""
    tab.page.evaluate("() => window.aigovkgQuery.yasgui.getTab().getYasqe().checkSyntax()")
    return tab.page.locator(".parseErrorIcon").count()


def test_query_editor_examples_show_no_error_marks(tab: Tab, artefacts: Path) -> None:  # noqa: F811
    tab.goto("/query")
    tab.page.wait_for_function("() => window.aigovkgQuery !== undefined")
    count = tab.page.evaluate("() => window.aigovkgQuery.examples.length")
    assert count > 20
    # the check can fail: an undeclared prefix is marked
    tab.page.evaluate(
        "() => { window.aigovkgQuery.yasgui.getTab().setQuery('SELECT * { ?s nope:x ?o }'); }"
    )
    assert error_marks(tab) > 0
    marked = []
    for index in range(count):
        tab.page.evaluate("(i) => { window.aigovkgQuery.load(i); }", index)
        if error_marks(tab):
            marked.append(tab.page.evaluate("(i) => window.aigovkgQuery.examples[i].id", index))
    assert marked == []
    tab.page.screenshot(path=str(artefacts / "query-editor.png"))


EDITOR_TEXT = """() => {
  const out = [];
  const root = document.querySelector('#yasgui');
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const data = (n) => n.closest('.CodeMirror-lines, td, pre, textarea') !== null;
  while (walk.nextNode()) {
    const node = walk.currentNode;
    if (node.parentElement && !data(node.parentElement) && node.textContent.trim()) {
      out.push(node.textContent.trim());
    }
  }
  root.querySelectorAll('[title], [aria-label], [placeholder]').forEach((e) => {
    if (data(e)) return;
    ['title', 'aria-label', 'placeholder'].forEach((a) => {
      if (e.getAttribute(a)) out.push(e.getAttribute(a));
    });
  });
  return out;
}"""


def test_query_editor_speaks_korean(tab: Tab, artefacts: Path) -> None:  # noqa: F811
    """The vendored editor draws its own words in English; on the Korean page none of them is
    left once a query has run (buttons, tabs, settings, result counts, paging), while the
    query text and the result cells stay as they are."""
    import re

    from aigovkg import i18n

    english = [pair[0] for key, pair in i18n.MESSAGES.items() if key.startswith("editor.")]
    patterns = [
        re.compile("^" + re.sub(r"\\\{\w+\\\}", ".+?", re.escape(e)) + "$")
        for e in english
        if "{" in e
    ]

    def run_example(path: str) -> list[str]:
        tab.goto(path)
        tab.page.wait_for_function("() => window.aigovkgQuery !== undefined")
        tab.page.evaluate("() => window.aigovkgQuery.load(0)")
        tab.page.locator(".yasqe_queryButton").click()
        tab.page.wait_for_selector(".yasr .dataTable td")
        return tab.page.evaluate(EDITOR_TEXT)

    shown = run_example("/query?lang=en")
    assert "Run query" in shown and "Table" in shown  # the check can fail: English is there
    assert any(p.match(text) for p in patterns for text in shown)
    shown = run_example("/query?lang=ko")
    tab.page.screenshot(path=str(artefacts / "query-editor-ko.png"), full_page=True)
    left = [t for t in shown if t in english or any(p.match(t) for p in patterns)]
    assert left == []
    assert "질의 실행" in shown and "표" in shown
    assert tab.page.locator(".CodeMirror-lines").inner_text().count("PREFIX") >= 1


def test_search_box(tab: Tab, artefacts: Path) -> None:  # noqa: F811
    tab.goto("/")
    tab.page.fill("#site-search", "기본법")
    tab.page.press("#site-search", "Enter")
    tab.page.wait_for_load_state("load")
    assert "/search?q=" in tab.page.url
    link = tab.page.locator('table.results a[href="/id/instrument/kr-ai-basic-act"]')
    assert link.count() == 1
    tab.page.screenshot(path=str(artefacts / "search.png"))
    link.click()
    tab.page.wait_for_load_state("load")
    assert tab.page.url.endswith("/id/instrument/kr-ai-basic-act")


def test_compare_cells(tab: Tab, artefacts: Path) -> None:  # noqa: F811
    tab.goto("/compare")
    inputs = tab.page.locator('input[name="instrument"]')
    inputs.nth(0).fill("eu-ai-act")
    inputs.nth(1).fill("AI 기본법")
    tab.page.get_by_role("button", name="Show").click()
    tab.page.wait_for_load_state("load")
    cells = tab.page.locator("table.compare ul.cell")
    assert cells.count() > 10
    # list items are separate lines: the browser does not run values together
    items = tab.page.locator("table.compare ul.cell:has(li + li)").first.locator("li")
    first = items.nth(0).bounding_box()
    second = items.nth(1).bounding_box()
    assert first and second and second["y"] > first["y"]
    sources = tab.page.locator("table.compare a.source")
    assert sources.count() > 20
    href = sources.first.get_attribute("href")
    assert href and href.startswith("/id/source/")
    tab.page.screenshot(path=str(artefacts / "compare.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_page_load_times(
    browser: Any,  # noqa: F811
    server: Server,
    artefacts: Path,  # noqa: F811
    lang: str,
) -> None:
    """Load each page twice in Chromium (cold, then warm) and write the times; no assertion
    on speed, only that every page loaded."""
    context = browser.new_context(locale="ko-KR" if lang == "ko" else "en-GB")
    context.set_extra_http_headers({"Accept-Language": lang})
    page = context.new_page()
    tab = Tab(page, server.base)
    times: dict[str, list[float]] = {}
    for path in TIMED:
        for _ in range(2):
            response = tab.goto(path)
            assert response is not None and response.status == 200, path
            times.setdefault(path, []).append(round(tab.load_ms(), 1))
    context.close()
    out = artefacts / f"page-load-times-{lang}.json"
    out.write_text(json.dumps(times, indent=2, ensure_ascii=False))
    print(json.dumps(times, ensure_ascii=False))


def test_korean_viz_and_compare(tab: Tab, artefacts: Path) -> None:  # noqa: F811
    """The graph view and /compare follow the language switch: the view's controls, the
    details panel its script writes, and compare's cells are in Korean."""
    tab.goto("/viz/regimes.html")
    assert tab.page.locator("html").get_attribute("lang") == "en"
    assert tab.page.locator("label[for=search]").inner_text() == "Find a node"
    tab.page.get_by_role("link", name="한국어").click()
    tab.page.wait_for_load_state("load")
    assert tab.page.locator("html").get_attribute("lang") == "ko"
    assert tab.page.locator("label[for=search]").inner_text() == "노드 찾기"
    assert tab.page.locator("#fit").inner_text() == "화면에 맞추기"
    tab.page.wait_for_function("() => window.aigovViz !== undefined")
    tab.page.evaluate(
        "() => window.aigovViz.select('https://w3id.org/aigovkg/id/instrument/eu-ai-act', true)"
    )
    details = tab.page.locator("#details").inner_text()
    assert "사실" in details and "Facts" not in details and "Sources" not in details
    legend = tab.page.locator("#legend").inner_text()
    assert "법률" in legend  # the class label the graph has in Korean
    tab.page.screenshot(path=str(artefacts / "viz-regimes-ko.png"))
    tab.goto("/compare?instrument=eu-ai-act&instrument=kr-ai-basic-act")  # the cookie sticks
    assert tab.page.locator("html").get_attribute("lang") == "ko"
    table = tab.page.locator("table.compare").inner_text()
    assert "시행" in table and "구속력 있음" in table and "전 세계 연 매출의" in table
    assert "since" not in table and "as of" not in table and "binding" not in table
    tab.page.screenshot(path=str(artefacts / "compare-ko.png"), full_page=True)
    tab.page.get_by_role("link", name="English").click()
    tab.page.wait_for_load_state("load")
    assert "in force since" in tab.page.locator("table.compare").inner_text()
