"""A build-shaped writer for tests/test_distdir.py that SIGKILLs itself at a named point.

Usage: python killed_publisher.py OUT VERSION KILL_AT. Writes FILES (each half, then the rest)
and SHA256SUMS into a staging directory and publishes it with aigovkg.distdir; when KILL_AT
names a point on the way (`mid-<i>`, `before-rename`, `after-rename`, `before-swap`,
`after-swap`), the process kills itself there with SIGKILL, as a crash or the OOM killer would.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
from pathlib import Path

from aigovkg import distdir

FILES = ("aigovkg.nt", "aigovkg.ttl", "void.ttl", "viz/index.html")


def content(name: str, version: str) -> bytes:
    return (f"{name} of build {version}\n" * 2000).encode()


def main(out: Path, version: str, kill_at: str) -> None:
    def point(name: str) -> None:
        if name == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    real_rename, real_replace = os.rename, os.replace

    def rename(src: object, dst: object) -> None:
        point("before-rename")
        real_rename(src, dst)  # type: ignore[arg-type]
        point("after-rename")

    def replace(src: object, dst: object) -> None:
        point("before-swap")
        real_replace(src, dst)  # type: ignore[arg-type]
        point("after-swap")

    os.rename, os.replace = rename, replace  # type: ignore[assignment]
    with distdir.staging(out) as stage:
        sums = []
        for i, name in enumerate(FILES):
            data = content(name, version)
            target = stage / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as f:
                f.write(data[: len(data) // 2])
                f.flush()
                point(f"mid-{i}")
                f.write(data[len(data) // 2 :])
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {name}")
        (stage / "SHA256SUMS").write_text("\n".join(sums) + "\n")
        distdir.publish(out, stage)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
