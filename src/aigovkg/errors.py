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


class CanonicalisationTooCostly(AigovkgError):
    """Blank nodes so alike that giving them canonical labels would exceed the work budget.

    Raised by serialize.canonical without a file; loaders and the build re-raise it with one
    (`in_file`), so the message names what to fix.
    """

    def __init__(self, triples: int, path: Path | str | None = None) -> None:
        self.triples = triples
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(
            f"{where}blank nodes cannot be canonicalised within the work budget ({triples} "
            "blank-node triples, many of them indistinguishable, e.g. identical cycles); give "
            "the nodes IRIs or make them differ"
        )

    def in_file(self, path: Path | str) -> CanonicalisationTooCostly:
        return CanonicalisationTooCostly(self.triples, path)


class BlankNodeInData(AigovkgError):
    """A data/ file uses a blank node: instance data has IRIs (blank nodes are for OWL class
    expressions and RDF lists in ontology/ and shapes/). Names the file and line."""

    def __init__(self, path: Path, line: int | None, detail: str) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(
            f"{where}: blank node in a data file ({detail}); data/ describes things with IRIs: "
            "give it one under https://w3id.org/aigovkg/id/"
        )


class UnsafeSourcePath(AigovkgError):
    """A source file is a symbolic link (or sits under one) whose target is outside the checkout:
    its content would be published without being part of the checkout's history."""

    def __init__(self, link: Path, target: Path, root: Path) -> None:
        self.link = link
        self.target = target
        super().__init__(
            f"{link}: symbolic link to {target}, outside the source tree {root}; "
            "copy the file into the tree instead"
        )


class OutputDirNotABuild(AigovkgError):
    """The output directory holds something other than a build: a build replaces its output
    directory whole, so it refuses rather than move someone's files aside."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path}: not empty and not an earlier build (no SHA256SUMS); a build replaces its "
            "output directory whole: choose another --out, or empty it"
        )


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
