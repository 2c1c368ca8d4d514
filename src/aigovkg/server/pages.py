"""HTML pages through the one Jinja environment (aigovkg.htmlenv, autoescaping on) in the
reader's language (i18n): every data string is escaped by default.

Templates never mark data `|safe`; links are built only from local paths or http(s) URLs
(linked_data.safe_href), so neither a label nor a source URL can inject markup or script.
Every page varies on the language choice (Accept-Language and the cookie), and a page that
is also offered as RDF varies on Accept and links its RDF forms (`Link: rel="alternate"`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from .. import csp
from ..htmlenv import environment
from .i18n import COOKIE, LANGUAGES, Translator, language_of, switch_links
from .negotiation import Format

COOKIE_AGE_S = 365 * 24 * 3600


def language(request: Request | None) -> str:
    """The interface language of a request (English without one)."""
    if request is None:
        return "en"
    return language_of(
        request.query_params.get("lang"),
        request.cookies.get(COOKIE),
        request.headers.get("accept-language"),
    )


def alternates(path: str, formats: Sequence[Format]) -> str:
    """A `Link` header value naming the RDF forms of a page."""
    return ", ".join(
        f'<{path}?format={f.alias}>; rel="alternate"; type="{f.media_type}"' for f in formats
    )


class Pages:
    """Renders the site's templates (read once, at start-up, by htmlenv)."""

    def __init__(self) -> None:
        self.env = environment()

    def render(
        self,
        template: str,
        context: Mapping[str, Any],
        status: int = 200,
        *,
        request: Request | None = None,
        rdf: Sequence[Format] = (),
    ) -> HTMLResponse:
        lang = language(request)
        path = request.url.path if request is not None else "/"
        params = list(request.query_params.multi_items()) if request is not None else []
        html = self.env.get_template(template).render(
            **context,
            t=Translator(lang),
            lang=lang,
            languages=LANGUAGES,
            switch=switch_links(path, params),
        )
        vary = ["Accept-Language", "Cookie"]
        headers = csp.headers()
        if rdf:
            vary.insert(0, "Accept")
            headers["Link"] = alternates(path, rdf)
        headers["Vary"] = ", ".join(vary)
        headers["Content-Language"] = lang
        response = HTMLResponse(html, status_code=status, headers=headers)
        chosen = request.query_params.get("lang") if request is not None else None
        if chosen in LANGUAGES:
            response.set_cookie(COOKIE, chosen, max_age=COOKIE_AGE_S, samesite="lax")
        return response
