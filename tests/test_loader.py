"""Malformed Turtle gives an error naming the file and the line, and loads nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from aigovkg.errors import TurtleSyntaxError
from aigovkg.loader import load_files, parse_turtle

from .conftest import run_cli

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
