"""The safety verdicts of the project's own queries, kept beside the build they came with.

`sparql_safety` parses every query before it runs (about 0.1 s of imports and 20 ms a query), which
was a quarter of an `aigovkg query --cq ...`. The project's queries (queries/**/*.rq) are the same
texts from one process to the next, so what the parse decided for each is written once into the
build directory (`.verdicts.json`, keyed by the digest of the text and its prefixes) and read by
every later process that opens that build. Only those texts are recorded: a user's text is never
written down, and any text the book does not hold is parsed as before. A project query the build
did not run is recorded the first time a process parses it ("re-checked if missing").

The book is not a published output (it is not in build.json or SHA256SUMS): a missing, unreadable
or foreign file (another version of the safety rules or of the parser, see `policy`) only means
the queries are parsed again. It is trusted as the rest of the build directory is (the store the
same processes answer from); the network jail stays as the second line of defence.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from .sources import SourceTree
from .sparql_safety import (
    Analysis,
    known_verdicts,
    packaged_key,
    policy,
    use_verdicts,
)

BOOK_FILE = ".verdicts.json"


def project_keys(tree: SourceTree) -> list[str]:
    """The book's key of every project query's text as it is now."""
    return [packaged_key(path.read_text(encoding="utf-8")) for path in tree.query_files()]


def expect_project_queries(tree: SourceTree) -> None:
    """Mark every project query's text as one to record once parsed (verdicts known stay)."""
    known = known_verdicts()
    use_verdicts({key: None for key in project_keys(tree) if key not in known})


def write(out: Path) -> None:
    """The book as this process knows it, into the build directory `out` (best effort: a
    read-only directory only means the next process parses again)."""
    write_verdicts(out / BOOK_FILE, known_verdicts())


def write_verdicts(path: Path, verdicts: Mapping[str, Analysis | None]) -> None:
    """`verdicts` (verdict_key -> verdict, None: not parsed yet) into `path`, whole or not at
    all, under the current `policy` (best effort, as `write`)."""
    book = {
        key: None if verdict is None else [verdict.refusal, [list(d) for d in verdict.dataset]]
        for key, verdict in sorted(verdicts.items())
    }
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps({"policy": policy(), "verdicts": book}, sort_keys=True))
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def read_verdicts(path: Path) -> dict[str, Analysis | None]:
    """What `write_verdicts` wrote to `path`; empty when the file is missing, malformed or
    written under another policy (the texts are then parsed again)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["policy"] != policy():
            return {}
        return {str(key): _verdict(value) for key, value in record["verdicts"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def load(out: Path, tree: SourceTree) -> None:
    """Use the book of the build in `out` for `tree`'s queries, and add to it what this process
    parses of them. Only verdicts for the texts of the project's queries as they are now are
    taken: a book cannot approve any other text, whatever it holds. A missing or foreign book
    (a build by an older version, another parser) is started again."""
    recorded = read_verdicts(out / BOOK_FILE)  # empty if missing or foreign: parse, record
    book = {key: recorded.get(key) for key in project_keys(tree)}
    use_verdicts(book, on_new=lambda key, verdict: write(out))


def _verdict(value: object) -> Analysis | None:
    """One recorded verdict, checked for shape (a malformed entry raises ValueError)."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("not a verdict")
    refusal, dataset = value
    if refusal is not None and not isinstance(refusal, str):
        raise ValueError("not a verdict")
    pairs = tuple((str(keyword), str(iri)) for keyword, iri in dataset)
    return Analysis(refusal=refusal, dataset=pairs)
