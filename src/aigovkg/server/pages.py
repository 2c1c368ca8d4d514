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

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from .. import csp
from ..htmlenv import environment
from ..i18n import COOKIE, LANGUAGES, Translator, language_of, switch_links
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

    def fragment(self, template: str, request: Request, context: Mapping[str, Any]) -> str:
        """A piece of a page (no response) in the request's language."""
        lang = language(request)
        params = list(request.query_params.multi_items())
        return self.env.get_template(template).render(
            **context,
            t=Translator(lang),
            lang=lang,
            switch=switch_links(request.url.path, params),
        )

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


def wants_html(request: Request) -> bool:
    """Whether the client reads HTML (a browser): its errors are then pages in its language;
    other clients keep short plain-text errors they can log or show."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "application/xhtml+xml" in accept


def error_page(
    request: Request,
    status: int,
    message: str,
    *,
    formats: Sequence[Format] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An error as a page of the site (for browsers) or as one line of text (for others)."""
    if not wants_html(request):
        return PlainTextResponse(message + "\n", status_code=status, headers=headers)
    site = request.app.state.site
    context = {"status": status, "message": message, "formats": formats}
    response = site.pages.render("error.html", context, status, request=request)
    response.headers.update(headers or {})
    return response


def not_acceptable(request: Request, reason: str, offered: Sequence[Format]) -> Response:
    """406 for a page: for a browser, in its language with links to the formats offered."""
    if not wants_html(request):
        return PlainTextResponse(reason + "\n", status_code=406)
    message = Translator(language(request))("error.formats")
    return error_page(request, 406, message, formats=offered)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (no such route, method not allowed) in the reader's language."""
    assert isinstance(exc, HTTPException)
    t = Translator(language(request))
    if exc.status_code == 404:
        message = t("error.no_page", path=request.url.path)
    elif exc.status_code == 405:
        message = t("error.method", method=request.method)
    else:
        message = str(exc.detail)
    return error_page(request, exc.status_code, message, headers=exc.headers)


async def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected failure: a page saying so, never the traceback (it goes to the log)."""
    return error_page(request, 500, Translator(language(request))("error.server"))
