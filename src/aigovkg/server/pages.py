"""HTML pages through Jinja2 with autoescaping on: every data string is escaped by default.

Templates never mark data `|safe`; links are built only from local paths or http(s) URLs
(linked_data.safe_href), so neither a label nor a source URL can inject markup or script.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import DictLoader, Environment, select_autoescape
from starlette.responses import HTMLResponse

from ..version import __version__

TEMPLATES = Path(__file__).parent / "templates"

# Content-Security-Policy: pages load only their own scripts and styles, never a CDN.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def load_templates(directory: Path) -> dict[str, str]:
    """Every template, read once at start-up.

    A server reading templates from disk per request broke when the package was reinstalled
    under it (`pip install -e` removes and rewrites the files): every page was a 500 until a
    restart. Held in memory, the templates are those of the code that is running.
    """
    return {
        path.relative_to(directory).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


class Pages:
    """Renders the site's templates."""

    def __init__(self) -> None:
        self.env = Environment(
            loader=DictLoader(load_templates(TEMPLATES)),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["version"] = __version__

    def render(self, template: str, context: Mapping[str, Any], status: int = 200) -> HTMLResponse:
        html = self.env.get_template(template).render(**context)
        return HTMLResponse(
            html,
            status_code=status,
            headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"},
        )
