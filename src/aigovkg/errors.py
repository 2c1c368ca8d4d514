"""Domain errors. Each one carries what failed and where, so interfaces can report it plainly.

Exit codes used by the command line: 0 ok, 1 data does not conform, 2 usage or input error.
"""

from __future__ import annotations

from pathlib import Path


class AigovkgError(Exception):
    """Base class; the CLI turns it into a one-line message and exit code 2."""

    exit_code = 2


class SourceTreeNotFound(AigovkgError):
    """No ontology/ and data/ could be found, neither in a checkout nor inside the package."""


class TurtleSyntaxError(AigovkgError):
    """A Turtle file does not parse; names the file and the line."""

    def __init__(self, path: Path, line: int | None, detail: str) -> None:
        self.path = path
        self.line = line
        self.detail = detail
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: Turtle syntax error: {detail}")


class QueryError(AigovkgError):
    """A SPARQL query is malformed or cannot run; names the query (id or file) when there is one."""

    def __init__(self, detail: str, query_name: str | None = None) -> None:
        self.detail = detail
        self.query_name = query_name
        prefix = f"{query_name}: " if query_name else ""
        super().__init__(f"{prefix}{detail}")


class UnknownQuery(AigovkgError):
    """A competency-question id or query file that does not exist."""


class DataDoesNotConform(AigovkgError):
    """SHACL or an integrity check found violations; carries the report."""

    exit_code = 1

    def __init__(self, report: object) -> None:
        self.report = report
        count = len(getattr(report, "violations", []))
        super().__init__(f"the data does not conform: {count} violation(s)")


class ReasonerUnavailable(AigovkgError):
    """The OWL reasoner could not run (usually: no Java on the machine)."""


class UnknownName(AigovkgError):
    """A name (slug, label, identifier) that matches no instrument, party or summit, or several.

    Carries the closest matches so the user can retry without reading the data files.
    """

    def __init__(self, name: str, kind: str, suggestions: list[str], ambiguous: bool = False):
        self.name = name
        self.kind = kind
        self.suggestions = suggestions
        if ambiguous:
            detail = f"'{name}' names several {kind}s: {', '.join(suggestions)}; be more specific"
        elif suggestions:
            detail = f"unknown {kind} '{name}'; closest matches: {', '.join(suggestions)}"
        else:
            detail = f"unknown {kind} '{name}' (no close match)"
        super().__init__(detail)


class BadDate(AigovkgError):
    """A date argument that is not an ISO calendar date (YYYY-MM-DD)."""
