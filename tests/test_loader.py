"""Malformed or unsafe input gives an error naming the file (and line), and loads nothing:
syntax errors, blank nodes in data/, blank nodes too costly to canonicalise, symlinks out."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aigovkg import build as pipeline
from aigovkg.errors import CanonicalisationTooCostly, TurtleSyntaxError, UnsafeSourcePath
from aigovkg.fmt import formatted
from aigovkg.loader import blank_node_syntax, load_files, parse_turtle
from aigovkg.sources import locate

from .conftest import copy_tree, run_cli

BAD = "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n\nex:a ex:b ex:c ex:d .\n"


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD)
    with pytest.raises(TurtleSyntaxError) as info:
        parse_turtle(bad)
    assert info.value.path == bad
    assert info.value.line == 4
    assert f"{bad}:4" in str(info.value)


def test_one_bad_file_stops_the_whole_load(tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD)
    with pytest.raises(TurtleSyntaxError):
        load_files([good, bad])


def test_cli_reports_syntax_error_with_exit_2(tree_copy: Path) -> None:
    bad = tree_copy / "data" / "parties" / "broken.ttl"
    bad.write_text(BAD)
    result = run_cli("validate", cwd=tree_copy)
    assert result.returncode == 2
    assert "broken.ttl:4" in result.stderr


# Eight look-alike blank-node triangles, one predicate: rdflib's canonicalisation of this ran for
# minutes (issue 12), in `fmt --check`, `build` and so `serve`, while `validate` said it conforms.
TRIANGLES = "@prefix : <https://w3id.org/aigovkg/ontology#> .\n" + "".join(
    f"_:a{i} :p _:b{i} . _:b{i} :p _:c{i} . _:c{i} :p _:a{i} .\n" for i in range(1, 9)
)


@pytest.mark.parametrize("command", [["fmt", "--check"], ["validate"], ["build"]])
def test_blank_node_triangles_in_data_fail_fast_naming_file_and_line(
    tmp_path: Path, command: list[str]
) -> None:
    root = copy_tree(tmp_path / "checkout")
    (root / "data" / "x.ttl").write_text(TRIANGLES)
    started = time.monotonic()
    result = run_cli(*command, cwd=root)
    assert time.monotonic() - started < 60
    assert result.returncode == 2
    assert "data/x.ttl:2: blank node in a data file (`_:a1`)" in result.stderr
    assert not (root / "dist").exists()


def test_blank_node_triangles_in_the_ontology_exceed_the_budget(tmp_path: Path) -> None:
    """Outside data/ blank nodes are allowed, but their canonicalisation is bounded."""
    root = copy_tree(tmp_path / "checkout")
    extra = root / "ontology" / "x.ttl"
    extra.write_text(TRIANGLES)
    started = time.monotonic()
    with pytest.raises(CanonicalisationTooCostly) as info:
        load_files([extra])
    assert time.monotonic() - started < 30
    assert info.value.path == extra
    with pytest.raises(CanonicalisationTooCostly, match=r"x\.ttl"):
        formatted(extra)


def test_blank_nodes_stay_allowed_where_the_vocabulary_needs_them(tree) -> None:
    """The ontology's OWL class expressions and lists, and the shapes, load and format."""
    with_blank_nodes = [
        p for p in tree.ontology_files() + tree.shape_files() if "[" in p.read_text()
    ]
    assert with_blank_nodes
    load_files(with_blank_nodes)
    for path in with_blank_nodes:
        assert formatted(path) == path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize(
    ("text", "line", "token"),
    [
        ('ex:a ex:b "[not a node]" .\nex:a ex:c [ ex:d 1 ] .\n', 2, "["),
        ('# _:x in a comment\nex:a ex:b """two\nlines ( _:y""" .\nex:a ex:b ( 1 ) .\n', 4, "("),
        ("ex:a ex:b <http://x/_:z> .\n\n_:n1 ex:b ex:c .\n", 3, "_:n1"),
        ('ex:a ex:b "esc \\" [" .\n', None, None),
    ],
)
def test_blank_node_syntax_skips_strings_comments_and_iris(
    text: str, line: int | None, token: str | None
) -> None:
    assert blank_node_syntax(text) == (line, token)


def test_symlink_out_of_the_checkout_is_refused(tmp_path: Path) -> None:
    root = copy_tree(tmp_path / "checkout")
    outside = tmp_path / "notes.ttl"
    outside.write_text("<https://example.org/secret> <https://example.org/p> 1 .\n")
    link = root / "data" / "notes.ttl"
    link.symlink_to(outside)
    with pytest.raises(UnsafeSourcePath) as info:
        pipeline.assemble(locate(root))
    assert info.value.link == link
    assert str(link) in str(info.value)
    result = run_cli("validate", cwd=root)
    assert result.returncode == 2
    assert "notes.ttl: symbolic link to" in result.stderr


def test_symlink_inside_the_checkout_is_accepted(tmp_path: Path) -> None:
    root = copy_tree(tmp_path / "checkout")
    target = root / "data" / "parties" / "countries.ttl"
    moved = root / "countries.ttl"
    target.rename(moved)
    target.symlink_to(moved)
    assert target in locate(root).data_files()
