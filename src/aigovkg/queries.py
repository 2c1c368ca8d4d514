"""The one helper that reads SPARQL from queries/: no multi-line SPARQL lives in Python strings.

A query file starts with a header of `# key: value` comment lines (id, question, why) that says
what the query answers and why a researcher asks it; `queries/cq/` holds competency questions,
`queries/checks/` integrity checks that must return no rows, `queries/app/` the queries the
commands themselves run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UnknownQuery
from .sources import SourceTree

_HEADER = re.compile(r"^#\s*([A-Za-z-]+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class QueryFile:
    """One named query with its header."""

    id: str
    path: Path
    text: str
    question: str
    why: str

    @property
    def ordered(self) -> bool:
        """Whether the result order is part of the answer (tests compare lists, not sets)."""
        return re.search(r"\bORDER\s+BY\b", self.text, re.IGNORECASE) is not None


def read_query(path: Path) -> QueryFile:
    """Parse a .rq file and its header; the id defaults to the file name up to the first dash."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            header.setdefault(match.group(1).lower(), match.group(2).strip())
        elif line.strip() and not line.startswith("#"):
            break
    default_id = path.stem.split("-", 1)[0] if path.parent.name == "cq" else path.stem
    return QueryFile(
        id=header.get("id", default_id),
        path=path,
        text=text,
        question=header.get("question", ""),
        why=header.get("why", ""),
    )


def list_queries(tree: SourceTree, kind: str) -> list[QueryFile]:
    """Every query of one kind (`cq`, `checks`, `app`), sorted by file name."""
    return [read_query(p) for p in sorted((tree.queries_dir / kind).glob("*.rq"))]


def get_query(tree: SourceTree, kind: str, query_id: str) -> QueryFile:
    """A query by id (case-insensitive); an unknown id lists the known ones."""
    queries = list_queries(tree, kind)
    for query in queries:
        if query.id.lower() == query_id.lower() or query.path.stem.lower() == query_id.lower():
            return query
    known = ", ".join(q.id for q in queries) or "none"
    raise UnknownQuery(f"no query '{query_id}' in queries/{kind}/ (known: {known})")
