"""The analysts' pages on the real server: /compare, /summits and the views under /viz/."""

from __future__ import annotations

import html
from pathlib import Path

import httpx

from .conftest import Server


def test_compare_shows_both_regimes_with_sources(server: Server, http: httpx.Client) -> None:
    page = http.get(
        server.url("/compare"),
        params=[("instrument", "eu-ai-act"), ("instrument", "AI 기본법")],
    )
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert "EU AI Act" in text and "AI Basic Act" in text
    assert "Art. 99(3)" in text  # a penalty cell with its provision
    assert "KRW" in text and "EUR" in text  # native currencies, no silent conversion


def test_compare_form_and_unknown_name(server: Server, http: httpx.Client) -> None:
    form = http.get(server.url("/compare"))
    assert form.status_code == 200 and 'name="instrument"' in form.text
    bad = http.get(
        server.url("/compare"),
        params=[("instrument", "eu-ai-act"), ("instrument", "<script>alert(1)</script>")],
    )
    assert bad.status_code == 400
    assert "<script>alert(1)</script>" not in bad.text  # echoed only escaped
    assert "&lt;script&gt;" in bad.text


def test_summits_matrix_keeps_refusals_and_incomplete_lists_apart(
    server: Server, http: httpx.Client
) -> None:
    page = http.get(server.url("/summits"))
    assert page.status_code == 200
    assert "declined" in page.text  # the US and UK at Paris 2025
    assert "not in incomplete list" in page.text


def test_viz_pages_are_the_built_files(server: Server, http: httpx.Client, built: Path) -> None:
    index = http.get(server.url("/viz/"))
    assert index.status_code == 200 and 'href="/viz/summits.html"' in index.text
    page = http.get(server.url("/viz/summits.html"))
    assert page.status_code == 200
    assert page.content == (built / "viz" / "summits.html").read_bytes()
    assert "connect-src 'none'" in page.headers["content-security-policy"]
    assert http.get(server.url("/viz/..%2Fbuild.json")).status_code == 404
    assert http.get(server.url("/viz/missing.html")).status_code == 404
