"""The two escapes every data string goes through on its way to the page.

1. HTML escaping of every string (keys too) before it reaches pyvis or the template: pyvis
   writes headings and select-menu entries unescaped, and a label such as
   `<img src=x onerror=alert(1)>` must stay text wherever it lands. The page decodes the five
   entities only to draw text on the canvas or assign `textContent`, never `innerHTML`.
2. JSON that is safe inside `<script>`: `<`, `>` and `&` as `\\u003c`-style escapes (no
   `</script>` or `<!--` can close or confuse the element) and U+2028/U+2029 escaped (they end a
   line in older JavaScript parsers).
"""

from __future__ import annotations

import html
import json
from typing import Any

_SCRIPT_SAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def escape_text(value: str) -> str:
    """HTML-escape one string (quotes included, so it is safe in attributes too)."""
    return html.escape(value, quote=True)


def escape_data(value: Any) -> Any:
    """HTML-escape every string in a JSON-like structure, dictionary keys included."""
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, dict):
        return {escape_text(str(k)): escape_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [escape_data(v) for v in value]
    return value


def script_json(value: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces) that cannot break out of a <script> element."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_SAFE.items():
        text = text.replace(char, escaped)
    return text
