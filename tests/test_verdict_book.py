"""The safety verdicts of the project's queries, kept beside the build (verdict_book).

Real processes on a real copy of the session's build: a project query asked twice is parsed
once (the second process does not even import the parser), a user's text is parsed every time
and never written down, and no book, however written, approves a text that is not one of the
project's queries as they are now.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aigovkg import sparql_safety, verdict_book
from aigovkg.queries import get_query
from aigovkg.sources import locate
from aigovkg.sparql_safety import Analysis, RefusedQuery, check_query, packaged_key

from .conftest import run_cli

SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
PARSER = "rdflib.plugins.sparql.parser"


def _book(root: Path) -> dict[str, object]:
    return json.loads((root / "dist" / verdict_book.BOOK_FILE).read_text())


def _query_in_probe(root: Path, *args: str) -> tuple[str, bool]:
    """`aigovkg query ARGS` in a fresh interpreter: its output, and whether it imported the
    SPARQL parser."""
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['aigovkg', 'query', *{list(args)!r}]\n"
        "try:\n    runpy.run_module('aigovkg', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        f"print('PARSER', {PARSER!r} in sys.modules)\n"
    )
    env = {**os.environ, "AIGOVKG_HOME": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    output, _, flag = done.stdout.rpartition("PARSER ")
    return output, flag.strip() == "True"


def test_a_project_query_is_parsed_once_per_build(tree_copy: Path) -> None:
    text = get_query(locate(tree_copy), "cq", "CQ01").text
    # As the build leaves it: a query it did not run is listed, without a verdict (the session's
    # build may have been asked CQ01 by another test, which recorded its verdict there)
    book = _book(tree_copy)
    book["verdicts"][packaged_key(text)] = None
    (tree_copy / "dist" / verdict_book.BOOK_FILE).write_text(json.dumps(book))
    first, parsed_first = _query_in_probe(tree_copy, "--cq", "CQ01", "--format", "csv")
    assert parsed_first
    assert _book(tree_copy)["verdicts"][packaged_key(text)] == [None, []]
    second, parsed_second = _query_in_probe(tree_copy, "--cq", "CQ01", "--format", "csv")
    assert not parsed_second
    assert second == first
    assert first.count("\n") > 100  # the real answer, not an empty one


def test_a_users_text_is_parsed_and_never_recorded(tree_copy: Path) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a aigov:Law }"
    before = _book(tree_copy)
    output, parsed = _query_in_probe(tree_copy, text, "--format", "csv")
    assert parsed
    assert output.splitlines()[0] == "n"
    assert _book(tree_copy) == before
    assert packaged_key(text) not in before["verdicts"]


def test_a_book_cannot_approve_a_text_that_is_not_a_project_query(tree_copy: Path) -> None:
    book = _book(tree_copy)
    book["verdicts"][packaged_key(SERVICE)] = [None, []]  # "safe", written by someone else
    (tree_copy / "dist" / verdict_book.BOOK_FILE).write_text(json.dumps(book))
    result = run_cli("query", SERVICE, cwd=tree_copy)
    assert result.returncode == 2
    assert "SERVICE is not allowed" in result.stderr


def test_the_book_is_what_decides_a_project_query(tree_copy: Path) -> None:
    """A verdict in the book is taken as it stands (so the book really is consulted), and only
    under the safety rules it was written with."""
    key = packaged_key(get_query(locate(tree_copy), "cq", "CQ01").text)
    book = _book(tree_copy)
    book["verdicts"][key] = ["refused by the book under test", []]
    path = tree_copy / "dist" / verdict_book.BOOK_FILE
    path.write_text(json.dumps(book))
    refused = run_cli("query", "--cq", "CQ01", cwd=tree_copy)
    assert refused.returncode == 2
    assert "refused by the book under test" in refused.stderr
    book["policy"] = "another parser"
    path.write_text(json.dumps(book))
    answered = run_cli("query", "--cq", "CQ01", "--format", "csv", cwd=tree_copy)
    assert answered.returncode == 0, answered.stderr
    assert _book(tree_copy)["policy"] == sparql_safety.policy()  # started again
    assert _book(tree_copy)["verdicts"][key] == [None, []]


@pytest.mark.parametrize("content", ["", "{", "[]", '{"policy": 1}', '{"verdicts": {"x": 5}}'])
def test_an_unreadable_book_means_a_real_parse(tree_copy: Path, content: str) -> None:
    (tree_copy / "dist" / verdict_book.BOOK_FILE).write_text(content)
    output, parsed = _query_in_probe(tree_copy, "--cq", "CQ01", "--format", "csv")
    assert parsed
    assert output.startswith("document,party,role,date,listComplete")


def test_the_build_records_the_queries_it_ran(built: Path) -> None:
    """Every project query is in the book; those the build itself ran (the views' queries, say)
    with the verdict of their parse."""
    tree = locate(built.parent)
    verdicts = _book(built.parent)["verdicts"]
    assert set(verdicts) >= {packaged_key(p.read_text()) for p in tree.query_files()}
    labels = get_query(tree, "app/viz", "labels").text
    assert verdicts[packaged_key(labels)] == [None, []]


def test_analyse_takes_verdicts_records_new_ones_and_forgets() -> None:
    sparql_safety.forget_verdicts()
    recorded: list[tuple[str, Analysis]] = []
    try:
        text = "ASK { ?s ?p ?o }"
        sparql_safety.use_verdicts(
            {
                packaged_key(text): None,
                packaged_key(SERVICE): Analysis(refusal="from the book"),
            },
            on_new=lambda key, verdict: recorded.append((key, verdict)),
        )
        check_query(text)
        assert recorded == [(packaged_key(text), Analysis())]
        with pytest.raises(RefusedQuery, match="from the book"):
            check_query(SERVICE)
        sparql_safety.forget_verdicts()
        with pytest.raises(RefusedQuery, match="SERVICE is not allowed"):
            check_query(SERVICE)
    finally:
        sparql_safety.forget_verdicts()
