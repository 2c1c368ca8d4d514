"""The example notebook runs from top to bottom (nbclient) on a built copy of the tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import REPO

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")


def test_example_notebook_runs(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel must import this checkout's aigovkg, not another installed copy.
    path = os.environ.get("PYTHONPATH", "")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO / "src"), path])))
    notebook = nbformat.read(REPO / "examples" / "analysis.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(built.parent)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "proposed" in text and "in force" in text
    assert any("image/png" in o.get("data", {}) for o in outputs), "the figure is shown"


def test_readme_python_example_runs(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's analysis example, verbatim, on a built copy of the tree."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Analysis", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(built.parent)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert namespace["kg"].resolve("EO 14110").endswith("/us-eo-14110")  # type: ignore[attr-defined]
