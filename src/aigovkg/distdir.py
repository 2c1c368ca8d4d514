"""Atomic publication of a build directory: readers see the old build or the new one, never a mix.

Layout: `dist` is a symbolic link to a complete build in the sibling directory `dist.builds/`
(`dist -> dist.builds/<id>`). A build writes into `dist.builds/.tmp-<pid>-…`, flushes it to disk,
renames it to its final `<id>`, then points `dist` at it with one `os.replace` of a new link: a
rename is atomic on POSIX, so a build killed at any moment leaves `dist` at the complete previous
build (the half-written staging directory is swept away by the next build). Readers keep using
`dist / name`; a long-running reader (the server) resolves the link once with `pin` and reads that
build for its whole life, so its store and its /download files always come from one build.

Swapping a real directory cannot be atomic (two renames), which is why `dist` is a link. A checkout
whose `dist/` is still a plain directory (older layout, or a copy made with `cp -r`) is migrated
on its next build (or when a server pins it): the old directory is moved into `dist.builds/` as a
build of its own and the link put in its place, the one moment at which `dist` briefly does not
exist. Only a directory that holds a SHA256SUMS
(an earlier build) or nothing is migrated: `--out ~/Documents` is refused, never moved aside.

Files that other commands write into dist/ (plots/, network.*, extra viz pages) are not the
build's: each build copies them over from the build it replaces, so a rebuild does not lose them.

Old builds are pruned, keeping the newest `KEEP` and any build a running process has pinned
(a shared `flock` on the build directory, released when that process exits).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import OutputDirNotABuild

try:  # flock is POSIX; elsewhere pinning is a no-op and pruning keeps the newest KEEP builds.
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]

# Complete builds kept besides pinned ones (a reader that did not pin survives two rebuilds).
KEEP = 3
TMP_PREFIX = ".tmp-"
LINK_PREFIX = ".link-"
MARKER = "SHA256SUMS"  # every build has one: a plain directory holding it is an older build

_pins: list[int] = []  # open descriptors holding shared locks; kept for the process's lifetime


def builds_dir(out: Path) -> Path:
    """Where the builds behind `out` live: a sibling, so renames stay on one file system."""
    return out.parent / f"{out.name}.builds"


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh, empty directory to write a build into; removed if the block raises.

    Raises OutputDirNotABuild when `out` is a plain directory with other content than a build.
    """
    plain = out.is_dir() and not out.is_symlink()
    if plain and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputDirNotABuild(out)
    root = builds_dir(out)
    root.mkdir(parents=True, exist_ok=True)
    _sweep_abandoned(root)
    tmp = root / f"{TMP_PREFIX}{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()  # not mkdtemp: its 0700 mode would make the published build private
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def publish(out: Path, staged: Path, owned: Iterable[str] = ()) -> Path:
    """Make the complete build in `staged` the one `out` points at; returns its final directory.

    `owned` are the paths (relative, '/'-separated; "dir/" for a whole directory) the previous
    build wrote itself: everything else in it was written by other commands and is copied over
    first.
    """
    adopt(out)
    previous = current(out)
    if previous is not None:
        _carry_over(previous, staged, set(owned))
    _fsync_tree(staged)
    final = _new_build_dir(out)
    os.rename(staged, final)
    _point(out, final)
    prune(out)
    return final


def adopt(out: Path) -> None:
    """Turn a plain build directory (the older layout) into a build behind a link.

    Two renames, so `out` is briefly missing: the one non-atomic step, taken once per checkout.
    """
    if out.is_symlink() or not out.is_dir():
        return
    if any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputDirNotABuild(out)
    builds_dir(out).mkdir(parents=True, exist_ok=True)
    final = _new_build_dir(out)
    os.rename(out, final)
    _point(out, final)


def _new_build_dir(out: Path) -> Path:
    # Names sort by creation time; the pid keeps two concurrent builds apart.
    return builds_dir(out) / f"{time.time_ns():020d}-{os.getpid()}"


def _point(out: Path, build: Path) -> None:
    """Point the link `out` at `build` in one atomic rename of a fresh link over it."""
    link = builds_dir(out) / f"{LINK_PREFIX}{os.getpid()}-{time.time_ns()}"
    os.symlink(os.path.relpath(build, out.parent), link)
    os.replace(link, out)
    _fsync_dir(out.parent)


def current(out: Path) -> Path | None:
    """The directory `out` currently resolves to, if there is one."""
    return out.resolve() if out.is_dir() else None


def pin(out: Path) -> Path:
    """Resolve `out` once and keep that build from being pruned while this process lives.

    A server calls this at start and reads every file through the returned path, so a rebuild
    (which only moves the link) never mixes two builds in what it serves.
    """
    adopt(out)  # a plain directory would be renamed by the next build: pin a build, not a name
    resolved = out.resolve()
    if fcntl is not None and resolved.is_dir():
        fd = os.open(resolved, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_SH)
        _pins.append(fd)
    return resolved


def prune(out: Path, keep: int = KEEP) -> list[Path]:
    """Remove old builds (not the current one, not the newest `keep`, not pinned ones)."""
    root = builds_dir(out)
    if not root.is_dir():
        return []
    live = current(out)
    builds = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
        reverse=True,
    )
    removed: list[Path] = []
    for old in builds[keep:]:
        if old == live or _is_pinned(old):
            continue
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    return removed


def _is_pinned(path: Path) -> bool:
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing drops the probe's lock
    return False


def _sweep_abandoned(root: Path) -> None:
    """Remove staging directories and links left by builds that were killed."""
    for entry in root.iterdir():
        if not entry.name.startswith((TMP_PREFIX, LINK_PREFIX)):
            continue
        pid = entry.name.split("-")[1]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another build is writing right now
        if entry.is_symlink() or entry.is_file():
            entry.unlink(missing_ok=True)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _carry_over(previous: Path, staged: Path, owned: set[str]) -> None:
    for path in sorted(previous.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(previous).as_posix()
        target = staged / relative
        if relative in owned or target.exists() or _under_owned_directory(relative, owned):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def _under_owned_directory(relative: str, owned: set[str]) -> bool:
    """`owned` names a whole directory as "name/": a database directory is the build's as a
    whole, and one old file carried into the new one would corrupt it."""
    return any(relative.startswith(entry) for entry in owned if entry.endswith("/"))


def _fsync_tree(root: Path) -> None:
    """Flush every file and directory, so a crash after the swap cannot expose empty files."""
    for directory, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(directory, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(directory))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems do not sync directories; the rename is still atomic
    finally:
        os.close(fd)
