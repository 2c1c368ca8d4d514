"""The analysts' pages: `/compare`, `/summits` and the interactive views under `/viz/`.

They call the same core as the command line (aigovkg.analysis, aigovkg.viz) on the server's
own read-only store, with fixed queries from queries/app/: no user SPARQL runs here, so the
worker pool's limits are not needed. Every value reaches the page through the autoescaping
templates; the view files are served as built, with a CSP that forbids any network access.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import anyio
import pandas as pd
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from .. import csp
from ..analysis.compare import DIMENSIONS, PHRASES, Wording
from ..errors import AigovkgError
from ..i18n import COOKIE, LANGUAGES, MESSAGES, Translator
from ..names import slug
from ..remote_http import StoreError
from ..viz import VIEWS
from .linked_data import safe_href
from .pages import COOKIE_AGE_S, language

VIEW_FILE = re.compile(r"^[a-z]+\.html$")
MAX_COMPARED = 6


MAX_RESULTS = 50


def _link(text: str, href: str | None = None) -> dict[str, str | None]:
    return {"text": text, "href": href}


class Footnotes:
    """Sources numbered in order of first use, shared by every cell of one table."""

    def __init__(self, register: dict[str, tuple[str, str | None]]) -> None:
        self.register = register
        self.numbers: dict[str, int] = {}

    def cite(self, source: str) -> dict[str, object]:
        number = self.numbers.setdefault(source, len(self.numbers) + 1)
        title, _ = self.register.get(source, (slug(source), None))
        return {"n": number, "href": safe_href(source), "text": title}

    def listing(self) -> list[dict[str, object]]:
        out = []
        for source, number in self.numbers.items():
            title, url = self.register.get(source, (slug(source), None))
            out.append({"n": number, "href": safe_href(source), "text": title, "url": url})
        return out


def source_register(site: Any) -> dict[str, tuple[str, str | None]]:
    """Source IRI -> (title, http(s) URL), from the graph's source list (cached by the graph)."""
    frame = site.kg.frame("app", "sources")
    register: dict[str, tuple[str, str | None]] = {}
    for row in frame.itertuples(index=False):
        url = row.url if isinstance(row.url, str) and row.url.startswith("http") else None
        register[str(row.source)] = (str(row.title), url)
    return register


def wording(t: Translator, site: Any) -> Wording:
    """compare's cells in the reader's language: its phrases from the message table, graph
    nodes by their label in that language (the graph's; English where it has none)."""
    phrases = {key: t(f"phrase.{key}") if f"phrase.{key}" in MESSAGES else text
               for key, text in PHRASES.items()}  # fmt: skip
    names = site.resolver()
    return Wording(
        phrases,
        lambda iri: names.label_only_in(iri, t.language) or names.label_only_in(iri, "en"),
    )


def compare_table(long: pd.DataFrame, t: Translator, notes: Footnotes) -> dict[str, Any]:
    """The long form of compare as a dimension x instrument table whose cells are lists of
    values, each with its sources as numbered links."""
    instruments = list(dict.fromkeys(long["instrument"]))
    labels = dict(zip(long["instrument"], long["instrument_label"], strict=False))
    columns = [_link(t("compare.dimension"))] + [
        _link(str(labels[i]), safe_href(i)) for i in instruments
    ]
    rows = []
    for dimension in DIMENSIONS:
        part = long[long["dimension"] == dimension]
        if part.empty:
            continue
        cells = []
        for instrument in instruments:
            items = []
            for record in part[part["instrument"] == instrument].itertuples(index=False):
                sources = str(record.sources or "").split()
                items.append(
                    {"text": str(record.value), "sources": [notes.cite(x) for x in sources]}
                )
            cells.append(items)
        rows.append({"head": _link(t.maybe("dim", dimension)), "cells": cells})
    return {"columns": columns, "rows": rows}


async def compare_page(request: Request) -> Response:
    site = request.app.state.site
    t = Translator(language(request))
    names = [n.strip() for n in request.query_params.getlist("instrument") if n.strip()]
    as_of = request.query_params.get("as_of", "").strip()
    context: dict[str, Any] = {
        "title": t("compare.title"),
        "intro": t("compare.intro"),
        "table_class": "compare",
        "form": {
            "action": "/compare",
            "fields": [
                {
                    "label": t("compare.instrument"),
                    "name": "instrument",
                    "value": v,
                    "list": "names",
                }
                for v in [*names, "", ""][: max(2, len(names))]
            ]
            + [{"label": t("compare.as_of"), "name": "as_of", "value": as_of}],
            "options": site.instrument_slugs(),
        },
    }
    if len(names) < 2:
        return site.pages.render("table.html", context, request=request)
    if len(names) > MAX_COMPARED:
        context["error"] = t("compare.too_many", n=MAX_COMPARED)
        return site.pages.render("table.html", context, 400, request=request)
    try:
        # The analysis is CPU work: off the event loop, so other requests are served meanwhile.
        words = wording(t, site)
        compare = partial(site.kg.compare, *names, as_of=as_of or None, long=True, words=words)
        long = await anyio.to_thread.run_sync(compare)
    except StoreError:
        raise  # the remote store's fault, not the request's: answered 502/503/504 by the app
    except AigovkgError as exc:
        context["error"] = f"{t('compare.error')}: {exc}"
        return site.pages.render("table.html", context, 400, request=request)
    notes = Footnotes(source_register(site))
    names = site.resolver()
    long["instrument_label"] = [names.label_in(i, t.language) for i in long["instrument"]]
    context.update(compare_table(long, t, notes))
    context["footnotes"] = notes.listing()
    context["note"] = t("compare.note")
    return site.pages.render("table.html", context, request=request)


async def summits_page(request: Request) -> Response:
    site = request.app.state.site
    t = Translator(language(request))
    frame = await anyio.to_thread.run_sync(site.kg.participation)
    frame = frame.reset_index() if frame.index.name else frame
    columns = [_link(str(c)) for c in frame.columns]
    rows = []
    for record in frame.itertuples(index=False):
        head, *values = ["" if pd.isna(v) else str(v) for v in record]
        rows.append(
            {"head": _link(head), "cells": [[{"text": t.maybe("cell", v)}] for v in values]}
        )
    return site.pages.render(
        "table.html",
        {
            "title": t("summits.title"),
            "intro": t("summits.intro"),
            "columns": columns,
            "rows": rows,
            "table_class": "matrix",
        },
        request=request,
    )


async def search_page(request: Request) -> Response:
    """Names in every language the graph holds, through the one resolver."""
    site = request.app.state.site
    lang = language(request)
    query = request.query_params.get("q", "").strip()[:200]
    found = site.resolver()
    results = []
    for node, name, name_lang in found.search(query, MAX_RESULTS):
        results.append(
            {
                "href": safe_href(node),
                "label": found.label_in(node, lang),
                "kind": found.kinds.get(node, "entity"),
                "name": name,
                "lang": name_lang,
            }
        )
    suggestions = found.suggest(query) if query and not results else []
    return site.pages.render(
        "search.html",
        {"query": query, "results": results, "suggestions": suggestions},
        request=request,
    )


async def viz_index(request: Request) -> Response:
    site = request.app.state.site
    views = [{"file": f"{v}.html", "name": v} for v in VIEWS]
    return site.pages.render("viz.html", {"views": views}, request=request)


async def viz_file(request: Request) -> Response:
    site = request.app.state.site
    name = request.path_params["name"]
    lang = language(request)
    path = site.dist / "viz" / name
    if not VIEW_FILE.match(name) or not path.is_file():
        message = Translator(lang)("view.no_such")
        return site.pages.render(
            "error.html", {"status": 404, "message": message}, 404, request=request
        )
    # The build writes each view once per interface language (English at the top).
    translated = site.dist / "viz" / lang / name
    if lang != "en" and translated.is_file():
        path = translated
    headers = {
        **csp.headers(csp.SERVED_VIEW),
        "Vary": "Accept-Language, Cookie",
        "Content-Language": lang if path == translated else "en",
    }
    response = FileResponse(path, media_type="text/html; charset=utf-8", headers=headers)
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:  # the page's own switch sticks, as on every other page
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_AGE_S, samesite="lax")
    return response
