"""How deeply a query nests its brackets, found without parsing it.

Every SPARQL parser on this stack is recursive descent: 2,500 nested `{}` overflow the
worker's stack and kill it (reported as a crash, and a cheap way to make the server restart
workers). Counting brackets outside strings, IRIs and comments is linear, needs no recursion,
and lets the endpoint answer 400 before any parser runs.
"""

from __future__ import annotations

import re

MAX_DEPTH = 100  # real queries stay far below: the competency questions nest fewer than 10

# Strings (long ones first), IRIs and comments are skipped whole; brackets inside them do not count.
_SKIP_OR_BRACKET = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|\#[^\n\r]*"
    r"|(?P<open>[{(\[])|(?P<close>[})\]])",
    re.DOTALL,
)


def nesting_depth(query: str) -> int:
    """The deepest nesting of `{`, `(` and `[` in the query."""
    depth = deepest = 0
    for match in _SKIP_OR_BRACKET.finditer(query):
        if match.group("open"):
            depth += 1
            deepest = max(deepest, depth)
        elif match.group("close"):
            depth = max(0, depth - 1)
    return deepest
