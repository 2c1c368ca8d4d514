"""Canonical formatting of the hand-edited Turtle (`aigovkg fmt`).

Sorted prefixes, subjects and predicates, one house style, so diffs show real changes only.
A leading block of `#` comment lines (a file's header) is kept; other comments are not, so
explanations belong in rdfs:comment, skos:definition or aigov:scopeNote, where users see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import CanonicalisationTooCostly
from .loader import parse_turtle
from .serialize import to_turtle


def header_comment(text: str) -> str:
    """The comment lines at the very top of a file, if any."""
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            lines.append(line.rstrip())
        else:
            break
    return "\n".join(lines) + "\n\n" if lines else ""


def formatted(path: Path) -> str:
    """The canonical text of one Turtle file (raises TurtleSyntaxError on bad input, and
    BlankNodeInData or CanonicalisationTooCostly, naming the file, on blank nodes it refuses)."""
    original = path.read_text(encoding="utf-8")
    try:
        return header_comment(original) + to_turtle(parse_turtle(path))
    except CanonicalisationTooCostly as exc:
        raise exc.in_file(path) from None


@dataclass(frozen=True)
class FormatResult:
    path: Path
    changed: bool


def format_files(paths: list[Path], *, check: bool) -> list[FormatResult]:
    """Format files in place (or only report, with check=True). Parses every file before writing
    any, so a syntax error in one leaves all files untouched."""
    pending = [(path, formatted(path)) for path in paths]
    results: list[FormatResult] = []
    for path, text in pending:
        changed = path.read_text(encoding="utf-8") != text
        if changed and not check:
            path.write_text(text, encoding="utf-8")
        results.append(FormatResult(path, changed))
    return results
