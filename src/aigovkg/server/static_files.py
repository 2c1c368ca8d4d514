"""The site's static files (CSS, scripts, the vendored editor), held in memory from start-up.

Starlette's StaticFiles opens the file on disk for every request, so `pip install -e .` (or an
upgrade) while the server runs, which removes and rewrites the package's files, turns the
stylesheet and the query editor into 404s until a restart. Reading the package's static
resources once when the app is created makes every answer come from the code that is running,
costs no file system call per request, and lets the ETag be a hash of the bytes served.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from starlette.requests import Request
from starlette.responses import Response

STATIC_PACKAGE = "aigovkg.server"
STATIC_DIR = "static"
CACHE_CONTROL = "public, max-age=3600"  # the ETag revalidates after an hour


@dataclass(frozen=True)
class StaticFile:
    """One file as served: its bytes, media type and entity tag."""

    body: bytes
    media_type: str
    etag: str


# The kinds of file the package ships. `mimetypes.guess_type` reads the system's type tables
# on first use (2 ms of start-up, and a host's tables may name a type differently); it is
# asked only about a suffix this table lacks.
MEDIA_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".json": "application/json",
    ".md": "text/markdown",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
}


def _media_type(name: str) -> str:
    suffix = name[name.rfind(".") :].lower() if "." in name.rsplit("/", 1)[-1] else ""
    guessed = MEDIA_TYPES.get(suffix) or mimetypes.guess_type(name)[0]
    media = guessed or "application/octet-stream"
    if media.startswith("text/") or media in ("application/javascript", "application/json"):
        media += "; charset=utf-8"
    return media


def _walk(folder: Traversable, prefix: str = "") -> dict[str, StaticFile]:
    files: dict[str, StaticFile] = {}
    for entry in folder.iterdir():
        name = prefix + entry.name
        if entry.is_dir():
            files.update(_walk(entry, name + "/"))
        elif entry.is_file():
            body = entry.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            files[name] = StaticFile(body, _media_type(name), etag)
    return files


def read_static(folder: Traversable | None = None) -> dict[str, StaticFile]:
    """Every static file of the package by its path under /static/ ("vendor/yasgui/...")."""
    return _walk(folder or resources.files(STATIC_PACKAGE) / STATIC_DIR)


class StaticFiles:
    """/static/{path}: answers from memory (`serve`), 304 on a matching ETag."""

    def __init__(self, files: dict[str, StaticFile]) -> None:
        self.files = files

    async def serve(self, request: Request) -> Response:
        found = self.files.get(request.path_params["path"])
        if found is None:
            return Response("not found\n", 404, media_type="text/plain; charset=utf-8")
        headers = {"ETag": found.etag, "Cache-Control": CACHE_CONTROL}
        if found.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        if request.method == "HEAD":
            headers["Content-Length"] = str(len(found.body))
            return Response(status_code=200, headers=headers, media_type=found.media_type)
        return Response(found.body, media_type=found.media_type, headers=headers)
