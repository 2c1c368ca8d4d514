"""The one Jinja environment for every HTML the project makes: the server's pages and the
self-contained graph views of `aigovkg viz`.

Autoescaping is on for every template and string template, so every data string is escaped
unless code marks it `Markup` (only vetted, non-data text: inlined scripts and styles).
The server's templates are read from the package resources once, at first use (server
start-up), into memory: a `pip install -e` or an upgrade while the server runs cannot turn a
page into a 500 by moving files under it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import DictLoader, Environment, select_autoescape

from .version import __version__

TEMPLATE_PACKAGE = "aigovkg.server"
TEMPLATE_DIR = "templates"


def read_templates() -> dict[str, str]:
    """Every template shipped in the package, by file name."""
    folder = resources.files(TEMPLATE_PACKAGE) / TEMPLATE_DIR
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".html")
    }


@cache
def environment() -> Environment:
    """The shared environment (built once per process)."""
    env = Environment(
        loader=DictLoader(read_templates()),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["version"] = __version__
    return env
