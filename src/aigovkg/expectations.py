"""Regenerating the expected answers of the competency questions, with the diff to review.

Adding an instrument changes the answers of several questions (the overview, the counts...);
`aigovkg expectations` writes every `tests/competency/expected/<ID>.csv` from the built graph in
the W3C CSV form the tests compare, and returns a unified diff per changed file, so a contributor
reviews what the new data changes instead of editing CSV files by hand.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .api import KnowledgeGraph
from .errors import QueryError
from .queries import list_queries
from .results import ResultFormat, serialize
from .store import SelectResult

EXPECTED_DIR = Path("tests") / "competency" / "expected"


@dataclass(frozen=True)
class Expectation:
    """One competency question's expected answer: where it lives, what it was, what it is."""

    query_id: str
    path: Path
    old: str | None
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                (self.old or "").splitlines(keepends=True),
                self.new.splitlines(keepends=True),
                fromfile=f"a/{self.path.name}",
                tofile=f"b/{self.path.name}",
            )
        )


def expected_answers(kg: KnowledgeGraph) -> list[Expectation]:
    """Every competency question's answer on `kg`, next to the expected file it would replace."""
    folder = kg.tree.root / EXPECTED_DIR
    found = []
    for query in list_queries(kg.tree, "cq"):
        answer = kg.run(query.text)
        if not isinstance(answer, SelectResult):
            raise QueryError(f"{query.path.name}: a competency question must be a SELECT")
        path = folder / f"{query.id}.csv"
        # Bytes, not read_text: universal newlines would turn the CSV's CRLF into LF and
        # every unchanged answer would show as changed.
        old = path.read_bytes().decode("utf-8") if path.is_file() else None
        new = serialize(answer, ResultFormat.csv).decode("utf-8")
        found.append(Expectation(query.id, path, old, new))
    return found


def write_expectations(found: list[Expectation]) -> list[Expectation]:
    """Write the changed files; returns them."""
    changed = [e for e in found if e.changed]
    for expectation in changed:
        expectation.path.parent.mkdir(parents=True, exist_ok=True)
        expectation.path.write_text(expectation.new, encoding="utf-8", newline="")
    return changed
