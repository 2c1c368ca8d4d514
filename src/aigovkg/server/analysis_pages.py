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

from ..errors import AigovkgError
from ..viz import VIEWS

VIEW_TITLES = {
    "full": "The whole graph",
    "summits": "Summit participation: parties and documents, edges by role",
    "regimes": "Regimes: instruments, risk tiers, obligation types, crosswalk links",
    "ontology": "The ontology's classes and properties",
}
VIEW_FILE = re.compile(r"^[a-z]+\.html$")
# The view pages carry their own stricter CSP (script hashes); this header repeats what matters.
VIEW_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; connect-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
MAX_COMPARED = 6


def _table(frame: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    frame = frame.reset_index() if frame.index.name else frame
    columns = [str(c) for c in frame.columns]
    rows = [["" if pd.isna(v) else str(v) for v in record] for record in frame.itertuples(False)]
    return columns, rows


async def compare_page(request: Request) -> Response:
    site = request.app.state.site
    names = [n.strip() for n in request.query_params.getlist("instrument") if n.strip()]
    as_of = request.query_params.get("as_of", "").strip()
    context: dict[str, Any] = {
        "title": "Compare regimes",
        "intro": "Name two or more instruments by slug, label in any language or identifier "
        "(eu-ai-act, AI 기본법, EO 14110). Each cell lists the facts with their sources.",
        "form": {
            "action": "/compare",
            "fields": [
                {"label": "Instrument", "name": "instrument", "value": v, "list": "names"}
                for v in [*names, "", ""][: max(2, len(names))]
            ]
            + [{"label": "As of (YYYY-MM-DD)", "name": "as_of", "value": as_of}],
            "options": site.instrument_slugs(),
        },
    }
    if len(names) < 2:
        return site.pages.render("table.html", context)
    if len(names) > MAX_COMPARED:
        context["error"] = f"compare at most {MAX_COMPARED} instruments at once"
        return site.pages.render("table.html", context, 400)
    try:
        # The analysis is CPU work: off the event loop, so other requests are served meanwhile.
        compare = partial(site.kg.compare, *names, as_of=as_of or None, sources=True)
        frame = await anyio.to_thread.run_sync(compare)
    except AigovkgError as exc:
        context["error"] = str(exc)
        return site.pages.render("table.html", context, 400)
    context["columns"], context["rows"] = _table(frame)
    context["note"] = "Penalties are in each regime's own currency; no conversion is applied."
    return site.pages.render("table.html", context)


async def summits_page(request: Request) -> Response:
    site = request.app.state.site
    frame = await anyio.to_thread.run_sync(site.kg.participation)
    columns, rows = _table(frame)
    return site.pages.render(
        "table.html",
        {
            "title": "Summit participation",
            "intro": "Who signed, endorsed, joined later or declined each summit document. "
            "'not in incomplete list' means the graph holds only part of the published list, "
            "so absence says nothing; 'did not sign' is absence from a complete list.",
            "columns": columns,
            "rows": rows,
        },
    )


async def viz_index(request: Request) -> Response:
    site = request.app.state.site
    views = [{"file": f"{v}.html", "title": VIEW_TITLES.get(v, v)} for v in VIEWS]
    return site.pages.render("viz.html", {"views": views})


async def viz_file(request: Request) -> Response:
    site = request.app.state.site
    name = request.path_params["name"]
    path = site.dist / "viz" / name
    if not VIEW_FILE.match(name) or not path.is_file():
        return site.pages.render("error.html", {"status": 404, "message": "No such view."}, 404)
    return FileResponse(
        path,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": VIEW_CSP, "X-Content-Type-Options": "nosniff"},
    )
