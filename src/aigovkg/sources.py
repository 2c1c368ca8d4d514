"""Where the hand-edited sources live: a checkout, or the copy shipped inside the package.

Inside a checkout (a directory holding ontology/aigovkg.ttl and data/) every command works on
that checkout and writes dist/ there, so edits are picked up without reinstalling. Elsewhere
the copy that `pip install .` put in the package is used, and dist/ goes to the current directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import SourceTreeNotFound, UnsafeSourcePath

ENV_HOME = "AIGOVKG_HOME"


@dataclass(frozen=True)
class SourceTree:
    """The hand-edited inputs of one build, and where its outputs go."""

    root: Path
    dist: Path
    is_checkout: bool

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def ontology_files(self) -> list[Path]:
        return self._inside(self.ontology_dir.glob("*.ttl"))

    def data_files(self) -> list[Path]:
        return self._inside(self.data_dir.rglob("*.ttl"))

    def shape_files(self) -> list[Path]:
        return self._inside(self.shapes_dir.glob("*.ttl"))

    def query_files(self) -> list[Path]:
        return self._inside(self.queries_dir.rglob("*.rq"))

    def _inside(self, paths: Iterable[Path]) -> list[Path]:
        """The paths, sorted; raises UnsafeSourcePath for one that resolves outside the tree.

        A symbolic link out of the checkout (data/x.ttl -> /home/me/notes.ttl) would put a file
        nobody reviewed into every dump; links that stay inside the tree are fine.
        """
        root = self.root.resolve()
        found = sorted(paths)
        linked: dict[Path, bool] = {self.root: False}
        for path in found:
            # Only a path through a link can leave the tree; resolving every path costs a
            # system call per component, 0.6 s per command at 5,600 files.
            if not self._through_link(path, linked):
                continue
            target = path.resolve()
            if not target.is_relative_to(root):
                raise UnsafeSourcePath(path, target, root)
        return found

    def _through_link(self, path: Path, linked: dict[Path, bool]) -> bool:
        """Whether `path` (found under the root) or a directory between it and the root is a
        symbolic link; directories are looked at once (`linked` remembers them)."""
        if path.is_symlink():
            return True
        directory = path.parent
        if directory not in linked:
            linked[directory] = directory.is_symlink() or (
                directory != directory.parent and self._through_link(directory, linked)
            )
        return linked[directory]

    def graph_files(self) -> list[Path]:
        """Ontology and data: everything that goes into the published graph, in a fixed order."""
        return self.ontology_files() + self.data_files()

    def turtle_files(self) -> list[Path]:
        """Every hand-edited Turtle file (what `aigovkg fmt` formats)."""
        return self.graph_files() + self.shape_files()

    def relative(self, path: Path) -> str:
        """A path as shown to people: relative to the tree when it is inside it."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


def is_data_file(path: Path) -> bool:
    """Whether `path` is in the data/ directory of a source tree (where blank nodes are refused:
    instance data has IRIs; blank nodes belong to OWL class expressions and lists)."""
    where = path.parent.resolve()
    root = find_checkout(where)
    return root is not None and (where / path.name).is_relative_to((root / "data").resolve())


def _is_source_root(path: Path) -> bool:
    return (path / "ontology" / "aigovkg.ttl").is_file() and (path / "data").is_dir()


def find_checkout(start: Path) -> Path | None:
    """The nearest directory at or above `start` that holds a source tree."""
    for candidate in (start, *start.parents):
        if _is_source_root(candidate):
            return candidate
    return None


def _packaged_root() -> Path | None:
    shipped = Path(str(resources.files("aigovkg"))) / "_sources"
    if _is_source_root(shipped):
        return shipped
    # An editable install runs from src/aigovkg; its sources are two levels up.
    repo = Path(__file__).resolve().parents[2]
    return repo if _is_source_root(repo) else None


def locate(start: Path | None = None) -> SourceTree:
    """The source tree commands work on: $AIGOVKG_HOME, else a checkout around `start`, else the
    package's own copy."""
    here = (start or Path.cwd()).resolve()
    env = os.environ.get(ENV_HOME)
    if env:
        root = Path(env).resolve()
        if not _is_source_root(root):
            raise SourceTreeNotFound(f"{ENV_HOME}={env} holds no ontology/aigovkg.ttl and data/")
        return SourceTree(root=root, dist=root / "dist", is_checkout=True)
    checkout = find_checkout(here)
    if checkout is not None:
        return SourceTree(root=checkout, dist=checkout / "dist", is_checkout=True)
    packaged = _packaged_root()
    if packaged is None:
        raise SourceTreeNotFound("no aigovkg sources found: not in a checkout, none in the package")
    return SourceTree(root=packaged, dist=here / "dist", is_checkout=False)
